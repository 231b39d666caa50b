#!/usr/bin/env python3
"""Boot a Sigil image in QEMU and judge the run by its console.

A run passes when the kernel reports `sigil: power off, status 0`, QEMU then exits by
itself, every --expect pattern matched a console line, in order, and no line matched a --reject
pattern. With --firmware-off the system ends through the firmware instead (PSCI SYSTEM_OFF
through an SMC cap, which prints nothing: docs/kernel/debug.md): the run passes when QEMU exits
by itself with status 0 after every --expect pattern matched, and a kernel power-off line is a
failure. It fails on a kernel panic or exception report, a user fault report, a non-zero
power-off status, a pattern that never matched, a rejected line, or a timeout (a hang). On
failure the console log is shown.

A test that a run fails (--must-fail, --expect-failure) passes only when the system itself
failed: when the run could not take place (no image, QEMU missing or refusing to start) the
harness exits with status 2, so an infrastructure error can never pass for a caught failure.

Used by `./sigil run`, by every QEMU test (ctest label `qemu`) and by the benchmarks, which read
`BENCH <name> <value>` lines from the console.
"""

import argparse
import os
import re
import select
import subprocess
import sys
import time

POWER_OFF = re.compile(r"^sigil: power off, status (-?\d+)")
FAILURE_MARKERS = (
    "*** SIGIL KERNEL EXCEPTION",
    "*** SIGIL PANIC",
    "sigil: FAULT",
    "rm: INVARIANT BROKEN",  # the resource manager's self-check (docs/resource-manager.md)
)
BENCH_LINE = re.compile(r"^BENCH (\S+) (\d+)\s*$")
# After a failure marker, keep reading this long so the whole report reaches the log.
REPORT_GRACE_SECONDS = 1.0


def qemu_command(qemu, image, virtualization=True, icount=False, gdb=False, memory="1G"):
    machine = "virt,gic-version=2"
    if virtualization:
        machine += ",virtualization=on"
    # -nodefaults: no default NIC (its option ROM lives in a package Sigil does not install),
    # no default drives or monitor; only the devices Sigil uses are added back.
    cmd = [
        qemu, "-nodefaults", "-machine", machine, "-cpu", "cortex-a57", "-m", memory,
        "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
        "-kernel", image,
    ]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    if gdb:
        cmd += ["-s", "-S"]
    return cmd


class Outcome:
    """What a run showed: the console lines, the power-off status and why it failed."""

    def __init__(self):
        self.lines = []
        self.status = None
        self.failure = None
        self.infrastructure = False  # the failure is the harness's or QEMU's, not the system's
        self.bench = {}

    @property
    def passed(self):
        return self.failure is None


def judge_line(outcome, line, expects, rejects=()):
    """Update the outcome with one console line. Returns True once the run is over."""
    outcome.lines.append(line)
    for regex in rejects:
        if re.search(regex, line) and outcome.failure is None:
            outcome.failure = f"the console shows a line it must not ({regex!r}): {line.strip()}"
    m = BENCH_LINE.match(line)
    if m:
        outcome.bench[m.group(1)] = int(m.group(2))
    if expects and re.search(expects[0], line):
        expects.pop(0)
    for marker in FAILURE_MARKERS:
        if marker in line and outcome.failure is None:
            outcome.failure = f"the console shows a failure report: {line.strip()}"
    m = POWER_OFF.match(line)
    if m:
        outcome.status = int(m.group(1))
        return True
    return False


def run(cmd, timeout, expects, echo, rejects=(), firmware_off=False):
    """Run QEMU, stream its console, and return an Outcome."""
    outcome = Outcome()
    expects = list(expects)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
    except OSError as e:
        outcome.failure = f"cannot run {cmd[0]}: {e.strerror} (run ./sigil setup)"
        outcome.infrastructure = True
        return outcome
    deadline = time.monotonic() + timeout
    buf = b""
    over = False
    while True:
        now = time.monotonic()
        if outcome.failure is not None and not over:
            deadline = min(deadline, now + REPORT_GRACE_SECONDS)
            over = True
        if now >= deadline:
            break
        ready, _, _ = select.select([proc.stdout], [], [], min(0.2, deadline - now))
        if not ready:
            if proc.poll() is not None:
                break
            continue
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        if echo:
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
        buf += chunk
        while b"\n" in buf:
            raw, buf = buf.split(b"\n", 1)
            line = raw.decode("utf-8", "replace").rstrip("\r")
            if judge_line(outcome, line, expects, rejects) and outcome.failure is None:
                deadline = min(deadline, time.monotonic() + 5.0)  # QEMU should now exit
    if buf:
        judge_line(outcome, buf.decode("utf-8", "replace"), expects, rejects)
    try:
        # After a power-off QEMU exits on its own; give it a moment to do so.
        proc.wait(timeout=5.0 if outcome.status is not None and outcome.failure is None else 0.1)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        proc.wait()
    if outcome.failure is None and firmware_off:
        if outcome.status is not None:
            outcome.failure = "the kernel powered off, but the system was to end through the firmware"
        elif timed_out:
            outcome.failure = f"timeout after {timeout} s without the firmware's power-off (a hang?)"
        elif proc.returncode != 0:
            outcome.failure = f"QEMU failed (status {proc.returncode})"
            outcome.infrastructure = True
        elif expects:
            outcome.failure = f"expected output never appeared: {expects[0]!r}"
    elif outcome.failure is None:
        if outcome.status is None:
            if timed_out:
                outcome.failure = f"timeout after {timeout} s without power-off (a hang?)"
            elif proc.returncode != 0:
                outcome.failure = f"QEMU failed (status {proc.returncode}) without power-off"
                outcome.infrastructure = True
            else:
                outcome.failure = f"QEMU exited (status {proc.returncode}) without power-off"
        elif outcome.status != 0:
            outcome.failure = f"the system powered off with failure status {outcome.status}"
        elif timed_out:
            outcome.failure = "the system powered off but QEMU did not exit"
        elif expects:
            outcome.failure = f"expected output never appeared: {expects[0]!r}"
    return outcome


