"""Debug caps in the Python tools (capdl.debugcaps, docs/spec-format.md "Debug caps"): a
`debug:` slot becomes a badged cap to the spec's Debug object on reading, every mistake is a
located error with its exact message, and two specs with `debug:` slots merge into one Debug
object."""

import pytest

import capdl
from capdl.errors import SpecError, SpecErrors
from capdl.yamlio import read_spec_text, write_spec_text

ONE = """version: 1
components:
  - name: a
    cspace:
      bits: 2
      slots:
        - {slot: 1, debug: [PowerOff, Introspect]}
        - {slot: 2, debug: [Introspect]}
"""


def test_a_debug_slot_is_a_badged_cap_to_the_debug_object():
    spec = read_spec_text(ONE, "one.yaml")
    assert [(o.name, o.type) for o in spec.objects] == [("debug", "Debug")]
    caps = spec.components[0].cspace.slots
    assert [(c.slot, c.cap, c.badge, c.debug) for c in caps] == [(1, "debug", 3, None),
                                                                  (2, "debug", 2, None)]
    assert "{slot: 1, cap: debug, badge: 3}" in write_spec_text(spec)


def test_a_declared_debug_object_is_the_one_used():
    text = ONE.replace("components:", "objects: [{name: dbg, type: Debug}]\ncomponents:")
    spec = read_spec_text(text, "one.yaml")
    assert [o.name for o in spec.objects] == ["dbg"]
    assert {c.cap for c in spec.components[0].cspace.slots} == {"dbg"}


@pytest.mark.parametrize("slot, message", [
    ("{slot: 1, debug: [Reboot]}",
     "x.yaml:7: a.cspace.slots[0]: unknown debug operation 'Reboot' (PowerOff, Introspect)"),
    ("{slot: 1, debug: []}", "x.yaml:7: a.cspace.slots[0]: `debug:` names no operation "
                             "(PowerOff, Introspect)"),
    ("{slot: 1, debug: [PowerOff], badge: 1}",
     "x.yaml:7: a.cspace.slots[0]: `debug:` is the badge of the cap: drop `badge`"),
    ("{slot: 1, cap: cspace, debug: [PowerOff]}",
     "x.yaml:7: a.cspace.slots[0]: a slot holds `cap:` or `debug:`, not both"),
    ("{slot: 1}", "x.yaml:7: a.cspace.slots[0]: a slot needs `cap:` (or `debug:`)"),
])
def test_mistakes_are_located_errors(slot, message):
    text = f"version: 1\ncomponents:\n  - name: a\n    cspace:\n      bits: 2\n      slots:\n        - {slot}\n"
    with pytest.raises(SpecError) as err:
        read_spec_text(text, "x.yaml")
    assert str(err.value) == message


def test_two_specs_with_debug_slots_merge_into_one_debug_object():
    a = read_spec_text(ONE, "a.yaml")
    b = read_spec_text(ONE.replace("name: a", "name: b"), "b.yaml")
    merged = capdl.merge(a, b)
    assert [(o.name, o.type) for o in merged.objects] == [("debug", "Debug")]


def test_two_debug_objects_of_different_names_are_a_conflict():
    a = read_spec_text(ONE, "a.yaml")
    b = read_spec_text(ONE.replace("name: a", "name: b").replace(
        "components:", "objects: [{name: dbg, type: Debug}]\ncomponents:"), "b.yaml")
    with pytest.raises((SpecError, SpecErrors)) as err:
        capdl.merge(a, b)
    assert "a second Debug object 'dbg': 'debug' is one" in str(err.value)
