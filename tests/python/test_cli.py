"""The command line as `./sigil spec` runs it (`python3 -m capdl`)."""

import json
import subprocess
import sys

import pytest

from capdl.cdl import parse_cdl_file, parse_cdl
from capdl.cli import main
from conftest import FIXTURES, REPO

HELLO = FIXTURES / "cdl" / "roundtrip" / "hello.cdl"
SYSTEM = FIXTURES / "yaml" / "system.yaml"


def test_help_reads_as_sigil_spec(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ./sigil spec [-h] SUBCOMMAND ...")
    for command in ("check", "graph", "import", "export"):
        assert command in out


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "capdl", "graph", "--help"], capture_output=True,
                          text=True, env={"PYTHONPATH": str(REPO / "tools")}, check=False)
    assert proc.returncode == 0 and "usage: ./sigil spec graph" in proc.stdout


def test_import_then_export_through_files(tmp_path, capsys):
    out_yaml, out_cdl = tmp_path / "hello.yaml", tmp_path / "hello.cdl"
    assert main(["import", str(HELLO), "-o", str(out_yaml)]) == 0
    assert out_yaml.read_text().startswith("# Imported from hello.cdl")
    assert main(["export", str(out_yaml), "-o", str(out_cdl)]) == 0
    assert parse_cdl_file(str(out_cdl)).same_as(parse_cdl_file(str(HELLO)))
    assert capsys.readouterr().err == ""


def test_import_errors_exit_1_with_location(capsys):
    bad = FIXTURES / "cdl" / "errors" / "object_vcpu.cdl"
    assert main(["import", str(bad)]) == 1
    assert capsys.readouterr().err == f"{bad}:3: guest: 'vcpu' objects have no Sigil equivalent\n"


def test_warnings_and_strict(specc, capsys):
    warn = FIXTURES / "cdl" / "warnings" / "frame_execute_in_cnode.cdl"
    lost = [f"{warn}:7: cn[1]: WORD: the execute right (X) of a frame cap in a CNode is not "
            f"imported (Sigil sets executability on the mapping)",
            f"{warn}:7: cn[1]: WORD: 'uncached' on a frame cap in a CNode is not imported "
            f"(cacheability is a property of the mapping)"]
    assert main(["import", str(warn)]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line.replace("WORD", "warning") for line in lost]
    assert "version: 1" in captured.out
    assert main(["import", "--strict", str(warn)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [line.replace("WORD", "error") for line in lost]
    assert captured.out == ""


def test_import_reports_compiler_errors_at_cdl_lines(specc, capsys):
    # an orphan page table: the compiler's message, moved from the generated YAML to the .cdl
    cdl = FIXTURES / "cdl" / "warnings" / "frame_mapping_hint.cdl"
    assert main(["import", str(cdl)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[1:] == [
        f"{cdl}:5: objects.p: page table 'p' is not mapped in any VSpace", f"{cdl}: 1 error"]
    assert captured.out == ""


def test_graph_formats(tmp_path, capsys):
    assert main(["graph", str(SYSTEM)]) == 0
    assert "app:\n  reaches:" in capsys.readouterr().out
    assert main(["graph", str(SYSTEM), "--format", "json", "-o", str(tmp_path / "g.json")]) == 0
    data = json.loads((tmp_path / "g.json").read_text())
    assert data["principals"]["app"]["smc"] == {"any": False, "ids": [0x84000000], "policy": [0x84000000]}
    assert main(["graph", str(HELLO), "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph authority {")


def test_missing_file_exits_2(capsys):
    assert main(["graph", "no-such-file.yaml"]) == 2
    assert "no-such-file.yaml" in capsys.readouterr().err


def test_reading_errors_exit_1(capsys):
    bad = FIXTURES / "yaml" / "errors" / "unknown_key.yaml"
    assert main(["graph", str(bad)]) == 1
    assert capsys.readouterr().err == f"{bad}:3: objects[0]: unknown key 'colour'\n"


def test_check_uses_the_compiler(specc, capsys):
    assert main(["check", str(SYSTEM)]) == 0
    capsys.readouterr()
    bad = FIXTURES / "yaml" / "errors" / "missing_key.yaml"
    assert main(["check", str(bad)]) == 1
    assert capsys.readouterr().err == \
        f"{bad}:3: objects[0]: missing required key 'type'\n{bad}: 1 error\n"


def test_check_without_compiler_exits_2(tmp_path, monkeypatch, capsys):
    from capdl import compiler
    monkeypatch.delenv("SIGIL_SPECC", raising=False)
    monkeypatch.setenv("SIGIL_BUILD_DIR", str(tmp_path))
    monkeypatch.setattr(compiler, "REPO_ROOT", tmp_path)
    assert main(["check", str(SYSTEM)]) == 2
    assert "sigil-specc is not built" in capsys.readouterr().err


def test_export_of_a_program_spec_expands_it(specc, tmp_path, capsys):
    from test_compiler import build_system
    path = build_system(tmp_path)
    assert main(["export", str(path), "-o", str(tmp_path / "out.cdl")]) == 0
    model = parse_cdl((tmp_path / "out.cdl").read_text(), "out.cdl")
    assert ("client_tcb", None) in model.objects
    # the program's image frames name the ELF file; 'data' fills (the spec's own and the
    # component records after IPC buffers) name out.data, which holds their bytes
    images = [o for (name, _), o in model.objects.items() if name.startswith("client_image_")]
    assert images and all(b.items[2:4] == ("CDL_FrameFill_FileData", "server.elf")
                          for o in images for b in o.params.get("fill", []))
    data = (tmp_path / "out.data").read_bytes()
    fills = [b.items for o in model.objects.values() for b in o.params.get("fill", [])
             if b.items[3] == "out.data"]
    assert fills and all(len(data) >= offset + length for _, length, _, _, offset in fills)
    assert any(data[offset:offset + 8] == b"COMPINFO" for _, _, _, _, offset in fills)
    assert [line.split(": ", 1)[1] for line in capsys.readouterr().err.splitlines()] == [
        "components.rm: warning: 'resource_manager' is not exported: the component has no thread "
        "for the note to name"]


def test_export_of_an_expanded_spec_reports_lines_of_the_written_file(specc, capsys):
    path = FIXTURES / "yaml" / "system.yaml"
    assert main(["export", str(path)]) == 1
    # tls is not in capDL: the error names the TCB's own line, not a line of the compiler's dump
    assert f"{path}:65: app.tcb: 'tls' has no capDL equivalent" in capsys.readouterr().err.splitlines()


def test_export_of_a_spec_the_compiler_rejects_exits_1(specc, tmp_path, capsys):
    from elfgen import PF_R, PF_X, write_elf
    write_elf(tmp_path / "p.elf", [(0x400000, PF_R | PF_X, b"\x00" * 16, 16)], 0x400000)
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncomponents:\n  - name: c\n    program: {elf: p.elf}\n")
    assert main(["export", str(bad)]) == 1
    assert f"{bad}:4: components.c.program: program needs a cspace" in capsys.readouterr().err.splitlines()
