"""Authority analysis on small specs whose answers are known by hand."""

import json

import pytest

from capdl.authority import analyse, reach_table, to_dot, to_json, to_text
from capdl.errors import SpecErrors
from capdl.yamlio import read_spec_text

HEAD = "version: 1\ncomponents:\n"


def component(name, slots, objects="", extra=""):
    """YAML of a component with a 4-bit cspace holding `slots` (flow mappings)."""
    lines = [f"  - name: {name}", extra] if extra else [f"  - name: {name}"]
    if objects:
        lines.append("    objects:")
        lines += [f"      - {o}" for o in objects.split(";")]
    lines.append("    cspace:\n      bits: 4\n      slots:")
    lines += [f"        - {s}" for s in slots] or ["        []"]
    return "\n".join(lines) + "\n"


def reach(analysis, who):
    return {row["object"] for row in reach_table(analysis.principals[who])}


def spec(*components, tail=""):
    return read_spec_text(HEAD + "".join(components) + tail, "a.yaml")


def test_cnode_caps_are_followed_transitively():
    a = analyse(spec(
        component("a", ["{slot: 1, cap: x}"],
                  "{name: x, type: CNode, bits: 2, slots: [{slot: 0, cap: y}]};"
                  "{name: y, type: CNode, bits: 2, slots: [{slot: 0, cap: e, rights: [Read]}]};"
                  "{name: e, type: Endpoint}"),
        component("b", ["{slot: 1, cap: a.e, rights: [Write]}"]),
        component("c", ["{slot: 1, cap: a.cspace}"])))
    assert reach(a, "a") == {"a.x", "a.y", "a.e"}
    assert reach(a, "b") == {"a.e"}
    assert reach(a, "c") == {"a.cspace", "a.x", "a.y", "a.e"}
    via = {r["object"]: r["via"] for r in reach_table(a.principals["c"])}
    assert via["a.e"] == "slot 0 of a.y"
    assert a.flows == []


def test_grant_over_an_endpoint_passes_caps_to_the_receiver():
    a = analyse(spec(
        component("s", ["{slot: 1, cap: r.e, rights: [Write, Grant]}", "{slot: 2, cap: n}"],
                  "{name: n, type: Notification}"),
        component("r", ["{slot: 1, cap: e, rights: [Read]}"], "{name: e, type: Endpoint}")))
    assert "s.n" in reach(a, "r")
    via = {r["object"]: r["via"] for r in reach_table(a.principals["r"])}
    assert via["s.n"] == "granted by s over r.e"
    assert "s.n" not in {row["object"] for row in reach_table(a.principals["s"]) if not row["direct"]}
    assert a.flows == [{"from": "s", "to": "r", "endpoint": "r.e", "kind": "send"}]


def test_no_grant_no_flow():
    a = analyse(spec(
        component("s", ["{slot: 1, cap: r.e, rights: [Write, GrantReply]}", "{slot: 2, cap: n}"],
                  "{name: n, type: Notification}"),
        component("r", ["{slot: 1, cap: e, rights: [Read]}"], "{name: e, type: Endpoint}")))
    assert "s.n" not in reach(a, "r")
    assert a.flows == []


def test_reply_with_grant_passes_caps_back_to_the_caller():
    a = analyse(spec(
        component("caller", ["{slot: 1, cap: srv.e, rights: [Write, GrantReply]}"]),
        component("srv", ["{slot: 1, cap: e, rights: [Read, Grant]}", "{slot: 2, cap: secret}"],
                  "{name: e, type: Endpoint};{name: secret, type: Frame4K}")))
    assert "srv.secret" in reach(a, "caller")
    assert a.flows == [{"from": "srv", "to": "caller", "endpoint": "srv.e", "kind": "reply"}]


