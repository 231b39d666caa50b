"""References to files of the tree must name files that exist (part of tools/check_style.py).

A reference is a path in any text file of the tree that starts with one of the tree's top-level
folders (`docs/`, `tools/`, `kernel/`, ...). It exists if it names a file or folder of the tree,
either from the top or as the end of a longer path (`kernel/cspace.c` for
kernel/src/kernel/cspace.c, as comments and docs shorten them), or without its `.c`/`.h`/`.py`
suffix (`capdl-loader/common/alloc` for alloc.c and alloc.h). Placeholders are not references:
a path with an upper-case part (`specs/NAME.yaml`, `BUILD/gdb/IMAGE.gdb`), or ending in `_`
(a prefix: `tests/scenarios/rm_inject_`), or going up with `..`.
"""

import os
import re

SUFFIXES = ("", ".c", ".h", ".py")


def _tree(files):
    """Every file and every folder of the tree, and the set of top-level folders."""
    known = set(files)
    for f in files:
        d = os.path.dirname(f)
        while d and d not in known:
            known.add(d)
            d = os.path.dirname(d)
    tops = sorted({f.split("/")[0] for f in files if "/" in f})
    return known, tops


def _placeholder(path):
    parts = [p for p in re.split(r"[/._-]", path) if p]
    return path.endswith("_") or ".." in path.split("/") or any(p.isupper() for p in parts)


def check_refs(root, files):
    """Findings `file:line: ... names PATH, which is not in the tree`, for every text file."""
    known, tops = _tree(files)
    tails = {}
    for k in known:  # every way of shortening a path from the front
        parts = k.split("/")
        for i in range(1, len(parts)):
            tails.setdefault("/".join(parts[i:]), k)
    ref = re.compile(r"(?<![\w./~$-])((?:%s)/[\w./-]*\w)" % "|".join(map(re.escape, tops)))
    findings = []
    for f in files:
        try:
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                text = fh.read()
        except (UnicodeDecodeError, OSError):
            continue  # not text
        for number, line in enumerate(text.splitlines(), 1):
            for m in ref.finditer(line):
                path = m.group(1).rstrip(".")
                if _placeholder(path):
                    continue
                if not any(path + s in known or path + s in tails for s in SUFFIXES):
                    findings.append(f"{f}:{number}: names {path}, which is not in the tree")
    return findings
