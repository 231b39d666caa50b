"""Untyped covers come in whole: a capDL `ut (N bits) { ... }` becomes `covers:` on the Untyped,
the compiler places the covered objects inside it (the placement the loader runs), and export
writes the cover blocks back, also for a spec the compiler expands first."""

from capdl import compiler
from capdl.cdl import parse_cdl, print_cdl
from capdl.cdl.exporter import export_cdl
from capdl.cdl.importer import import_cdl
from capdl.cli import main
from capdl.yamlio import read_spec_text, write_spec_text
from conftest import FIXTURES, REPO

# Every way capDL writes a cover: a nested block, a qualified name, an array range, a reopened
# untyped (`pool = ut { d }` after its declaration), a cover of an object declared elsewhere.
COVERS = """arch aarch64
objects {
  pool = ut (16 bits) {
    inner = ut (12 bits) { n = notification, cn = cnode (4 bits) }
    e = ep
  }
  pool/big = ut (14 bits)
  many[3] = ep
  small = ut (8 bits) { many[1..] }
  d = ep
  pool = ut { d }
  lone = ep
  zz = ut (4 bits) { aa = ut (4 bits) }   -- one size: the untyped must still come first
}
"""


def _covers(spec) -> dict:
    return {o.name: o.covers for o in spec.all_objects() if o.covers is not None}


def test_import_keeps_every_cover():
    spec, warnings = import_cdl(parse_cdl(COVERS, "c.cdl"))
    assert [str(w) for w in warnings] == []
    assert _covers(spec) == {"pool": ["inner", "e", "big", "d"], "inner": ["n", "cn"],
                             "small": ["many__1", "many__2"], "zz": ["aa"]}


def test_the_compiler_places_covered_objects_inside_their_untyped(tmp_path):
    spec, _ = import_cdl(parse_cdl(COVERS, "c.cdl"))
    path = tmp_path / "c.yaml"
    path.write_text(write_spec_text(spec, header="covers"))
    p = compiler.placement(str(path))
    by_name = {o.name.rsplit(".", 1)[-1]: o for o in p.objects}
    pool, inner, small = by_name["pool"], by_name["inner"], by_name["small"]
    assert (pool.memory, pool.parent) == ("ram", None)
    # inside pool, largest first from its start: big (2^14), inner (2^12), e and d (2^4 each)
    placed = lambda parent: sorted((o.offset, o.name.rsplit(".", 1)[-1], o.size_bits)  # noqa: E731
                                   for o in p.objects if o.parent == parent.id)
    assert placed(pool) == [(0, "big", 14), (0x4000, "inner", 12), (0x5000, "d", 4), (0x5010, "e", 4)]
    assert placed(inner) == [(0, "cn", 9), (0x200, "n", 5)]
    assert placed(small) == [(0, "many__1", 4), (0x10, "many__2", 4)]
    assert all(o.memory == "cover" and o.id > p.objects[o.parent].id
               for o in p.objects if o.parent is not None)
    assert by_name["n"].paddr == pool.paddr + 0x4000 + 0x200
    assert p.untyped_of(by_name["n"]) == p.untyped_of(pool)
    assert (by_name["lone"].memory, by_name["many__0"].memory) == ("ram", "ram")
    assert (by_name["aa"].parent, by_name["aa"].paddr) == (by_name["zz"].id, by_name["zz"].paddr)


def test_export_writes_covers_back():
    spec, _ = import_cdl(parse_cdl(COVERS, "c.cdl"))
    model, warnings = export_cdl(spec)
    text = print_cdl(model, "again")
    assert "  pool = ut { inner, e, big, d }\n" in text
    assert "  inner = ut { n, cn }\n" in text
    assert "  small = ut { many[1], many[2] }\n" in text
    again, _ = import_cdl(parse_cdl(text, "again.cdl"))
    assert _covers(again) == _covers(spec)


def test_size_less_untyped_is_dropped_and_what_it_holds_keeps_its_cover():
    path = FIXTURES / "cdl" / "warnings" / "untyped_covers.cdl"
    spec, _ = import_cdl(parse_cdl(path.read_text(), str(path)))
    assert _covers(spec) == {"pool": ["a", "b"]}
    assert "loose" not in {o.name for o in spec.all_objects()}


def test_export_of_a_compiled_spec_keeps_covers(specc, tmp_path):
    """A spec with a program is expanded by the compiler and read back from --dump: the covers
    come back from the binary (SIGIL_SPEC_OBJ_IN_PARENT), not from the YAML."""
    text = (REPO / "specs" / "hello.yaml").read_text()
    spec = read_spec_text(text, "hello.yaml")
    spec.objects.extend(read_spec_text(
        "version: 1\nobjects:\n"
        "  - {name: pool, type: Untyped, bits: 13, covers: [spare, hello.extra]}\n"
        "  - {name: spare, type: Frame4K}\n", "extra.yaml").objects)
    spec.components[0].objects.extend(read_spec_text(
        "version: 1\nobjects: [{name: extra, type: Notification}]\n", "x.yaml").objects)
    path = tmp_path / "hello.yaml"
    path.write_text(write_spec_text(spec, header="hello with a cover"))
    out = tmp_path / "hello.cdl"
    assert main(["export", str(path), "-o", str(out)]) == 0
    cdl = out.read_text()
    assert "  pool = ut { spare, extra }\n" in cdl
    back = tmp_path / "back.yaml"
    assert main(["import", str(out), "-o", str(back)]) == 0
    # `extra` comes back top-level: only the cover refers to it, and capDL has no components
    assert _covers(read_spec_text(back.read_text(), str(back))) == {"pool": ["spare", "extra"]}
