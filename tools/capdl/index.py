"""Name resolution over a Spec, including the objects a `program:` implies.

References in a spec are strings resolved from a component (docs/spec-format.md): `comp.name`
names an object of that component; a plain name is looked up in the current component first and
then among the top-level objects.  A component with a `program` also has a TCB named `tcb` and a
VSpace named `vspace` that the compiler creates; other components may name them
(`client.tcb`), so the index adds stand-ins for them (their TCB settings come from the program;
the cspace root is the component's `cspace` with guard_size 64 - bits).
"""

from __future__ import annotations

from .errors import SpecError
from .model import CNodeRef, Component, Obj, Spec

WORD_BITS = 64


class SpecIndex:
    """Objects of a spec by (component, name), with the program stand-ins."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.objects: dict = {}
        for obj in spec.all_objects():
            self.objects[(obj.component, obj.name)] = obj
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

    def need(self, ref: str, context: str | None, loc, path: str = "") -> Obj:
        """Like resolve, but a SpecError (with location) if nothing has that name."""
        obj = self.resolve(ref, context)
        if obj is None:
            raise SpecError(f"no object named '{ref}'", loc, path)
        return obj

    def all(self) -> list:
        return list(self.objects.values())

    def threads(self) -> list:
        return [o for o in self.objects.values() if o.type == "TCB"]