def judge_expected_failure(outcome, regex):
    """For --expect-failure and --must-fail: 0 if the system failed (the way `regex` says, when
    given), 1 if it did not, 2 if the run could not take place."""
    if outcome.passed:
        print("sigil-qemu: FAILED: the run passed but was expected to fail", file=sys.stderr)
        return 1
    if outcome.infrastructure:
        print("---- console ----\n" + "\n".join(outcome.lines) + "\n-----------------")
        print(f"sigil-qemu: ERROR: the run could not take place: {outcome.failure}",
              file=sys.stderr)
        return 2
    if regex is None:
        print(f"sigil-qemu: failed as required: {outcome.failure}")
        return 0
    text = outcome.failure + "\n" + "\n".join(outcome.lines)
    if re.search(regex, text):
        print(f"sigil-qemu: failed as expected: {outcome.failure}")
        return 0
    print("---- console ----\n" + "\n".join(outcome.lines) + "\n-----------------")
    print(f"sigil-qemu: FAILED: the run failed, but not as expected ({regex!r}): "
          f"{outcome.failure}", file=sys.stderr)
    return 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("image", help="bootable image (kernel ELF carrying its root task)")
    ap.add_argument("--qemu", default=os.environ.get("SIGIL_QEMU", "qemu-system-aarch64"))
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a hang is declared")
    ap.add_argument("--expect", action="append", default=[],
                    help="regular expression a console line must match (repeatable; in order)")
    ap.add_argument("--reject", action="append", default=[],
                    help="regular expression no console line may match (repeatable)")
    ap.add_argument("--firmware-off", action="store_true",
                    help="the system ends through PSCI SYSTEM_OFF: pass when QEMU exits by itself "
                         "with status 0 (and no kernel power-off line)")
    ap.add_argument("--no-virt", action="store_true",
                    help="boot without virtualization=on (no firmware answers smc)")
    ap.add_argument("--icount", action="store_true", help="-icount shift=0: exact instruction counts")
    ap.add_argument("--memory", default="1G", help="RAM size (QEMU -m), default 1G")
    ap.add_argument("--gdb", action="store_true", help="wait for gdb on port 1234 (no timeout)")
    ap.add_argument("--quiet", action="store_true", help="show the console only on failure")
    ap.add_argument("--expect-failure", metavar="REGEX",
                    help="the run must FAIL, and its failure or console must match REGEX "
                         "(tests of the harness and of fault reports)")
    ap.add_argument("--must-fail", action="store_true",
                    help="the run must FAIL for a reason of the system's own (a panic, a "
                         "hang, a bad status), never because it could not run")
    args = ap.parse_args(argv)

    if not os.path.isfile(args.image):
        print(f"sigil-qemu: no such image: {args.image}", file=sys.stderr)
        return 2
    cmd = qemu_command(args.qemu, args.image, not args.no_virt, args.icount, args.gdb,
                       args.memory)
    if args.gdb:
        print("sigil-qemu: waiting for gdb: gdb-multiarch -ex 'target remote :1234' "
              "<kernel or program ELF>", file=sys.stderr)
        args.timeout = 1e9
    outcome = run(cmd, args.timeout, args.expect, echo=not args.quiet, rejects=args.reject,
                  firmware_off=args.firmware_off)
    if args.expect_failure is not None or args.must_fail:
        return judge_expected_failure(outcome, args.expect_failure)
    if outcome.passed:
        return 0
    if args.quiet:
        print("---- console ----")
        print("\n".join(outcome.lines))
        print("-----------------")
    print(f"sigil-qemu: FAILED: {outcome.failure}", file=sys.stderr)
    print(f"sigil-qemu: command: {' '.join(cmd)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
