"""Spec merge: several specs combined into one (docs/spec-tools.md, "Merging specs").

`merge(a, b, ...)` returns a new Spec holding copies of every input's top-level objects,
components and policy, in argument order; the inputs are not changed.  References are strings
resolved in the merged spec (docs/spec-format.md), so a reference in one input may name an object
of another (`server.ep` from a client spec to a server spec): that is how specs link up.

What merging can break is refused, every case at once (SpecErrors), each error located at the
later of the two places and naming the earlier one:

    two top-level objects, or two components, with one name
    a top-level object named like an object of a component (a plain name would mean the
        component's object inside it and the top-level one elsewhere: the format forbids it)
    two resource managers (components, or policy endpoints / replies that differ)
    two policy clients with one id, or two policy entries for one component
    two IRQControl, SMC or Debug objects (two top-level Debug objects of one name are one: the
        `debug` object every spec with `debug:` slots has), two handlers of one IRQ
    different format versions

Everything else (references that name nothing, types, placement) is the compiler's to check on
the merged spec: `capdl.compiler.check_spec` after writing it.
"""

from __future__ import annotations

import copy
from pathlib import Path

from .errors import ErrorList, Location, SpecError
from .model import Policy, Spec

SINGLETONS = ("IRQControl", "SMC", "Debug")


def _same_debug(first, obj) -> bool:
    """Whether `obj` and the (object, input index) `first` are two inputs' top-level Debug
    objects of one name: one object (each `debug:` slot of a spec refers to one, named `debug`
    when the spec declares none: debugcaps.py)."""
    return (first is not None and first[0].type == obj.type == "Debug" and
            first[0].name == obj.name and not first[0].component and not obj.component)


def _place(loc: Location, index: int) -> str:
    """How a message names a place: `file:line`, or `spec N` for a spec without locations."""
    return str(loc) if loc.line else f"spec {index + 1}"


def _component_names(comp) -> list:
    """The object names of a component, with those its `program` implies (tcb, vspace)."""
    names = [(o.name, o.loc) for o in comp.all_objects()]
    if comp.program is not None:
        names += [(n, comp.program.loc) for n in ("tcb", "vspace")]
    return names


