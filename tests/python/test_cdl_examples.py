"""seL4's capDL-tool example files, construct by construct.

The repository may not carry other projects' files, so fixtures/cdl/examples/ holds .cdl files
of our own that use every construct of capDL-tool's example-aarch64.cdl, example-arm.cdl,
hello-dump.cdl and cap-dist-elf-simpleserver.cdl, written for AArch64, each line saying which
construct it stands for: what imports (with exactly the warnings each file lists) and what is
refused (exactly the errors listed, all in one run). The real files are checked by
capdl_examples.py when their directory is given (docs/spec-tools.md, "seL4's example files")."""

import pytest

from capdl.cdl import parse_cdl_file
from capdl.cdl.importer import import_cdl
from capdl.errors import SpecError, SpecErrors
from conftest import expectations, fixture_files, ids

EXAMPLES = fixture_files("cdl/examples", ".cdl")


def _messages(err: SpecError) -> list:
    return [str(e) for e in err.errors] if isinstance(err, SpecErrors) else [str(err)]


def test_every_example_construct_file_is_here():
    assert [p.name for p in EXAMPLES] == [
        "aarch64_objects_and_caps.cdl", "aarch64_refused.cdl", "dump_and_server.cdl"]


@pytest.mark.parametrize("path", EXAMPLES, ids=ids(EXAMPLES))
def test_example_constructs(path):
    errors = expectations(path, "-- expect:")
    warnings = expectations(path, "-- expect-warning:")
    assert errors or warnings, "each file says what it gives"
    if errors:
        with pytest.raises(SpecError) as err:
            import_cdl(parse_cdl_file(str(path)))
        assert _messages(err.value) == [f"{path}:{e}" for e in errors]
    else:
        _, got = import_cdl(parse_cdl_file(str(path)))
        assert sorted(str(w) for w in got) == sorted(f"{path}:{w}" for w in warnings)


def _objects(name: str) -> dict:
    spec, _ = import_cdl(parse_cdl_file(str(next(p for p in EXAMPLES if p.name == name))))
    return {o.name: o for o in spec.all_objects()}


def test_example_aarch64_constructs_mean_what_capdl_tool_says():
    objs = _objects("aarch64_objects_and_caps.cdl")
    # covers, as capDL-tool prints them (size-less untypeds are dropped, what they hold stays)
    assert {n: o.covers for n, o in objs.items() if o.covers} == {
        "nested": ["mgr.mgr_cn"], "small__0": ["g.g", "mgr.name_b"],
        "name": ["y__0", "y__1", "y__2", "z"], "name_b": ["name"]}
    # `irq maps { irq_handler[] }` numbers the handlers from 0
    assert sorted((n, o.irq) for n, o in objs.items() if o.type == "IRQHandler") == [
        ("irq_handler__0", 0), ("irq_handler__1", 1), ("irq_handler__2", 2)]
    slots = {c.slot: c for c in objs["mgr_cn"].slots}
    # `306: test[1,2]`, `308: <name3>` (name3 is `name_b` in test[2..]), copies and ranges
    assert [(s, slots[s].cap) for s in (304, 305, 306, 307, 308)] == [
        (304, "test__0"), (305, "test__1"), (306, "test__1"), (307, "test__2"), (308, "name_b")]
    # `0x00c: small[3..5]`, `0x00f: small[7..20, 23, 27..]`: consecutive slots from 12 on
    assert [slots[s].cap for s in range(12, 53)] == [
        f"small__{i}" for i in (3, 4, 5, *range(7, 21), 23, *range(27, 50))]
    assert 53 not in slots and slots[0x3e].cap == "big__0"
    # `name2 = <cap_name> (masked: R)`, cap_name = (mgr_tcb, cspace): the CSpace root's cap
    assert [slots[s].cap for s in (0x12f, 0x200, 0x201)] == ["mgr_cn", "mgr_cn", "mgr_cn"]
    assert [slots[0x202 + i].cap for i in range(3)] == ["nic1__0", "nic1__1", "nic1__2"]
    assert objs["mgr_tcb"].fault_handler.cap == "control" and objs["mgr_tcb"].fault_handler.badge == 10
