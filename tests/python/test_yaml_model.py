"""The YAML spec model: round trips through the model, and one fixture per reading error."""

import pytest

from capdl.cdl import parse_cdl_file
from capdl.errors import SpecError, SpecErrors
from capdl.model import CNodeRef, FaultHandler
from capdl.yamlio import parse_number, read_spec, read_spec_text, write_spec_text
from conftest import FIXTURES, expectations, fixture_files, ids

SPECS = fixture_files("yaml", ".yaml")
ERRORS = fixture_files("yaml/errors", ".yaml")
DOC_EXAMPLE = FIXTURES.parent.parent.parent / "docs" / "spec-format.md"


@pytest.mark.parametrize("path", SPECS, ids=ids(SPECS))
def test_yaml_roundtrip_through_the_model(path):
    spec = read_spec(str(path))
    text = write_spec_text(spec)
    again = read_spec_text(text, "again.yaml")
    assert again == spec
    assert write_spec_text(again) == text


def test_the_example_of_the_format_document_roundtrips():
    doc = DOC_EXAMPLE.read_text()
    start = doc.index("```yaml\nversion: 1\n\n# Objects")
    text = doc[start + len("```yaml\n"):doc.index("```", start + 7)]
    spec = read_spec_text(text, "example.yaml")
    assert [c.name for c in spec.components] == ["rm", "server", "client", "driver"]
    assert read_spec_text(write_spec_text(spec), "again.yaml") == spec


def test_every_value_kind_is_read():
    spec = read_spec(str(FIXTURES / "yaml" / "system.yaml"))
    app = spec.component("app")
    tcb = next(o for o in app.objects if o.name == "tcb")
    assert tcb.cspace == CNodeRef(cap="cn", guard=0, guard_size=60)
    assert tcb.fault_handler == FaultHandler(cap="rm.faults", badge=7, rights=["Write", "GrantReply"])
    assert tcb.args == [1, 2, 3] and tcb.start is True and tcb.fpu is False
    assert spec.policy.clients[0].memory == 1 << 20
    assert tcb.loc.line == 65 and tcb.loc.file.endswith("system.yaml")
    cn = next(o for o in app.objects if o.name == "cn")
    assert [c.slot for c in cn.slots] == [1, 2, 3, 4, 5, 6, 7]
    assert spec.component("rm").cspace.slots[1].slot is None  # "previous + 1" is the compiler's


def test_cap_shorthand_is_written_back_as_a_name():
    spec = read_spec_text("version: 1\nobjects:\n  - {name: t, type: TCB, cspace: cn}\n", "s.yaml")
    assert spec.objects[0].cspace == CNodeRef(cap="cn")
    assert "cspace: cn" in write_spec_text(spec)


def test_names_yaml_would_read_as_booleans_are_quoted():
    spec = read_spec_text('version: 1\nobjects:\n  - {name: "no", type: Endpoint}\n', "q.yaml")
    assert '{name: "no", type: Endpoint}' in write_spec_text(spec)


@pytest.mark.parametrize("text,value", [("4096", 4096), ("0x1_000", 4096), ("0o17", 15), ("0b101", 5),
                                        ("16K", 16384), ("2M", 2 << 20), ("1G", 1 << 30)])
def test_numbers(text, value):
    assert parse_number(text) == value


def test_size_suffix_only_where_allowed():
    assert parse_number("4K", sizes=False) is None
    assert parse_number("12z") is None


@pytest.mark.parametrize("path", ERRORS, ids=ids(ERRORS))
def test_reading_error_fixture(path):
    expected = expectations(path, "# expect:")
    assert expected, "each error fixture names every message it gives"
    with pytest.raises(SpecError) as err:
        read_spec(str(path))
    found = [str(e) for e in err.value.errors] if isinstance(err.value, SpecErrors) else [str(err.value)]
    assert found == [f"{path}:{e}" for e in expected]


def test_all_reading_errors_of_a_file_are_reported():
    with pytest.raises(SpecErrors) as err:
        read_spec_text("version: 1\nobjects:\n  - {name: a, type: X, colour: red}\n  - {name: b}\n"
                       "components:\n  - {name: c, programme: x}\n", "many.yaml")
    assert [str(e) for e in err.value.errors] == [
        "many.yaml:3: objects[0]: unknown key 'colour'",
        "many.yaml:4: objects[1]: missing required key 'type'",
        "many.yaml:6: components[0]: unknown key 'programme'"]


@pytest.mark.parametrize("text", ["0x", "0x_1", "0b_", "0o_", "0b2", "_1", "1K_"])
def test_numbers_need_digits(text):
    assert parse_number(text) is None


def test_a_control_character_is_an_error_at_its_line():
    with pytest.raises(SpecError, match=r"^c.yaml:2: syntax error: (control|special) characters are not allowed$"):
        read_spec_text("version: 1\n# \x01\n", "c.yaml")


@pytest.mark.parametrize("suffix", [".yaml", ".cdl"])
def test_bytes_that_are_not_utf8_are_an_error_at_their_line(tmp_path, suffix):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(b"version: 1\n\n# caf\xff\n")
    read = read_spec if suffix == ".yaml" else parse_cdl_file
    with pytest.raises(SpecError, match=rf"^{path}:3: byte 0xff is not UTF-8 text$"):
        read(str(path))
