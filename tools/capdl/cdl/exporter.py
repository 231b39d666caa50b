"""Sigil spec -> capDL model (`./sigil spec export`), the inverse of importer.py.

The spec must be explicit: programs, regions and VSpace `mappings` are expanded by the compiler
first (the CLI does that by compiling the spec and dumping it back, see capdl.compiler).  Names:
an object keeps its name if no other object in the spec has it, else it becomes `comp_name`;
objects named `base__0` .. `base__<n-1>` with equal parameters become the capDL array `base[n]`.

PageTable kinds come from their depth below a VSpace (pgd -> pud -> pd -> pt; a table no VSpace
reaches is written as `pt`).  An `original: true` cap becomes the cdt parent of every other CNode
cap to its object; the `covers` of an Untyped become its cover block `ut { a, b }`.
Components and the resource manager's policy, which capDL has no word for, are written as
comment lines that import reads back (other capDL tools skip them):
`-- sigil: component NAME thread=TCB [resource_manager] tcb=.. cspace=.. vspace=.. rm_memory=..`
and `-- sigil: policy ...` / `-- sigil: client {...}` (policy_notes.py).

Frame fills: capDL's fills name files (`CDL_FrameFill_FileData "file" offset`). A `file` fill is
written as it is; the bytes of `data` fills (the component record the compiler writes after a
program's IPC buffer, hand-written data) go, 8-byte aligned one after the other, into a data
file the caller names (`export -o OUT.cdl` writes OUT.data next to it) and the fills name that
file, so that `import` brings them back byte for byte. Without a data file they are reported and
left out.  What capDL cannot say at all (`tls`) is reported.

The Debug cap (docs/kernel/debug.md) is Sigil's own: its object is written with the kind `debug`
(an extension like `smc`) and each cap to it with its badge, the operations it allows
(`3: debug (badge: 1)` for PowerOff, 2 for Introspect, 3 for both).
"""

from __future__ import annotations

import re

from ..abi import load_abi
from ..errors import ErrorList, UnsupportedError
from ..index import SpecIndex
from ..model import APPLICABLE_RIGHTS, Spec
from .model import RIGHT_LETTER, CdlCap, CdlModel, CdlObject
from .parser import Braced, Quoted
from .policy_notes import export_policy

# The objects a component note names by role: the thread's, and a managed client's own untyped
# (the compiler makes `rm_memory` for a client that has none, so it must come back by that name).
ROLES = ("tcb", "cspace", "vspace", "rm_memory")

KINDS = {"Endpoint": "ep", "Notification": "notification", "Reply": "rtreply", "TCB": "tcb",
         "CNode": "cnode", "Untyped": "ut", "SMC": "smc", "Debug": "debug", "VSpace": "pgd", "IRQHandler": "irq",
         "Frame4K": "frame", "Frame2M": "frame", "Frame1G": "frame", "PageTable": "pt"}
TABLE_KIND_BY_DEPTH = ("pgd", "pud", "pd", "pt")
ARRAY_MEMBER = re.compile(r"^(.*[^_])__(\d+)$")


