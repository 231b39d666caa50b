#!/usr/bin/env python3
"""YAML -> binary -> YAML round trip of every example spec.

For each spec in tests/spec/examples/: compile it, print the binary back as YAML (--dump),
check that PyYAML reads that YAML, compile it again and require the two binaries to be
byte-identical and the two dumps to be equal. Also checks that the annotated example in
docs/spec-format.md is the same text as examples/echo.yaml, so the documentation cannot rot.
Programs (`elf:`) and fill files named by an example are stood in for by generated files.

Usage: roundtrip.py SIGIL_SPECC EXAMPLES_DIR DOCS_SPEC_FORMAT_MD
"""

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import yaml

import make_elf


def referenced_files(spec):
    """The program and fill files an example names."""
    elves, blobs = set(), set()
    for comp in spec.get("components") or []:
        if comp.get("program"):
            elves.add(comp["program"]["elf"])
    objects = list(spec.get("objects") or [])
    for comp in spec.get("components") or []:
        objects += comp.get("objects") or []
    for obj in objects:
        for fill in obj.get("fill") or []:
            if "file" in fill:
                blobs.add(fill["file"])
    return elves, blobs


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}")
    return r.stdout


def round_trip(specc, example, work):
    shutil.copy(example, work / example.name)
    elves, blobs = referenced_files(yaml.safe_load(example.read_text(encoding="utf-8")))
    for name in elves:
        (work / name).write_bytes(make_elf.build())
    for name in blobs:
        (work / name).write_bytes(bytes(range(256)) * 16)
    run([specc, "-o", "a.bin", example.name], work)
    run([specc, "--dump", "a.bin", "-o", "a.yaml"], work)
    yaml.safe_load((work / "a.yaml").read_text(encoding="utf-8"))
    run([specc, "-o", "b.bin", "a.yaml"], work)
    run([specc, "--dump", "b.bin", "-o", "b.yaml"], work)
    problems = []
    if (work / "a.bin").read_bytes() != (work / "b.bin").read_bytes():
        problems.append("binary differs after YAML -> binary -> YAML -> binary")
    if (work / "a.yaml").read_text() != (work / "b.yaml").read_text():
        problems.append("dump differs after a round trip")
    return problems


def doc_example_matches(examples, doc):
    text = doc.read_text(encoding="utf-8")
    start = text.index("```yaml\nversion: 1\n\n# Objects that belong to no component")
    block = text[start + len("```yaml\n"): text.index("```", start + 8)]
    example = (examples / "echo.yaml").read_text(encoding="utf-8")
    return example.split("\n", 1)[1] == block


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    specc, examples, doc = os.path.abspath(argv[0]), pathlib.Path(argv[1]), pathlib.Path(argv[2])
    failed = 0
    files = sorted(examples.glob("*.yaml"))
    for example in files:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                problems = round_trip(specc, example, pathlib.Path(tmp))
            except RuntimeError as e:
                problems = [str(e)]
        if problems:
            failed += 1
            print(f"FAIL {example.name}: " + "; ".join(problems))
    if not doc_example_matches(examples, doc):
        failed += 1
        print("FAIL docs/spec-format.md's example differs from examples/echo.yaml")
    print(f"{len(files)} examples, {failed} failures")
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
