#!/usr/bin/env python3
"""Check that Sigil's sources keep the project's style: C formatted as .clang-format says,
Python free of pyflakes' findings, and every path a file names in the tree really there
(tools/check_refs.py).

Every C source and header and every Python file of the tree is checked (tracked files and new
ones not ignored by .gitignore; outside a git checkout, every file under the tree but build*/),
so the check never depends on which files a change touched. Each finding is reported as
`file:line: message`; the exit status is 1 if there is any, 2 if a tool is missing.

usage: check_style.py [--root DIR] [--clang-format PROGRAM]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

from check_refs import check_refs

C_SUFFIXES = (".c", ".h")
SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".hypothesis"}
# clang-format --dry-run: "path:line:col: warning: code should be clang-formatted [...]"
CLANG_FINDING = re.compile(r"^(?P<where>[^:\n]+:\d+):\d+: (?:warning|error): (?P<what>.*)$")


def source_files(root):
    """Every file of the tree that git would commit, or every file outside build*/ without git."""
    try:
        out = subprocess.run(
            ["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            check=True, capture_output=True).stdout
        names = [n for n in out.decode().split("\0") if n]
        return sorted(n for n in names if os.path.isfile(os.path.join(root, n)))
    except (OSError, subprocess.CalledProcessError):
        pass
    names = []
    for top, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith("build")]
        names += [os.path.relpath(os.path.join(top, f), root) for f in files]
    return sorted(names)


def check_c(root, files, clang_format):
    """Findings of clang-format in dry-run mode, one per badly formatted spot."""
    findings = []
    for i in range(0, len(files), 64):
        batch = files[i:i + 64]
        proc = subprocess.run([clang_format, "--dry-run", "--style=file"] + batch, cwd=root,
                              capture_output=True, text=True)
        found = []
        for line in proc.stderr.splitlines():
            m = CLANG_FINDING.match(line)
            if m and m.group("where") not in found:
                found.append(m.group("where"))
        if proc.returncode != 0 and not found:
            findings.append(f"clang-format failed (status {proc.returncode}): {proc.stderr}")
        findings += [f"{w}: not formatted as .clang-format says (clang-format -i)" for w in found]
    return findings


def check_python(root, files):
    """pyflakes' findings (unused imports and names, undefined names, ...)."""
    proc = subprocess.run([sys.executable, "-m", "pyflakes"] + files, cwd=root,
                          capture_output=True, text=True)
    return [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--clang-format", default="clang-format")
    args = ap.parse_args(argv)

    clang_format = shutil.which(args.clang_format)
    if clang_format is None:
        print(f"check_style: {args.clang_format} is missing (./sigil setup installs it)",
              file=sys.stderr)
        return 2
    if subprocess.run([sys.executable, "-c", "import pyflakes"], capture_output=True).returncode:
        print(f"check_style: pyflakes is missing for {sys.executable} "
              "(python3-pyflakes; ./sigil setup installs it)", file=sys.stderr)
        return 2

    files = source_files(args.root)
    c_files = [f for f in files if f.endswith(C_SUFFIXES)]
    py_files = [f for f in files if f.endswith(".py")]
    if not c_files or not py_files:
        print(f"check_style: no C or no Python files under {args.root}", file=sys.stderr)
        return 2
    findings = check_c(args.root, c_files, clang_format) + check_python(args.root, py_files)
    findings += check_refs(args.root, files)
    for f in findings:
        print(f)
    print(f"check_style: {len(c_files)} C files, {len(py_files)} Python files, "
          f"{len(files)} files for references, {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