def test_received_caps_open_new_flows():
    # s1 gives r1 a Grant cap to e2; then r1 can pass its caps to r2.
    a = analyse(spec(
        component("s1", ["{slot: 1, cap: r1.e1, rights: [Write, Grant]}",
                         "{slot: 2, cap: r2.e2, rights: [Write, Grant]}"]),
        component("r1", ["{slot: 1, cap: e1, rights: [Read]}", "{slot: 2, cap: t}"],
                  "{name: e1, type: Endpoint};{name: t, type: Notification}"),
        component("r2", ["{slot: 1, cap: e2, rights: [Read]}"], "{name: e2, type: Endpoint}")))
    assert "r1.t" in reach(a, "r2")
    assert {"from": "r1", "to": "r2", "endpoint": "r2.e2", "kind": "send"} in a.flows


def test_fault_handler_caps_are_held_but_pass_nothing():
    a = analyse(spec(
        component("h", ["{slot: 1, cap: f, rights: [Read, Grant]}"], "{name: f, type: Endpoint}"),
        component("t", ["{slot: 1, cap: n}"],
                  "{name: n, type: Notification};"
                  "{name: tcb, type: TCB, cspace: cspace,"
                  " fault_handler: {cap: h.f, badge: 3, rights: [Write, Grant]}}")))
    rows = [r for r in reach_table(a.principals["t"]) if r["object"] == "h.f"]
    assert rows == [{"object": "h.f", "type": "Endpoint", "rights": ["Write", "Grant"], "badge": 3,
                     "via": "fault handler of t.tcb", "direct": True}]
    assert "t.n" not in reach(a, "h")


def test_smc_function_ids():
    a = analyse(spec(
        component("rm", ["{slot: 1, cap: smc}", "{slot: 2, cap: e, rights: [Write, Grant]}"],
                  "{name: smc, type: SMC};{name: e, type: Endpoint}", "    resource_manager: true"),
        component("psci", ["{slot: 1, cap: rm.smc, badge: 0x84000000}",
                           "{slot: 2, cap: rm.smc, badge: 0x84000008}"]),
        component("none", []),
        tail="policy:\n  clients:\n    - {component: none, id: 1, smc: [0x84000000]}\n"))
    assert a.smc["rm"] == {"any": True, "ids": [], "policy": []}
    assert a.smc["psci"] == {"any": False, "ids": [0x84000000, 0x84000008], "policy": []}
    assert a.smc["none"] == {"any": False, "ids": [], "policy": [0x84000000]}
    assert "0x84000000, 0x84000008" in to_text(a)


def test_revoke_through_the_original_cap():
    a = analyse(spec(
        component("owner", ["{slot: 1, cap: e, rights: [Read], original: true}"],
                  "{name: e, type: Endpoint}"),
        component("user", ["{slot: 1, cap: owner.e, rights: [Write], badge: 4}"]),
        component("admin", ["{slot: 1, cap: owner.cspace}"]),
        component("pool", ["{slot: 1, cap: u}", "{slot: 2, cap: n}"],
                  "{name: u, type: Untyped, bits: 12};{name: n, type: Notification}")))
    originals = [r for r in a.revoke if not r.get("untyped")]
    # admin reaches the original's slot through its CNode cap, so it holds it too
    assert originals == [{"object": "owner.e", "original": "owner.cspace[1]", "holders": ["admin", "owner"],
                          "revokers": ["admin"],
                          "derived": [{"slot": "user.cspace[1]", "holders": ["user"]}]}]
    untyped = [r for r in a.revoke if r.get("untyped")]
    assert untyped == [{"object": "pool.u", "untyped": True, "holders": ["pool"], "revokers": ["pool"],
                        "derived": [], "covers": []}]
    assert "owner.e: original owner.cspace[1] (held by admin, owner), revocable by admin" in to_text(a)


def test_the_holder_of_an_untyped_revokes_what_it_covers():
    a = analyse(spec(
        component("pool", ["{slot: 1, cap: u}"],
                  "{name: u, type: Untyped, bits: 16, covers: [inner, e, other.n]};"
                  "{name: inner, type: Untyped, bits: 12, covers: [f]};"
                  "{name: e, type: Endpoint};{name: f, type: Frame4K}"),
        component("other", [], "{name: n, type: Notification}")))
    (entry,) = [r for r in a.revoke if r.get("untyped")]
    assert (entry["object"], entry["revokers"], entry["covers"]) == (
        "pool.u", ["pool"], ["other.n", "pool.e", "pool.f", "pool.inner"])
    assert ("  revokes: whatever it retypes from untyped pool.u, and the objects it covers: "
            "other.n, pool.e, pool.f, pool.inner") in to_text(a).splitlines()


