"""Authority analysis: who can reach what, who can revoke what, who can issue which SMC calls.

Definitions (also in docs/spec-tools.md):

* **Principals** are components (all their threads together) and TCBs that belong to no component.
* A principal **holds** the caps in the CSpace roots of its threads and in its component's
  `cspace`, plus its threads' fault handler caps and bound notifications (those two are not in a
  CNode: they can be used but not passed on).
* **Reach** is the smallest set that contains the held caps and is closed under
  1. *CNode caps*: a cap to a CNode makes every cap in that CNode's slots reachable, transitively;
  2. *Grant over endpoints*: if principal S reaches an endpoint cap with Write and Grant and
     principal R reaches a cap to the same endpoint with Read, everything S reaches through
     CNodes can be sent to R (caps move with the message); and if R's receive cap has Grant
     (RFC-13: the reply object's canGrant) and S's cap has Write and Grant or GrantReply (it can
     Call), R can pass caps back to S in the reply.  Fault messages carry no caps, so fault
     handler caps create no flow.
  The closure is computed to a fixpoint, since received caps can open new flows.
* **Mapped memory**: frames in a thread's VSpace (page table entries, `mappings`, shared regions)
  and its IPC buffer, with the rights of the mapping.
* **Revoke**: the loader makes every cap to an object from one cap, which ends up in the slot
  marked `original: true` (if any), so the other caps are its children in the derivation tree.
  A principal can revoke them if it reaches a cap to the CNode holding the original (CNode_Revoke
  needs a CNode cap).  Without an original cap nobody can revoke an object's caps: each holder
  can only delete its own.  A holder of an untyped cap can retype it and revoke what it made,
  and the objects it `covers` (transitively), which the loader made from it.
* **SMC**: an SMC cap with badge 0 may issue any function id; a badged one only its badge.  The
  policy's `smc:` lists are reported separately: ids the resource manager may hand out later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .abi import load_abi
from .index import SpecIndex
from .model import APPLICABLE_RIGHTS, RIGHTS, Spec


@dataclass(frozen=True)
class Held:
    """A cap as far as authority goes: object, type, rights, badge."""

    obj: str
    type: str
    rights: frozenset
    badge: int


@dataclass
class Principal:
    name: str
    threads: list = field(default_factory=list)  # TCB Obj
    roots: list = field(default_factory=list)  # CNode Obj whose slots it uses directly
    caps: dict = field(default_factory=dict)  # Held -> how it got there (text)
    movable: set = field(default_factory=set)  # Held that sit in a CNode (can be passed on)
    cnodes: set = field(default_factory=set)  # full names of CNodes whose slots it uses
    mapped: list = field(default_factory=list)  # dicts: frame, rights, executable, vaddr, via


def effective_rights(obj_type: str, rights) -> frozenset:
    applicable = APPLICABLE_RIGHTS.get(obj_type, ())
    return frozenset(applicable if rights is None else [r for r in rights if r in applicable])


class Analysis:
    """Runs the analysis over one spec; results in `principals`, `flows`, `revoke`, `smc`."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.index = SpecIndex(spec)
        self.abi = load_abi()
        self.principals: dict = {}
        self.flows: list = []  # dicts: from, to, endpoint, kind
        self.revoke: list = []
        self.smc: dict = {}
        self._make_principals()

    # -- principals and what they hold -----------------------------------------------------
    def _make_principals(self) -> None:
        for comp in self.spec.components:
            self.principals[comp.name] = Principal(comp.name)
        for tcb in self.index.threads():
            key = tcb.component if tcb.component else self._thread_principal(tcb.name)
            self.principals.setdefault(key, Principal(key)).threads.append(tcb)
        for p in self.principals.values():
            for tcb in p.threads:
                root = self._cspace_root(tcb)
                if root is not None and root not in p.roots:
                    p.roots.append(root)
            own = self.index.objects.get((p.name, "cspace"))
            if own is not None and own.type == "CNode" and own not in p.roots:
                p.roots.append(own)

    def _thread_principal(self, name: str) -> str:
        return f"{name}#tcb" if self.spec.component(name) else name

    def _cspace_root(self, tcb):
        if tcb.cspace is None:
            return None
        obj = self.index.resolve(tcb.cspace.cap, tcb.component)
        return obj if obj is not None and obj.type == "CNode" else None

    def _held(self, cap, context):
        obj = self.index.resolve(cap.cap, context)
        if obj is None:
            return None, None
        held = Held(obj.full_name(), obj.type, effective_rights(obj.type, getattr(cap, "rights", None)),
                    getattr(cap, "badge", None) or 0)
        return held, obj

    def _add(self, p: Principal, held: Held, via: str, movable: bool, todo: list) -> bool:
        new = held not in p.caps
        if new:
            p.caps[held] = via
        if movable and held not in p.movable:
            p.movable.add(held)
            if held.type == "CNode":
                todo.append(held.obj)
            return True
        return new

    def _close(self, p: Principal, todo: list) -> None:
        """Follow CNode caps: every slot of every reached CNode is reached too."""
        while todo:
            name = todo.pop()
            if name in p.cnodes:
                continue
            p.cnodes.add(name)
            cnode = self.index.resolve(name, None)
            for cap in cnode.slots:
                held, _ = self._held(cap, cnode.component)
                if held is not None:
                    where = f"slot {cap.slot} of {name}" if cap.slot is not None else f"a slot of {name}"
                    self._add(p, held, where, True, todo)

    def _seed(self, p: Principal) -> None:
        todo = [root.full_name() for root in p.roots]
        for tcb in p.threads:
            if tcb.fault_handler is not None:
                held, _ = self._held(tcb.fault_handler, tcb.component)
                if held is not None:
                    self._add(p, held, f"fault handler of {tcb.full_name()}", False, todo)
            if tcb.bound_notification:
                obj = self.index.resolve(tcb.bound_notification, tcb.component)
                if obj is not None:
                    held = Held(obj.full_name(), obj.type, frozenset({"Read"}), 0)
                    self._add(p, held, f"bound notification of {tcb.full_name()}", False, todo)
        self._close(p, todo)

    # -- grant flows -------------------------------------------------------------------------
    def _endpoint_roles(self) -> dict:
        roles: dict = {}
        for p in self.principals.values():
            for held in p.movable:
                if held.type != "Endpoint":
                    continue
                r = roles.setdefault(held.obj, {"send": set(), "call": set(), "recv": set(),
                                                "recv_grant": set()})
                if {"Write", "Grant"} <= held.rights:
                    r["send"].add(p.name)
                if "Write" in held.rights and held.rights & {"Grant", "GrantReply"}:
                    r["call"].add(p.name)
                if "Read" in held.rights:
                    r["recv"].add(p.name)
                if {"Read", "Grant"} <= held.rights:
                    r["recv_grant"].add(p.name)
        return roles

    def _transfer(self, src: Principal, dst: Principal, endpoint: str, kind: str) -> bool:
        flow = {"from": src.name, "to": dst.name, "endpoint": endpoint, "kind": kind}
        if flow not in self.flows:
            self.flows.append(flow)
        todo: list = []
        changed = False
        via = f"granted by {src.name} over {endpoint}" + (" (reply)" if kind == "reply" else "")
        for held in sorted(src.movable, key=_held_key):
            changed |= self._add(dst, held, via, True, todo)
        self._close(dst, todo)
        return changed

    def _grant_fixpoint(self) -> None:
        changed = True
        while changed:
            changed = False
            for endpoint, r in sorted(self._endpoint_roles().items()):
                for s in sorted(r["send"]):
                    for d in sorted(r["recv"] - {s}):
                        changed |= self._transfer(self.principals[s], self.principals[d], endpoint, "send")
                for s in sorted(r["recv_grant"]):
                    for d in sorted(r["call"] - {s}):
                        changed |= self._transfer(self.principals[s], self.principals[d], endpoint, "reply")

    # -- memory, revoke, smc -----------------------------------------------------------------
    def _map_tables(self, p: Principal, table, via: str, depth: int = 0, base: int = 0) -> None:
        page_bits = self.abi.platform["page_bits"]
        level_bits = page_bits - 3  # 8-byte descriptors: 512 entries of a 4 KiB table
        shift = page_bits + level_bits * (3 - depth)
        for entry in table.entries:
            vaddr = base + ((entry.index or 0) << shift)
            if entry.table and depth < 3:
                sub = self.index.resolve(entry.table, table.component)
                if sub is not None:
                    self._map_tables(p, sub, via, depth + 1, vaddr)
            elif entry.frame:
                self._map_frame(p, entry.frame, table.component, entry, via, vaddr)
        for mapping in table.mappings:
            self._map_frame(p, mapping.frame, table.component, mapping, via, mapping.vaddr)

    def _map_frame(self, p: Principal, ref: str, context, how, via: str, vaddr=None) -> None:
        obj = self.index.resolve(ref, context)
        if obj is None:
            return
        rights = sorted(effective_rights(obj.type, how.rights))
        executable = bool(getattr(how, "executable", False))
        self._add_mapping(p, {"frame": obj.full_name(), "rights": rights, "executable": executable,
                              "vaddr": vaddr, "via": via})

    @staticmethod
    def _add_mapping(p: Principal, mapping: dict) -> None:
        if not any(m["frame"] == mapping["frame"] and m["vaddr"] == mapping["vaddr"] for m in p.mapped):
            p.mapped.append(mapping)

    def _memory(self, p: Principal) -> None:
        for tcb in p.threads:
            vspace = self.index.resolve(tcb.vspace, tcb.component) if tcb.vspace else None
            if vspace is not None:
                self._map_tables(p, vspace, f"vspace {vspace.full_name()}")
            if tcb.ipc_buffer is not None and tcb.ipc_buffer.frame:
                obj = self.index.resolve(tcb.ipc_buffer.frame, tcb.component)
                if obj is not None:
                    self._add_mapping(p, {"frame": obj.full_name(), "rights": ["Read", "Write"],
                                          "executable": False, "vaddr": tcb.ipc_buffer.vaddr,
                                          "via": f"ipc buffer of {tcb.full_name()}"})
        comp = self.spec.component(p.name)
        for region in comp.regions if comp else []:
            for ref in region.frames or []:
                self._map_frame(p, ref, comp.name, region, f"region {region.name}")

    def _revoke(self) -> None:
        holders_of: dict = {}
        for p in self.principals.values():
            for name in p.cnodes:
                holders_of.setdefault(name, []).append(p.name)
        cnode_cap_holders: dict = {}
        for p in self.principals.values():
            for held in p.caps:
                if held.type == "CNode" and held in p.movable:
                    cnode_cap_holders.setdefault(held.obj, set()).add(p.name)
        caps_to: dict = {}
        for cnode in (o for o in self.index.all() if o.type == "CNode"):
            for cap in cnode.slots:
                obj = self.index.resolve(cap.cap, cnode.component)
                if obj is not None:
                    caps_to.setdefault(obj.full_name(), []).append((cnode.full_name(), cap))
        for target, slots in sorted(caps_to.items()):
            originals = [(c, cap) for c, cap in slots if cap.original]
            if not originals:
                continue
            cnode, orig = originals[0]
            derived = [{"slot": f"{c}[{cap.slot}]", "holders": sorted(holders_of.get(c, []))}
                       for c, cap in slots if cap is not orig]
            self.revoke.append({"object": target, "original": f"{cnode}[{orig.slot}]",
                                "holders": sorted(holders_of.get(cnode, [])),
                                "revokers": sorted(cnode_cap_holders.get(cnode, set())),
                                "derived": derived})
        untyped: dict = {}
        for p in self.principals.values():
            for held in p.caps:
                if held.type == "Untyped":
                    untyped.setdefault(held.obj, set()).add(p.name)
        for obj, who in sorted(untyped.items()):
            self.revoke.append({"object": obj, "untyped": True, "holders": sorted(who),
                                "revokers": sorted(who), "derived": [],
                                "covers": self._covered(obj)})

    def _covered(self, untyped: str) -> list:
        """Every object the untyped's `covers` makes from it, and what those cover, by full name:
        revoking the untyped destroys them all."""
        by_name = {o.full_name(): o for o in self.index.all()}
        found, todo = [], [untyped]
        while todo:
            ut = by_name.get(todo.pop())
            for ref in (ut.covers or []) if ut is not None else []:
                obj = self.index.resolve(ref, ut.component)
                if obj is not None and obj.full_name() not in found and obj.full_name() != untyped:
                    found.append(obj.full_name())
                    todo.append(obj.full_name())
        return sorted(found)

    def _smc(self) -> None:
        policy = {}
        if self.spec.policy is not None:
            policy = {c.component: list(c.smc or []) for c in self.spec.policy.clients}
        for p in self.principals.values():
            badges = sorted({h.badge for h in p.caps if h.type == "SMC"})
            self.smc[p.name] = {"any": 0 in badges, "ids": [b for b in badges if b],
                                "policy": policy.get(p.name, [])}

    def run(self) -> "Analysis":
        for p in self.principals.values():
            self._seed(p)
        self._grant_fixpoint()
        for p in self.principals.values():
            self._memory(p)
        self._revoke()
        self._smc()
        return self


