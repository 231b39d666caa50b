"""Object classes (capdl.objects): one per type of the ABI description, each taking exactly the
fields kernel/abi/sigil.yaml `spec_fields` gives its type, producing the model's Obj, and
working with SpecBuilder; the compiler accepts what they build."""

import pytest
import yaml

from capdl import compiler, objects
from capdl.abi import DEFAULT_PATH
from capdl.authoring import SpecBuilder
from capdl.errors import SpecError
from capdl.model import CNodeRef, FaultHandler, IpcBuffer, Obj
from capdl.yamlio import write_spec_text


def test_there_is_a_class_for_every_type_of_the_abi():
    abi = yaml.safe_load(DEFAULT_PATH.read_text())
    assert objects.TYPES == (
        "Untyped", "TCB", "Endpoint", "Notification", "CNode", "Reply", "VSpace", "PageTable",
        "Frame4K", "Frame2M", "Frame1G", "IRQHandler", "IRQControl", "SMC", "Debug")
    assert set(objects.TYPES) == set(abi["objects"]) | set(abi["spec_objects"])
    for name in objects.TYPES:
        cls = getattr(objects, name)
        assert cls.__name__ == name and issubclass(cls, Obj)
        assert cls("x").type == name


def test_fields_come_from_the_abi():
    assert objects.fields_of("Endpoint") == ()
    assert objects.fields_of("CNode") == ("bits", "slots")
    assert objects.fields_of("Untyped") == ("bits", "covers", "paddr")
    assert objects.fields_of("Frame2M") == ("paddr", "fill")
    assert objects.fields_of("IRQHandler") == ("irq", "notification", "badge", "trigger")
    assert objects.fields_of("TCB") == (
        "cspace", "vspace", "ipc_buffer", "fault_handler", "bound_notification", "entry", "stack",
        "args", "priority", "max_priority", "fpu", "tls", "start")


def test_constructors_make_the_models_objects():
    assert objects.Endpoint("ep") == Obj(name="ep", type="Endpoint")
    assert objects.CNode("cn", 4) == Obj(name="cn", type="CNode", bits=4)
    assert objects.Untyped("pool", 20, 0x4000_0000) == Obj(name="pool", type="Untyped", bits=20,
                                                           paddr=0x4000_0000)
    assert objects.Frame("big", size="2M") == Obj(name="big", type="Frame2M")
    assert objects.Frame("p") == objects.Frame4K("p") == Obj(name="p", type="Frame4K")
    assert type(objects.Frame("g", "1G")) is objects.Frame1G
    assert objects.IRQHandler("t", 34, notification="n", badge=1) == Obj(
        name="t", type="IRQHandler", irq=34, notification="n", badge=1)
    tcb = objects.TCB("tcb", priority=100, cspace="cn", fault_handler="faults",
                      ipc_buffer=("ipc", 0x20_0000))
    assert tcb == Obj(name="tcb", type="TCB", priority=100, cspace=CNodeRef(cap="cn"),
                      fault_handler=FaultHandler(cap="faults"),
                      ipc_buffer=IpcBuffer(frame="ipc", vaddr=0x20_0000))
    assert objects.make("Notification", "n") == Obj(name="n", type="Notification")
    assert objects.Endpoint("ep") != objects.Endpoint("other")


@pytest.mark.parametrize("make, message", [
    (lambda: objects.Endpoint("ep", bits=4), "objects.ep: 'bits' does not apply to Endpoint objects"),
    (lambda: objects.TCB("t", paddr=0x1000), "objects.t: 'paddr' does not apply to TCB objects"),
    (lambda: objects.Frame("f", size="2M", slots=[]),
     "objects.f: 'slots' does not apply to Frame2M objects"),
    (lambda: objects.CNode("cn", 4, priority=1, component="srv"),
     "components.srv.cn: 'priority' does not apply to CNode objects"),
    (lambda: objects.Reply("r", colour="red"),
     "objects.r: Reply objects have no field 'colour' (they have: none)"),
    (lambda: objects.Untyped("u", 4, size=3),
     "objects.u: Untyped objects have no field 'size' (they have: bits, covers, paddr)"),
    (lambda: objects.Frame("f", size="16K"), "objects.f: frame size '16K' is not one of 4K, 2M, 1G"),
    (lambda: objects.make("Thing", "x"),
     "objects.x: unknown object type 'Thing' (types: Untyped, TCB, Endpoint, Notification, "
     "CNode, Reply, VSpace, PageTable, Frame4K, Frame2M, Frame1G, IRQHandler, IRQControl, SMC, Debug)"),
])
def test_a_field_the_type_does_not_have_is_refused(make, message):
    with pytest.raises(SpecError) as err:
        make()
    assert str(err.value) == f"<generated>: {message}"


def test_positional_misuse_is_a_type_error():
    with pytest.raises(TypeError, match=r"Endpoint\(\) takes the name and at most 0 more"):
        objects.Endpoint("ep", 4)
    with pytest.raises(TypeError, match=r"CNode\(\) got 'bits' twice"):
        objects.CNode("cn", 4, bits=5)
    with pytest.raises(TypeError, match="base of the object classes"):
        objects.TypedObject("x")


def test_objects_go_into_a_builder_and_compile(specc, tmp_path):
    b = SpecBuilder()
    ntfn = b.add(objects.Notification("ntfn"))
    b.add(objects.IRQHandler("timer", 34, notification="ntfn", badge=1, trigger="edge"))
    srv = b.component("srv")
    ep = srv.add(objects.Endpoint("ep"))
    cs = srv.cspace(bits=3)
    cs.add(ep, original=True)
    cs.add(ntfn, rights=["Read"])
    srv.add(objects.Frame("big", size="2M"))
    srv.add(objects.Untyped("pool", 16))
    text = b.to_yaml()
    assert text == (
        "version: 1\n\n"
        "objects:\n"
        "  - {name: ntfn, type: Notification}\n"
        "  - {name: timer, type: IRQHandler, irq: 34, notification: ntfn, badge: 1, trigger: edge}\n\n"
        "components:\n"
        "  - name: srv\n"
        "    objects:\n"
        "      - {name: ep, type: Endpoint}\n"
        "      - {name: big, type: Frame2M}\n"
        "      - {name: pool, type: Untyped, bits: 16}\n"
        "    cspace:\n"
        "      bits: 3\n"
        "      slots:\n"
        "        - {slot: 1, cap: ep, original: true}\n"
        "        - {slot: 2, cap: ntfn, rights: [Read]}\n")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    result = compiler.check_spec(str(path))
    assert (result.returncode, result.stderr) == (0, "")
    with pytest.raises(SpecError, match="duplicate object 'ep'"):
        srv.add(objects.Endpoint("ep"))
    assert write_spec_text(b.build()) == text