def test_the_holder_of_the_original_revokes_with_a_cap_to_its_own_cspace():
    a = analyse(spec(
        component("owner", ["{slot: 1, cap: e, rights: [Read], original: true}", "{slot: 2, cap: cspace}"],
                  "{name: e, type: Endpoint}"),
        component("user", ["{slot: 1, cap: owner.e, rights: [Write]}"])))
    (entry,) = [r for r in a.revoke if not r.get("untyped")]
    assert entry["holders"] == ["owner"] and entry["revokers"] == ["owner"]


def test_mapped_memory_has_virtual_addresses():
    a = analyse(read_spec_text(
        "version: 1\ncomponents:\n  - name: c\n    objects:\n"
        "      - {name: vs, type: VSpace, entries: [{index: 0, table: l1}],"
        " mappings: [{vaddr: 0x5000, frame: g}]}\n"
        "      - {name: l1, type: PageTable, entries: [{index: 1, table: l2}]}\n"
        "      - {name: l2, type: PageTable, entries: [{index: 3, frame: big, rights: [Read]}]}\n"
        "      - {name: big, type: Frame2M}\n      - {name: g, type: Frame4K}\n"
        "      - {name: tcb, type: TCB, vspace: vs}\n", "m.yaml"))
    mapped = {(m["frame"], m["vaddr"], tuple(m["rights"])) for m in a.principals["c"].mapped}
    assert mapped == {("c.big", (1 << 30) + 3 * (2 << 20), ("Read",)), ("c.g", 0x5000, ("Read", "Write"))}


def test_output_formats():
    a = analyse(spec(
        component("s", ["{slot: 1, cap: r.e, rights: [Write, Grant]}"]),
        component("r", ["{slot: 1, cap: e, rights: [Read]}"], "{name: e, type: Endpoint}")))
    data = json.loads(to_json(a))
    assert set(data) == {"principals", "flows", "revoke"}
    assert data["principals"]["r"]["reach"][0]["object"] == "r.e"
    dot = to_dot(a)
    assert dot.startswith("digraph authority {") and dot.rstrip().endswith("}")
    assert '"component s" -> "component r" [label="grant via r.e"' in dot
    text = to_text(a)
    assert "s -> r over r.e (send)" in text


def test_endpoint_caps_without_rights_have_them_all():
    # No `rights`: every right, so each side can both send with Grant and receive.
    a = analyse(spec(
        component("x", ["{slot: 1, cap: e}", "{slot: 2, cap: nx}"],
                  "{name: e, type: Endpoint};{name: nx, type: Notification}"),
        component("y", ["{slot: 1, cap: x.e}", "{slot: 2, cap: ny}"], "{name: ny, type: Notification}")))
    assert "y.ny" in reach(a, "x") and "x.nx" in reach(a, "y")


def test_names_that_are_not_valid_or_not_unique_are_errors():
    text = spec(component("a.b", ["{slot: 1, cap: e}"], "{name: e, type: Endpoint}"),
                component("c", [], "{name: e, type: Endpoint};{name: e, type: Notification};{name: top, type: Endpoint}"),
                component("c", []), tail="objects:\n  - {name: top, type: Endpoint}\n")
    with pytest.raises(SpecErrors) as err:
        analyse(text)
    assert [str(e) for e in err.value.errors] == [
        "a.yaml:3: invalid name 'a.b'",
        "a.yaml:19: components.c: duplicate component 'c' (first at line 10)",
        "a.yaml:13: c.e: duplicate object 'c.e' (first at line 12)",
        "a.yaml:14: c.top: 'top' is also the name of a top-level object (line 25)"]