def _held_key(h: Held) -> tuple:
    return (h.obj, h.type, sorted(h.rights), h.badge)


def analyse(spec: Spec) -> Analysis:
    """Run the authority analysis on a spec."""
    return Analysis(spec).run()


# -- output -----------------------------------------------------------------------------------
def reach_table(p: Principal) -> list:
    """A principal's reach, one row per distinct cap (object, rights, badge) with its first way in."""
    rows = []
    for held, via in sorted(p.caps.items(), key=lambda kv: _held_key(kv[0])):
        rows.append({"object": held.obj, "type": held.type,
                     "rights": [r for r in RIGHTS if r in held.rights], "badge": held.badge,
                     "via": via, "direct": is_direct(p, via)})
    return rows


def to_json_data(a: Analysis) -> dict:
    return {
        "principals": {
            name: {"reach": reach_table(p), "mapped": p.mapped, "smc": a.smc[name],
                   "revokes": [r for r in a.revoke if name in r["revokers"]]}
            for name, p in sorted(a.principals.items())},
        "flows": a.flows,
        "revoke": a.revoke,
    }


def to_json(a: Analysis) -> str:
    return json.dumps(to_json_data(a), indent=2) + "\n"


def _smc_text(info: dict) -> str:
    if info["any"]:
        text = "any function id (master cap)"
    elif info["ids"]:
        text = ", ".join(hex(i) for i in info["ids"])
    else:
        text = "none"
    if info["policy"]:
        text += f"; policy allows the manager to grant {', '.join(hex(i) for i in info['policy'])}"
    return text


