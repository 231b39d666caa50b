#!/usr/bin/env python3
"""Run the spec compiler on every fixture and compare its messages with the fixture's claims.

Each fixture in tests/spec/fixtures/ breaks one validation rule and says which messages it
must produce, one `# expect: LINE: PATH: MESSAGE` comment per message (LINE and PATH as the
compiler prints them after `FILE:`). The compiler must exit with status 1 and print exactly
the expected messages, no more, no fewer: a fixture that triggers an unrelated error is a
broken fixture. Programs name `prog.elf` (or `high.elf`, whose text segment crosses the top of user space),
which this runner generates next to the fixture.

Usage: run_fixtures.py SIGIL_SPECC FIXTURE_DIR
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import make_elf


def expectations(text):
    prefix = "# expect: "
    return [line[len(prefix):] for line in text.splitlines() if line.startswith(prefix)]


def run_one(specc, fixture, workdir):
    name = fixture.name
    shutil.copy(fixture, workdir / name)
    result = subprocess.run(
        [specc, "--check", name], cwd=workdir, capture_output=True, text=True, timeout=60
    )
    # "LINE: PATH: MESSAGE", or just "MESSAGE" for messages without a line
    want = [f"{name}:{e}" if re.match(r"\d+: ", e) else f"{name}: {e}"
            for e in expectations(fixture.read_text(encoding="utf-8"))]
    summary = re.compile(re.escape(name) + r": \d+ errors?$")
    got = [l for l in result.stderr.splitlines() if not summary.match(l)]
    problems = []
    if not want:
        problems.append("fixture has no '# expect:' line")
    if result.returncode != 1:
        problems.append(f"exit status {result.returncode}, expected 1")
    if sorted(got) != sorted(want):
        problems.append("messages differ:\n  want: " + "\n        ".join(want) +
                        "\n  got:  " + "\n        ".join(got))
    return problems


# Command-line cases: (arguments, expected exit status, expected stderr line).
CLI_CASES = [
    (["--check", "no-such-spec.yaml"], 1,
     "no-such-spec.yaml: cannot open 'no-such-spec.yaml': No such file or directory"),
    (["--check"], 2, "usage: sigil-specc [--check] [-o OUT.bin] [--reserve BYTES] SPEC.yaml"),
    (["--dump", "not-elf.yaml"], 1,
     "not-elf.yaml: not a valid binary spec: bad header (record 0)"),
    (["--reserve", "2G", "--check", "empty.yaml"], 1,
     "empty.yaml: reserve 0x80000000 exceeds the RAM size 0x40000000"),
]


def run_cli_cases(specc, workdir):
    failed = 0
    (workdir / "empty.yaml").write_text("version: 1\n")
    for args, status, line in CLI_CASES:
        r = subprocess.run([specc] + args, cwd=workdir, capture_output=True, text=True, timeout=60)
        if r.returncode != status or line not in r.stderr.splitlines():
            failed += 1
            print(f"FAIL sigil-specc {' '.join(args)}: status {r.returncode}, stderr:\n{r.stderr}")
    return failed


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    specc, fixtures = os.path.abspath(argv[0]), pathlib.Path(argv[1])
    failed = 0
    files = sorted(fixtures.glob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        (work / "prog.elf").write_bytes(make_elf.build())
        (work / "high.elf").write_bytes(make_elf.build(text_vaddr=0x7FFF_FFFF_F000))
        (work / "not-elf.yaml").write_text("version: 1\n")
        for fixture in files:
            problems = run_one(specc, fixture, work)
            if problems:
                failed += 1
                print(f"FAIL {fixture.name}: " + "\n".join(problems))
        failed += run_cli_cases(specc, work)
    print(f"{len(files) - failed}/{len(files)} fixtures pass, {len(CLI_CASES)} command-line cases")
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
