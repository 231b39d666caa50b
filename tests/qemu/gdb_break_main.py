#!/usr/bin/env python3
"""Debugging as docs/getting-started.md shows it: `break main` stops in the user's programs.

Boots the default system (specs/echo.yaml) waiting for gdb, writes its gdb script with
tools/sigil_gdb.py (what `./sigil run --gdb` does) and runs the documented commands in
`gdb-multiarch -batch`: `break main` must find exactly the two components' `main`s (not the
loader's), and the first two stops must be the server's and then the client's `main`, each
really running in that component: its stack pointer is in the component's own 16 MiB slot (the
stack is placed right after the image), not in the loader's stack at 0x7fef_f000_0000. If every
program were linked at one address, the loader would run the code at the server's `main`
address first and this check would fail.

usage: gdb_break_main.py BUILD_DIR QEMU
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORT_BASE = 12340
STOP = re.compile(r"^Breakpoint 1\.\d, main \(arg=[^)]*\) at ")
WHERE = re.compile(r"^main in section \.text of (\S+)$")
FRAME = re.compile(r"^FRAME pc=0x([0-9a-f]+) sp=0x([0-9a-f]+)")


def free_port():
    """A TCP port nobody listens on (tests run in parallel; the documented :1234 may be busy)."""
    for port in range(PORT_BASE, PORT_BASE + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free TCP port")


def listening(port):
    """Whether a TCP socket listens on `port` (read from /proc/net: no probe connection, which
    QEMU's gdb stub would take for gdb)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                return True
    return False


def start_qemu(cmd, port):
    """QEMU waiting for gdb on `port`, or None if it ended first (the port was taken after
    free_port() chose it). Waits for the listening socket, not for a length of time."""
    proc = subprocess.Popen(cmd + ["-gdb", f"tcp::{port}", "-S"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not listening(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None
        time.sleep(0.05)
    return proc


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    build, qemu = argv[1], argv[2]
    for tool in ("gdb-multiarch", qemu):
        if shutil.which(tool) is None:
            print(f"gdb_break_main: {tool} is missing (./sigil setup installs it)", file=sys.stderr)
            return 1
    image = os.path.join(build, "target", "images", "echo.elf")
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import sigil_qemu
    cmd = sigil_qemu.qemu_command(qemu, image)
    qemu_proc = None
    for _ in range(5):
        port = free_port()
        qemu_proc = start_qemu(cmd, port)
        if qemu_proc:
            break
    if not qemu_proc:
        print("gdb_break_main: QEMU never listened for gdb (5 ports tried)", file=sys.stderr)
        return 1
    script = os.path.join(build, "gdb", f"echo-test-{port}.gdb")
    gen = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "sigil_gdb.py"), "--build",
                          build, "echo", "-o", script, "--port", str(port)],
                         capture_output=True, text=True)
    if gen.returncode != 0:
        os.killpg(qemu_proc.pid, signal.SIGKILL)
        qemu_proc.wait()
        print(gen.stdout + gen.stderr, file=sys.stderr)
        return 1
    try:
        frame = ["-ex", 'printf "FRAME pc=0x%lx sp=0x%lx\\n", $pc, $sp', "-ex", "info symbol $pc"]
        gdb = subprocess.run(
            ["gdb-multiarch", "-nx", "-batch", "-x", script, "-ex", "break main",
             "-ex", "continue"] + frame + ["-ex", "continue"] + frame + ["-ex", "kill"],
            capture_output=True, text=True, timeout=240)
    finally:
        os.killpg(qemu_proc.pid, signal.SIGKILL)
        qemu_proc.wait()
        os.remove(script)
    out = gdb.stdout + gdb.stderr
    errors = []
    m = re.search(r"Breakpoint 1 at [^\n]*: main\. \((\d+) locations\)", out)
    if not m or m.group(1) != "2":
        errors.append("`break main` should find 2 locations (the server's and the client's)")
    lines = out.splitlines()
    nstops = sum(1 for line in lines if STOP.match(line))
    stops = [os.path.basename(WHERE.match(line).group(1)) for line in lines if WHERE.match(line)]
    frames = [FRAME.match(line).groups() for line in lines if FRAME.match(line)]
    want = ["echo_server.elf", "echo_client.elf"]
    if nstops != 2 or stops != want:
        errors.append(f"the stops should be main of {' then '.join(want)}; gdb stopped {nstops} "
                      f"times, in {stops}")
    for (pc, sp), where in zip(frames, want):
        if int(pc, 16) >> 24 != int(sp, 16) >> 24:
            errors.append(f"stopped at pc 0x{pc} (labelled {where}) with sp 0x{sp}: not running "
                          "in that program (its stack is in its own 16 MiB slot)")
    if errors:
        print("---- gdb ----\n" + out + "-------------", file=sys.stderr)
        for e in errors:
            print(f"gdb_break_main: {e}", file=sys.stderr)
        return 1
    print(f"gdb_break_main: break main stopped in {stops[0]} then {stops[1]}, in their own "
          "address ranges")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
