"""seL4 .cdl files come in whole, and round trips keep programs: FileData fills become Sigil
file fills (and back), a non-MCS `fault_ep:` CPtr becomes the fault handler cap it names, and
every spec in specs/ goes YAML -> .cdl -> YAML and compiles to the same system: the same
program bytes in the same kind and number of objects, threads with the same settings, and the
same components (names, the resource manager, their tcb/cspace/vspace). The systems built from
round-tripped specs boot in QEMU too (loader.roundtrip_*)."""

import collections
import hashlib
import re
import subprocess

import pytest

from capdl.cdl import parse_cdl, print_cdl
from capdl.cdl.exporter import export_cdl
from capdl.cdl.importer import import_cdl
from capdl.cli import main
from capdl.errors import SpecError
from capdl.yamlio import read_spec_text
from conftest import REPO

FILES = """arch aarch64
objects {
  code = frame (4k, fill: [{0 16 CDL_FrameFill_FileData "app.bin" 32}, {100 8 CDL_FrameFill_FileData "/abs/d.bin" 0}])
  t = tcb (fault_ep: 0x1a)
  cn = cnode (4 bits)
  sub = cnode (2 bits)
  e = ep
}
caps {
  t { cspace: cn (guard: 0, guard_size: 56) }
  cn { 1: sub (guard: 2, guard_size: 2) 3: code }
  sub { 2: e (RWP, badge: 7) }
}
"""


def test_filedata_fills_are_imported_and_exported():
    spec, warnings = import_cdl(parse_cdl(FILES, "f.cdl"))
    code = next(o for o in spec.all_objects() if o.name == "code")
    assert [(f.offset, f.file, f.file_offset, f.length, f.loc.line) for f in code.fill] == [
        (0, "app.bin", 32, 16, 3), (100, "/abs/d.bin", 0, 8, 3)]
    text = print_cdl(export_cdl(spec)[0], "again")
    assert ('fill: [{0 16 CDL_FrameFill_FileData "app.bin" 32}, '
            '{100 8 CDL_FrameFill_FileData "/abs/d.bin" 0}]') in text


def test_file_dir_says_where_the_files_are():
    spec, _ = import_cdl(parse_cdl(FILES, "f.cdl"), file_dir="build/images")
    code = next(o for o in spec.all_objects() if o.name == "code")
    assert [f.file for f in code.fill] == ["build/images/app.bin", "/abs/d.bin"]


def test_fault_ep_cptr_becomes_the_cap_it_names():
    # 0x1a with 64 bits: 56 guard bits of 0, slot 1 of cn (4 bits), guard 0b10, slot 2 of sub
    spec, warnings = import_cdl(parse_cdl(FILES, "f.cdl"))
    tcb = next(o for o in spec.all_objects() if o.type == "TCB")
    handler = tcb.fault_handler
    assert (handler.cap.rsplit(".", 1)[-1], handler.badge, handler.rights, handler.loc.line) == (
        "e", 7, ["Read", "Write", "GrantReply"], 4)


def test_fault_ep_next_to_a_fault_ep_slot_is_a_warning():
    text = FILES.replace("t { cspace: cn (guard: 0, guard_size: 56) }",
                         "t { cspace: cn (guard: 0, guard_size: 56) fault_ep_slot: e (W, badge: 1) }")
    spec, warnings = import_cdl(parse_cdl(text, "f.cdl"))
    assert [str(w) for w in warnings if "fault_ep" in str(w)] == [
        "f.cdl:4: t: 'fault_ep: 0x1a' is not imported: the TCB's fault_ep_slot cap is the fault "
        "handler"]


def _contents(frame) -> str:
    """A filled frame's bytes as the loader writes them (zeros where nothing is filled)."""
    page = bytearray(4096)
    for f in frame.fill:
        data = bytes.fromhex(f.data)
        page[f.offset:f.offset + len(data)] = data
    return hashlib.sha256(page).hexdigest()


