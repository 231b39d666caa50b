"""One validator (validate.py): graph, export and import check with the compiler's rules, by
running it, and report against the file the user wrote — a .cdl file's own lines for what the
importer made."""

import pytest

from capdl.cli import main
from conftest import expectations, fixture_files, ids

CDL = fixture_files("cdl/compiler", ".cdl")


@pytest.mark.parametrize("path", CDL, ids=ids(CDL))
@pytest.mark.parametrize("command", ["import", "graph"])
def test_cdl_errors_at_cdl_lines(specc, path, command, capsys):
    want = [f"{path}:{e}" for e in expectations(path, "-- expect:")]
    assert main([command, str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == want + [f"{path}: {len(want)} errors"]
    assert captured.out == ""


@pytest.mark.parametrize("command", ["graph", "export"])
def test_yaml_the_compiler_rejects(specc, tmp_path, command, capsys):
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\nobjects:\n  - {name: c, type: CNode, bits: 40}\n"
                    "  - {name: e, type: Endpoint}\n")
    assert main([command, str(spec)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"{spec}:3: objects.c: CNode bits 40 outside 1..28\n{spec}: 1 error\n"
    assert captured.out == ""