def to_text(a: Analysis) -> str:
    out = []
    for name, p in sorted(a.principals.items()):
        out.append(f"{name}:")
        out.append("  reaches:")
        for row in reach_table(p):
            extra = f" badge {hex(row['badge'])}" if row["badge"] else ""
            rights = f" [{', '.join(row['rights'])}]" if row["rights"] else ""
            out.append(f"    {row['object']} ({row['type']}){rights}{extra}  <- {row['via']}")
        if p.mapped:
            out.append("  maps:")
            for m in p.mapped:
                where = f" at {hex(m['vaddr'])}" if m["vaddr"] is not None else ""
                x = ", executable" if m["executable"] else ""
                out.append(f"    {m['frame']} [{', '.join(m['rights'])}{x}]{where}  <- {m['via']}")
        out.append(f"  smc: {_smc_text(a.smc[name])}")
        revokes = [r for r in a.revoke if name in r["revokers"]]
        for r in revokes:
            if r.get("untyped") and r["covers"]:
                out.append(f"  revokes: whatever it retypes from untyped {r['object']}, and the "
                           f"objects it covers: {', '.join(r['covers'])}")
            elif r.get("untyped"):
                out.append(f"  revokes: whatever it retypes from untyped {r['object']}")
            else:
                victims = ", ".join(f"{d['slot']} ({', '.join(d['holders']) or 'no thread'})"
                                    for d in r["derived"]) or "no other caps"
                out.append(f"  revokes: caps to {r['object']} derived from {r['original']}: {victims}")
        out.append("")
    originals = [r for r in a.revoke if not r.get("untyped")]
    if originals:
        out.append("revoke (original caps):")
        for r in originals:
            who = ", ".join(r["revokers"]) or "nobody (no one holds a cap to that CNode)"
            held = ", ".join(r["holders"]) or "no thread"
            out.append(f"  {r['object']}: original {r['original']} (held by {held}), revocable by {who}")
        out.append("")
    if a.flows:
        out.append("cap flows (Grant):")
        for f in a.flows:
            out.append(f"  {f['from']} -> {f['to']} over {f['endpoint']} ({f['kind']})")
    return "\n".join(out).rstrip() + "\n"


def is_direct(p: Principal, via: str) -> bool:
    """True if a cap reached this way sits in one of p's own CSpace roots or its TCBs."""
    if via.startswith(("fault handler", "bound notification")):
        return True
    return via.startswith("slot") and any(via.endswith(f" of {r.full_name()}") for r in p.roots)


def to_dot(a: Analysis) -> str:
    """The authority graph as Graphviz DOT (dot.py says what it shows)."""
    from .dot import to_dot as dot_text  # (dot.py uses reach_table from here)
    return dot_text(a)
