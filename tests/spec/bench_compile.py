#!/usr/bin/env python3
"""Spec compiler benchmarks: wall time to compile generated specs.

Generates specs of 1,000 and 100,000 objects with gen_spec.py and times
`sigil-specc -o OUT.bin SPEC.yaml` (YAML in, binary out, every check on), five runs each,
and prints the medians in ./sigil bench's host protocol:
  BENCH spec_compile_1k_objects_seconds <median>
  BENCH spec_compile_100k_objects_seconds <median>
Usage: bench_compile.py BUILD_DIR
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_spec  # noqa: E402
import yaml  # noqa: E402

RUNS = 5


def median_seconds(specc, spec, out):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([specc, "-o", out, spec], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    specc = os.path.join(argv[0], "bin", "sigil-specc")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with tempfile.TemporaryDirectory() as tmp:
        for label, n in (("1k", 1000), ("100k", 100000)):
            spec = os.path.join(tmp, f"spec{label}.yaml")
            with open(spec, "w", encoding="utf-8") as f:
                yaml.dump(gen_spec.generate(n), f, Dumper=dumper, sort_keys=False, width=120)
            seconds = median_seconds(specc, spec, os.path.join(tmp, f"spec{label}.bin"))
            print(f"BENCH spec_compile_{label}_objects_seconds {seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
