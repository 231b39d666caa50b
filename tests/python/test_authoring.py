"""The authoring API: property tests of the CSpace slot allocator and the address-space helper,
and specs built in Python that read back unchanged."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capdl.authoring import AddressSpace, CSpace, SpecBuilder
from capdl.errors import AllocationError
from capdl.yamlio import read_spec_text
from elfgen import PF_R, PF_W, PF_X, write_elf

# -- CSpace slot allocation -------------------------------------------------------------------
ops = st.lists(st.one_of(st.tuples(st.just("auto")),
                         st.tuples(st.just("at"), st.integers(min_value=-2, max_value=70)),
                         st.tuples(st.just("free"), st.integers(min_value=0, max_value=70))),
               max_size=120)


@settings(max_examples=300, deadline=None)
@given(bits=st.integers(min_value=1, max_value=6), first=st.integers(min_value=0, max_value=3),
       script=ops)
def test_slot_allocator_keeps_its_invariants(bits, first, script):
    cs = CSpace(None, bits, [], "cn", first_free=first)
    live = set()
    for op in script:
        if op[0] == "auto":
            free = [s for s in range(first, 1 << bits) if s not in live]
            if free:
                slot = cs.alloc()
                assert slot == free[0]  # lowest free slot from first_free
                live.add(slot)
            else:
                with pytest.raises(AllocationError, match="CNode is full"):
                    cs.alloc()
        elif op[0] == "at":
            slot = op[1]
            if 0 <= slot < 1 << bits and slot not in live:
                assert cs.alloc(slot) == slot
                live.add(slot)
            else:
                with pytest.raises(AllocationError):
                    cs.alloc(slot)
        else:
            cs.free(op[1])
            live.discard(op[1])
        assert cs.used == live
        assert all(0 <= s < 1 << bits for s in live)


@settings(max_examples=100, deadline=None)
@given(bits=st.integers(min_value=1, max_value=5), data=st.data())
def test_caps_added_land_in_distinct_slots(bits, data):
    b = SpecBuilder()
    comp = b.component("c")
    cs = comp.cspace(bits)
    ep = comp.endpoint("ep")
    slots = []
    for _ in range((1 << bits) - 1):
        badge = data.draw(st.integers(min_value=0, max_value=2**64 - 1))
        slots.append(cs.add(ep, badge=badge or None, rights=["Write"]))
    assert sorted(slots) == list(range(1, 1 << bits))
    with pytest.raises(AllocationError, match="full"):
        cs.add(ep)
    spec = read_spec_text(b.to_yaml(), "built.yaml")
    assert spec == b.build()
    assert [c.slot for c in spec.component("c").cspace.slots] == sorted(slots)


def test_cnode_size_limits_come_from_the_abi():
    with pytest.raises(AllocationError, match="CNode bits 0 outside 1..28"):
        CSpace(None, 0, [], "cn")


# -- address spaces ---------------------------------------------------------------------------
def walk(spec, comp, vspace):
    """{vaddr: frame} read back from the VSpace's tables (independent of the helper)."""
    objs = {o.name: o for o in spec.component(comp).objects}
    found = {}

    def visit(table, level, base):
        shift = 12 + 9 * (3 - level)
        for e in table.entries:
            va = base + (e.index << shift)
            if e.table:
                visit(objs[e.table], level + 1, va)
            else:
                found[va] = e.frame
    visit(objs[vspace], 0, 0)
    return found


pages = st.sets(st.integers(min_value=0, max_value=(1 << 35) - 1).map(lambda p: p << 12), max_size=40)


def mapped_space(vaddrs):
    """A builder with one component whose VSpace maps frame f<i> at the i-th smallest vaddr."""
    b = SpecBuilder()
    comp = b.component("c")
    vs = comp.address_space()
    expected = {}
    for i, va in enumerate(sorted(vaddrs)):
        vs.map(va, comp.frame(f"f{i}"))
        expected[va] = f"f{i}"
    return b, comp, vs, expected


@settings(max_examples=150, deadline=None)
@given(vaddrs=pages)
def test_mappings_walk_back_to_the_same_addresses(vaddrs):
    b, _, _, expected = mapped_space(vaddrs)
    spec = b.build()
    assert walk(spec, "c", "vspace") == expected
    names = [o.name for o in spec.component("c").objects]
    assert len(names) == len(set(names))
    for obj in spec.component("c").objects:  # one entry per index, sorted
        indexes = [e.index for e in obj.entries]
        assert indexes == sorted(set(indexes))
    assert read_spec_text(b.to_yaml(), "vs.yaml") == spec


