#!/bin/busybox sh
# /init of the Xen tests' dom0: brings up the Xen toolstack (xenstored,
# xen-init-dom0, xenconsoled), runs the scenarios or the benchmark (the
# kernel command line says which: domsnap_mode=test|bench), reports on the
# serial console in lines that start with "@@ ", and powers off.
/bin/busybox --install -s /bin
export PATH=/usr/lib/xen-4.17/bin:/bin:/sbin:/usr/sbin:/usr/bin
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/usr/lib/xen-4.17/lib/x86_64-linux-gnu
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
# udev would make these; the hotplug scripts' locking stats /dev/stdin
ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /run; mount -t tmpfs -o size=80% tmpfs /tmp
rm -rf /var/run; ln -s /run /var/run
mkdir -p /run/xen /run/xenstored /var/lib/xenstored /var/log/xen/console /var/lib/xen
echo "@@ dom0 up"
for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc xen-blkback loop; do
    [ -e /modules/$m.ko ] && insmod /modules/$m.ko
done
mount -t xenfs xenfs /proc/xen
xenstored --pid-file=/run/xenstored.pid
xen-init-dom0 >/dev/null
xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
echo "@@ toolstack up"
mode=test
case "$(cat /proc/cmdline)" in *domsnap_mode=bench*) mode=bench ;; esac
for w in $(cat /proc/cmdline); do
    case $w in domsnap_rounds=*) export ROUNDS=${w#domsnap_rounds=} ;; esac
    case $w in domsnap_stress=*) export STRESS=${w#domsnap_stress=} ;; esac
    case $w in domsnap_env=*) export "${w#domsnap_env=}" ;; esac
done
[ -n "${ASAN_OPTIONS:-}" ] && export LSAN_OPTIONS=suppressions=/guest/lsan.supp:print_suppressions=0
if [ $mode = bench ]; then
    sh /guest/bench.sh
else
    sh /guest/scenarios.sh
fi
echo "@@ done"
sync
poweroff -f
