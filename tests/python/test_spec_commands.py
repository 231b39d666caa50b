"""`./sigil spec check|graph|export` on the project's own specs: programs found in the build by
default, every missing program named; and the "Call without GrantReply" warning (lint.py) with
its exact message, from check and from graph."""

import shutil
from pathlib import Path

import pytest

from capdl.cli import main
from conftest import REPO, expectations, fixture_files, ids
from elfgen import PF_R, PF_X, write_elf

SPECS = sorted((REPO / "specs").glob("*.yaml"))
LINT = fixture_files("lint", ".yaml")
HINT = "build the programs with './sigil build' or name their directory with -L DIR"


@pytest.fixture
def built(specc):
    """The build's programs directory (ctest runs after the build made it)."""
    from capdl import compiler
    programs = compiler.default_search()[0]
    assert (programs / "echo_server.elf").is_file(), f"no programs built in {programs}"
    return programs


@pytest.mark.parametrize("spec", SPECS, ids=ids(SPECS))
def test_project_specs_check_with_the_built_programs(built, spec, capsys):
    assert main(["check", "--strict", str(spec)]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("spec", SPECS, ids=ids(SPECS))
def test_project_specs_graph_and_export(built, spec, capsys):
    assert main(["graph", "--strict", str(spec)]) == 0
    assert main(["export", str(spec)]) == 0
    assert "error" not in capsys.readouterr().err


def test_missing_programs_are_all_named(specc, tmp_path, capsys):
    spec = REPO / "specs" / "echo.yaml"
    for command in ("check", "export"):
        assert main([command, "-L", str(tmp_path), str(spec)]) == 2
        err = capsys.readouterr().err.splitlines()
        where = f"looked in {Path(spec).parent}, {tmp_path}"
        assert [line.replace(str(REPO) + "/specs", "specs") for line in err] == [
            f"specs/echo.yaml:17: components.server.program: program 'echo_server.elf' not found "
            f"({where.replace(str(REPO) + '/specs', 'specs')}); {HINT}",
            f"specs/echo.yaml:30: components.client.program: program 'echo_client.elf' not found "
            f"({where.replace(str(REPO) + '/specs', 'specs')}); {HINT}"]


def test_programs_found_in_a_named_directory(specc, tmp_path, capsys):
    progs = tmp_path / "progs"
    progs.mkdir()
    for name in ("echo_server", "echo_client"):
        write_elf(progs / f"{name}.elf", [(0x400000, PF_R | PF_X, b"\x00" * 16, 16)], 0x400000)
    spec = tmp_path / "echo.yaml"
    shutil.copy(REPO / "specs" / "echo.yaml", spec)
    assert main(["check", "-L", str(progs), str(spec)]) == 0
    assert capsys.readouterr().err == ""
    (progs / "echo_client.elf").unlink()
    assert main(["check", "-L", str(progs), str(spec)]) == 2
    assert capsys.readouterr().err == (
        f"{spec}:30: components.client.program: program 'echo_client.elf' not found (looked in "
        f"{tmp_path}, {progs}); {HINT}\n")


def _warnings(path: Path, word: str = "warning") -> str:
    return "".join(f"{path}:{e.split(': ', 1)[0]}: {e.split(': ', 1)[1].replace(': ', f': {word}: ', 1)}\n"
                   for e in expectations(path, "# expect-warning:"))


@pytest.mark.parametrize("path", LINT, ids=ids(LINT))
def test_call_without_grantreply_warning(specc, path, capsys):
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().err == _warnings(path)
    assert main(["graph", str(path)]) == 0
    assert capsys.readouterr().err == _warnings(path)
    strict = 1 if expectations(path, "# expect-warning:") else 0
    assert main(["check", "--strict", str(path)]) == strict
    assert capsys.readouterr().err == _warnings(path, "error")