@settings(max_examples=100, deadline=None)
@given(vaddrs=pages)
def test_a_mapped_address_cannot_be_mapped_again(vaddrs):
    _, comp, vs, _ = mapped_space(vaddrs)
    for va in vaddrs:
        with pytest.raises(AllocationError, match="overlaps"):
            vs.map(va, comp.frame(f"again{va:x}"))


def test_large_frames_and_their_conflicts():
    b = SpecBuilder()
    comp = b.component("c")
    vs = comp.address_space()
    vs.map(0x4000_0000, comp.frame("g", "Frame1G"))
    vs.map(0x20_0000, comp.frame("m", "Frame2M"))
    with pytest.raises(AllocationError, match="overlaps 'm'"):
        vs.map(0x20_1000, comp.frame("k"))
    with pytest.raises(AllocationError, match="not a 0x200000-aligned user address"):
        vs.map(0x1000, comp.frame("m2", "Frame2M"))
    with pytest.raises(AllocationError, match="user address"):
        vs.map(0x8000_0000_0000, comp.frame("top"))
    assert walk(b.build(), "c", "vspace") == {0x4000_0000: "g", 0x20_0000: "m"}


def test_regions_go_after_the_highest_mapping_with_a_guard_page():
    b = SpecBuilder()
    comp = b.component("c")
    vs = comp.address_space()
    vs.map(0x10000, comp.frame("first"))
    va, frames = vs.region("heap", 0x3000, rights=["Read", "Write"])
    assert va == 0x12000 and [f.name for f in frames] == ["heap_0", "heap_1", "heap_2"]
    with pytest.raises(AllocationError, match="multiple"):
        vs.region("odd", 0x1800)


def test_names_are_checked():
    b = SpecBuilder()
    b.frame("shm")
    comp = b.component("c")
    comp.endpoint("ep")
    with pytest.raises(AllocationError, match="duplicate object 'ep'"):
        comp.endpoint("ep")
    with pytest.raises(AllocationError, match="both a top-level and a component object"):
        comp.frame("shm")
    with pytest.raises(AllocationError, match="duplicate component 'c'"):
        b.component("c")


def test_load_elf_lays_out_filled_pages(tmp_path):
    elf = tmp_path / "app.elf"
    code = bytes(range(256)) * 24  # 6 KiB: two pages
    write_elf(elf, [(0x40_0000, PF_R | PF_X, code, len(code)),
                    (0x40_2000, PF_R | PF_W, b"\x01" * 16, 0x2000)], entry=0x40_0010)
    b = SpecBuilder()
    comp = b.component("c")
    vs = comp.address_space()
    entry = vs.load_elf(str(elf), spec_dir=str(tmp_path))
    assert entry == 0x40_0010
    objs = {o.name: o for o in b.build().component("c").objects}
    def fills(name):
        return [(f.offset, f.file, f.file_offset, f.length) for f in objs[name].fill]
    assert fills("image_400000") == [(0, "app.elf", 0x1000, 0x1000)]
    assert fills("image_401000") == [(0, "app.elf", 0x2000, 0x800)]
    assert fills("image_402000") == [(0, "app.elf", 0x3000, 16)]
    assert objs["image_403000"].fill == []  # bss
    leaf = objs["vspace_pt3_400000"]
    assert [(e.index, e.rights, e.executable) for e in leaf.entries] == [
        (0, ["Read"], True), (1, ["Read"], True), (2, ["Read", "Write"], None), (3, ["Read", "Write"], None)]


def test_elf_errors(tmp_path):
    bad = tmp_path / "bad.elf"
    bad.write_bytes(b"not an elf at all" * 8)
    vs = SpecBuilder().component("c").address_space()
    with pytest.raises(Exception, match="is not an AArch64 ELF64 executable"):
        vs.load_elf(str(bad))
    with pytest.raises(Exception, match="cannot open"):
        vs.load_elf(str(tmp_path / "missing.elf"))
    assert isinstance(vs, AddressSpace)
