"""Validation through the spec compiler.  These tests are skipped, saying so, only when
sigil-specc is not built; in the full build (SIGIL_BUILD_DIR set by ctest) they run."""

import re
import stat

import pytest

from capdl import compiler
from capdl.authoring import SpecBuilder
from capdl.cdl import parse_cdl, parse_cdl_file, print_cdl
from capdl.cdl.exporter import export_cdl
from capdl.cdl.importer import import_cdl
from capdl.errors import SpecError, ToolError
from capdl.yamlio import read_spec_text, write_spec_text
from conftest import FIXTURES, expectations, fixture_files, ids
from elfgen import PF_R, PF_W, PF_X, write_elf

ROUNDTRIP = fixture_files("cdl/roundtrip", ".cdl")
YAML_ERRORS = fixture_files("yaml/errors", ".yaml")


# -- finding the compiler (no compiler needed) -----------------------------------------------
def fake_tool(path):
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_sigil_specc_variable_comes_first(tmp_path, monkeypatch):
    tool = fake_tool(tmp_path / "my-specc")
    monkeypatch.setenv("SIGIL_SPECC", str(tool))
    monkeypatch.setenv("SIGIL_BUILD_DIR", str(tmp_path / "elsewhere"))
    assert compiler.find_compiler() == tool


def test_build_dir_variable_next(tmp_path, monkeypatch):
    (tmp_path / "bin").mkdir()
    tool = fake_tool(tmp_path / "bin" / "sigil-specc")
    monkeypatch.delenv("SIGIL_SPECC", raising=False)
    monkeypatch.setenv("SIGIL_BUILD_DIR", str(tmp_path))
    assert compiler.find_compiler() == tool


def test_missing_compiler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("SIGIL_SPECC", raising=False)
    monkeypatch.setenv("SIGIL_BUILD_DIR", str(tmp_path))
    monkeypatch.setattr(compiler, "REPO_ROOT", tmp_path)
    with pytest.raises(ToolError, match="sigil-specc is not built"):
        compiler.find_compiler()


