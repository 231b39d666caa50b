#!/usr/bin/env python3
"""QEMU, as Sigil runs it, opens no file of the optional firmware and option-ROM packages.

QEMU's `virt` machine adds a network card by default whose option ROM (`efi-virtio.rom`) comes
from `ipxe-qemu`, a package `apt-get install --no-install-recommends qemu-system-arm` does not
bring; firmware images come from `qemu-efi-aarch64`, `qemu-efi-arm` and `seabios`. Sigil's QEMU
command lines start from `-nodefaults` so none of them is needed. This test runs every kind of
QEMU command Sigil uses (a boot as `./sigil run` and the QEMU tests do, one under `-icount` as
the benchmarks do, one without EL2, one waiting for gdb and the device-tree dump of the host
tests) under `strace` and fails if QEMU opened, or so much as looked for, a file

  - of one of those packages, when it is installed (its `dpkg -L` list), or
  - under a directory where such files live (QEMU's data directory /usr/share/qemu, /usr/lib/ipxe,
    /usr/share/qemu-efi*, /usr/share/AAVMF, /usr/share/seabios), installed or not.

usage: no_optional_files.py BUILD_DIR QEMU
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import sigil_qemu  # noqa: E402

PACKAGES = ("ipxe-qemu", "qemu-efi-aarch64", "qemu-efi-arm", "seabios")
FORBIDDEN_DIRS = ("/usr/share/qemu/", "/usr/lib/ipxe/", "/usr/share/qemu-efi", "/usr/share/AAVMF",
                  "/usr/share/seabios")
PATH_IN_CALL = re.compile(r'^\d+\s+\w+\((?:AT_FDCWD|-?\d+)?,?\s*"([^"]+)"')


def package_files():
    """Files of the optional packages that are installed here (none on a lean machine)."""
    files = set()
    for pkg in PACKAGES:
        out = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True)
        if out.returncode == 0:
            files |= {line for line in out.stdout.splitlines() if os.path.isfile(line)}
    return files


def traced_paths(cmd, log, timeout):
    """Run cmd under strace; every path a file system call of any process named."""
    full = ["strace", "-f", "-qq", "-e", "trace=%file", "-o", log] + cmd
    proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        # The gdb-waiting run never ends by itself: what it opened is in the log. End the whole
        # session (strace, the runner and QEMU), not strace alone, which would leave QEMU running.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    paths = set()
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = PATH_IN_CALL.match(line)
            if m:
                paths.add(os.path.normpath(m.group(1)))
    return paths


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    build, qemu = argv[1], argv[2]
    for tool in ("strace", "dpkg", qemu):
        if shutil.which(tool) is None:
            print(f"no_optional_files: {tool} is missing (./sigil setup installs it)",
                  file=sys.stderr)
            return 1
    image = os.path.join(build, "target", "images", "hello.elf")
    runner = [sys.executable, os.path.join(os.path.dirname(sigil_qemu.__file__), "sigil_qemu.py"),
              image, "--quiet", "--timeout", "60", "--qemu", qemu]
    with tempfile.TemporaryDirectory() as tmp:
        dtb = os.path.join(tmp, "virt.dtb")
        runs = {
            "boot": (runner, 90),
            "boot under -icount": (runner + ["--icount"], 90),
            "boot without EL2": (runner + ["--no-virt"], 90),
            "boot waiting for gdb": (runner + ["--gdb"], 5),
            "device-tree dump": ([qemu, "-nodefaults", "-machine",
                                  f"virt,gic-version=2,virtualization=on,dumpdtb={dtb}",
                                  "-cpu", "cortex-a57", "-m", "1G", "-display", "none"], 60),
        }
        owned = package_files()
        bad = []
        for what, (cmd, timeout) in runs.items():
            paths = traced_paths(cmd, os.path.join(tmp, "strace.log"), timeout)
            if not any(p.endswith(os.path.basename(qemu)) for p in paths):
                bad.append(f"{what}: strace saw no exec of {qemu}: the trace is not working")
            for p in sorted(paths):
                if p in owned or any(p.startswith(d) for d in FORBIDDEN_DIRS):
                    bad.append(f"{what}: QEMU opened or looked for {p}")
    for b in bad:
        print(f"no_optional_files: {b}", file=sys.stderr)
    if bad:
        return 1
    print(f"no_optional_files: {len(runs)} kinds of QEMU run opened no file of "
          f"{', '.join(PACKAGES)} ({len(owned)} such files installed here)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