def _system(specc, path, programs, out) -> dict:
    """What a spec compiles to, names aside: program bytes, object kinds, thread settings."""
    blob = out / (path.stem + ".bin")
    subprocess.run([str(specc), "-L", str(programs), "-o", str(blob), str(path)], check=True)
    dump = subprocess.run([str(specc), "--dump", str(blob)], capture_output=True, text=True,
                          check=True).stdout
    spec = read_spec_text(dump, str(blob))
    objs = spec.all_objects()
    threads = sorted((o.entry, o.stack, o.priority, o.max_priority, tuple(o.args or ()),
                      o.ipc_buffer.vaddr if o.ipc_buffer else None,
                      o.fault_handler.badge if o.fault_handler else None)
                     for o in objs if o.type == "TCB")
    components = sorted((c.name, bool(c.resource_manager),
                         sorted(o.name for o in c.objects if o.name in ("tcb", "cspace", "vspace")))
                        for c in spec.components)
    return {"pages": sorted(_contents(o) for o in objs if o.fill),
            "types": collections.Counter(o.type for o in objs), "threads": threads,
            "components": components}


@pytest.mark.parametrize("name", sorted(p.stem for p in (REPO / "specs").glob("*.yaml")))
def test_yaml_cdl_yaml_keeps_the_system(specc, tmp_path, name, capsys):
    from capdl import compiler
    programs = compiler.default_search()[0]
    original = REPO / "specs" / f"{name}.yaml"
    cdl, back = tmp_path / f"{name}.cdl", tmp_path / f"{name}.yaml"
    (tmp_path / "back").mkdir()
    (tmp_path / "original").mkdir()
    assert main(["export", str(original), "-o", str(cdl)]) == 0
    assert re.search(r'CDL_FrameFill_FileData "\w+\.elf"', cdl.read_text())
    assert main(["import", str(cdl), "-o", str(back)]) == 0
    capsys.readouterr()
    assert _system(specc, back, programs, tmp_path / "back") == \
        _system(specc, original, programs, tmp_path / "original")
    assert read_spec_text(back.read_text(), str(back)).policy == \
        _policy_named_as_imported(read_spec_text(original.read_text(), str(original)).policy)


def _policy_named_as_imported(policy):
    """rm-demo.yaml's policy as import gives it back: the endpoint, which several components
    hold, is a top-level object; the reply stays the manager's; every default is written out."""
    if policy is None:
        return None
    from capdl.model import Policy
    back = Policy(endpoint="rm_endpoint", reply="rm.rm_reply", clients=policy.clients)
    for c in back.clients:
        for key, default in (("reply_objects", 0), ("admin", False), ("grant_via_reply", True),
                             ("on_fault", "kill"), ("pageable", False), ("smc", []), ("caps", []),
                             ("objects", 0)):
            if getattr(c, key) is None:
                setattr(c, key, default)
    return back


NOTES = """-- sigil: component server thread=s_tcb resource_manager tcb=s_tcb cspace=s_cn
arch aarch64
objects {
  s_tcb = tcb
  s_cn = cnode (2 bits)
  c_tcb = tcb
}
caps {
  s_tcb { cspace: s_cn }
}
"""


def test_component_notes_bring_back_components():
    spec, warnings = import_cdl(parse_cdl(NOTES, "n.cdl"))
    assert warnings == []
    assert [(c.name, c.resource_manager, sorted(o.name for o in c.objects))
            for c in spec.components] == [("server", True, ["cspace", "tcb"]), ("c", None, ["c_tcb"])]
    again = print_cdl(export_cdl(spec)[0])
    assert again.splitlines()[:2] == [
        "-- sigil: component server thread=tcb resource_manager tcb=tcb cspace=cspace",
        "-- sigil: component c thread=c_tcb"]


@pytest.mark.parametrize("note, message", [
    ("component server thread=nobody", "n.cdl:1: '-- sigil: component NAME thread=TCB ...' names a "
                                       "TCB of the spec"),
    ("component server thread=s_tcb vspace=s_cn2", "n.cdl:1: 'vspace=s_cn2' in '-- sigil: "
                                                   "component server' is not resource_manager or "
                                                   "ROLE=OBJECT of that component"),
    ("component server thread=s_tcb tcb=c_tcb", "n.cdl:1: 'tcb=c_tcb' in '-- sigil: component "
                                                "server' is not resource_manager or ROLE=OBJECT of "
                                                "that component"),
])
def test_component_notes_that_name_nothing_are_errors(note, message):
    text = NOTES.replace("component server thread=s_tcb resource_manager tcb=s_tcb cspace=s_cn",
                         note, 1)
    with pytest.raises(SpecError) as err:
        import_cdl(parse_cdl(text, "n.cdl"))
    assert str(err.value).splitlines() == [message]


