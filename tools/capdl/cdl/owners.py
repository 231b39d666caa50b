"""Components and names for an import of capDL text (importer.py's first steps).

capDL has no components. Each TCB becomes one (named after the TCB without a `_tcb`/`tcb_`
affix, `_2`, `_3`, ... when taken), owning what it owns by structure (its CNode tree, VSpace
tree and IPC buffer; an object two structures claim belongs to neither), then every object
only that component refers to ("adopted"). Sigil's `-- sigil: component` notes then give a
component its name back, name its role objects (`tcb`, `cspace`, `vspace`, `rm_memory`: an
object nobody owns, or one only adopted, goes to the component whose note names it) and mark
the resource manager. `ref()` spells an object as a spec refers to it from a component.
"""
from __future__ import annotations

import re

from .exporter import ROLES
from .model import show_id

TABLE_KINDS = ("pgd", "pud", "pd", "pt")
NAME_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Owners:
    """The naming and ownership steps of an Importer (which holds cdl, names, owner, adopted,
    error and warn)."""
    def make_names(self) -> None:
        taken: dict = {}
        for oid, obj in self.cdl.objects.items():
            base = re.sub(r"[^A-Za-z0-9_]", "_", oid[0])
            name = base if oid[1] is None else f"{base}__{oid[1]}"
            if base != oid[0]:
                self.warn(f"name '{oid[0]}' is not a Sigil name; it becomes '{base}'", obj.loc, show_id(oid))
            if name in taken:
                self.error(f"'{show_id(oid)}' and '{show_id(taken[name])}' both become '{name}'", obj.loc)
            taken[name] = oid
            self.names[oid] = name

    def component_name(self, oid: tuple, used: set) -> str:
        name = self.names[oid]
        for pattern in (r"^(.+?)_?tcb$", r"^tcb_?(.+)$"):
            m = re.match(pattern, name)
            if m and NAME_OK.match(m.group(1)) and m.group(1) not in used:
                return m.group(1)
        unique, n = name, 2
        while unique in used:  # `a_tcb` already made component `a`: this TCB `a` becomes `a_2`
            unique, n = f"{name}_{n}", n + 1
        return unique

    def structure(self, tcb_id: tuple) -> set:
        """The objects a TCB owns by structure: CNode tree, VSpace tree, IPC buffer."""
        tcb = self.cdl.objects[tcb_id]
        owned = {tcb_id}
        todo = [tcb.slots[s].target for s in (0, 1, 4) if s in tcb.slots and tcb.slots[s].target]
        while todo:
            oid = todo.pop()
            obj = self.cdl.objects.get(oid)
            if oid in owned or obj is None:
                continue
            owned.add(oid)
            if obj.kind == "cnode":
                todo.extend(c.target for c in obj.slots.values()
                            if c.target and self.cdl.objects.get(c.target, None) is not None
                            and self.cdl.objects[c.target].kind == "cnode")
            elif obj.kind in TABLE_KINDS:
                todo.extend(c.target for c in obj.slots.values() if c.target)
        return owned

    def assign_owners(self) -> list:
        tcbs = [oid for oid, o in self.cdl.objects.items() if o.kind == "tcb"]
        comps, claims = [], {}
        for tcb_id in tcbs:
            comp = self.component_name(tcb_id, {c for c, _ in comps})
            comps.append((comp, tcb_id))
            for oid in self.structure(tcb_id):
                claims.setdefault(oid, set()).add(comp)
        for oid, who in claims.items():
            if len(who) == 1:
                self.owner[oid] = next(iter(who))
        for tcb_id, comp in ((t, c) for c, t in comps):
            self.owner[tcb_id] = comp
        while self.adopt_single_users():
            pass
        return comps

    def component_notes(self, comps: list) -> tuple:
        """Apply the `-- sigil: component NAME thread=TCB [resource_manager] [ROLE=OBJECT...]`
        notes export writes: the component of that TCB is named NAME again (if no other has the
        name), its role objects get their Sigil names back (`tcb`, `cspace`, `vspace`, where free
        in the component), and with `resource_manager` it is the resource manager. Returns the
        components [(name, TCB ObjID)] and the manager's name (None without one). A note that
        names no TCB or object of the component, or a second manager, is an error at its line."""
        by_id = {show_id(oid): oid for oid in self.cdl.objects}
        manager = None
        for word, args, loc in self.cdl.notes:
            if word in ("policy", "client"):
                continue  # policy_notes.py, once the objects have their names
            if word != "component":
                self.warn(f"unknown Sigil note '{word}' is ignored", loc)
                continue
            pairs = dict(a.partition("=")[::2] for a in args[1:] if "=" in a)
            tcb = by_id.get(pairs.get("thread"))
            comp = next((c for c, t in comps if t == tcb), None)
            if not args or comp is None:
                self.error("'-- sigil: component NAME thread=TCB ...' names a TCB of the spec", loc)
                continue
            comp = self.rename_component(comps, comp, args[0])
            for arg in args[1:]:
                role, _, target = arg.partition("=")
                if role == "thread":
                    continue
                if arg == "resource_manager" and manager is None:
                    manager = comp
                elif arg == "resource_manager":
                    self.error(f"a second resource manager ('{comp}' after '{manager}')", loc)
                elif role in ROLES and by_id.get(target) is not None \
                        and (self.owner.get(by_id[target]) in (comp, None)
                             or by_id[target] in self.adopted):
                    # An object several components refer to (a managed client's CSpace, which
                    # the manager holds a cap to) has no owner yet, and one only the manager
                    # refers to (a client's rm_memory) was only adopted: the note gives it its
                    # component.
                    self.owner[by_id[target]] = comp
                    self.adopted.discard(by_id[target])
                    self.role_name(comp, by_id[target], role)
                else:
                    self.error(f"'{arg}' in '-- sigil: component {args[0]}' is not "
                               f"resource_manager or ROLE=OBJECT of that component", loc)
        self.errors.raise_if_any()
        return comps, manager

    def rename_component(self, comps: list, old: str, new: str) -> str:
        """Name component `old` `new` (in `comps` and the owner map) if `new` is a free, valid
        name; returns the name it has."""
        if new == old or not NAME_OK.match(new) or any(c == new for c, _ in comps):
            return old
        comps[:] = [(new if c == old else c, t) for c, t in comps]
        for oid, comp in self.owner.items():
            if comp == old:
                self.owner[oid] = new
        return new

    def role_name(self, comp: str, oid: tuple, role: str) -> None:
        """Name `oid` `role` inside its component `comp` unless an object there has the name."""
        if all(self.names[o] != role for o, c in self.owner.items() if c == comp):
            self.names[oid] = role

    def adopt_single_users(self) -> bool:
        """Give each unowned object referred to from one component only to that component."""
        users: dict = {}
        for oid, obj in self.cdl.objects.items():
            for cap in obj.slots.values():
                if cap.target is not None and self.owner.get(oid):
                    users.setdefault(cap.target, set()).add(self.owner[oid])
        adopted = False
        for oid in self.cdl.objects:
            if oid not in self.owner and len(users.get(oid, ())) == 1:
                self.owner[oid] = next(iter(users[oid]))
                self.adopted.add(oid)
                adopted = True
        return adopted

    def ref(self, target: tuple, context: str | None) -> str:
        owner = self.owner.get(target)
        name = self.names[target]
        return name if owner is None or owner == context else f"{owner}.{name}"
