#include "ds_suggest.h"

#include <string.h>

static guint
edit_distance(const char *a, const char *b)
{
    gsize la = strlen(a), lb = strlen(b);
    g_autofree guint *row = g_new(guint, lb + 1);

    for (gsize j = 0; j <= lb; j++)
        row[j] = j;
    for (gsize i = 1; i <= la; i++) {
        guint diag = row[0];
        row[0] = i;
        for (gsize j = 1; j <= lb; j++) {
            guint up = row[j];
            guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
            diag = up;
        }
    }
    return row[lb];
}

const char *
ds_suggest(const char *word, const char *const *known)
{
    const char *best = NULL;
    guint best_d = G_MAXUINT;

    for (const char *const *k = known; *k; k++) {
        guint d = edit_distance(word, *k);
        if (d < best_d) {
            best_d = d;
            best = *k;
        }
    }
    /* A typo is a couple of edits, not a different word. */
    if (best && best_d <= MAX(1, strlen(word) / 3) + 1 && best_d < strlen(word))
        return best;
    return NULL;
}
