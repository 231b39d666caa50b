"""The Python API's parts that seL4's python-capdl users look for, in Sigil's design: ELF
symbols and page lists, a CNode's cap to itself, and .cdl text from a SpecBuilder."""

import struct

import pytest

from capdl.authoring import SpecBuilder
from capdl.cli import main
from capdl.elf import read_elf
from capdl.errors import SpecError
from elfgen import PF_R, PF_W, PF_X, write_elf


def test_symbols_and_pages_of_a_built_program(specc):
    from capdl import compiler
    path = compiler.default_search()[0] / "echo_server.elf"
    image = read_elf(str(path))
    text = next(s for s in image.segments if s.executable)
    assert text.vaddr <= image.symbol("main") < text.vaddr + text.memsz
    assert image.pages() == sorted({p for s in image.segments
                                    for p in range(s.vaddr & ~0xfff, s.vaddr + s.memsz, 0x1000)})
    with pytest.raises(SpecError) as err:
        image.symbol("no_such_symbol")
    assert str(err.value) == f"{path}: '{path}' has no symbol 'no_such_symbol'"


def test_section_headers_outside_the_file(tmp_path):
    path = tmp_path / "bad.elf"
    write_elf(path, [(0x400000, PF_R | PF_X, b"\0" * 16, 16)], 0x400000)
    data = bytearray(path.read_bytes())
    struct.pack_into("<Q", data, 0x28, len(data) + 64)  # e_shoff
    struct.pack_into("<HH", data, 0x3A, 64, 1)  # e_shentsize, e_shnum
    path.write_bytes(data)
    with pytest.raises(SpecError) as err:
        read_elf(str(path))
    assert str(err.value) == f"{path}: the section headers of '{path}' lie outside the file"


def test_pages_of_a_small_image(tmp_path):
    path = tmp_path / "p.elf"
    write_elf(path, [(0x400000, PF_R | PF_X, b"\1" * 16, 16),
                     (0x401800, PF_R | PF_W, b"\2" * 8, 0x1000)], 0x400000)
    assert read_elf(str(path)).pages() == [0x400000, 0x401000, 0x402000]


def test_a_cnode_cap_to_itself(specc, tmp_path, capsys):
    b = SpecBuilder()
    c = b.component("c")
    cs = c.cspace(4)
    assert cs.add_self() == 1
    ep = c.endpoint("ep")
    assert cs.add(ep) == 2
    text = b.to_yaml()
    assert "- {slot: 1, cap: cspace, guard_size: 60}" in text
    b.write(str(tmp_path / "s.yaml"))
    assert main(["check", "--strict", str(tmp_path / "s.yaml")]) == 0
    assert capsys.readouterr().err == ""


def test_cdl_text_from_a_builder():
    b = SpecBuilder()
    c = b.component("c")
    cn = c.cnode("cn", 3)
    cn.add_self(slot=0)
    cn.add(c.endpoint("ep"), rights=["Read", "Write"])
    text, warnings = b.to_cdl("made by a test")
    assert text.startswith("-- made by a test\narch aarch64\n")
    assert "cn = cnode (3 bits)" in text and "ep = ep" in text
    assert warnings == []
