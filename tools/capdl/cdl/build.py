"""Syntax tree -> CdlModel: resolve names, ranges, copies, covers, IRQ maps and the cdt.

This is capDL's "make model" step, in passes over the declarations so that order in the file
does not matter (a cap may name an object declared further down):

1. objects: declare every object (arrays `name[n]`, qualified names `a/b/c` that make `a` and `b`
   untypeds covering `b` and `c`, nested `ut { ... }` blocks); an untyped may be declared more
   than once and its parameters merge;
2. caps: place each cap in its slot (a missing slot number means the slot after the previous
   entry), record cap names, then resolve copies `<name>` until none is left;
3. irq maps, cdt (`- child_of` and the `cdt { }` section), covers named by reference.

Every problem raises a CdlNameError or CdlSyntaxError carrying the line of the offending text.
"""

from __future__ import annotations

import re

from ..errors import CdlNameError, CdlSyntaxError, ErrorList, Location, SpecError, UnsupportedError, read_text
from ..limits import limit
from .model import CONTAINER_KINDS, SPECIAL_CAPS, CdlCap, CdlModel, CdlObject, show_id
from .parser import (RIGHT_LETTERS, Braced, CapDecl, CapEntry, CapNameDecl, CdtDecl, Module, NameRef, ObjDecl, Param,
                     SlotRef, parse_module)

IRQ_KINDS = ("irq", "arm_irq")
NOTE = re.compile(r"^\s*--\s*sigil:\s*(.*?)\s*$")
CAP_FLAGS = ("reply", "master_reply", "uncached")


