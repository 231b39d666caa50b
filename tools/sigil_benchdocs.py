#!/usr/bin/env python3
"""The benchmark figures in the docs, written from and checked against a benchmark run.

A figure table in the docs follows a marker line:

    <!-- figures: ./sigil bench --write-docs -->

Every row of that table names one QEMU benchmark in backquotes in its first cell (text may
follow the name, e.g. "(146 objects)"); its second cell is the figure, written by this module
from the run's result with thousands separators. The other cells are prose and are kept. In any
cell, a ratio written as `1.00× \`other_benchmark\`` is recomputed as this row's figure divided by
the other benchmark's figure.

Writing (`./sigil bench --write-docs`) rewrites those cells in place; checking
(`tools/sigil_bench.py --check-docs`, run by the `bench.*` tests) reports every figure that
differs from a fresh run, with file:line. Instruction counts under `-icount shift=0` are
exact, so the comparison is exact. Host benchmarks (wall time) are not in these tables.
"""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = ("docs/performance.md", "docs/loader.md")
MARKER = "<!-- figures: ./sigil bench --write-docs -->"
ROW_NAME = re.compile(r"^`([A-Za-z0-9_]+)`")
RATIO = re.compile(r"([0-9]+\.[0-9]{2})× `([A-Za-z0-9_]+)`")


class FigureRow:
    """One row of a figure table: where it is, the benchmark it names, its cells."""

    def __init__(self, path, lineno, name, cells):
        self.path = path
        self.lineno = lineno
        self.name = name
        self.cells = cells

    @property
    def where(self):
        return f"{self.path}:{self.lineno}"


def split_row(line):
    """The cells of a markdown table row `| a | b |`, stripped; None if not a row."""
    s = line.strip()
    if not (s.startswith("|") and s.endswith("|")) or len(s) < 2:
        return None
    return [c.strip() for c in s[1:-1].split("|")]


def join_row(cells):
    return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"


def figure_rows(path, text):
    """Every figure row of one doc (path is the name used in messages). Rows of a marked table
    that name no benchmark are errors: returned as (rows, errors)."""
    rows, errors = [], []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() != MARKER:
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip() == "":
            i += 1
        header = i
        while i < len(lines) and split_row(lines[i]) is not None:
            cells = split_row(lines[i])
            if i > header + 1:  # past the header and the |---| line
                m = ROW_NAME.match(cells[0])
                if not m or len(cells) < 2:
                    errors.append(f"{path}:{i + 1}: a figure row must start with `benchmark` "
                                  "and a figure cell")
                else:
                    rows.append(FigureRow(path, i + 1, m.group(1), cells))
            i += 1
        if i == header:
            errors.append(f"{path}:{header + 1}: the figures marker is not followed by a table")
    return rows, errors


def format_figure(value):
    return f"{value:,}"


def doc_texts(root=ROOT):
    """{relative path: text} of the docs that hold figure tables."""
    texts = {}
    for rel in DOCS:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            texts[rel] = f.read()
    return texts


def expected_cells(row, figures):
    """The row's cells as a run with `figures` ({name: instructions}) would write them."""
    cells = list(row.cells)
    value = figures[row.name]
    cells[1] = format_figure(value)

    def ratio(m):
        other = figures.get(m.group(2))
        if other is None or other == 0:
            return m.group(0)
        return f"{value / other:.2f}× `{m.group(2)}`"

    cells = [cells[0], cells[1]] + [RATIO.sub(ratio, c) for c in cells[2:]]
    return cells


def rewrite(text, path, figures):
    """The doc with every figure row whose benchmark is in `figures` rewritten; rows of other
    benchmarks are kept as they are. Returns (text, errors)."""
    rows, errors = figure_rows(path, text)
    lines = text.split("\n")
    for row in rows:
        if row.name in figures:
            lines[row.lineno - 1] = join_row(expected_cells(row, figures))
    return "\n".join(lines), errors


def write_docs(figures, root=ROOT):
    """Rewrite every doc's figure rows from `figures`; returns error strings (nothing is written
    to a doc with errors). Benchmarks of the run that no doc shows are errors too."""
    errors, shown = [], set()
    for rel, text in doc_texts(root).items():
        new, errs = rewrite(text, rel, figures)
        errors += errs
        shown |= {r.name for r in figure_rows(rel, text)[0]}
        if not errs and new != text:
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(new)
    for name in sorted(set(figures) - shown):
        errors.append(f"{DOCS[0]}: benchmark {name} has no row in any figure table "
                      f"(add a row after the marker line {MARKER!r})")
    return errors


def check_docs(figures, complete=False, root=ROOT):
    """Every difference between the docs' figure rows and `figures`, as `file:line: ...` strings.
    Every benchmark in `figures` must have a row; with `complete`, every row's benchmark must be
    in `figures` too (a full run: a row of a benchmark that no longer exists is stale)."""
    errors, shown = [], set()
    for rel, text in doc_texts(root).items():
        rows, errs = figure_rows(rel, text)
        errors += errs
        for row in rows:
            shown.add(row.name)
            if row.name not in figures:
                if complete:
                    errors.append(f"{row.where}: {row.name}: no benchmark of that name ran")
                continue
            want = expected_cells(row, figures)
            if want[1] != row.cells[1]:
                errors.append(f"{row.where}: {row.name}: the doc says {row.cells[1]}, "
                              f"the run measured {want[1]}")
            elif want != row.cells:
                errors.append(f"{row.where}: {row.name}: a ratio differs: the doc says "
                              f"{join_row(row.cells)!r}, the run gives {join_row(want)!r}")
    for name in sorted(set(figures) - shown):
        errors.append(f"{DOCS[0]}: benchmark {name} has no row in any figure table")
    return errors
