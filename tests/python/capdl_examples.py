#!/usr/bin/env python3
"""Import seL4's own capDL example files: capdl_examples.py DIR (capDL-tool/ of seL4's capdl
repository, or any directory of .cdl files).

The repository does not carry those files (tests/python/test_cdl_examples.py covers their
constructs with files of our own); this runs `./sigil spec import` and `graph` on the real ones
where they are. For every .cdl file in DIR: the command ends with status 0 or 1, never with a
traceback, and every message is located (`FILE:LINE: ...`, or the closing `FILE: N errors`).
A file whose `arch` is not aarch64 gets exactly one message, the refusal of its arch, at the
arch line. example-aarch64.cdl gets exactly the refusals listed below (its constructs Sigil has
no meaning for: the file is a grammar sampler, not a system). The ctest `python_capdl_examples`
runs this when the build is configured with -DSIGIL_CAPDL_EXAMPLES=DIR; without it nothing is
claimed about the real files (docs/spec-tools.md, "seL4's example files").
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLE_AARCH64 = [
    "11: rm_ut: a 'ut' needs a size in Sigil (as in 'ut (12 bits)')",
    "12: rm_tcb: parameter 'dom' of a 'tcb' has no Sigil equivalent",
    "12: rm_tcb: 'fault_ep: 0xf' cannot be translated to a fault handler cap: slot 0 of CNode "
    "'rm_cn' is empty",
    "77: rm_cn[294]: 'sgi_signal' caps have no Sigil equivalent",
    "116: test[1][2]: non-MCS reply caps have no Sigil equivalent (use Reply objects, 'rtreply')",
    "106: cnode_booter[2]: 'sched_control' caps have no Sigil equivalent",
]


def run(command: str, path: Path, out: Path) -> tuple:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "tools"))
    args = [sys.executable, "-m", "capdl", command, str(path)]
    if command == "import":
        args += ["-o", str(out)]
    r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    return r.returncode, r.stderr.splitlines()


def check(path: Path, out: Path) -> list:
    """The problems with what the tools say about one file (empty: as expected)."""
    problems = []
    arch = re.search(r"^\s*arch\s+(\S+)", path.read_text(encoding="utf-8", errors="replace"), re.M)
    for command in ("import", "graph"):
        status, lines = run(command, path, out)
        if status not in (0, 1):
            problems.append(f"{command}: exit status {status}: {lines[-3:]}")
            continue
        located = [ln for ln in lines if ln.startswith(f"{path}:")]
        if len(located) != len(lines) or any("Traceback" in ln for ln in lines):
            problems.append(f"{command}: unlocated output: {lines[:5]}")
        body = [ln[len(f'{path}:'):] for ln in located if not re.fullmatch(rf"{re.escape(str(path))}: \d+ errors?", ln)]
        if arch and arch.group(1) != "aarch64":
            line = path.read_text(encoding="utf-8", errors="replace")[:arch.start(1)].count("\n") + 1
            want = [f"{line}: arch '{arch.group(1)}' cannot be imported (Sigil is aarch64)"]
            if status != 1 or body != want:
                problems.append(f"{command}: wanted {want}, got {body}")
        elif path.name == "example-aarch64.cdl" and (status != 1 or body != EXAMPLE_AARCH64):
            problems.append(f"{command}: wanted {EXAMPLE_AARCH64}, got {body}")
    return problems


def main() -> int:
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        print("usage: capdl_examples.py DIR (a directory of seL4 capDL example files)", file=sys.stderr)
        return 2
    files = sorted(Path(sys.argv[1]).glob("*.cdl"))
    if not files:
        print(f"capdl_examples: no .cdl files in {sys.argv[1]}", file=sys.stderr)
        return 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            problems = check(path, Path(tmp) / "out.yaml")
            failed += bool(problems)
            print(f"{'FAIL' if problems else 'ok  '} {path.name}")
            for p in problems:
                print(f"     {p}")
    print(f"capdl_examples: {len(files) - failed}/{len(files)} files as expected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