def test_a_second_manager_is_an_error_and_unknown_notes_are_warnings():
    text = ("-- sigil: component c thread=c_tcb resource_manager\n-- sigil: colour blue\n"
            + NOTES)
    with pytest.raises(SpecError) as err:
        import_cdl(parse_cdl(text, "n.cdl"))
    assert str(err.value).splitlines() == ["n.cdl:3: a second resource manager ('server' after 'c')"]
    spec, warnings = import_cdl(parse_cdl(text.replace(" resource_manager", "", 1), "n.cdl"))
    assert [str(w) for w in warnings] == ["n.cdl:2: unknown Sigil note 'colour' is ignored"]


SHARED = """-- sigil: component client thread=c_tcb tcb=c_tcb cspace=c_cn
-- sigil: component rm thread=r_tcb resource_manager tcb=r_tcb cspace=r_cn
arch aarch64
objects {
  c_tcb = tcb
  c_cn = cnode (2 bits)
  r_tcb = tcb
  r_cn = cnode (2 bits)
}
caps {
  c_tcb { cspace: c_cn }
  r_tcb { cspace: r_cn }
  r_cn { 1: c_cn 2: c_tcb }
}
"""


def test_a_note_gives_an_object_two_components_refer_to_its_owner():
    # The manager holds caps to a managed client's CSpace and TCB, so the CSpace is referred to
    # from two components: the client's note says whose it is (an exported rm-demo.yaml).
    spec, warnings = import_cdl(parse_cdl(SHARED, "s.cdl"))
    assert warnings == []
    assert [(c.name, sorted(o.name for o in c.objects)) for c in spec.components] == \
        [("client", ["cspace", "tcb"]), ("rm", ["cspace", "tcb"])]
    rm_cspace = next(o for o in spec.component("rm").objects if o.name == "cspace")
    assert [(s.slot, s.cap) for s in rm_cspace.slots] == [(1, "client.cspace"), (2, "client.tcb")]


POLICY = SHARED.replace("arch aarch64", """-- sigil: policy endpoint=ep
-- sigil: client {"component":"client","id":7,"memory":4096,"objects":2,"caps":["c_cn"]}
arch aarch64""", 1).replace("  r_cn = cnode (2 bits)", "  r_cn = cnode (2 bits)\n  ep = ep", 1)


def test_policy_notes_bring_back_the_policy():
    spec, warnings = import_cdl(parse_cdl(POLICY, "p.cdl"))
    assert warnings == []
    p = spec.policy
    assert (p.endpoint, p.reply) == ("ep", None)
    assert [(c.component, c.id, c.memory, c.objects, c.caps) for c in p.clients] == \
        [("client", 7, 4096, 2, ["client.cspace"])]
    again = print_cdl(export_cdl(spec)[0]).splitlines()
    assert again[2:4] == [
        "-- sigil: policy endpoint=ep",
        '-- sigil: client {"component":"client","id":7,"memory":4096,"objects":2,'
        '"caps":["client_cspace"]}']


@pytest.mark.parametrize("old, new, message", [
    ("endpoint=ep", "endpoint=nothing",
     "p.cdl:3: 'endpoint=nothing' in '-- sigil: policy' is not endpoint=OBJECT or reply=OBJECT"),
    ('"objects":2,', '"objects":2,"colour":"blue",',
     "p.cdl:4: '-- sigil: client': client: unknown key 'colour'"),
    ('"c_cn"', '"nothing"', "p.cdl:4: '-- sigil: client client': caps: no object named 'nothing'"),
    ('{"component"', '["component"',
     "p.cdl:4: '-- sigil: client' wants one client as JSON: {\"component\":NAME,\"id\":N,...}"),
    ("-- sigil: policy endpoint=ep\n", "",
     "p.cdl:3: a '-- sigil: client' line without a '-- sigil: policy' line"),
])
def test_policy_notes_that_say_nothing_right_are_errors(old, new, message):
    with pytest.raises(SpecError) as err:
        import_cdl(parse_cdl(POLICY.replace(old, new, 1), "p.cdl"))
    assert str(err.value).splitlines() == [message]
