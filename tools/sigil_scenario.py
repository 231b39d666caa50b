#!/usr/bin/env python3
"""Entry point of `./sigil scenario` (tools/scenario/cli.py; docs/scenarios.md)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
