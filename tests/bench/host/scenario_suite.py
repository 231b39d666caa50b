#!/usr/bin/env python3
"""Host benchmark for ./sigil bench: `scenario_suite_seconds`, the wall time of running every
scenario of tests/scenarios/ and specs/scenarios/ once (`./sigil scenario`, without the build). It checks the work it
times: every scenario must pass, or the benchmark fails.

Usage: scenario_suite.py BUILD_DIR
"""

import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def main(build):
    start = time.monotonic()
    run = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "sigil_scenario.py"),
                          "--build", build], capture_output=True, text=True)
    seconds = time.monotonic() - start
    if run.returncode != 0:
        print(run.stdout + run.stderr, file=sys.stderr)
        print("scenario_suite: a scenario failed", file=sys.stderr)
        return 1
    print(f"BENCH scenario_suite_seconds {seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
