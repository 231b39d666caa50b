#!/usr/bin/env python3
"""Print the validation-rule tables of docs/spec-format.md from the fixtures.

Each fixture in tests/spec/fixtures/ is one rule; its `# expect:` lines are the messages. The
doc's tables are this script's output (paste it under "## Validation rules" after a change);
run_fixtures.py checks that every fixture and message appears in the doc.
Usage: doc_rules.py FIXTURE_DIR
"""

import pathlib
import re
import sys

GROUPS = [
    (("read-", "number-", "bool-", "type-", "right-"), "Reading the file"),
    (("name-", "ref-"), "Names and references"),
    (("obj-", "irq-", "singleton-", "fill-"), "Objects"),
    (("cap-", "manager-"), "Caps in CNode slots (l4v sys-init conditions and Sigil's)"),
    (("tcb-",), "Threads"),
    (("vs-",), "Address spaces"),
    (("prog-",), "Programs and regions"),
    (("policy-",), "Policy"),
    (("place-",), "Placement (simulated boot)"),
]


def messages(path):
    """The messages a fixture expects, without their line numbers."""
    return [re.sub(r"^\d+: ", "", line[len("# expect: "):])
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# expect: ")]


def tables(fixtures):
    rows = {title: [] for _, title in GROUPS}
    for path in sorted(pathlib.Path(fixtures).glob("*.yaml")):
        title = next(t for prefixes, t in GROUPS if path.name.startswith(prefixes))
        rows[title].append((path.stem, messages(path)))
    out = []
    for _, title in GROUPS:
        out += [f"### {title}", "| fixture | message(s) after `FILE:LINE: ` |", "|---|---|"]
        for stem, msgs in rows[title]:
            shown = msgs if len(msgs) <= 3 else msgs[:1] + ["…"] + msgs[-1:]
            cells = ["…" if m == "…" else "`" + m.replace("|", "\\|") + "`" for m in shown]
            out.append(f"| `{stem}` | {'<br>'.join(cells)} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    print(tables(sys.argv[1]))
