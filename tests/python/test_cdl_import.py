"""Import and export of seL4 capDL text: round trips, one fixture per error and per warning."""

from pathlib import Path

import pytest

from capdl.cdl import parse_cdl, parse_cdl_file, print_cdl
from capdl.cdl.exporter import export_cdl
from capdl.cdl.importer import import_cdl
from capdl.errors import SpecError, SpecErrors
from capdl.yamlio import read_spec_text, write_spec_text
from conftest import expectations, fixture_files, ids

ROUNDTRIP = fixture_files("cdl/roundtrip", ".cdl")
ERRORS = fixture_files("cdl/errors", ".cdl")
WARNINGS = fixture_files("cdl/warnings", ".cdl")


def through_yaml(path: Path):
    """.cdl -> model -> Spec -> YAML text -> Spec -> capDL model -> .cdl text -> model."""
    original = parse_cdl_file(str(path))
    spec, warnings = import_cdl(original)
    yaml_text = write_spec_text(spec)
    back, export_warnings = export_cdl(read_spec_text(yaml_text, "rt.yaml"))
    text = print_cdl(back)
    return original, parse_cdl(text, "rt.cdl"), warnings + export_warnings, yaml_text


@pytest.mark.parametrize("path", ROUNDTRIP, ids=ids(ROUNDTRIP))
def test_roundtrip_keeps_the_model(path):
    original, again, warnings, _ = through_yaml(path)
    assert warnings == []
    assert again.same_as(original)


def test_there_are_several_roundtrip_fixtures():
    assert len(ROUNDTRIP) >= 4


def test_roundtrip_turns_arrays_back_into_arrays():
    _, again, _, yaml_text = through_yaml(Path(ROUNDTRIP[0]).with_name("arrays.cdl"))
    assert "pool__3" in yaml_text
    assert again.arrays["pool"] == 4 and again.arrays["chan"] == 3


def test_import_builds_components_and_the_resource_manager():
    spec, _ = import_cdl(parse_cdl_file(str(ROUNDTRIP[0].with_name("client_server.cdl"))))
    names = [c.name for c in spec.components]
    assert names == ["server", "client", "driver"]
    server = spec.component("server")
    tcb = next(o for o in server.objects if o.type == "TCB")
    assert tcb.fault_handler.cap == "faults"
    client_cn = next(o for o in spec.component("client").objects if o.type == "CNode")
    assert [c.cap for c in client_cn.slots] == ["service", "psci"]  # both at the top level
    assert [o.name for o in spec.objects] == ["service", "faults", "psci", "irq_control"]
    orig = [c for o in server.objects if o.type == "CNode" for c in o.slots if c.original]
    assert [c.slot for c in orig] == [1, 4]


def _error_strings(err: SpecError) -> list:
    return [str(e) for e in err.errors] if isinstance(err, SpecErrors) else [str(err)]


@pytest.mark.parametrize("path", ERRORS, ids=ids(ERRORS))
def test_import_error_fixture(path):
    expected = expectations(path, "-- expect:")
    assert expected, "each error fixture names every message it gives"
    with pytest.raises(SpecError) as err:
        import_cdl(parse_cdl_file(str(path)))
    assert _error_strings(err.value) == [f"{path}:{e}" for e in expected]


@pytest.mark.parametrize("path", WARNINGS, ids=ids(WARNINGS))
def test_import_warning_fixture(path):
    expected = expectations(path, "-- expect-warning:")
    assert expected, "each warning fixture names its warnings"
    _, warnings = import_cdl(parse_cdl_file(str(path)))
    assert sorted(str(w) for w in warnings) == sorted(f"{path}:{e}" for e in expected)


