"""Name resolution over a Spec, including the objects a `program:` implies.

References in a spec are strings resolved from a component (docs/spec-format.md): `comp.name`
names an object of that component; a plain name is looked up in the current component first and
then among the top-level objects.  A component with a `program` also has a TCB named `tcb` and a
VSpace named `vspace` that the compiler creates; other components may name them
(`client.tcb`), so the index adds stand-ins for them (their TCB settings come from the program;
the cspace root is the component's `cspace` with guard_size 64 - bits).
"""

from __future__ import annotations

import re

from .errors import ErrorList, SpecError
from .model import CNodeRef, Component, Obj, Spec

WORD_BITS = 64
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SpecIndex:
    """Objects of a spec by (component, name), with the program stand-ins.  Names that are not
    valid or not unique are errors here, in the compiler's words, since a reference could not
    say which object it means."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.objects: dict = {}
        errors = ErrorList()
        comps: dict = {}
        for comp in spec.components:
            if not NAME.match(comp.name):
                errors.add(SpecError(f"invalid name '{comp.name}'", comp.loc))
            elif comp.name in comps:
                errors.add(SpecError(f"duplicate component '{comp.name}' (first at line "
                                     f"{comps[comp.name].loc.line})", comp.loc, f"components.{comp.name}"))
            comps.setdefault(comp.name, comp)
        spec.all_objects()  # (sets each component object's `component`)
        kept = [c for c in spec.components if comps[c.name] is c]  # a second 'c' is reported above
        for obj in spec.objects + [o for c in kept for o in c.all_objects()]:
            first = self.objects.get((obj.component, obj.name)) or self.objects.get((None, obj.name))
            if not NAME.match(obj.name):
                errors.add(SpecError(f"invalid name '{obj.name}'", obj.loc))
            elif first is not None and first.component == obj.component:
                errors.add(SpecError(f"duplicate object '{obj.full_name()}' (first at line {first.loc.line})",
                                     obj.loc, obj.full_name()))
            elif first is not None:
                errors.add(SpecError(f"'{obj.name}' is also the name of a top-level object (line "
                                     f"{first.loc.line})", obj.loc, obj.full_name()))
            self.objects.setdefault((obj.component, obj.name), obj)
        errors.raise_if_any()
        for comp in spec.components:
            if comp.program is not None:
                self._add_program(comp)

    def _add_program(self, comp: Component) -> None:
        prog = comp.program
        cspace = self.objects.get((comp.name, "cspace"))
        guard_size = WORD_BITS - cspace.bits if cspace is not None and cspace.bits else None
        root = CNodeRef(cap="cspace", guard=0, guard_size=guard_size, loc=prog.loc) if cspace else None
        tcb = Obj(name="tcb", type="TCB", component=comp.name, loc=prog.loc, cspace=root,
                  vspace="vspace", fault_handler=prog.fault_handler,
                  bound_notification=prog.bound_notification, priority=prog.priority,
                  max_priority=prog.max_priority, args=prog.args, fpu=prog.fpu, tls=prog.tls,
                  start=prog.start)
        self.objects.setdefault((comp.name, "tcb"), tcb)
        self.objects.setdefault((comp.name, "vspace"),
                                Obj(name="vspace", type="VSpace", component=comp.name, loc=prog.loc))

    def resolve(self, ref: str, context: str | None) -> Obj | None:
        if "." in ref:
            comp, name = ref.split(".", 1)
            return self.objects.get((comp, name))
        return self.objects.get((context, ref)) or self.objects.get((None, ref))

    def all(self) -> list:
        return list(self.objects.values())

    def threads(self) -> list:
        return [o for o in self.objects.values() if o.type == "TCB"]
