"""The .cdl lexer, parser and model builder on small inputs with known results."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capdl.cdl import parse_cdl, print_cdl
from capdl.cdl.model import CdlCap, CdlModel, CdlObject
from capdl.cdl.lexer import tokenize
from capdl.errors import CdlNameError, CdlSyntaxError


def model(body: str):
    return parse_cdl("arch aarch64\n" + body, "t.cdl")


def test_numbers_comments_and_lines():
    toks = tokenize("a 0x1f 010 0o17 -- comment\n/* x /* nested */ y */ b", "f")
    assert [(t.kind, t.value) for t in toks[:-1]] == [
        ("ident", "a"), ("num", 31), ("num", 10), ("num", 15), ("ident", "b")]
    assert toks[4].loc.line == 2


def test_identifier_stops_at_comment_and_range():
    toks = tokenize("x-y--c\nz[1..2]", "f")
    assert [t.value for t in toks[:-1]] == ["x-y", "z", "[", 1, "..", 2, "]"]


def test_arrays_and_ranges_expand():
    m = model("objects { f[6] = frame (4k) cn = cnode (4 bits) }\n"
              "caps { cn { 0: f[..1] (R) f[4..] f[2] } }")
    slots = m.objects[("cn", None)].slots
    assert [slots[i].target for i in range(5)] == [("f", 0), ("f", 1), ("f", 4), ("f", 5), ("f", 2)]
    assert slots[0].rights == frozenset("R")


def test_symbolic_slots_and_tcb_params():
    m = model("objects { t = tcb (ip: 0x10, init: [1, 2], resume: False) cn = cnode (1 bits)\n"
              "f = frame (4k) e = ep }\n"
              "caps { t { cspace: cn vspace: cn ipc_buffer_slot: f fault_ep_slot: e (W, badge: 3) } }")
    t = m.objects[("t", None)]
    assert sorted(t.slots) == [0, 1, 4, 5]
    assert t.params == {"ip": 16, "init": [1, 2], "resume": False}
    assert t.slots[5].badge == 3


def test_copies_follow_cap_names_and_masks():
    m = model("objects { cn = cnode (4 bits) e = ep }\n"
              "caps { src = (cn, 1) cn { 2: <src> (masked: W) 1: e (RWG, badge: 5) 3: <src> } }")
    slots = m.objects[("cn", None)].slots
    assert slots[2].rights == frozenset("W") and slots[2].badge == 5
    assert slots[3].rights == frozenset("RWG")


def test_copy_cycle_is_reported():
    with pytest.raises(CdlNameError, match="refers to an empty slot or to a copy of itself"):
        model("objects { cn = cnode (2 bits) }\ncaps { a = (cn, 1) cn { 1: <a> } }")


def test_qualified_names_declare_untypeds_and_covers():
    m = model("objects { a/b/c = tcb  a = ut (20 bits) }")
    assert m.objects[("a", None)].kind == "ut" and m.objects[("a", None)].params == {"bits": 20}
    assert m.covers[("a", None)] == [("b", None)]
    assert m.covers[("b", None)] == [("c", None)]


def test_untyped_redeclared_with_other_size_is_an_error():
    with pytest.raises(CdlNameError, match="declared again with bits 12"):
        model("objects { u = ut (10 bits) u = ut (12 bits) }")


def test_child_of_and_cdt_section():
    m = model("objects { cn = cnode (3 bits) e = ep }\n"
              "caps { cn { 1: e 2: e (W) - child_of (cn, 1) 3: e (R) } }\n"
              "cdt { (cn, 1) { (cn, 3) } }")
    assert m.cdt == {(("cn", None), 2): (("cn", None), 1), (("cn", None), 3): (("cn", None), 1)}


def test_irq_maps_number_consecutively():
    m = model("objects { i[3] = irq }\nirq maps { 40: i[0] i[1..2] }")
    assert m.irqs == {40: ("i", 0), 41: ("i", 1), 42: ("i", 2)}


def test_syntax_error_has_line():
    with pytest.raises(CdlSyntaxError) as err:
        model("objects {\n a = ep\n b = = ep }")
    assert str(err.value).startswith("t.cdl:4: expected an object type")


def test_printer_output_parses_to_the_same_model():
    m = model("objects { f[3] = frame (2M) cn = cnode (2 bits) u = ut (21 bits) { f[0..1] } }\n"
              "caps { cn { 1: f[2] (RW) } }")
    text = print_cdl(m)
    again = parse_cdl(text, "p.cdl")
    assert again.same_as(m)
    assert print_cdl(again) == text
    assert "f[3] = frame (2M)" in text


# -- property: printing then parsing gives the model back -------------------------------------

KINDS = [("ep", {}), ("notification", {}), ("frame", {"vmsize": 4096}), ("frame", {"vmsize": 2 << 20}),
         ("ut", {"bits": 12}), ("tcb", {"prio": 5, "init": [1, 2]}), ("cnode", {"bits": 3})]


@st.composite
def models(draw):
    m = CdlModel()
    count = draw(st.integers(min_value=1, max_value=12))
    for i in range(count):
        kind, params = KINDS[draw(st.integers(0, len(KINDS) - 1))]
        m.objects[(f"o{i}", None)] = CdlObject(kind, dict(params))
    arr = draw(st.integers(min_value=0, max_value=4))
    for j in range(arr):
        m.objects[("arr", j)] = CdlObject("frame", {"vmsize": 4096})
    if arr:
        m.arrays["arr"] = arr
    targets = list(m.objects)
    cnodes = [oid for oid, o in m.objects.items() if o.kind == "cnode"]
    for cn in cnodes:
        for slot in draw(st.sets(st.integers(0, 7), max_size=6)):
            target = targets[draw(st.integers(0, len(targets) - 1))]
            rights = frozenset(draw(st.sets(st.sampled_from("RWGP"))))
            m.objects[cn].slots[slot] = CdlCap(target, rights=rights,
                                               badge=draw(st.integers(0, 2**64 - 1)),
                                               guard=draw(st.integers(0, 3)),
                                               guard_size=draw(st.integers(0, 4)))
    return m


@settings(max_examples=150, deadline=None)
@given(m=models())
def test_print_parse_roundtrip(m):
    again = parse_cdl(print_cdl(m), "p.cdl")
    assert again.same_as(m)
