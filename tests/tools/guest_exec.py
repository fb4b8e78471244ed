#!/usr/bin/env python3
"""guest_exec.py DOMSNAP DOM SHELL-COMMAND: runs /bin/sh -c COMMAND in the
guest through its agent (domsnap qemu-agent-command: guest-exec, then
guest-exec-status until it exits); prints its stdout, exits with its
status. --wait S: first waits up to S seconds for the agent to answer."""
import base64, json, subprocess, sys, time

def agent(domsnap, dom, execute, arguments=None, timeout=10):
    cmd = {"execute": execute}
    if arguments is not None:
        cmd["arguments"] = arguments
    out = subprocess.run([domsnap, "qemu-agent-command", dom, json.dumps(cmd),
                          "--timeout-agent", str(timeout)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return json.loads(out.stdout)

def main():
    args, wait = [], 0.0
    it = iter(sys.argv[1:])
    for a in it:   # --wait S may come anywhere
        if a == "--wait":
            wait = float(next(it))
        else:
            args.append(a)
    domsnap, dom, shell = args
    deadline = time.monotonic() + wait
    while True:
        try:
            return run(domsnap, dom, shell)
        except RuntimeError as e:
            # An agent that has just started may answer and then restart
            # (early boot): within --wait, everything is tried again.
            if time.monotonic() >= deadline:
                print(e, file=sys.stderr)
                return 2
            time.sleep(1)

def run(domsnap, dom, shell):
    agent(domsnap, dom, "guest-ping", timeout=3)
    pid = agent(domsnap, dom, "guest-exec", {"path": "/bin/sh", "arg": ["-c", shell],
                                              "capture-output": True})["pid"]
    end = time.monotonic() + 120
    while time.monotonic() < end:
        st = agent(domsnap, dom, "guest-exec-status", {"pid": pid})
        if st.get("exited"):
            sys.stdout.write(base64.b64decode(st.get("out-data", "")).decode(errors="replace"))
            sys.stderr.write(base64.b64decode(st.get("err-data", "")).decode(errors="replace"))
            return st.get("exitcode", 1)
        time.sleep(0.2)
    print("guest-exec: '%s' did not finish in 120 s" % shell, file=sys.stderr)
    return 3

sys.exit(main())