# -- with the compiler --------------------------------------------------------------------------
def check_text(specc, tmp_path, text, name="spec.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return compiler.check_spec(str(path))


def test_system_fixture_is_valid(specc):
    result = compiler.check_spec(str(FIXTURES / "yaml" / "system.yaml"))
    assert result.ok, result.stderr


@pytest.mark.parametrize("path", ROUNDTRIP, ids=ids(ROUNDTRIP))
def test_imported_cdl_compiles(specc, tmp_path, path):
    spec, warnings = import_cdl(parse_cdl_file(str(path)))
    assert warnings == []
    result = check_text(specc, tmp_path, write_spec_text(spec))
    assert result.ok, result.stderr


def test_compiler_messages_pass_through(specc, tmp_path):
    text = ("version: 1\ncomponents:\n  - name: c\n    cspace:\n      bits: 2\n      slots:\n"
            "        - {slot: 4, cap: e}\n    objects:\n      - {name: e, type: Endpoint}\n")
    result = check_text(specc, tmp_path, text)
    assert not result.ok
    expected = "components.c.cspace[4]: slot 4 outside the CNode (2^2 slots)"
    assert f"{tmp_path / 'spec.yaml'}:7: {expected}" in result.stderr


# The compiler's own messages for the reader fixtures it words differently (no `# compiler:
# same`): it names objects by their spec path and reports every alias.
COMPILER_SAYS = {
    "alias": ["3: objects[0]: anchors and aliases are not supported",
              "4: objects[1]: anchors and aliases are not supported"],
    "not_a_boolean": ["4: components.c: 'maybe' is not a boolean"],
    "not_a_number": ["7: components.c.cspace[1]: badge '12z' is not a number"],
    "size_suffix_not_allowed": ["3: objects.u: bits '1K' is not a number"],
    "version": ["1: version: unsupported spec version 2 (this compiler reads version 1)"],
}


@pytest.mark.parametrize("path", YAML_ERRORS, ids=ids(YAML_ERRORS))
def test_compiler_rejects_what_the_reader_rejects(specc, path):
    result = compiler.check_spec(str(path))
    assert not result.ok
    messages = [line for line in result.stderr.splitlines()
                if not re.fullmatch(re.escape(str(path)) + r": \d+ errors?", line)]
    if expectations(path, "# compiler:") == ["same"]:
        assert messages == [f"{path}:{m}" for m in expectations(path, "# expect:")]
    else:
        assert messages == [f"{path}:{m}" for m in COMPILER_SAYS[path.stem]]


def build_system(tmp_path):
    """A spec written with the authoring API: manager, server from an ELF image, client."""
    elf = tmp_path / "server.elf"
    write_elf(elf, [(0x40_0000, PF_R | PF_X, b"\x1f\x20\x03\xd5" * 64, 256),
                    (0x40_1000, PF_R | PF_W, b"\x00" * 8, 0x1000)], entry=0x40_0000)
    b = SpecBuilder()
    shm = b.frame("shm")
    rm = b.component("rm", resource_manager=True)
    rm_cs = rm.cspace(5)
    rm_cs.add(rm.untyped("pool", bits=20))
    faults = rm.endpoint("faults")
    rm_cs.add(faults, rights=["Read", "Grant"])
    rm_cs.add(rm.object("smc", "SMC"))
    srv = b.component("server")
    cs = srv.cnode("cn", 4)
    ep = srv.endpoint("ep")
    cs.add(ep, original=True)
    vs = srv.address_space("vs")
    entry = vs.load_elf(str(elf), spec_dir=str(tmp_path))
    ipc = srv.frame("ipc")
    vs.map(0x50_0000, ipc)
    _, stack = vs.region("stack", 0x2000, rights=["Read", "Write"])
    vs.map(0x6000_0000, shm, rights=["Read"])
    srv.thread(cspace=cs, vspace=vs, ipc_buffer=ipc, ipc_vaddr=0x50_0000, entry=entry,
               stack=0x50_2000 + 0x2000, fault_handler=(faults, 2, ["Write", "GrantReply"]),
               priority=100, max_priority=100)
    client = b.component("client")
    client.cspace(4).add(ep, rights=["Write", "Grant", "GrantReply"], badge=0x42)
    client.program("server.elf", fault_handler=(faults, 1, ["Write", "GrantReply"]), priority=90)
    client.region("shm", "shared", frames=[shm], rights=["Read", "Write"])
    b.client(client, 1, memory=1 << 20, smc=[0x8400_0000], caps=["client.tcb"])
    b.manager_endpoint(faults)
    assert stack[0].name == "stack_0"
    path = tmp_path / "system.yaml"
    b.write(str(path))
    return path


def test_authored_spec_compiles(specc, tmp_path):
    result = compiler.check_spec(str(build_system(tmp_path)))
    assert result.ok, result.stderr


def test_export_expands_programs_with_the_compiler(specc, tmp_path):
    path = build_system(tmp_path)
    expanded = read_spec_text(compiler.expand_spec(str(path)), "expanded.yaml")
    model, warnings = export_cdl(expanded)
    text = print_cdl(model)
    assert parse_cdl(text, "out.cdl").same_as(model)
    assert "client_tcb = tcb" in text and "client_image_400000 = frame (4k)" in text
    assert any("fill" in w.message for w in warnings)
    assert not any("policy" in w.message for w in warnings)
    assert "-- sigil: policy endpoint=" in text and '-- sigil: client {"component":"client"' in text



# The compiler and the package read the same scalars: each word below is given to both.
NUMBER_WORDS = ["4096", "0x1_000", "0X10", "0o17", "0O17", "0b101", "0B1", "1_", "0_7", "0x", "0x_1",
                "0b2", "0o8", "12z", "_1", "-1"]
# (a memory quota of 1G would not fit in the pool the compiler checks quotas against)
SIZE_WORDS = ["16K", "16k", "2M", "0G", "0g", "1T", "0x10K", "K"]
BOOL_WORDS = ["true", "True", "tRuE", "yes", "Y", "n", "OFF", "on", "maybe", "1", "null"]


def _both_accept(tmp_path, field: str, word: str) -> tuple:
    text = ("version: 1\ncomponents:\n  - {name: rm, resource_manager: true, cspace: {bits: 3}}\n"
            "  - name: c\n    cspace:\n      bits: 2\n      slots:\n"
            "        - {slot: 1, cap: e, badge: 1}\n        - {slot: 2, cap: n, original: true}\n"
            "    objects:\n      - {name: e, type: Endpoint}\n      - {name: n, type: Notification}\n"
            "      - {name: ipc, type: Frame4K}\n"
            "      - {name: vspace, type: VSpace, mappings: [{vaddr: 0x1000, frame: ipc}]}\n"
            "      - {name: tcb, type: TCB, cspace: {cap: cspace, guard_size: 62}, vspace: vspace,"
            " ipc_buffer: {frame: ipc, vaddr: 0x1000}}\n"
            "policy:\n  clients:\n    - {component: c, id: 1, memory: 1M}\n")
    text = text.replace({"badge": "badge: 1", "original": "original: true", "memory": "memory: 1M"}[field],
                        f"{field}: {word}")
    python_ok = True
    try:
        read_spec_text(text, "s.yaml")
    except SpecError:
        python_ok = False
    return python_ok, check_text(compiler.find_compiler(), tmp_path, text).ok


@pytest.mark.parametrize("field,word", [("badge", w) for w in NUMBER_WORDS] + [("memory", w) for w in SIZE_WORDS]
                         + [("original", w) for w in BOOL_WORDS])
def test_scalars_read_alike(specc, tmp_path, field, word):
    python_ok, compiler_ok = _both_accept(tmp_path, field, word)
    assert python_ok == compiler_ok, f"{field}: {word}: package {python_ok}, compiler {compiler_ok}"


def test_scalar_base_spec_is_valid(specc, tmp_path):
    """Without this the comparison above would hold with both tools rejecting everything."""
    assert _both_accept(tmp_path, "badge", "1") == (True, True)


def test_files_a_spec_names_are_found_through_search_directories(specc, tmp_path):
    """`-L DIR`: what is not next to the spec is looked for in DIR (how systems find programs)."""
    (tmp_path / "progs").mkdir()
    (tmp_path / "specs").mkdir()
    write_elf(tmp_path / "progs" / "p.elf", [(0x40_0000, PF_R | PF_X, b"\x1f\x20\x03\xd5" * 4, 16)],
              entry=0x40_0000)
    spec = tmp_path / "specs" / "s.yaml"
    spec.write_text("version: 1\ncomponents:\n  - name: c\n    cspace: {bits: 4, slots: []}\n"
                    "    program: {elf: p.elf}\n")
    alone = compiler.run_compiler(["--check", spec])
    assert not alone.ok and f"{spec}:5: components.c.program: cannot open" in alone.stderr
    assert compiler.run_compiler(["--check", "-L", tmp_path / "nothing", "-L", tmp_path / "progs", spec]).ok
    (tmp_path / "specs" / "p.elf").write_bytes(b"not an ELF")  # next to the spec comes first
    assert not compiler.run_compiler(["--check", "-L", tmp_path / "progs", spec]).ok