def _number(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# What the value of each parameter the importer reads must be: (test, what to write instead).
PARAM_VALUES = {
    **dict.fromkeys(("bits", "paddr", "vmsize", "ports", "prio", "max_prio", "ip", "sp", "addr", "trigger",
                     "target", "dom", "affinity", "badge", "guard", "guard_size"), (_number, "a number")),
    **dict.fromkeys(("resume", "fpu_disabled"), (lambda v: isinstance(v, bool), "True or False")),
    "init": (lambda v: isinstance(v, list) and all(map(_number, v)), "a list of numbers such as [1, 2]"),
    "asid": (lambda v: isinstance(v, tuple) and len(v) == 2 and all(map(_number, v)), "a pair (high, low)"),
    "rights": (lambda v: isinstance(v, str) and set(v) <= RIGHT_LETTERS, "rights such as RWG"),
    "fill": (lambda v: isinstance(v, list) and all(isinstance(e, Braced) for e in v),
             "a list of fills such as [{0 4096 CDL_FrameFill_FileData \"prog\" 0}]"),
}


def check_param(p: Param) -> None:
    """A parameter whose value has the wrong shape is a syntax error at its line."""
    test, what = PARAM_VALUES.get(p.key, (None, ""))
    if test is not None and not test(p.value):
        raise CdlSyntaxError(f"'{p.key}' takes {what}", p.loc)


class Builder:
    """Holds the model under construction and the name tables of one .cdl file."""

    def __init__(self, module: Module):
        self.module = module
        self.model = CdlModel(arch=module.arch, arch_loc=module.arch_loc)
        self.plain: set[str] = set()  # names declared without an index
        self.cap_names: dict = {}  # (name, index) -> CapRef
        self.cap_name_locs: dict = {}  # (name, index) -> the Location that named it
        self.pending_covers: list = []  # (ut ObjID, NameRef)
        self.pending_copies: list = []  # (container ObjID, slot, (name, idx), params, loc)
        self.filled: dict = {}  # CapRef -> Location of the entry that filled it
        self.pending_parents: list = []  # (child CapRef, SlotRef of its parent)
        self.cdt_locs: dict = {}  # child CapRef -> Location of the text that gave its parent
        self.declared = 0  # objects declared by arrays so far (bounded by max_objects)

    # -- names ---------------------------------------------------------------------------
    def expand(self, ref: NameRef) -> list:
        """All ObjIDs a name reference stands for, in order; errors name the reference."""
        name = ref.name
        length = self.model.arrays.get(name)
        if ref.ranges is None:
            if name in self.plain:
                return [(name, None)]
            if length is not None:
                raise CdlNameError(f"'{name}' is an array of {length}; write {name}[i] or {name}[]", ref.loc)
            raise CdlNameError(f"'{name}' is not declared", ref.loc)
        if length is None:
            what = "is not an array" if name in self.plain else "is not declared"
            raise CdlNameError(f"'{name}' {what}", ref.loc)
        if not ref.ranges:
            return [(name, i) for i in range(length)]
        ids = []
        for r in ref.ranges:
            lo = 0 if r.lo is None else r.lo
            hi = length - 1 if r.hi is None else r.hi
            if lo > hi or hi >= length:
                raise CdlNameError(f"'{ref}' is out of range: '{name}' has {length} elements", ref.loc)
            ids.extend((name, i) for i in range(lo, hi + 1))
        return ids

    def is_declared(self, name: str) -> bool:
        return name in self.plain or name in self.model.arrays

    def single(self, ref: NameRef) -> tuple:
        ids = self.expand(ref)
        if len(ids) != 1:
            raise CdlNameError(f"'{ref}' names {len(ids)} objects where one is expected", ref.loc)
        return ids[0]

    # -- pass 1: objects -----------------------------------------------------------------
    @staticmethod
    def params_dict(params) -> dict:
        out = {}
        for p in params:
            check_param(p)
            if p.key in out:
                raise CdlSyntaxError(f"parameter '{p.key}' is given twice", p.loc)
            out[p.key] = p.value
        return out

    def add_object(self, oid: tuple, obj: CdlObject) -> None:
        old = self.model.objects.get(oid)
        if old is None:
            self.model.objects[oid] = obj
            if oid[1] is None:
                self.plain.add(oid[0])
            return
        if old.kind == "ut" and obj.kind == "ut":
            for key, value in obj.params.items():
                if old.params.setdefault(key, value) != value:
                    raise CdlNameError(f"untyped '{show_id(oid)}' is declared again with {key} "
                                       f"{value} (was {old.params[key]})", obj.loc)
            return
        raise CdlNameError(f"'{show_id(oid)}' is declared twice (first at line {old.loc.line})", obj.loc)

    def untyped_ref(self, ref: NameRef) -> tuple:
        """A non-final part of a qualified name: one untyped, declared here if it is new."""
        if ref.ranges is None:
            oid = (ref.name, None)
        elif len(ref.ranges) == 1 and ref.ranges[0].single:
            oid = (ref.name, ref.ranges[0].lo)
        else:
            raise CdlSyntaxError(f"'{ref}' must name one untyped", ref.loc)
        if oid not in self.model.objects:
            if oid[1] is not None:
                self.single(ref)  # must be a member of a declared array
            self.add_object(oid, CdlObject("ut", {}, {}, ref.loc))
        elif self.model.objects[oid].kind != "ut":
            raise CdlNameError(f"'{ref}' covers other objects but is a {self.model.objects[oid].kind}",
                               ref.loc)
        return oid

    def declared_ids(self, last: NameRef, kind: str) -> list:
        if last.ranges is None:
            if last.name in self.model.arrays:
                raise CdlNameError(f"'{last.name}' is already an array", last.loc)
            return [(last.name, None)]
        if len(last.ranges) != 1 or not last.ranges[0].single:
            raise CdlSyntaxError(f"an object declaration takes a count, as in {last.name}[4]", last.loc)
        count = last.ranges[0].lo
        known = self.model.arrays.get(last.name)
        if known is not None and kind == "ut" and count < known:
            return [(last.name, count)]  # re-declaring one member of an untyped array
        self.declared += count
        if self.declared > limit("max_objects"):
            raise CdlSyntaxError(f"more than {limit('max_objects')} objects are declared "
                                 f"('{last.name}[{count}]')", last.loc)
        if known is not None or last.name in self.plain:
            raise CdlNameError(f"'{last.name}' is declared twice", last.loc)
        self.model.arrays[last.name] = count
        return [(last.name, i) for i in range(count)]

    def cover(self, ut: tuple, oid: tuple) -> None:
        self.model.covers.setdefault(ut, [])
        if oid not in self.model.covers[ut]:
            self.model.covers[ut].append(oid)

    def declare(self, decl: ObjDecl, parent: tuple | None) -> None:
        chain = [parent] if parent else []
        chain.extend(self.untyped_ref(part) for part in decl.qname[:-1])
        spec = decl.obj
        ids = self.declared_ids(decl.qname[-1], spec.kind)
        params = self.params_dict(spec.params)
        for oid in ids:
            self.add_object(oid, CdlObject(spec.kind, dict(params), {}, decl.qname[-1].loc))
        for outer, inner in zip(chain, chain[1:]):
            self.cover(outer, inner)
        if chain:
            for oid in ids:
                self.cover(chain[-1], oid)
        if spec.children and spec.kind != "ut":
            raise CdlSyntaxError(f"only an untyped ('ut') can cover objects, not a '{spec.kind}'", spec.loc)
        if spec.children and len(ids) != 1:
            raise CdlSyntaxError("an array of untypeds cannot cover objects", spec.loc)
        for child in spec.children:
            if isinstance(child, ObjDecl):
                self.declare(child, ids[0])
            else:
                self.pending_covers.append((ids[0], child))

    # -- pass 2: caps --------------------------------------------------------------------
    def container(self, oid: tuple, loc: Location) -> CdlObject:
        obj = self.model.objects[oid]
        if obj.kind not in CONTAINER_KINDS:
            raise CdlNameError(f"'{show_id(oid)}' is a '{obj.kind}', which holds no caps", loc)
        return obj

    def make_cap(self, target, special, params, loc: Location) -> CdlCap:
        cap = CdlCap(target, special, loc=loc)
        rights, flags, mask = set(), set(), None
        for p in params:
            check_param(p)
            if p.key == "rights":
                rights |= set(p.value.replace("X", "G"))
            elif p.key == "masked":
                mask = set(p.value.replace("X", "G"))
            elif p.key in ("guard", "guard_size", "badge"):
                setattr(cap, p.key, p.value)
            elif p.key in CAP_FLAGS or p.key == "cached":
                flags.add(p.key)
            elif p.key == "asid":
                cap.asid = tuple(p.value)
            elif p.key == "mapping":
                cap.mapping = self.slot_ref(p.value)
            else:
                cap.extra[p.key] = tuple(p.value) if isinstance(p.value, list) else p.value
        flags.discard("cached")
        cap.rights = frozenset(rights if mask is None else rights & mask)
        cap.flags = frozenset(flags)
        return cap

    def place(self, oid: tuple, slot: int, cap: CdlCap, loc: Location) -> None:
        obj = self.container(oid, loc)
        first = self.filled.get((oid, slot))
        if first is not None:
            raise CdlNameError(f"slot {slot} of '{show_id(oid)}' is filled twice (first at line "
                               f"{first.line})", loc)
        self.filled[(oid, slot)] = loc
        obj.slots[slot] = cap

    def targets(self, entry: CapEntry) -> list:
        ref = entry.target
        if ref.name in SPECIAL_CAPS and ref.ranges is None and ref.name not in self.plain:
            return [(None, ref.name)]
        return [(oid, None) for oid in self.expand(ref)]

    def cap_entry(self, oid: tuple, slot: int, entry: CapEntry) -> int:
        """Place one entry in container `oid` from `slot`; return the next free slot.  A copy
        `<name>` is only reserved here and filled by resolve_copies."""
        sources = self.cap_name_ids(entry.target) if entry.is_copy else self.targets(entry)
        if entry.name is not None:
            self.name_caps(entry.name, oid, slot, len(sources))
        for i, source in enumerate(sources):
            if entry.is_copy:
                self.container(oid, entry.loc)
                if (oid, slot + i) in self.filled:
                    raise CdlNameError(f"slot {slot + i} of '{show_id(oid)}' is filled twice (first at "
                                       f"line {self.filled[(oid, slot + i)].line})", entry.loc)
                self.pending_copies.append((oid, slot + i, source, entry.params, entry.loc))
                self.filled[(oid, slot + i)] = entry.loc
            else:
                target, special = source
                self.place(oid, slot + i, self.make_cap(target, special, entry.params, entry.loc), entry.loc)
            if entry.parent is not None:
                self.pending_parents.append(((oid, slot + i), entry.parent))
        return slot + len(sources)

    def cap_name_ids(self, ref: NameRef) -> list:
        if ref.ranges is None:
            return [(ref.name, None)]
        if not ref.ranges:
            found = sorted(k[1] for k in self.cap_names if k[0] == ref.name and k[1] is not None)
            if not found:
                raise CdlNameError(f"no cap is named '{ref.name}[...]'", ref.loc)
            return [(ref.name, i) for i in found]
        ids = []
        for r in ref.ranges:
            if r.lo is None or r.hi is None:
                raise CdlSyntaxError(f"cap name ranges must be closed, as in {ref.name}[0..3]", ref.loc)
            ids.extend((ref.name, i) for i in range(r.lo, r.hi + 1))
        return ids

    def name_caps(self, name: NameRef, oid: tuple, slot: int, count: int) -> None:
        if name.ranges is None:
            if count != 1:
                raise CdlSyntaxError(f"'{name.name}' names {count} caps; write {name.name}[]", name.loc)
            keys = [(name.name, None)]
        else:
            keys = [(name.name, i) for i in range(count)]
        for i, key in enumerate(keys):
            if key in self.cap_names and self.cap_name_locs[key] is name.loc:
                continue  # `test[2..] { 1: n = x }`: as capDL-tool, the first CNode's cap is `n`
            if key in self.cap_names:
                raise CdlNameError(f"cap name '{show_id(key)}' is used twice", name.loc)
            self.cap_names[key] = (oid, slot + i)
            self.cap_name_locs[key] = name.loc

    def cap_decl(self, decl: CapDecl) -> None:
        for oid in self.expand(decl.container):
            self.container(oid, decl.loc)
            slot = 0
            for entry in decl.entries:
                slot = self.cap_entry(oid, slot if entry.slot is None else entry.slot, entry)

    def resolve_copies(self) -> None:
        pending = self.pending_copies
        while pending:
            left = []
            for oid, slot, key, params, loc in pending:
                ref = self.cap_names.get(key)
                loose = [n for n in self.model.loose_names if (n[0], None) == key]
                if ref is None and loose:
                    raise CdlNameError(f"cap name '{key[0]}' names a slot of '{loose[0][1]}', which is "
                                       f"not declared", loc)
                if ref is None:
                    raise CdlNameError(f"no cap is named '{show_id(key)}'", loc)
                src = self.model.objects[ref[0]].slots.get(ref[1])
                if src is None:
                    left.append((oid, slot, key, params, loc))
                    continue
                self.container(oid, loc).slots[slot] = self.copy_cap(src, params, loc)
            if len(left) == len(pending):
                oid, slot, key, _, loc = left[0]
                raise CdlNameError(f"cap name '{show_id(key)}' refers to an empty slot or to a copy "
                                   f"of itself", loc)
            pending = left

    def copy_cap(self, src: CdlCap, params, loc: Location) -> CdlCap:
        """A copy of `src`; parameters given at the copy override, `masked:` narrows rights."""
        cap = self.make_cap(src.target, src.special, params, loc)
        given = {p.key: p.value for p in params}
        if "rights" not in given:
            mask = set(given.get("masked", "RWGP").replace("X", "G"))
            cap.rights = src.rights & frozenset(mask)
        for key in ("badge", "guard", "guard_size", "asid", "mapping"):
            if key not in given:
                setattr(cap, key, getattr(src, key))
        cap.flags = src.flags | cap.flags
        cap.extra = {**src.extra, **cap.extra}
        return cap

    # -- pass 3: irq maps, cdt, covers ---------------------------------------------------
    def slot_ref(self, ref: SlotRef) -> tuple:
        if ref.cap_name is not None:
            key = self.single_cap_name(ref.cap_name)
            if key not in self.cap_names:
                raise CdlNameError(f"no cap is named '{show_id(key)}'", ref.loc)
            return self.cap_names[key]
        return (self.single(ref.container), ref.slot)

    def single_cap_name(self, ref: NameRef) -> tuple:
        if ref.ranges is None:
            return (ref.name, None)
        if len(ref.ranges) == 1 and ref.ranges[0].single:
            return (ref.name, ref.ranges[0].lo)
        raise CdlSyntaxError(f"'{ref}' must name one cap", ref.loc)

    def irq_maps(self) -> None:
        number = 0
        for mapping in self.module.irqs:
            number = number if mapping.number is None else mapping.number
            for oid in self.expand(mapping.target):
                if self.model.objects[oid].kind not in IRQ_KINDS:
                    raise CdlNameError(f"irq {number} maps to '{show_id(oid)}', which is not an irq object",
                                       mapping.loc)
                if number in self.model.irqs:
                    raise CdlNameError(f"irq {number} is mapped twice", mapping.loc)
                self.model.irqs[number] = oid
                number += 1

    def cdt_decl(self, decl: CdtDecl) -> None:
        parent = self.slot_ref(decl.parent)
        if not decl.children:
            self.model.cdt_childless.add(parent)
            self.cdt_locs[parent] = decl.loc
        for child in decl.children:
            if isinstance(child, CdtDecl):
                self.set_parent(self.slot_ref(child.parent), parent, child.loc)
                self.cdt_decl(child)
            else:
                self.set_parent(self.slot_ref(child), parent, child.loc)

    def set_parent(self, child: tuple, parent: tuple, loc: Location) -> None:
        if child in self.model.cdt and self.model.cdt[child] != parent:
            raise CdlNameError(f"cap ({show_id(child[0])}, {child[1]}) is given two parents", loc)
        self.model.cdt[child] = parent
        self.cdt_locs[child] = loc

    def check_cdt(self) -> None:
        pairs = list(self.model.cdt.items()) + [(p, p) for p in self.model.cdt_childless]
        for child, parent in pairs:
            for ref in (child, parent):
                if ref not in self.filled:
                    raise CdlNameError(f"cdt: slot {ref[1]} of '{show_id(ref[0])}' holds no cap",
                                       self.cdt_locs[child])

    def build(self) -> CdlModel:
        for decl in self.module.objects:
            self.declare(decl, None)
        for ut, ref in self.pending_covers:
            for oid in self.expand(ref):
                self.cover(ut, oid)
        for decl in self.module.caps:
            if isinstance(decl, CapNameDecl) and not self.is_declared(decl.container.name):
                self.model.loose_names.append((decl.name, decl.container.name, decl.loc))
            elif isinstance(decl, CapNameDecl):
                self.name_caps(NameRef(decl.name, None, decl.loc), self.single(decl.container), decl.slot, 1)
        for decl in self.module.caps:
            if isinstance(decl, CapDecl):
                self.cap_decl(decl)
        self.resolve_copies()
        for child, ref in self.pending_parents:
            self.set_parent(child, self.slot_ref(ref), ref.loc)
        for decl in self.module.cdt:
            self.cdt_decl(decl)
        self.check_cdt()
        self.irq_maps()
        return self.model


def parse_cdl(text: str, filename: str = "<input>") -> CdlModel:
    """Parse and resolve capDL text.  Sections Sigil cannot represent at all (domains) raise
    UnsupportedError here; everything else is kept for importer.py to judge."""
    module = parse_module(text, filename)
    errors = ErrorList()
    for what, loc in module.unsupported:
        errors.add(UnsupportedError(f"{what} cannot be imported", loc))
    try:
        model = Builder(module).build()
    except SpecError as err:
        errors.add(err)
    errors.raise_if_any()
    model.notes = notes(text, filename)
    return model


def notes(text: str, filename: str) -> list:
    """Sigil's `-- sigil: WORD ARG...` comment lines: [(WORD, [ARG...], Location)]."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        m = NOTE.match(line)
        if m and m.group(1):
            word, *args = m.group(1).split()
            found.append((word, args, Location(filename, number)))
    return found


def parse_cdl_file(path: str) -> CdlModel:
    return parse_cdl(read_text(path), str(path))