def test_export_reports_what_capdl_cannot_say():
    spec = read_spec_text(
        "version: 1\n"
        "objects:\n"
        "  - {name: f, type: Frame4K, fill: [{offset: 0, data: '00ff'}]}\n"
        "  - {name: t, type: TCB, tls: 0x1000}\n"
        "policy: {clients: []}\n", "x.yaml")
    with pytest.raises(SpecError) as err:
        export_cdl(spec)
    assert "x.yaml:4: t: 'tls' has no capDL equivalent" in _error_strings(err.value)
    spec.objects[1].tls = None
    _, warnings = export_cdl(spec)
    assert [str(w) for w in warnings] == [
        "x.yaml:3: f: frame contents given as 'data' are not exported: capDL fills name files, and "
        "no data file was given (export -o OUT.cdl writes one; this frame)"]
    # with a data file, the bytes go there and the fill names it
    model, warnings = export_cdl(spec, "x.data")
    assert [str(w) for w in warnings] == []
    assert model.notes[-1][:2] == ("policy", [])  # the policy goes as a note (policy_notes.py)
    assert model.files == {"x.data": b"\x00\xff"}
    assert model.objects[("f", None)].params["fill"][0].items == (0, 2, "CDL_FrameFill_FileData",
                                                                 "x.data", 0)


def test_export_needs_expanded_programs():
    spec = read_spec_text("version: 1\ncomponents:\n  - name: c\n    program: {elf: c.elf}\n", "p.yaml")
    with pytest.raises(SpecError, match="programs and regions must be expanded"):
        export_cdl(spec)


def test_export_names_and_table_levels():
    spec = read_spec_text(
        "version: 1\n"
        "components:\n"
        "  - name: a\n"
        "    objects:\n"
        "      - {name: tcb, type: TCB, vspace: vs}\n"
        "      - {name: vs, type: VSpace, entries: [{index: 0, table: l1}]}\n"
        "      - {name: l1, type: PageTable, entries: [{index: 1, table: l2}]}\n"
        "      - {name: l2, type: PageTable, entries: [{index: 2, frame: big}]}\n"
        "      - {name: big, type: Frame2M}\n"
        "  - name: b\n"
        "    objects:\n"
        "      - {name: tcb, type: TCB}\n", "n.yaml")
    model, _ = export_cdl(spec)
    kinds = {oid[0]: obj.kind for oid, obj in model.objects.items()}
    assert kinds == {"a_tcb": "tcb", "vs": "pgd", "l1": "pud", "l2": "pd", "big": "frame", "b_tcb": "tcb"}
    assert model.objects[("l2", None)].slots[2].rights == frozenset("RW")


def test_a_lone_original_survives_export_and_import():
    spec = read_spec_text(
        "version: 1\n"
        "components:\n"
        "  - name: srv\n"
        "    cspace:\n"
        "      bits: 2\n"
        "      slots:\n"
        "        - {slot: 1, cap: ep, original: true}\n"
        "        - {slot: 2, cap: ntfn}\n"
        "    objects:\n"
        "      - {name: ep, type: Endpoint}\n"
        "      - {name: ntfn, type: Notification}\n", "o.yaml")
    model, warnings = export_cdl(spec)
    text = print_cdl(model)
    assert "cdt {\n  (cspace, 1) {}\n}" in text  # only the cdt says which cap is original
    back = parse_cdl(text, "o.cdl")
    assert back.same_as(model) and not warnings
    again, _ = import_cdl(back)
    objects = again.objects + [o for comp in again.components for o in comp.objects]
    originals = [(o.name, c.slot, c.cap) for o in objects if o.type == "CNode" for c in o.slots if c.original]
    assert originals == [("cspace", 1, "ep")]


def test_a_childless_cdt_parent_must_hold_a_cap():
    with pytest.raises(SpecError, match=r"c.cdl:6: cdt: slot 3 of 'cn' holds no cap"):
        import_cdl(parse_cdl("arch aarch64\nobjects {\n  cn = cnode (2 bits)\n}\ncdt {\n  (cn, 3) {}\n}\n",
                             "c.cdl"))


def test_two_tcbs_that_would_share_a_component_name_get_two():
    spec, _ = import_cdl(parse_cdl("arch aarch64\nobjects {\n  a_tcb = tcb\n  a = tcb\n}\n", "t.cdl"))
    assert [c.name for c in spec.components] == ["a", "a_2"]
    assert [[o.name for o in c.objects] for c in spec.components] == [["a_tcb"], ["a"]]
