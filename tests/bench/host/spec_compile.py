#!/usr/bin/env python3
"""Host benchmark for ./sigil bench: the spec compiler's wall time (tests/spec/bench_compile.py).

Usage: spec_compile.py BUILD_DIR
"""

import os
import runpy
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "spec",
                      "bench_compile.py")

if __name__ == "__main__":
    sys.argv = [SCRIPT] + sys.argv[1:]
    runpy.run_path(SCRIPT, run_name="__main__")
