#!/usr/bin/env python3
"""Run Sigil's benchmarks and record the figures.

QEMU benchmarks: every image build/target/images/bench_*.elf is booted under
`qemu-system-aarch64 -icount shift=0`, where the cycle counter advances exactly one per
instruction; the image prints `BENCH <name> <instructions>` lines. Each image is booted twice
and the two runs must agree exactly (they are deterministic; a difference means something
measured host time).

Host benchmarks: every executable file tests/bench/host/*.py is run with the build directory as
its argument; it prints `BENCH <name> <seconds>` lines (wall time, median of its own runs).

Results go to build/bench/results.json:
  {"kernel_el": 1, "qemu": "7.2.x", "benchmarks": [{"name": ..., "instructions": N, ...}]}
and a table on stdout.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigil_qemu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_EL = 1
BENCH_FLOAT = re.compile(r"^BENCH (\S+) ([0-9.]+)\s*$")


def qemu_version(qemu):
    out = subprocess.run([qemu, "--version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"version (\S+)", out)
    return m.group(1) if m else out.strip()


def run_image(qemu, image, timeout):
    cmd = sigil_qemu.qemu_command(qemu, image, icount=True)
    outcome = sigil_qemu.run(cmd, timeout, [], echo=False)
    if not outcome.passed:
        raise RuntimeError(f"{os.path.basename(image)}: {outcome.failure}\n" +
                           "\n".join(outcome.lines[-20:]))
    return outcome.bench


def qemu_benchmarks(build, qemu, timeout, only):
    results = []
    images = sorted(glob.glob(os.path.join(build, "target", "images", "bench_*.elf")))
    if not images:
        raise RuntimeError(f"no benchmark images in {build}/target/images (build first)")
    for image in images:
        name = os.path.basename(image)[:-4]
        if only and not any(o in name for o in only):
            continue
        first = run_image(qemu, image, timeout)
        second = run_image(qemu, image, timeout)
        for key, value in first.items():
            results.append({
                "name": key,
                "instructions": value,
                "image": name,
                "repeatable": second.get(key) == value,
            })
    return results


def host_benchmarks(build, only):
    results = []
    for script in sorted(glob.glob(os.path.join(ROOT, "tests", "bench", "host", "*.py"))):
        name = os.path.basename(script)
        if only and not any(o in name for o in only):
            continue
        out = subprocess.run([sys.executable, script, build], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"{name} failed:\n{out.stdout}{out.stderr}")
        for line in out.stdout.splitlines():
            m = BENCH_FLOAT.match(line)
            if m:
                results.append({"name": m.group(1), "seconds": float(m.group(2)),
                                "script": name})
    return results


def print_table(results):
    width = max([len(r["name"]) for r in results] + [9])
    print(f"{'benchmark':<{width}}  {'value':>14}  unit")
    for r in results:
        if "instructions" in r:
            note = "" if r.get("repeatable", True) else "  (NOT repeatable)"
            print(f"{r['name']:<{width}}  {r['instructions']:>14,}  instructions{note}")
        else:
            print(f"{r['name']:<{width}}  {r['seconds']:>14.3f}  seconds")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Run Sigil's benchmarks (see docs/performance.md).")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="build directory")
    ap.add_argument("--qemu", default=os.environ.get("SIGIL_QEMU", "qemu-system-aarch64"))
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("only", nargs="*", help="run only benchmarks whose image/script name contains one of these")
    args = ap.parse_args(argv)
    try:
        results = qemu_benchmarks(args.build, args.qemu, args.timeout, args.only)
        results += host_benchmarks(args.build, args.only)
        version = qemu_version(args.qemu)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        print(f"sigil bench: {e}", file=sys.stderr)
        return 1
    out_dir = os.path.join(args.build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    doc = {"kernel_el": KERNEL_EL, "qemu": version, "benchmarks": results}
    path = os.path.join(out_dir, "results.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print_table(results)
    print(f"\nqemu {version}, kernel at EL{KERNEL_EL}, -icount shift=0; written to {path}")
    bad = [r["name"] for r in results if r.get("repeatable") is False]
    if bad:
        print(f"sigil bench: not repeatable: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
