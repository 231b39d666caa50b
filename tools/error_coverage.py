#!/usr/bin/env python3
"""The error coverage table: every documented error of every invocation, and the tests that
check it.

The ABI description (kernel/abi/sigil.yaml) lists, for each invocation, the errors it can
answer (`errors:`). This tool reads the kernel's tests and finds, for each check that expects
an error, which invocation it makes:

- a check is `KTEST_EQ(id, got, want)` (the QEMU tests, tests/qemu/lib/ktest.h) or
  `EXPECT(name, code, call, ...)` (the host tests, tests/core/fixture.h); it expects an error
  when `want` / `code` is `Sigil_<Error>`;
- the invocation is named in the call text by its stub (`sigil_frame_map`), its label
  (`Sigil_Frame_Map`) or the kernel's short label (`INV_CNODE_MINT`, kernel/src/api/labels.h),
  directly or through a macro or function of the same file (followed two levels deep);
- a check inside a loop over a table of cases (its id is `cases[i].id`) covers what each row
  of the function's table names: `{"VS-TRUNC-001 ...", Sigil_Frame_Map, ...}` (and the error
  of each row, `Sigil_<Error>`, when the check's expected value comes from the table);
- a check whose call names no invocation, or more than one, can say which it covers in a
  comment right before it: `/* covers: Frame.Map TruncatedMessage */`. The tool verifies
  that the check expects that error, so a comment cannot claim what the check does not test.

It writes docs/kernel/error-coverage.md (invocation × error → test ids) and, with --check,
fails when the file is stale, when a documented error has no test, or when a test expects an
error its invocation does not document (then the documentation is wrong).

usage: error_coverage.py [--root DIR] [--check] [--list-unresolved]
                         [--abi FILE] [--labels FILE] [--tests DIR ...] [--docs FILE]
(the last four default to the tree's own files; the tests point them at small fixtures)
"""
import argparse
import os
import re
import sys

import yaml

from abigen import snake  # the stubs' names, as the generator spells them

ABI = "kernel/abi/sigil.yaml"
OUT = "docs/kernel/error-coverage.md"
LABELS_H = "kernel/src/api/labels.h"
# The kernel's tests: the host tests of the core and the TCB, and the QEMU test programs.
TEST_DIRS = ["tests/core", "tests/tcb", "tests/qemu/programs"]
COVERS_RE = re.compile(r"/\*\s*covers:\s*(.*?)\*/", re.S)
CHECK_RE = re.compile(r"\b(KTEST_EQ|EXPECT)\s*\(")
IDENT_RE = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


class Error(Exception):
    """A located problem in a test file or the ABI description."""


def load_abi(abi, labels):
    """(documented, names, errors): documented maps "Obj.Meth" to its error list, names maps
    every spelling of an invocation (stub, label, kernel short label) to "Obj.Meth"."""
    with open(abi, encoding="utf-8") as f:
        desc = yaml.safe_load(f)
    errors = set(desc["errors"])
    documented, names = {}, {}
    for obj, meths in desc["invocations"].items():
        for meth, spec in meths.items():
            inv = f"{obj}.{meth}"
            listed = spec.get("errors")
            if not isinstance(listed, list) or not listed:
                raise Error(f"{ABI}: invocation {inv}: no `errors:` list")
            for e in listed:
                if e not in errors or e == "NoError":
                    raise Error(f"{ABI}: invocation {inv}: `{e}` is not an error name")
            if len(set(listed)) != len(listed):
                raise Error(f"{ABI}: invocation {inv}: an error is listed twice")
            documented[inv] = listed
            names[f"sigil_{snake(obj)}_{snake(meth)}"] = inv
            names[f"Sigil_{obj}_{meth}"] = inv
    with open(labels, encoding="utf-8") as f:
        for m in re.finditer(r"\b(INV_[A-Z0-9_]+)\s*=\s*(Sigil_[A-Za-z]+_[A-Za-z]+)", f.read()):
            if m.group(2) in names:
                names[m.group(1)] = names[m.group(2)]
    return documented, names, errors


