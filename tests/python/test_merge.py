"""Spec merge (capdl.merge): the parts of fixtures/yaml/system.yaml written as two specs merge
back into it, the merged spec compiles, and every conflict is a located error naming both
places, with its exact message."""

import pytest

import capdl
from capdl import compiler
from capdl.authoring import SpecBuilder
from capdl.errors import SpecError, SpecErrors
from capdl.yamlio import read_spec, read_spec_text, write_spec_text
from conftest import FIXTURES

SYSTEM = FIXTURES / "yaml" / "system.yaml"


def split_system():
    """system.yaml as two specs: the manager's side (a.yaml) and the client (b.yaml)."""
    lines = SYSTEM.read_text().splitlines(keepends=True)
    app = next(i for i, line in enumerate(lines) if line.strip() == "- name: app")
    policy = next(i for i, line in enumerate(lines) if line.startswith("policy:"))
    clients = next(i for i, line in enumerate(lines) if line.strip() == "clients:")
    a = "".join(lines[:app] + lines[policy:clients])
    b = "version: 1\ncomponents:\n" + "".join(lines[app:policy] + ["policy:\n"] + lines[clients:])
    return a, b


def spec(text, name):
    return read_spec_text(text, name)


def conflict(*texts):
    with pytest.raises(SpecError) as err:
        capdl.merge(*(spec(t, f"{n}.yaml") for t, n in zip(texts, "abc")))
    return str(err.value)


def test_two_halves_merge_back_into_the_whole(tmp_path):
    a, b = split_system()
    assert "name: app" not in a and "rm.faults" in b  # b names a's objects: that is how specs link
    merged = capdl.merge(spec(a, "a.yaml"), spec(b, "b.yaml"))
    assert write_spec_text(merged) == write_spec_text(read_spec(str(SYSTEM)))


def test_the_merged_spec_compiles(specc, tmp_path):
    a, b = split_system()
    path = tmp_path / "merged.yaml"
    path.write_text(write_spec_text(spec(a, "a.yaml").merge(spec(b, "b.yaml"))))
    result = compiler.check_spec(str(path))
    assert (result.returncode, result.stderr) == (0, "")


def test_merge_takes_paths_and_builders_and_changes_no_input(tmp_path):
    a, b = split_system()
    (tmp_path / "a.yaml").write_text(a)
    builder = SpecBuilder()
    builder.object("extra", "Endpoint")
    b_spec = spec(b, "b.yaml")
    before = write_spec_text(b_spec)
    merged = capdl.merge(tmp_path / "a.yaml", b_spec, builder)
    assert write_spec_text(b_spec) == before
    assert [o.name for o in merged.objects] == ["shm", "uart", "irqctl", "extra"]
    assert [c.name for c in merged.components] == ["rm", "app"]
    assert merged.policy.endpoint == "rm.faults" and [c.id for c in merged.policy.clients] == [7]
    merged.objects[0].name = "changed"
    assert read_spec(str(tmp_path / "a.yaml")).objects[0].name == "shm"


def test_same_top_level_object():
    assert conflict("version: 1\nobjects:\n  - {name: shm, type: Frame4K}\n",
                    "version: 1\nobjects:\n  - {name: x, type: Endpoint}\n"
                    "  - {name: shm, type: Frame4K}\n") == (
        "b.yaml:4: objects.shm: top-level object 'shm' is defined twice: here and at a.yaml:3")


def test_same_component():
    assert conflict("version: 1\ncomponents:\n  - name: srv\n",
                    "version: 1\ncomponents:\n  - name: cl\n  - name: srv\n") == (
        "b.yaml:4: components.srv: component 'srv' is defined twice: here and at a.yaml:3")


def test_two_resource_managers():
    assert conflict("version: 1\ncomponents:\n  - {name: rm, resource_manager: true}\n",
                    "version: 1\ncomponents:\n  - {name: rm2, resource_manager: true}\n") == (
        "b.yaml:3: components.rm2: a second resource manager: 'rm' is one (a.yaml:3)")


def test_two_policy_endpoints():
    assert conflict("version: 1\npolicy:\n  endpoint: rm.ep\n",
                    "version: 1\npolicy:\n  endpoint: rm.ep\n  reply: rm.r\n",
                    "version: 1\n\npolicy:\n  endpoint: rm2.ep\n") == (
        "c.yaml:4: policy: two resource managers: endpoint 'rm2.ep' here, 'rm.ep' at a.yaml:3")


