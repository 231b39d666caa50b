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

The docs' figure tables come from these results (tools/sigil_benchdocs.py):
  --write-docs            run, then rewrite the tables in docs/ from this run's figures
  --write-docs --results FILE   rewrite them from an earlier run's results.json, without running
  --check-docs --image NAME --once   boot one image once and fail on any figure the docs show
                          differently (the `bench.figures_*` tests); --fragment DIR keeps its
                          figures for --check-docs --complete-from DIR (the `bench.docs_complete`
                          test: every benchmark has a row and every row a benchmark)
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigil_benchdocs  # noqa: E402
import sigil_qemu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_EL = 1
# Benchmarks whose BENCH figure is a count of things, not of instructions (the campaign's).
COUNT_PREFIXES = ("campaign_",)
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


def qemu_benchmarks(build, qemu, timeout, only, images_wanted=(), runs=2, progress=False):
    """Boot every bench_* image (or those named by images_wanted / matched by only) `runs`
    times; each figure is repeatable when every run gave the same value."""
    results = []
    images = sorted(glob.glob(os.path.join(build, "target", "images", "bench_*.elf")))
    if not images:
        raise RuntimeError(f"no benchmark images in {build}/target/images (build first)")
    names = [os.path.basename(i)[:-4] for i in images]
    for wanted in images_wanted:
        if wanted not in names:
            raise RuntimeError(f"no benchmark image {wanted} (built: {', '.join(names)})")
    for image, name in zip(images, names):
        if only and not any(o in name for o in only):
            continue
        if images_wanted and name not in images_wanted:
            continue
        if progress:
            print(f"sigil bench: booting {name} ({runs}x under -icount)", file=sys.stderr,
                  flush=True)
        runs_seen = [run_image(qemu, image, timeout) for _ in range(runs)]
        if not runs_seen[0]:
            raise RuntimeError(f"{name}: the image printed no BENCH line")
        for key, value in runs_seen[0].items():
            results.append({
                "name": key,
                "instructions": value,
                "image": name,
                "repeatable": all(r.get(key) == value for r in runs_seen[1:]),
            })
    return results


def host_benchmarks(build, only, progress=False):
    results = []
    for script in sorted(glob.glob(os.path.join(ROOT, "tests", "bench", "host", "*.py"))):
        name = os.path.basename(script)
        if only and not any(o in name for o in only):
            continue
        if progress:
            print(f"sigil bench: running {name} (host, wall time)", file=sys.stderr, flush=True)
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
            unit = "count" if r["name"].startswith(COUNT_PREFIXES) else "instructions"
            print(f"{r['name']:<{width}}  {r['instructions']:>14,}  {unit}{note}")
        else:
            print(f"{r['name']:<{width}}  {r['seconds']:>14.3f}  seconds")


def instruction_figures(results):
    return {r["name"]: r["instructions"] for r in results if "instructions" in r}


def report(errors, what):
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"sigil bench: {what} ({len(errors)}); `./sigil bench --write-docs` rewrites the "
              "figures from a full run", file=sys.stderr)
        return 1
    return 0


def check_main(args):
    """--check-docs: boot the named images (once each with --once) and compare with the docs;
    or, with --complete-from, compare the docs with every fragment in that folder."""
    if args.complete_from:
        figures = {}
        for path in sorted(glob.glob(os.path.join(args.complete_from, "*.json"))):
            with open(path, encoding="utf-8") as f:
                figures.update(json.load(f))
        if not figures:
            print(f"sigil bench: no figures in {args.complete_from}", file=sys.stderr)
            return 1
        errors = sigil_benchdocs.check_docs(figures, complete=True)
        if not errors:
            print(f"sigil bench: all {len(figures)} figures in the docs match the run")
        return report(errors, "figures in the docs differ from the run")
    if not args.image:
        print("sigil bench: --check-docs needs --image NAME or --complete-from DIR",
              file=sys.stderr)
        return 2
    if args.fragment:
        os.makedirs(args.fragment, exist_ok=True)
        for name in args.image:
            path = os.path.join(args.fragment, name + ".json")
            if os.path.exists(path):
                os.remove(path)
    try:
        results = qemu_benchmarks(args.build, args.qemu, args.timeout, [], args.image,
                                  runs=1 if args.once else 2)
    except (RuntimeError, OSError) as e:
        print(f"sigil bench: {e}", file=sys.stderr)
        return 1
    figures = instruction_figures(results)
    errors = sigil_benchdocs.check_docs(figures)
    errors += [f"{r['name']}: not repeatable" for r in results if not r["repeatable"]]
    for name, value in figures.items():
        print(f"{name} {value:,}")
    if args.fragment:
        for name in args.image:
            mine = {r["name"]: r["instructions"] for r in results if r["image"] == name}
            with open(os.path.join(args.fragment, name + ".json"), "w", encoding="utf-8") as f:
                json.dump(mine, f, indent=1)
    return report(errors, "figures in the docs differ from the run")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Run Sigil's benchmarks (see docs/performance.md).")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="build directory")
    ap.add_argument("--qemu", default=os.environ.get("SIGIL_QEMU", "qemu-system-aarch64"))
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--write-docs", action="store_true",
                    help="rewrite the figure tables in docs/ from this run (or from --results)")
    ap.add_argument("--results", metavar="FILE",
                    help="with --write-docs: take the figures from this results.json, no run")
    ap.add_argument("--check-docs", action="store_true",
                    help="fail when the docs show a figure other than the run's (see --image)")
    ap.add_argument("--image", action="append", default=[],
                    help="with --check-docs: the benchmark image to boot (repeatable)")
    ap.add_argument("--once", action="store_true", help="boot each image once, not twice")
    ap.add_argument("--fragment", metavar="DIR",
                    help="with --check-docs: keep the image's figures in DIR/IMAGE.json")
    ap.add_argument("--complete-from", metavar="DIR",
                    help="with --check-docs: check the docs against every figure kept in DIR")
    ap.add_argument("only", nargs="*", help="run only benchmarks whose image/script name contains one of these")
    args = ap.parse_args(argv)
    if args.check_docs:
        return check_main(args)
    if args.results:
        if not args.write_docs:
            ap.error("--results goes with --write-docs")
        try:
            with open(args.results, encoding="utf-8") as f:
                results = json.load(f)["benchmarks"]
        except (OSError, ValueError, KeyError) as e:
            print(f"sigil bench: cannot read {args.results}: {e}", file=sys.stderr)
            return 1
        return report(sigil_benchdocs.write_docs(instruction_figures(results)),
                      "problems in the docs' figure tables")
    try:
        results = qemu_benchmarks(args.build, args.qemu, args.timeout, args.only, progress=True)
        results += host_benchmarks(args.build, args.only, progress=True)
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
    if args.write_docs:
        if args.only:
            print("sigil bench: --write-docs rewrites only the figures of the benchmarks run",
                  file=sys.stderr)
        status = report(sigil_benchdocs.write_docs(instruction_figures(results)),
                        "problems in the docs' figure tables")
        if status == 0:
            print("figures written to " + " and ".join(sigil_benchdocs.DOCS))
        return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
