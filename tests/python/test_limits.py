"""No input crashes or exhausts a tool (kernel/abi/sigil.yaml `spec_limits`, capdl/limits.py):
one test per way an input could, each against the compiler and the Python tools, with the exact
message. The subprocess timeouts only keep a regression from hanging the suite."""

import os
import subprocess

import pytest

from capdl.authoring import SpecBuilder
from capdl.cdl import parse_cdl
from capdl.cli import main
from capdl.errors import SpecError
from capdl.limits import limit
from capdl.yamlio import read_spec_text
from conftest import REPO

MAX_NESTING = limit("max_nesting")
MAX_FILE = limit("max_file_bytes")
DEEP = 50_000  # 100k brackets: segfaulted `spec graph`, took the compiler 28 s


def specc_run(specc, *args):
    return subprocess.run([str(specc), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_limits_come_from_the_abi_description():
    import yaml
    data = yaml.safe_load((REPO / "kernel" / "abi" / "sigil.yaml").read_text())
    assert data["spec_limits"]["max_nesting"] == MAX_NESTING == 64


def test_deep_flow_yaml(specc, tmp_path, capsys):
    spec = tmp_path / "deep.yaml"
    spec.write_text("version: 1\nobjects: " + "[" * DEEP + "]" * DEEP + "\n")
    proc = specc_run(specc, "--check", spec)
    assert (proc.returncode, proc.stderr) == (
        1, f"{spec}:2: nesting deeper than {MAX_NESTING} levels\n{spec}: 1 error\n")
    assert main(["graph", str(spec)]) == 1
    assert capsys.readouterr().err == f"{spec}:2: nesting deeper than {MAX_NESTING} levels\n"


def test_nesting_at_the_limit_is_read(specc, tmp_path):
    # The Python tools count every collection: the document's mapping, `objects`' list and 62
    # more lists are 64 levels; the compiler counts flow collections ([ ], { }), 64 of them here.
    spec = tmp_path / "limit.yaml"
    spec.write_text("version: 1\nobjects: " + "[" * 63 + "]" * 63 + "\n")
    with pytest.raises(SpecError) as err:
        read_spec_text(spec.read_text(), str(spec))
    assert str(err.value) == f"{spec}:2: objects[0]: expected a mapping"
    spec.write_text("version: 1\nobjects: " + "[" * 64 + "]" * 64 + "\n")
    assert specc_run(specc, "--check", spec).stderr == \
        f"{spec}:2: objects[0]: expected a mapping\n{spec}: 1 error\n"
    with pytest.raises(SpecError) as err:
        read_spec_text(spec.read_text(), str(spec))
    assert str(err.value) == f"{spec}:2: nesting deeper than {MAX_NESTING} levels"
    spec.write_text("version: 1\nobjects: " + "[" * 65 + "]" * 65 + "\n")
    assert specc_run(specc, "--check", spec).stderr == \
        f"{spec}:2: nesting deeper than {MAX_NESTING} levels\n{spec}: 1 error\n"


def test_deep_block_yaml(capsys, tmp_path):
    spec = tmp_path / "block.yaml"
    spec.write_text("version: 1\nobjects:\n  - " + "- " * DEEP + "x\n")
    assert main(["graph", str(spec)]) == 1
    assert capsys.readouterr().err == f"{spec}:3: nesting deeper than {MAX_NESTING} levels\n"


def test_brackets_in_plain_scalars_and_comments_do_not_count(specc, tmp_path):
    spec = tmp_path / "scalars.yaml"
    text = "# " + "[" * 100 + "\nversion: 1\nobjects:\n  - {name: a, type: Endpoint}  # " + "{" * 100
    spec.write_text(text + "\n  - {name: b, type: Notification}\n"
                    "  - {name: c, type: Frame4K, fill: [{offset: 0, data: '" + "[" * 100 + "'}]}\n")
    proc = specc_run(specc, "--check", spec)
    assert proc.returncode == 1 and "nesting" not in proc.stderr  # the fill data is not hex


def test_deep_cdl(capsys, tmp_path):
    cdl = tmp_path / "deep.cdl"
    cdl.write_text("arch aarch64\nobjects {\n  a = tcb (init: " + "[" * DEEP + "]" * DEEP + ")\n}\n")
    assert main(["import", str(cdl)]) == 1
    assert capsys.readouterr().err == f"{cdl}:3: nesting deeper than {MAX_NESTING} levels\n"
    nested = "".join(f"u{i} = ut (12 bits) {{\n" for i in range(200)) + "}" * 200
    with pytest.raises(SpecError) as err:
        parse_cdl("arch aarch64\nobjects {\n" + nested + "\n}\n", "u.cdl")
    assert str(err.value) == f"u.cdl:{2 + MAX_NESTING + 1}: nesting deeper than {MAX_NESTING} levels"


def test_huge_cdl_array(capsys, tmp_path):
    cdl = tmp_path / "many.cdl"
    cdl.write_text("arch aarch64\nobjects {\n  few[10] = ep\n  many[100000000] = ep\n}\n")
    assert main(["import", str(cdl)]) == 1
    assert capsys.readouterr().err == (
        f"{cdl}:4: more than {limit('max_objects')} objects are declared ('many[100000000]')\n")


def program_spec(tmp_path, elf: str):
    spec = tmp_path / "p.yaml"
    spec.write_text(f"version: 1\ncomponents:\n  - name: c\n    cspace: {{bits: 2}}\n"
                    f"    program: {{elf: {elf}}}\n")
    return spec


def test_device_as_program(specc, tmp_path):
    spec = program_spec(tmp_path, "/dev/zero")
    proc = specc_run(specc, "--check", spec)
    assert proc.stderr == (f"{spec}:5: components.c.program: cannot open '/dev/zero': not a "
                           f"regular file\n{spec}: 1 error\n")
    with pytest.raises(SpecError, match="^/dev/zero: cannot open '/dev/zero': not a regular file$"):
        SpecBuilder().component("c").address_space("vs").load_elf("/dev/zero")


def test_oversized_files(specc, tmp_path, capsys):
    big = tmp_path / "big.elf"
    with open(big, "wb") as f:  # sparse: no disk space used
        f.truncate(MAX_FILE + 1)
    spec = program_spec(tmp_path, "big.elf")
    proc = specc_run(specc, "--check", spec)
    assert proc.stderr == (f"{spec}:5: components.c.program: cannot open '{big}': larger than the "
                           f"limit of {MAX_FILE} bytes\n{spec}: 1 error\n")
    fill = tmp_path / "fill.yaml"
    fill.write_text("version: 1\nobjects:\n  - {name: f, type: Frame4K, fill: [{offset: 0, "
                    "file: big.elf, file_offset: 0, length: 16}]}\n")
    assert specc_run(specc, "--check", fill).stderr == (
        f"{fill}:3: objects.f.fill[0]: cannot open 'big.elf': larger than the limit of {MAX_FILE} "
        f"bytes\n{fill}: 1 error\n")
    huge_spec = tmp_path / "huge.yaml"
    with open(huge_spec, "wb") as f:
        f.truncate(limit("max_spec_bytes") + 1)
    assert main(["graph", str(huge_spec)]) == 1
    assert capsys.readouterr().err == (f"{huge_spec}: cannot open '{huge_spec}': larger than the "
                                       f"limit of {limit('max_spec_bytes')} bytes\n")
    assert specc_run(specc, "--check", huge_spec).stderr == (
        f"{huge_spec}: cannot open '{huge_spec}': larger than the limit of "
        f"{limit('max_spec_bytes')} bytes\n{huge_spec}: 1 error\n")


def test_fifos_are_refused_without_blocking(specc, tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    spec = tmp_path / "fill.yaml"
    spec.write_text("version: 1\nobjects:\n  - {name: f, type: Frame4K, fill: [{offset: 0, "
                    "file: fifo, file_offset: 0, length: 16}]}\n")
    proc = specc_run(specc, "--check", spec)
    assert proc.stderr == (f"{spec}:3: objects.f.fill[0]: cannot open 'fifo': not a regular file\n"
                           f"{spec}: 1 error\n")
    assert specc_run(specc, "--check", fifo).stderr == (
        f"{fifo}: cannot open '{fifo}': not a regular file\n{fifo}: 1 error\n")
    for command in ("graph", "import", "export"):
        assert main([command, str(fifo)]) == 1
        assert capsys.readouterr().err == f"{fifo}: cannot open '{fifo}': not a regular file\n"