def test_two_clients_with_one_id():
    assert conflict("version: 1\npolicy:\n  clients:\n    - {component: a, id: 3}\n",
                    "version: 1\npolicy:\n  clients:\n    - {component: b, id: 4}\n"
                    "    - {component: c, id: 3}\n") == (
        "b.yaml:5: policy.clients[1]: client id 3 is also the id of 'a' (a.yaml:4)")


def test_one_component_a_client_twice():
    assert conflict("version: 1\npolicy:\n  clients:\n    - {component: a, id: 3}\n",
                    "version: 1\npolicy:\n  clients:\n    - {component: a, id: 4}\n") == (
        "b.yaml:4: policy.clients[0]: component 'a' is a client twice: here and at a.yaml:4")


def test_a_reference_that_would_change_meaning():
    # in b.yaml, 'ep' in component srv means srv.ep; a.yaml's top-level 'ep' would make a plain
    # 'ep' mean two objects (the format forbids a component object named like a top-level one)
    message = ("'ep' would name both a top-level object and 'srv.ep' ({}): a plain 'ep' would "
               "mean 'srv.ep' in component 'srv' and the top-level object elsewhere")
    top = "version: 1\nobjects:\n  - {name: ep, type: Endpoint}\n"
    comp = "version: 1\ncomponents:\n  - name: srv\n    objects:\n      - {name: ep, type: Endpoint}\n"
    assert conflict(top, comp) == "b.yaml:5: components.srv.ep: " + message.format("a.yaml:3")
    assert conflict(comp, top) == "b.yaml:3: objects.ep: " + message.format("a.yaml:5")
    # a program's implied objects count: a top-level 'tcb' would clash with a program's thread
    prog = "version: 1\ncomponents:\n  - name: cl\n    program: {elf: c.elf}\n"
    assert conflict(prog, "version: 1\nobjects:\n  - {name: tcb, type: TCB}\n") == (
        "b.yaml:3: objects.tcb: 'tcb' would name both a top-level object and 'cl.tcb' (a.yaml:4): "
        "a plain 'tcb' would mean 'cl.tcb' in component 'cl' and the top-level object elsewhere")


def test_singletons_and_irqs():
    assert conflict("version: 1\nobjects:\n  - {name: smc, type: SMC}\n",
                    "version: 1\ncomponents:\n  - name: rm\n    objects:\n"
                    "      - {name: psci, type: SMC}\n") == (
        "b.yaml:5: components.rm.psci: a second SMC object 'rm.psci': 'smc' is one (a.yaml:3)")
    assert conflict("version: 1\nobjects:\n  - {name: t, type: IRQHandler, irq: 34}\n",
                    "version: 1\nobjects:\n  - {name: u, type: IRQHandler, irq: 34}\n") == (
        "b.yaml:3: objects.u: irq 34 already has a handler, 't' (a.yaml:3)")


def test_every_conflict_is_reported_at_once():
    with pytest.raises(SpecErrors) as err:
        capdl.merge(spec("version: 1\nobjects:\n  - {name: x, type: Endpoint}\n"
                         "components:\n  - name: c\n", "a.yaml"),
                    spec("version: 1\nobjects:\n  - {name: x, type: Endpoint}\n"
                         "components:\n  - name: c\n", "b.yaml"))
    assert str(err.value).splitlines() == [
        "b.yaml:5: components.c: component 'c' is defined twice: here and at a.yaml:5",
        "b.yaml:3: objects.x: top-level object 'x' is defined twice: here and at a.yaml:3"]


def test_specs_without_locations_are_named_by_position():
    a, b = SpecBuilder(), SpecBuilder()
    a.object("ep", "Endpoint")
    b.object("ep", "Endpoint")
    with pytest.raises(SpecError) as err:
        capdl.merge(a, b)
    assert str(err.value) == "spec 2: objects.ep: top-level object 'ep' is defined twice: here and at spec 1"


def test_only_specs_merge():
    with pytest.raises(TypeError, match="cannot merge a int"):
        capdl.merge(3)
