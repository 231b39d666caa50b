"""Placement from untyped: `capdl.compiler.placement` and `SpecBuilder.placement` give the boot
placement the spec compiler simulates (`sigil-specc --placement`), not a second implementation.
The expected addresses are worked out by hand from the boot untyped list of docs/spec-compiler.md
(1 GiB of RAM at 0x4000_0000 minus the 64 MiB reserve: RAM untypeds of 2^26 at 0x4400_0000,
2^27, 2^28, 2^29)."""

import pytest

from capdl import compiler
from capdl.authoring import SpecBuilder
from capdl.errors import CompilerErrors, ToolError
from capdl.placement import parse_placement
from conftest import FIXTURES

SMALL = """\
version: 1
objects:
  - {name: big, type: Untyped, bits: 20}
  - {name: cn, type: CNode, bits: 6}
  - {name: ep, type: Endpoint}
  - {name: ep2, type: Endpoint}
  - {name: f, type: Frame4K}
  - {name: rtc, type: Frame4K, paddr: 0x09010000}
  - {name: gpio, type: Frame4K, paddr: 0x09030000}
  - {name: smc, type: SMC}
"""
SYSTEM = FIXTURES / "yaml" / "system.yaml"


def small(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return compiler.placement(str(path))


def rows(placement):
    return [(o.id, o.name, o.type, o.size_bits, o.memory, o.offset, o.paddr)
            for o in placement.objects]


def test_exact_placement_of_a_small_spec(specc, tmp_path):
    p = small(tmp_path)
    assert rows(p) == [
        (0, "big", "Untyped", 20, "ram", 0, 0x4400_0000),
        (1, "f", "Frame4K", 12, "ram", 0x10_0000, 0x4410_0000),
        (2, "cn", "CNode", 11, "ram", 0x10_1000, 0x4410_1000),
        (3, "ep", "Endpoint", 4, "ram", 0x10_1800, 0x4410_1800),
        (4, "ep2", "Endpoint", 4, "ram", 0x10_1810, 0x4410_1810),
        (5, "rtc", "Frame4K", 12, "device", 0, 0x0901_0000),
        (6, "gpio", "Frame4K", 12, "device", 0x1_0000, 0x0903_0000),
        (7, "smc", "SMC", 0, "none", None, None),
    ]
    first_ram = p.untypeds[p.object("big").untyped]
    assert (first_ram.paddr, first_ram.size_bits, first_ram.device) == (0x4400_0000, 26, False)
    assert [(u.paddr, u.size_bits) for u in p.untypeds if not u.device] == [
        (0x4400_0000, 26), (0x4800_0000, 27), (0x5000_0000, 28), (0x6000_0000, 29)]
    assert (p.ram_base, p.ram_size, p.reserve) == (0x4000_0000, 0x4000_0000, 0x400_0000)
    assert p.free_ram == 0x3C00_0000 - 0x10_1820


def test_a_device_object_lands_at_its_paddr(specc, tmp_path):
    p = small(tmp_path)
    for name, paddr in (("rtc", 0x0901_0000), ("gpio", 0x0903_0000)):
        obj = p.object(name)
        ut = p.untyped_of(obj)
        assert ut.device and obj.paddr == paddr == ut.paddr + obj.offset
        assert ut.paddr <= paddr and paddr + obj.size <= ut.end
    assert (p.untyped_of(p.object("rtc")).paddr, p.untyped_of(p.object("gpio")).paddr) == (
        0x0901_0000, 0x0902_0000)


def test_a_managed_clients_objects_are_placed_in_its_own_untyped(specc):
    p = compiler.placement(str(SYSTEM))
    memory = p.object("app.rm_memory")
    assert (memory.id, memory.memory, memory.size_bits, memory.paddr) == (0, "ram", 22, 0x4400_0000)
    clients = [o for o in p.objects if o.memory == "client"]
    assert [o.name for o in clients] == [
        "app.big", "app.vs", "app.l1", "app.l2", "app.l3", "app.vs_pt2_40000000",
        "app.vs_pt3_200000", "app.vs_pt3_40000000", "app.code", "app.ipc", "app.tcb", "app.cn",
        "app.ntfn", "app.reply", "app.ep"]
    assert all(o.parent == memory.id and o.untyped is None for o in clients)
    assert [(o.offset, o.paddr - memory.paddr) for o in clients[:3]] == [
        (0, 0), (0x20_0000, 0x20_0000), (0x20_1000, 0x20_1000)]
    assert p.object("app.ep").offset == 0x20_9A40  # 2M + 9 pages + TCB + CNode + 2 x 32
    assert p.untyped_of(p.object("app.ep")) == p.untypeds[memory.untyped]
    # the manager's own objects come from the boot untypeds, after the client's untyped
    assert (p.object("rm.pool").memory, p.object("rm.pool").paddr) == ("ram", 0x4440_0000)
    assert p.object("app.timer").memory == "none"


@pytest.mark.parametrize("spec", ["small", "system"])
def test_objects_never_overlap_and_are_aligned(specc, tmp_path, spec):
    p = small(tmp_path) if spec == "small" else compiler.placement(str(SYSTEM))
    placed = [o for o in p.objects if o.memory != "none"]
    assert placed
    for o in placed:
        assert o.paddr % o.size == 0, o.name
        if o.memory == "client":
            parent = p.objects[o.parent]
            assert parent.paddr <= o.paddr and o.end <= parent.end, o.name
        else:
            ut = p.untyped_of(o)
            assert ut.paddr <= o.paddr and o.end <= ut.end and ut.device == (o.memory == "device")
    # objects of one level (boot untypeds; the inside of each client untyped) never overlap
    for level in {(o.memory == "client", o.parent) for o in placed}:
        spans = sorted((o.paddr, o.end, o.name) for o in placed if (o.memory == "client", o.parent) == level)
        for (_, end, name), (start, _, other) in zip(spans, spans[1:]):
            assert end <= start, f"{name} overlaps {other}"


@pytest.mark.parametrize("spec", ["small", "system"])
def test_ram_objects_are_placed_largest_first(specc, tmp_path, spec):
    p = small(tmp_path) if spec == "small" else compiler.placement(str(SYSTEM))
    kinds = [o.memory for o in p.objects]
    ram = [o for o in p.objects if o.memory in ("ram", "client")]
    assert [o.id for o in p.objects] == list(range(len(p.objects)))
    assert ram == list(p.objects[:len(ram)])  # RAM first, then devices, then no memory
    assert [o.size_bits for o in ram] == sorted((o.size_bits for o in ram), reverse=True)
    order = {"ram": 0, "client": 0, "device": 1, "none": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    # in each boot untyped, addresses grow with ids: each object follows the previous one
    boot = [o for o in ram if o.memory == "ram"]
    assert [o.paddr for o in boot] == sorted(o.paddr for o in boot)


def test_the_same_spec_gives_the_same_placement_twice(specc, tmp_path):
    assert small(tmp_path) == small(tmp_path)
    assert compiler.placement(str(SYSTEM)) == compiler.placement(str(SYSTEM))


def test_the_reserve_moves_ram_objects(specc, tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    p = compiler.placement(str(path), reserve=128 << 20)
    assert (p.reserve, p.object("big").paddr, p.object("rtc").paddr) == (
        0x800_0000, 0x4800_0000, 0x0901_0000)


def test_a_spec_that_does_not_fit_gives_the_compilers_located_error(specc, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("version: 1\n"
                    "components:\n"
                    "  - name: rm\n"
                    "    objects:\n"
                    "      - {name: pool_a, type: Untyped, bits: 29}\n"
                    "      - {name: pool_b, type: Untyped, bits: 29}\n")
    with pytest.raises(CompilerErrors) as err:
        compiler.placement(str(path))
    assert str(err.value) == (
        f"{path}:6: components.rm.pool_b: does not fit: needs 2^29 bytes, no free untyped left "
        f"(469762048 bytes of RAM free after the 0x4000000-byte reserve)\n{path}: 1 error")


def test_the_builder_gives_its_placement(specc, tmp_path):
    b = SpecBuilder()
    b.object("pool", "Untyped", bits=16)
    srv = b.component("srv")
    srv.endpoint("ep")
    srv.cnode("cn", bits=3)
    b.frame("rtc", paddr=0x0901_0000)
    p = b.placement()
    assert rows(p) == [
        (0, "pool", "Untyped", 16, "ram", 0, 0x4400_0000),
        (1, "srv.cn", "CNode", 8, "ram", 0x1_0000, 0x4401_0000),
        (2, "srv.ep", "Endpoint", 4, "ram", 0x1_0100, 0x4401_0100),
        (3, "rtc", "Frame4K", 12, "device", 0, 0x0901_0000),
    ]


def test_the_builders_errors_are_the_compilers(specc, tmp_path):
    b = SpecBuilder()
    b.object("a", "Untyped", bits=29)
    b.object("b", "Untyped", bits=29)
    message = ("objects.b: does not fit: needs 2^29 bytes, no free untyped left (469762048 bytes "
               "of RAM free after the 0x4000000-byte reserve)")
    with pytest.raises(CompilerErrors) as err:
        b.placement()
    assert str(err.value) == f"<SpecBuilder>:5: {message}\n<SpecBuilder>: 1 error"
    assert b.to_yaml().splitlines()[4] == "  - {name: b, type: Untyped, bits: 29}"
    path = tmp_path / "mine.yaml"
    with pytest.raises(CompilerErrors) as err:
        b.placement(path)
    assert str(err.value) == f"{path}:5: {message}\n{path}: 1 error"


def test_output_that_is_not_a_placement_is_a_tool_error():
    with pytest.raises(ToolError, match="placement output is not what this package reads"):
        parse_placement('{"version": 2}')
    with pytest.raises(ToolError, match="not what this package reads"):
        parse_placement("not json")