class Exporter:
    def __init__(self, spec: Spec, data_file: str | None = None):
        self.spec = spec
        self.data_file = data_file
        self.data = bytearray()  # the contents of data_file
        self.index = SpecIndex(spec)
        self.abi = load_abi()
        self.errors = ErrorList()
        self.warnings: list = []
        self.model = CdlModel(arch="aarch64")
        self.ids: dict = {}  # (component, name) -> ObjID

    def warn(self, message: str, loc, path: str = "") -> None:
        self.warnings.append(UnsupportedError(message, loc, path))

    def error(self, message: str, loc, path: str = "") -> None:
        self.errors.add(UnsupportedError(message, loc, path))

    # -- names -------------------------------------------------------------------------------
    def make_ids(self, objs: list) -> None:
        counts: dict = {}
        for obj in objs:
            counts[obj.name] = counts.get(obj.name, 0) + 1
        flat = {}
        for obj in objs:
            name = obj.name if counts[obj.name] == 1 or not obj.component else f"{obj.component}_{obj.name}"
            if name.startswith("_"):
                name = "n" + name
            if name in flat:
                self.error(f"two objects would both be named '{name}' in capDL", obj.loc, obj.full_name())
            flat[name] = obj
        arrays = self.find_arrays(flat)
        for name, obj in flat.items():
            m = ARRAY_MEMBER.match(name)
            if m and m.group(1) in arrays:
                self.ids[(obj.component, obj.name)] = (m.group(1), int(m.group(2)))
            else:
                self.ids[(obj.component, obj.name)] = (name, None)
        self.model.arrays = arrays

    @staticmethod
    def find_arrays(flat: dict) -> dict:
        """Groups base__0..base__n-1 of one type with equal fields (other than the name)."""
        groups: dict = {}
        for name, obj in flat.items():
            m = ARRAY_MEMBER.match(name)
            if m:
                groups.setdefault(m.group(1), {})[int(m.group(2))] = obj
        arrays = {}
        for base, members in groups.items():
            if base in flat or sorted(members) != list(range(len(members))):
                continue
            first = members[0]
            same = all(_same_but_name(first, o) for o in members.values())
            if same:
                arrays[base] = len(members)
        return arrays

    def oid(self, ref: str, context, loc, path: str):
        obj = self.index.resolve(ref, context)
        if obj is None:
            self.error(f"no object named '{ref}'", loc, path)
            return None, None
        return self.ids.get((obj.component, obj.name)), obj

    def cdl_name(self, ref: str, loc, path: str) -> str | None:
        """The capDL name of the object a full reference names (None after an error)."""
        oid, _ = self.oid(ref, None, loc, path)
        return _show(oid) if oid is not None else None

    # -- objects --------------------------------------------------------------------------------
    def convert(self, obj) -> None:
        oid = self.ids[(obj.component, obj.name)]
        path = obj.full_name()
        if obj.type == "IRQControl":
            return
        kind = KINDS.get(obj.type)
        if kind is None:
            self.error(f"'{obj.type}' objects have no capDL equivalent", obj.loc, path)
            return
        params = {}
        if obj.type in ("CNode", "Untyped") and obj.bits is not None:
            params["bits"] = obj.bits
        if obj.type.startswith("Frame"):
            params["vmsize"] = 1 << self.abi.object_size_bits(obj.type)
        if obj.paddr is not None:
            params["paddr"] = obj.paddr
        if obj.fill:
            fills = [self.file_fill(f) for f in obj.fill]
            if any(f is not None for f in fills):
                params["fill"] = [f for f in fills if f is not None]
            if None in fills:
                self.filled.append(obj)
        if obj.type == "IRQHandler" and obj.trigger is not None:
            kind = "arm_irq"
            params["trigger"] = 1 if obj.trigger == "edge" else 0
            params["target"] = 0
        if obj.type == "TCB":
            self.tcb_params(obj, params, path)
        self.model.objects[oid] = CdlObject(kind, params, {}, obj.loc)

    def component_notes(self) -> None:
        """capDL has no components: a comment line `-- sigil: component NAME thread=TCB
        [resource_manager] [tcb=..] [cspace=..] [vspace=..]` per component with a thread names
        it (by its `tcb`, else its first TCB), says whether it is the resource manager (the
        component the loader hands the untyped memory left over to) and which objects are its
        `tcb`, `cspace` and `vspace`."""
        for comp in self.spec.components:
            tcbs = [o for o in comp.objects if o.type == "TCB"]
            tcbs.sort(key=lambda o: o.name != "tcb")
            if not tcbs:
                if comp.resource_manager:
                    self.warn("'resource_manager' is not exported: the component has no thread "
                              "for the note to name", comp.loc, f"components.{comp.name}")
                continue
            args = [comp.name, f"thread={_show(self.ids[(comp.name, tcbs[0].name)])}"]
            args += ["resource_manager"] if comp.resource_manager else []
            for role in ROLES:
                if (comp.name, role) in self.ids:
                    args.append(f"{role}={_show(self.ids[(comp.name, role)])}")
            self.model.notes.append(("component", args, comp.loc))

    def file_fill(self, fill):
        """A fill as capDL's FileData fill, its `data` bytes appended to the data file; None for
        a data fill without a data file."""
        if fill.file is not None:
            return Braced((fill.offset or 0, fill.length, "CDL_FrameFill_FileData", Quoted(fill.file),
                           fill.file_offset or 0), fill.loc)
        if self.data_file is None:
            return None
        data = bytes.fromhex(fill.data)
        self.data += bytes(-len(self.data) % 8)
        start = len(self.data)
        self.data += data
        return Braced((fill.offset or 0, len(data), "CDL_FrameFill_FileData", Quoted(self.data_file),
                       start), fill.loc)

    def tcb_params(self, obj, params: dict, path: str) -> None:
        for attr, key in (("entry", "ip"), ("stack", "sp"), ("priority", "prio"),
                          ("max_priority", "max_prio"), ("args", "init"), ("start", "resume")):
            value = getattr(obj, attr)
            if value is not None and value != []:
                params[key] = list(value) if isinstance(value, list) else value
        if obj.fpu is not None:
            params["fpu_disabled"] = not obj.fpu
        if obj.ipc_buffer is not None:
            params["addr"] = obj.ipc_buffer.vaddr
        if obj.tls:
            self.error("'tls' has no capDL equivalent", obj.loc, path)

    # -- caps -------------------------------------------------------------------------------------
    def letters(self, obj_type: str, rights) -> frozenset:
        names = APPLICABLE_RIGHTS.get(obj_type, ()) if rights is None else rights
        return frozenset(RIGHT_LETTER[r] for r in names if r in RIGHT_LETTER)

    def cap(self, cap, context, path: str):
        oid, target = self.oid(cap.cap, context, cap.loc, path)
        if target is None:
            return None
        if target.type == "IRQControl":
            return CdlCap(None, special="irq_control", loc=cap.loc)
        return CdlCap(oid, rights=self.letters(target.type, getattr(cap, "rights", None)),
                      badge=getattr(cap, "badge", None) or 0, guard=getattr(cap, "guard", None) or 0,
                      guard_size=getattr(cap, "guard_size", None) or 0, loc=cap.loc)

    def fill_slots(self, obj) -> None:
        container = self.model.objects.get(self.ids[(obj.component, obj.name)])
        if container is None:
            return
        if obj.type == "CNode":
            self.cnode_slots(obj, container)
        elif obj.type in ("VSpace", "PageTable"):
            self.table_slots(obj, container)
        elif obj.type == "IRQHandler" and obj.notification:
            oid, _ = self.oid(obj.notification, obj.component, obj.loc, obj.full_name())
            container.slots[0] = CdlCap(oid, rights=frozenset("W"), badge=obj.badge or 0, loc=obj.loc)
        elif obj.type == "TCB":
            self.tcb_slots(obj, container)

    def cnode_slots(self, obj, container: CdlObject) -> None:
        slot = 0
        for cap in obj.slots:
            slot = slot if cap.slot is None else cap.slot
            out = self.cap(cap, obj.component, f"{obj.full_name()}[{slot}]")
            if out is not None:
                container.slots[slot] = out
                if cap.original:
                    self.originals.append((self.ids[(obj.component, obj.name)], slot, out))
            slot += 1

    def table_slots(self, obj, container: CdlObject) -> None:
        if obj.mappings:
            self.error("VSpace 'mappings' must be expanded by the compiler first", obj.loc, obj.full_name())
        for entry in obj.entries:
            path = f"{obj.full_name()}[{entry.index}]"
            ref = entry.table or entry.frame
            oid, target = self.oid(ref or "", obj.component, entry.loc, path)
            if target is None:
                continue
            if entry.table:
                container.slots[entry.index] = CdlCap(oid, loc=entry.loc)
                continue
            rights = entry.rights if entry.rights is not None else ["Read", "Write"]
            letters = {RIGHT_LETTER[r] for r in rights if r in ("Read", "Write")}
            if entry.executable:
                letters.add("G")
            flags = frozenset({"uncached"}) if entry.cached is False else frozenset()
            container.slots[entry.index] = CdlCap(oid, rights=frozenset(letters), flags=flags, loc=entry.loc)

    def tcb_slots(self, obj, container: CdlObject) -> None:
        path = obj.full_name()
        if obj.cspace is not None:
            out = self.cap(obj.cspace, obj.component, f"{path}.cspace")
            if out is not None:
                container.slots[0] = out
        for slot, ref, rights in ((1, obj.vspace, None),
                                  (4, obj.ipc_buffer.frame if obj.ipc_buffer else None, "RW"),
                                  (8, obj.bound_notification, None)):
            if ref:
                oid, _ = self.oid(ref, obj.component, obj.loc, path)
                container.slots[slot] = CdlCap(oid, rights=frozenset(rights or ""), loc=obj.loc)
        if obj.fault_handler is not None:
            out = self.cap(obj.fault_handler, obj.component, f"{path}.fault_handler")
            if out is not None:
                container.slots[5] = out

    # -- structure ---------------------------------------------------------------------------------
    def table_kinds(self) -> None:
        """pud/pd/pt by depth below each VSpace."""
        for obj in self.index.all():
            if obj.type != "VSpace":
                continue
            todo = [(obj, 0)]
            while todo:
                table, depth = todo.pop()
                for entry in table.entries:
                    sub = self.index.resolve(entry.table, table.component) if entry.table else None
                    if sub is None or sub.type != "PageTable" or depth + 1 > 3:
                        continue
                    oid = self.ids[(sub.component, sub.name)]
                    if oid in self.model.objects:
                        self.model.objects[oid].kind = TABLE_KIND_BY_DEPTH[depth + 1]
                    todo.append((sub, depth + 1))

    def cdt(self) -> None:
        caps_to: dict = {}
        for oid, obj in self.model.objects.items():
            if obj.kind == "cnode":
                for slot, cap in obj.slots.items():
                    caps_to.setdefault(cap.target, []).append((oid, slot))
        for oid, slot, cap in self.originals:
            others = [other for other in caps_to.get(cap.target, []) if other != (oid, slot)]
            for other in others:
                self.model.cdt[other] = (oid, slot)
            if not others:  # still an original: `(c, 1) {}`
                self.model.cdt_childless.add((oid, slot))

    def covers(self, obj) -> None:
        """`covers: [a, b]` of an Untyped becomes its capDL cover block `ut { a, b }`."""
        for i, ref in enumerate(obj.covers or ()):
            oid, _ = self.oid(ref, obj.component, obj.loc, f"{obj.full_name()}.covers[{i}]")
            if oid is not None:
                self.model.covers.setdefault(self.ids[(obj.component, obj.name)], []).append(oid)

    def irqs(self) -> None:
        for obj in self.index.all():
            if obj.type == "IRQHandler" and obj.irq is not None:
                oid = self.ids[(obj.component, obj.name)]
                if obj.irq in self.model.irqs:
                    self.error(f"irq {obj.irq} has two handlers", obj.loc, obj.full_name())
                self.model.irqs[obj.irq] = oid

    def run(self) -> CdlModel:
        for comp in self.spec.components:
            if comp.program is not None or comp.regions:
                self.error("programs and regions must be expanded by the compiler first "
                           "(export does this when sigil-specc is built)", comp.loc,
                           f"components.{comp.name}")
        objs = self.index.all()
        self.originals: list = []
        self.filled: list = []
        self.make_ids(objs)
        self.component_notes()
        if self.spec.policy is not None:
            self.model.notes += export_policy(self.spec.policy, self.cdl_name)
        for obj in objs:
            self.convert(obj)
        for obj in objs:
            self.fill_slots(obj)
            self.covers(obj)
        self.table_kinds()
        self.cdt()
        self.irqs()
        if self.filled:
            first = self.filled[0]
            more = f" and {len(self.filled) - 1} more frames" if len(self.filled) > 1 else ""
            self.warn(f"frame contents given as 'data' are not exported: capDL fills name files, "
                      f"and no data file was given (export -o OUT.cdl writes one; this frame{more})",
                      first.loc, first.full_name())
        self.errors.raise_if_any()
        if self.data:
            self.model.files[self.data_file] = bytes(self.data)
        return self.model


def _show(oid: tuple) -> str:
    return oid[0] if oid[1] is None else f"{oid[0]}[{oid[1]}]"


def _same_but_name(a, b) -> bool:
    """Equal objects apart from name, owner and location (candidates for one capDL array)."""
    skip = ("name", "loc", "component")
    def kept(obj):
        return {k: v for k, v in vars(obj).items() if k not in skip}
    return kept(a) == kept(b)


def export_cdl(spec: Spec, data_file: str | None = None) -> tuple:
    """Translate an explicit spec to a capDL model; returns (CdlModel, warnings). With
    `data_file`, `data` fills become FileData fills naming it, and model.files[data_file] holds
    the bytes to write there (nothing when no fill has data)."""
    exporter = Exporter(spec, data_file)
    model = exporter.run()
    return model, exporter.warnings
