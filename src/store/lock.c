#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "domsnap.h"

struct _DsLock {
    int fd;
    char *path;
};

/*
 * The lock files this process holds, so that a record write can check that
 * its domain's lock is held (flock itself cannot say who holds a lock).
 */
static GMutex held_mutex;
static GHashTable *held;

static void
held_add(const char *path)
{
    g_mutex_lock(&held_mutex);
    if (!held)
        held = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_add(held, g_strdup(path));
    g_mutex_unlock(&held_mutex);
}

static void
held_remove(const char *path)
{
    g_mutex_lock(&held_mutex);
    if (held)
        g_hash_table_remove(held, path);
    g_mutex_unlock(&held_mutex);
}

static char *
domain_lock_path(const DsStore *store, const char *name)
{
    g_autofree char *file = g_strdup_printf("%s.lock", name);

    return g_build_filename(store->lib_dir, "locks", file, NULL);
}

int
ds_lock_default_timeout_ms(void)
{
    const char *env = g_getenv("DOMSNAP_LOCK_TIMEOUT");

    if (env && *env)
        return (int)(g_ascii_strtod(env, NULL) * 1000);
    return 30000;
}

static DsLock *
lock_file(const char *path, const char *what, int timeout_ms, GError **error)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    DsLock *lock;

    if (fd < 0) {
        g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot open lock file '%s': %s",
                    path, g_strerror(errno));
        return NULL;
    }
    while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            g_set_error(error, DS_ERROR, DS_ERROR_IO, "cannot lock '%s': %s", path,
                        g_strerror(errno));
            close(fd);
            return NULL;
        }
        if (g_get_monotonic_time() >= deadline) {
            char holder[32] = "";
            ssize_t n = pread(fd, holder, sizeof(holder) - 1, 0);
            holder[n > 0 ? n : 0] = '\0';
            g_strstrip(holder);
            g_set_error(error, DS_ERROR, DS_ERROR_BUSY,
                        "%s is busy: another domsnap operation (pid %s) holds its lock; "
                        "try again when it has finished",
                        what, *holder ? holder : "unknown");
            close(fd);
            return NULL;
        }
        g_usleep(20000);
    }
    {
        char pid[32];
        int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
        /* The pid is only for messages: a failure to write it is harmless. */
        if (ftruncate(fd, 0) == 0)
            (void)!pwrite(fd, pid, n, 0);
    }
    lock = g_new0(DsLock, 1);
    lock->fd = fd;
    lock->path = g_strdup(path);
    held_add(path);
    return lock;
}

DsLock *
ds_lock_domain(const DsStore *store, const char *name, int timeout_ms,
               GError **error)
{
    g_autofree char *path = domain_lock_path(store, name);
    g_autofree char *what = g_strdup_printf("domain '%s'", name);

    return lock_file(path, what, timeout_ms, error);
}

DsLock *
ds_lock_store(const DsStore *store, int timeout_ms, GError **error)
{
    g_autofree char *path = g_build_filename(store->lib_dir, "locks", ".store.lock", NULL);

    return lock_file(path, "the domsnap state directory", timeout_ms, error);
}

void
ds_lock_release(DsLock *lock)
{
    if (!lock)
        return;
    held_remove(lock->path);
    close(lock->fd); /* closing drops the flock */
    g_free(lock->path);
    g_free(lock);
}

gboolean
ds_lock_domain_held(const DsStore *store, const char *name)
{
    g_autofree char *path = domain_lock_path(store, name);
    gboolean yes;

    g_mutex_lock(&held_mutex);
    yes = held && g_hash_table_contains(held, path);
    g_mutex_unlock(&held_mutex);
    return yes;
}
