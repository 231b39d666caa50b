#!/usr/bin/env python3
"""Instruction-level profile of kernel entries, for optimising hot paths.

Boots IMAGE under QEMU with one instruction per translation block and the execution log on
(-singlestep -d exec,nochain, -icount shift=0), cuts the trace into kernel entries (runs of
kernel-half PCs), and for the entries that pass through FUNCTION prints how many instructions
each kernel function executed in the last complete such entry.

Usage: sigil_profile.py IMAGE FUNCTION [--exclude FUNC ...] [--qemu QEMU]
Example: sigil_profile.py build/target/images/bench_ipc.elf fastpath_call --exclude syscall_handle
The log of a whole benchmark image is tens of megabytes; it goes to a temporary directory.
"""

import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigil_qemu  # noqa: E402

KERNEL_HALF = 0xffff000000000000
TRACE_PC = re.compile(r"\[[0-9a-f]+/([0-9a-f]+)/")


def symbols(image):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", image], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def trace(qemu, image, log):
    cmd = sigil_qemu.qemu_command(qemu, image, icount=True)
    cmd[cmd.index("stdio")] = "null"  # the console is not wanted, only the execution log
    subprocess.run(cmd + ["-singlestep", "-d", "exec,nochain", "-D", log], timeout=600, check=False)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Profile kernel entries of an image (see module doc).")
    ap.add_argument("image")
    ap.add_argument("function")
    ap.add_argument("--exclude", action="append", default=[],
                    help="ignore entries that pass through this function")
    ap.add_argument("--qemu", default=os.environ.get("SIGIL_QEMU", "qemu-system-aarch64"))
    args = ap.parse_args(argv)
    syms = symbols(args.image)
    addrs = [a for a, _ in syms]

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "exec.log")
        trace(args.qemu, args.image, log)
        with open(log, encoding="utf-8", errors="replace") as f:
            pcs = [int(m.group(1), 16) for m in map(TRACE_PC.search, f) if m]
    entries, i = [], 0
    while i < len(pcs):
        if pcs[i] >= KERNEL_HALF:
            j = i
            while j < len(pcs) and pcs[j] >= KERNEL_HALF:
                j += 1
            entries.append(pcs[i:j])
            i = j
        else:
            i += 1
    chosen = [e for e in entries if args.function in {name(pc) for pc in e}
              and not set(args.exclude) & {name(pc) for pc in e}]
    if len(chosen) < 2:
        print(f"sigil-profile: fewer than two kernel entries pass through {args.function}",
              file=sys.stderr)
        return 1
    entry = chosen[-2]  # the last one may be cut short by power-off
    print(f"{len(chosen)} entries through {args.function}; the last complete one: "
          f"{len(entry)} instructions")
    for func, count in collections.Counter(name(pc) for pc in entry).most_common():
        print(f"  {count:6}  {func}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
