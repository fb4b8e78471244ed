#!/usr/bin/env python3
"""redis_cmd.py PORT CMD [ARG...]: one command to redis on 127.0.0.1:PORT,
its reply on stdout (nil: empty). With --wait S: retries until redis
answers or S seconds have passed. Exit 1 if it never answered."""
import socket, sys, time

def command(port, args, timeout=5.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        msg = "*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a.encode()), a) for a in args)
        s.sendall(msg.encode())
        f = s.makefile("rb")
        line = f.readline().decode().rstrip("\r\n")
        if not line:
            raise OSError("connection closed")
        kind, rest = line[0], line[1:]
        if kind == "$":
            n = int(rest)
            return "" if n < 0 else f.read(n + 2)[:-2].decode()
        if kind == "-":
            raise RuntimeError(rest)
        return rest

def main():
    args = sys.argv[1:]
    wait = 0.0
    if args[0] == "--wait":
        wait, args = float(args[1]), args[2:]
    port, cmd = int(args[0]), args[1:]
    deadline = time.monotonic() + wait
    while True:
        try:
            print(command(port, cmd))
            return 0
        except (OSError, RuntimeError) as e:
            if time.monotonic() >= deadline:
                print("redis on 127.0.0.1:%d: %s" % (port, e), file=sys.stderr)
                return 1
            time.sleep(0.5)

sys.exit(main())