def balanced(text, start):
    """Index just past the parenthesis that closes the one before `start`, skipping strings,
    character literals and comments; -1 if it never closes."""
    depth, i, n = 1, start, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def split_args(body):
    """The top-level comma-separated arguments of a call's text (without its parentheses)."""
    args, depth, cur, i = [], 0, [], 0
    while i < len(body):
        c = body[i]
        if c in "\"'":
            j = i + 1
            while j < len(body) and body[j] != c:
                j += 2 if body[j] == "\\" else 1
            cur.append(body[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    args.append("".join(cur).strip())
    return args


def definitions(text):
    """Macro and function bodies of a file by name: what a check's call may go through."""
    defs = {}
    for m in re.finditer(r"^#define\s+([A-Za-z_]\w*)(\([^)]*\))?((?:.*\\\n)*.*)$", text, re.M):
        defs[m.group(1)] = m.group(3)
    for m in re.finditer(r"^[A-Za-z_][\w \*]*?\b([A-Za-z_]\w*)\s*\(([^;{]*?)\)\s*\{", text, re.M):
        end = balanced_brace(text, m.end())
        defs.setdefault(m.group(1), text[m.end():end])
    return defs


def balanced_brace(text, start):
    depth, i = 1, start
    while i < len(text) and depth:
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
        i += 1
    return i


def invocations_in(text, names, defs, depth=2, seen=None):
    """The invocations a piece of call text makes, following the file's macros and functions."""
    seen = set() if seen is None else seen
    found = set()
    for ident in IDENT_RE.findall(text):
        if ident in names:
            found.add(names[ident])
        elif depth > 0 and ident in defs and ident not in seen:
            seen.add(ident)
            found |= invocations_in(defs[ident], names, defs, depth - 1, seen)
    return found


def table_rows(text, pos, names, defs, errors, error):
    """For a check whose id is not a literal (a loop over a table of cases): the cases of the
    enclosing function's table, `{"ID ...", ...}`, as (invocation, error, id). Each row names
    exactly one invocation and, unless the check expects one error for all (`error`), exactly
    one error; [] if there is no such table."""
    start = max(text.rfind("\n{", 0, pos), 0)
    rows = []
    for r in re.finditer(r'\{\s*"([^"]+)"\s*,([^{}]*)\}', text[start:pos]):
        invs = invocations_in(r.group(2), names, defs)
        errs = {e for e in re.findall(r"\bSigil_(\w+)", r.group(2)) if e in errors}
        row_error = error if error else (errs.pop() if len(errs) == 1 else None)
        if len(invs) != 1 or row_error is None or row_error == "NoError":
            return []
        rows.append((invs.pop(), row_error, re.sub(r"\s+", " ", r.group(1))))
    return rows


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def scan_file(path, rel, documented, names, errors):
    """(found, unresolved) of one test file: found holds (inv, error, rel, line, test_id) for
    every error check whose invocation is known; raise Error for a `covers:` comment the check
    after it does not bear out."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    defs = definitions(text)
    covers = [(m.end(), m) for m in COVERS_RE.finditer(text)]
    unresolved = []
    found = []
    for m in CHECK_RE.finditer(text):
        if text[:m.start()].rstrip().endswith("define"):
            continue
        end = balanced(text, m.end())
        if end < 0:
            raise Error(f"{rel}:{line_of(text, m.start())}: unclosed {m.group(1)}(")
        args = split_args(text[m.end():end - 1])
        if len(args) < 3:
            continue
        ident = args[0]
        if m.group(1) == "KTEST_EQ":
            call, want = args[1], args[2]
        else:
            call, want = ",".join(args[2:]), args[1]
        line = line_of(text, m.start())
        em = re.fullmatch(r"Sigil_(\w+)", want.strip())
        error = em.group(1) if em and em.group(1) in errors and em.group(1) != "NoError" else None
        test_id = re.sub(r"\s+", " ", ident.strip().strip('"'))
        claimed = [c for pos, c in covers
                   if pos <= m.start() and not text[pos:m.start()].strip()]
        if claimed:
            for part in claimed[0].group(1).split(","):
                words = part.split()
                if len(words) != 2 or words[0] not in documented:
                    raise Error(f"{rel}:{line_of(text, claimed[0].start())}: `covers:` wants"
                                f" `Object.Method Error`, got `{part.strip()}`")
                if words[1] != error:
                    raise Error(f"{rel}:{line}: the check {test_id} expects "
                                f"{error or want.strip()}, not {words[1]} as its `covers:` says")
                found.append((words[0], words[1], rel, line, test_id))
            continue
        if not ident.strip().startswith('"'):
            rows = table_rows(text, m.start(), names, defs, errors, error)
            if rows:
                found += [(inv, err, rel, line, tid) for inv, err, tid in rows]
                continue
        if not error:
            continue
        invs = invocations_in(call, names, defs)
        if len(invs) == 1:
            found.append((invs.pop(), error, rel, line, test_id))
        else:
            unresolved.append((rel, line, test_id, error, sorted(invs)))
    return found, unresolved


def scan(root, dirs, documented, names, errors):
    found, unresolved = [], []
    for d in dirs:
        for name in sorted(os.listdir(os.path.join(root, d))):
            if name.endswith(".c"):
                rel = os.path.relpath(os.path.join(root, d, name), root)
                f, u = scan_file(os.path.join(root, rel), rel, documented, names, errors)
                found += f
                unresolved += u
    return found, unresolved


def render(documented, found):
    by_pair = {}
    for inv, err, rel, line, test_id in found:
        by_pair.setdefault((inv, err), []).append((rel, test_id))
    out = ["<!-- Generated by tools/error_coverage.py from kernel/abi/sigil.yaml (`errors:` of",
           "     each invocation) and the kernel's tests. Do not edit: the test",
           "     abi.error_coverage checks that it is up to date and complete. -->",
           "# Error coverage",
           "",
           "Every error each invocation documents (the `errors:` of its entry in",
           "`kernel/abi/sigil.yaml`, also shown in [api-reference.md](api-reference.md)), and the",
           "checks that provoke it. A test id is the name of one check: `KTEST_EQ` in the QEMU",
           "test programs, `EXPECT` in the host tests, which also verify that the error changed",
           "nothing. The test `abi.error_coverage` fails when an error has no check here, or a",
           "check expects an error its invocation does not document.",
           ""]
    missing = 0
    for obj in dict.fromkeys(inv.split(".")[0] for inv in documented):
        out += [f"## {obj}", "", "| invocation | error | checks |", "|---|---|---|"]
        for inv, errs in documented.items():
            if inv.split(".")[0] != obj:
                continue
            for err in errs:
                tests = by_pair.get((inv, err), [])
                if not tests:
                    missing += 1
                cell = "; ".join(f"`{rel.split('/')[-1]}`: {tid}" for rel, tid in
                                 sorted(set(tests))) or "**none**"
                out.append(f"| {inv.split('.')[1]} | {err} | {cell} |")
        out.append("")
    return "\n".join(out), missing


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--check", action="store_true",
                    help="fail if the table is stale or incomplete (the test abi.error_coverage)")
    ap.add_argument("--list-unresolved", action="store_true",
                    help="list error checks whose invocation could not be told")
    ap.add_argument("--abi", help=f"the ABI description (default: {ABI})")
    ap.add_argument("--labels", help=f"the kernel's short labels (default: {LABELS_H})")
    ap.add_argument("--tests", nargs="+", help="folders of test programs, under the root")
    ap.add_argument("--docs", help=f"the table to write or check (default: {OUT})")
    args = ap.parse_args(argv)
    abi = args.abi or os.path.join(args.root, ABI)
    labels = args.labels or os.path.join(args.root, LABELS_H)
    try:
        documented, names, errors = load_abi(abi, labels)
        found, unresolved = scan(args.root, args.tests or TEST_DIRS, documented, names, errors)
    except (Error, OSError, yaml.YAMLError) as e:
        print(f"error_coverage: {e}", file=sys.stderr)
        return 1
    if args.list_unresolved:
        for rel, line, tid, err, invs in unresolved:
            print(f"{rel}:{line}: {tid}: {err}: {', '.join(invs) or 'no invocation named'}")
    problems = []
    for inv, err, rel, line, tid in found:
        if err not in documented[inv]:
            problems.append(f"{rel}:{line}: the check {tid} expects {err} from {inv}, which "
                            f"does not document it ({os.path.basename(abi)})")
    text, missing = render(documented, found)
    for inv, errs in documented.items():
        for err in errs:
            if not any(f[0] == inv and f[1] == err for f in found):
                problems.append(f"{os.path.basename(abi)}: {inv} documents {err}, and no check "
                                f"provokes it")
    path = args.docs or os.path.join(args.root, OUT)
    if args.check:
        try:
            with open(path, encoding="utf-8") as f:
                if f.read() != text + "\n":
                    problems.append(f"{os.path.basename(path)} is stale: run "
                                    f"tools/error_coverage.py")
        except OSError:
            problems.append(f"{os.path.basename(path)} is missing: run tools/error_coverage.py")
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    for p in problems:
        print(f"error_coverage: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
