"""The examples of docs/spec-tools.md run as they are written: the Python (SpecBuilder) example
builds a spec the compiler accepts, and the command lines shown give the output shown."""

import os
import subprocess
import sys

from capdl.cli import main
from conftest import REPO

DOC = REPO / "docs" / "spec-tools.md"


def blocks(language: str) -> list:
    """The fenced blocks of the document whose fence names `language` ("" for none)."""
    found, current, lang = [], None, ""
    for line in DOC.read_text().splitlines():
        if line.startswith("```"):
            if current is None:
                current, lang = [], line[3:].strip()
            else:
                if lang == language:
                    found.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line)
    return found


def run_block(example: str, script, cwd):
    """Run a Python block of the document as a script in `cwd`: (returncode, stdout, stderr)."""
    script.write_text(example)
    env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
    proc = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_the_python_example_builds_a_spec_the_compiler_accepts(specc, tmp_path, capsys):
    from capdl import compiler
    build = compiler.default_search()[0].parent.parent  # the build under test
    (tmp_path / "build").symlink_to(build)
    example = next(b for b in blocks("python") if "SpecBuilder()" in b)
    status, _, err = run_block(example, tmp_path / "example.py", tmp_path)
    assert (status, err) == (0, "")
    written = tmp_path / "system.yaml"
    assert written.read_text().startswith(
        "# Made by the SpecBuilder example of docs/spec-tools.md.\nversion: 1\n")
    assert main(["check", "--strict", str(written)]) == 0
    assert capsys.readouterr().err == ""


def test_the_placement_example_prints_the_compilers_placement(specc, tmp_path):
    from capdl import compiler
    example = next(b for b in blocks("python") if "compiler.placement(" in b)
    status, out, err = run_block(example, tmp_path / "placement.py", REPO)
    assert (status, err) == (0, "")
    p = compiler.placement(str(REPO / "specs" / "echo.yaml"))
    ep = p.object("server.ep")
    ut = p.untyped_of(ep)
    assert ep.memory == "ram" and ut.paddr <= ep.paddr < ut.end
    assert out.splitlines() == [
        f"{ep.id} Endpoint 4 ram {ep.paddr:#x}",
        f"{ut.index} {ut.paddr:#x} {ut.size_bits} False {ep.offset:#x}"]


def test_the_merge_example_prints_what_it_says(tmp_path):
    example = next(b for b in blocks("python") if "capdl.merge(" in b)
    status, out, err = run_block(example, tmp_path / "merge.py", tmp_path)
    assert (status, err) == (0, "")
    assert out == example.rstrip().splitlines()[-1].lstrip("# ") + "\n"


def test_the_object_classes_example_prints_what_it_says(tmp_path):
    example = next(b for b in blocks("python") if "objects.Endpoint(" in b)
    status, out, err = run_block(example, tmp_path / "objects.py", tmp_path)
    assert (status, err) == (0, "")
    assert out == example.rstrip().splitlines()[-1].split("# ", 1)[1] + "\n"


def test_the_placement_error_is_the_one_shown(specc):
    from capdl.authoring import SpecBuilder
    from capdl.errors import CompilerErrors
    shown = next(b for b in blocks("") if "<SpecBuilder>:5" in b).strip()
    b = SpecBuilder()
    b.object("a", "Untyped", bits=29)
    b.object("b", "Untyped", bits=29)
    try:
        b.placement()
    except CompilerErrors as err:
        assert str(err).splitlines()[0] == shown
    else:
        raise AssertionError("the spec fits")


def test_the_missing_program_message_is_the_one_shown(specc, tmp_path, capsys, monkeypatch):
    shown = next(b for b in blocks("") if "not found" in b).strip()
    monkeypatch.chdir(REPO)
    assert main(["check", "specs/echo.yaml", "-L", "build/target/programs-missing"]) == 2
    got = capsys.readouterr().err.splitlines()[0]
    assert got == shown.replace("build/target/programs", "build/target/programs-missing")


def test_the_call_warning_is_the_one_shown(specc, tmp_path, capsys):
    shown = next(b for b in blocks("") if "warning: cap to endpoint" in b).strip()
    spec = tmp_path / "x.yaml"
    spec.write_text((REPO / "tests/python/fixtures/lint/call_without_grantreply.yaml").read_text())
    assert main(["check", str(spec)]) == 0
    assert capsys.readouterr().err.strip() == shown.replace("my/x.yaml", str(spec))