class _Merger:
    def __init__(self) -> None:
        self.errors = ErrorList()
        self.top: dict = {}  # name -> (obj, input index)
        self.comps: dict = {}  # component name -> (component, input index)
        self.comp_objects: dict = {}  # object name -> (full name, loc, input index), first one
        self.singletons: dict = {}  # type -> (obj, input index)
        self.irqs: dict = {}  # irq number -> (obj, input index)
        self.manager = None  # (component, input index)
        self.clients_by_id: dict = {}
        self.clients_by_comp: dict = {}
        self.current = 0  # index of the input being merged

    def conflict(self, message: str, loc: Location, path: str) -> None:
        """An error at `loc` of the input being merged (`spec N` if it has no locations)."""
        where = loc if loc.line else Location(f"spec {self.current + 1}")
        self.errors.add(SpecError(message, where, path))

    def taken(self, table: dict, key, loc: Location, path: str, say) -> bool:
        """Whether `key` already has an entry in `table` (key -> (item, input index)); if so, the
        conflict `say(first item, where it is)` is reported at `loc`. The one check of every
        "defined twice" rule: objects, components, singletons, IRQs and clients."""
        if key not in table:
            return False
        other, j = table[key]
        self.conflict(say(other, _place(other.loc, j)), loc, path)
        return True

    def objects(self, objs: list, i: int) -> None:
        """Singletons and IRQ numbers, over top-level and component objects alike."""
        for obj in objs:
            where = f"components.{obj.component}.{obj.name}" if obj.component else f"objects.{obj.name}"
            if obj.type in SINGLETONS and not _same_debug(self.singletons.get(obj.type), obj) and \
                    not self.taken(
                    self.singletons, obj.type, obj.loc, where,
                    lambda o, at: f"a second {obj.type} object '{obj.full_name()}': "
                                  f"'{o.full_name()}' is one ({at})"):
                self.singletons[obj.type] = (obj, i)
            if obj.type == "IRQHandler" and obj.irq is not None and not self.taken(
                    self.irqs, obj.irq, obj.loc, where,
                    lambda o, at: f"irq {obj.irq} already has a handler, '{o.full_name()}' ({at})"):
                self.irqs[obj.irq] = (obj, i)

    def top_level(self, spec: Spec, i: int, out: Spec) -> None:
        for obj in spec.objects:
            path = f"objects.{obj.name}"
            if _same_debug(self.top.get(obj.name), obj):
                continue  # one Debug object: both stand for the loader's master Debug cap
            if self.taken(self.top, obj.name, obj.loc, path,
                          lambda o, at: f"top-level object '{o.name}' is defined twice: here and "
                                        f"at {at}"):
                continue
            if obj.name in self.comp_objects:
                full, loc, j = self.comp_objects[obj.name]
                self.conflict(self.shadow(obj.name, full, _place(loc, j)), obj.loc, path)
            self.top[obj.name] = (obj, i)
            out.objects.append(obj)

    @staticmethod
    def shadow(name: str, full: str, other: str) -> str:
        comp = full.split(".", 1)[0]
        return (f"'{name}' would name both a top-level object and '{full}' ({other}): a plain "
                f"'{name}' would mean '{full}' in component '{comp}' and the top-level object "
                f"elsewhere")

    def components(self, spec: Spec, i: int, out: Spec) -> None:
        for comp in spec.components:
            path = f"components.{comp.name}"
            if self.taken(self.comps, comp.name, comp.loc, path,
                          lambda o, at: f"component '{o.name}' is defined twice: here and at {at}"):
                continue
            self.comps[comp.name] = (comp, i)
            if comp.resource_manager:
                if self.manager is not None:
                    other, j = self.manager
                    self.conflict(f"a second resource manager: '{other.name}' is one "
                                  f"({_place(other.loc, j)})", comp.loc, path)
                else:
                    self.manager = (comp, i)
            for name, loc in _component_names(comp):
                full = f"{comp.name}.{name}"
                if name in self.top:
                    other, j = self.top[name]
                    self.conflict(self.shadow(name, full, _place(other.loc, j)), loc, f"{path}.{name}")
                self.comp_objects.setdefault(name, (full, loc, i))
            out.components.append(comp)

    def policy(self, spec: Spec, i: int, out: Spec) -> None:
        pol = spec.policy
        if pol is None:
            return
        if out.policy is None:
            out.policy = Policy(loc=pol.loc)
        for key in ("endpoint", "reply"):
            mine = getattr(pol, key)
            if mine is None:
                continue
            have = getattr(out.policy, key)
            if have is None:
                setattr(out.policy, key, mine)
                setattr(self, f"{key}_at", (pol.loc, i))
            elif have != mine:
                loc, j = getattr(self, f"{key}_at")
                self.conflict(f"two resource managers: {key} '{mine}' here, '{have}' at "
                              f"{_place(loc, j)}", pol.loc, "policy")
        for k, client in enumerate(pol.clients):
            path = f"policy.clients[{k}]"
            if self.taken(self.clients_by_id, client.id, client.loc, path,
                          lambda o, at: f"client id {client.id} is also the id of "
                                        f"'{o.component}' ({at})"):
                continue
            if self.taken(self.clients_by_comp, client.component, client.loc, path,
                          lambda o, at: f"component '{o.component}' is a client twice: here and "
                                        f"at {at}"):
                continue
            self.clients_by_id[client.id] = (client, i)
            self.clients_by_comp[client.component] = (client, i)
            out.policy.clients.append(client)


def _as_spec(item) -> Spec:
    """A Spec from a Spec, a SpecBuilder (its spec) or a path (read)."""
    if isinstance(item, Spec):
        return item
    if isinstance(item, (str, Path)):
        from .yamlio import read_spec
        return read_spec(str(item))
    build = getattr(item, "build", None)
    if callable(build):
        return build()
    raise TypeError(f"cannot merge a {type(item).__name__}: give Specs, SpecBuilders or paths")


def merge(*items) -> Spec:
    """One spec with everything of `items` (Specs, SpecBuilders or YAML paths), in order; every
    conflict is a SpecError (several: SpecErrors) located where the later of two places is."""
    specs = [copy.deepcopy(_as_spec(item)) for item in items]
    out = Spec(version=specs[0].version if specs else 1)
    m = _Merger()
    for i, spec in enumerate(specs):
        m.current = i
        if spec.version != out.version:
            m.conflict(f"spec version {spec.version}, but {_place(specs[0].loc, 0)} has version "
                       f"{out.version}", spec.loc, "version")
        spec.all_objects()  # (sets each component object's `component`)
        m.components(spec, i, out)
        m.top_level(spec, i, out)
        m.objects(spec.objects + [o for c in spec.components for o in c.all_objects()], i)
        m.policy(spec, i, out)
    m.errors.raise_if_any()
    return out
