#!/usr/bin/env python3
"""Error reasons exist in debug kernels and nowhere in release kernels.

Every error site in the kernel names its reason as a string literal in SYSERR(...),
SYSERR_LOOKUP(...) or a file's local shorthand for them (err, missing, bad_extra_cap; see
kernel/src/api/syserr.h). This test collects those literals from the kernel sources and checks
that there are exactly COUNT of them, that each one is in DEBUG_IMAGE (a debug kernel: this also
proves the collection finds real strings), that none is in RELEASE_IMAGE (a benchmark image,
whose release kernel must compile the reasons out), and the same for the console line's format.

usage: release_has_no_reasons.py SOURCE_DIR DEBUG_IMAGE RELEASE_IMAGE COUNT
"""

import os
import re
import sys

MAKERS = re.compile(r"\b(SYSERR|SYSERR_LOOKUP|err|missing|bad_extra_cap)\s*\(")
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
REPORT_FORMAT = b"sigil: error to thread '"
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def without_comments(text):
    """`text` with its comments blanked out, line numbers kept."""
    return COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def call_text(text, start):
    """The argument text of the call whose '(' is at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise ValueError("unbalanced parentheses")


def reasons(source_dir):
    """(file:line, literal) of every reason literal in the kernel sources."""
    found = []
    root = os.path.join(source_dir, "kernel", "src")
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                text = without_comments(f.read())
            for m in MAKERS.finditer(text):
                args = call_text(text, m.end() - 1)
                line = text.count("\n", 0, m.start()) + 1
                for lit in LITERAL.findall(args):
                    found.append((f"{os.path.relpath(path, source_dir)}:{line}", lit))
    return found


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    source_dir, debug_image, release_image, count = argv[1], argv[2], argv[3], int(argv[4])
    images = {}
    for path in (debug_image, release_image):
        if not os.path.isfile(path):
            print(f"release_has_no_reasons: no such image: {path}", file=sys.stderr)
            return 1
        with open(path, "rb") as f:
            images[path] = f.read()
    found = reasons(source_dir)
    failures = []
    if len(found) != count:
        failures.append(f"{len(found)} reason literals in kernel/src, expected {count}")
    for where, lit in found + [("console format", REPORT_FORMAT.decode())]:
        data = lit.encode()
        if data not in images[debug_image]:
            failures.append(f"{where}: {lit!r} is not in the debug image {debug_image}")
        if data in images[release_image]:
            failures.append(f"{where}: {lit!r} is in the release image {release_image}")
    for f in failures:
        print(f"release_has_no_reasons: {f}", file=sys.stderr)
    if not failures:
        print(f"release_has_no_reasons: {len(found)} reasons in {os.path.basename(debug_image)}, "
              f"none in {os.path.basename(release_image)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
