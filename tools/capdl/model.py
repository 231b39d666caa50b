"""In-memory model of a Sigil spec (docs/spec-format.md, version 1).

The model follows the YAML format one to one: a `Spec` has top-level `objects`, `components` and a
`policy`; an `Obj` carries every field any object type may have (fields that do not apply to its
type stay None, and the compiler says so if a spec sets them).  Absent fields are None, so writing
a model back gives the same YAML, and "rights absent" (every right) stays different from
"rights: []" (none).

Each class lists its YAML keys in `FIELDS`, as (key, attribute, kind) where kind is one of

    'int'    a number (YAML integer: decimal, 0x, 0o, 0b, `_` separators)
    'size'   a number that may also end in K, M or G (sizes, fill offsets and lengths)
    'bool'   true / false (YAML 1.1's yes / no / on / off too)
    'str'    a name, a reference (`ep`, `server.ep`) or a path
    'ints'   a list of numbers          'strs'  a list of strings
    a class  a nested mapping;  [class]  a list of them;  (class,) a mapping or, short for
             {cap: NAME}, just a name (TCB cspace and fault_handler)

yamlio.py reads and writes YAML from these tables, so the format is described once.  The rules of
the format (what applies to which type, ranges, references) are the compiler's; this model only
knows the shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .abi import load_abi
from .errors import Location, ToolError

_ABI = load_abi()
# The right names in the order the format document lists them; the set is the ABI's.
RIGHTS = ("Read", "Write", "Grant", "GrantReply")
if set(RIGHTS) != set(_ABI.rights):
    raise ToolError(f"kernel/abi/sigil.yaml has rights {sorted(_ABI.rights)}, this package knows "
                    f"{sorted(RIGHTS)}", Location(_ABI.path))
# The frame types, smallest first, from kernel/abi/sigil.yaml.
FRAME_TYPES = tuple(sorted((t for t in _ABI.objects if t.startswith("Frame")),
                           key=lambda t: _ABI.objects[t]["size_bits"]))
# The rights a cap of each type can carry (docs/spec-format.md); other caps take none.  Reply
# caps have no grant bit (RFC-13).
APPLICABLE_RIGHTS = {"Endpoint": RIGHTS, "Notification": ("Read", "Write"),
                     **{t: ("Read", "Write") for t in FRAME_TYPES}}


def _loc() -> Location:
    return Location()


@dataclass
class Cap:
    """A cap in a CNode slot."""

    cap: str = ""
    slot: int | None = None
    rights: list | None = None
    badge: int | None = None
    guard: int | None = None
    guard_size: int | None = None
    original: bool | None = None
    debug: list | None = None  # `debug: [PowerOff, ...]`: a Debug cap (debugcaps.py), instead of cap
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("slot", "slot", "int"), ("cap", "cap", "str"), ("rights", "rights", "strs"),
              ("badge", "badge", "int"), ("guard", "guard", "int"),
              ("guard_size", "guard_size", "int"), ("original", "original", "bool"),
              ("debug", "debug", "strs"))
    REQUIRED = ()  # `cap` or `debug`: checked by debugcaps.resolve_debug_caps


@dataclass
class CNodeRef:
    """A TCB's CSpace root: a CNode cap with an optional guard."""

    cap: str = ""
    guard: int | None = None
    guard_size: int | None = None
    loc: Location = field(default_factory=_loc, compare=False)
    rights = None  # CNode caps take no rights and no badge (read-only class attributes)
    badge = None

    FIELDS = (("cap", "cap", "str"), ("guard", "guard", "int"), ("guard_size", "guard_size", "int"))
    REQUIRED = ("cap",)


@dataclass
class FaultHandler:
    """A thread's fault handler: an endpoint, with the badge and rights the TCB keeps (RFC-11)."""

    cap: str = ""
    badge: int | None = None
    rights: list | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("cap", "cap", "str"), ("badge", "badge", "int"), ("rights", "rights", "strs"))
    REQUIRED = ("cap",)


@dataclass
class Entry:
    """One entry of a VSpace or PageTable: a next-level table or a frame."""

    index: int | None = None
    table: str | None = None
    frame: str | None = None
    rights: list | None = None
    executable: bool | None = None
    cached: bool | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("index", "index", "int"), ("table", "table", "str"), ("frame", "frame", "str"),
              ("rights", "rights", "strs"), ("executable", "executable", "bool"),
              ("cached", "cached", "bool"))
    REQUIRED = ("index",)


@dataclass
class Mapping:
    """A VSpace mapping by virtual address (the compiler adds the tables)."""

    vaddr: int | None = None
    frame: str | None = None
    rights: list | None = None
    executable: bool | None = None
    cached: bool | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("vaddr", "vaddr", "int"), ("frame", "frame", "str"), ("rights", "rights", "strs"),
              ("executable", "executable", "bool"), ("cached", "cached", "bool"))
    REQUIRED = ("vaddr", "frame")


@dataclass
class Fill:
    """Initial frame contents: bytes of a file, or hex `data`."""

    offset: int | None = None
    file: str | None = None
    file_offset: int | None = None
    length: int | None = None
    data: str | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("offset", "offset", "size"), ("file", "file", "str"),
              ("file_offset", "file_offset", "size"), ("length", "length", "size"),
              ("data", "data", "str"))
    REQUIRED = ("offset",)


@dataclass
class IpcBuffer:
    frame: str | None = None
    vaddr: int | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("frame", "frame", "str"), ("vaddr", "vaddr", "int"))
    REQUIRED = ("frame", "vaddr")


# Thread settings shared by TCB objects and programs.
THREAD_FIELDS = (("fault_handler", "fault_handler", (FaultHandler,)),
                 ("bound_notification", "bound_notification", "str"),
                 ("priority", "priority", "int"), ("max_priority", "max_priority", "int"),
                 ("args", "args", "ints"), ("fpu", "fpu", "bool"), ("tls", "tls", "int"),
                 ("start", "start", "bool"))


@dataclass
class Obj:
    """An object of any type; `component` is the owning component's name (None: top level)."""

    name: str = ""
    type: str = ""
    bits: int | None = None
    paddr: int | None = None
    covers: list | None = None  # [str], Untyped: the objects retyped from it
    slots: list = field(default_factory=list)  # [Cap], CNode
    entries: list = field(default_factory=list)  # [Entry], VSpace / PageTable
    mappings: list = field(default_factory=list)  # [Mapping], VSpace
    fill: list = field(default_factory=list)  # [Fill], frames
    irq: int | None = None  # IRQHandler
    notification: str | None = None
    badge: int | None = None
    trigger: str | None = None
    cspace: CNodeRef | None = None  # TCB
    vspace: str | None = None
    ipc_buffer: IpcBuffer | None = None
    entry: int | None = None
    stack: int | None = None
    fault_handler: FaultHandler | None = None
    bound_notification: str | None = None
    priority: int | None = None
    max_priority: int | None = None
    args: list | None = None
    fpu: bool | None = None
    tls: int | None = None
    start: bool | None = None
    component: str | None = field(default=None, compare=False)
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("name", "name", "str"), ("type", "type", "str"), ("bits", "bits", "int"),
              ("paddr", "paddr", "int"), ("covers", "covers", "strs"), ("slots", "slots", [Cap]), ("entries", "entries", [Entry]),
              ("mappings", "mappings", [Mapping]), ("fill", "fill", [Fill]), ("irq", "irq", "int"),
              ("notification", "notification", "str"), ("badge", "badge", "int"),
              ("trigger", "trigger", "str"), ("cspace", "cspace", (CNodeRef,)), ("vspace", "vspace", "str"),
              ("ipc_buffer", "ipc_buffer", IpcBuffer), ("entry", "entry", "int"),
              ("stack", "stack", "int")) + THREAD_FIELDS
    REQUIRED = ("name", "type")

    def full_name(self) -> str:
        """The name other components use: `comp.name`, or `name` at the top level."""
        return f"{self.component}.{self.name}" if self.component else self.name


@dataclass
class Program:
    elf: str | None = None
    fault_handler: FaultHandler | None = None
    bound_notification: str | None = None
    priority: int | None = None
    max_priority: int | None = None
    args: list | None = None
    fpu: bool | None = None
    tls: int | None = None
    start: bool | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("elf", "elf", "str"),) + THREAD_FIELDS
    REQUIRED = ("elf",)


@dataclass
class Region:
    name: str | None = None
    kind: str | None = None
    size: int | None = None
    vaddr: int | None = None
    paddr: int | None = None
    frames: list | None = None
    rights: list | None = None
    cached: bool | None = None
    executable: bool | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("name", "name", "str"), ("kind", "kind", "str"), ("vaddr", "vaddr", "int"),
              ("size", "size", "size"), ("paddr", "paddr", "int"), ("cached", "cached", "bool"),
              ("executable", "executable", "bool"), ("frames", "frames", "strs"),
              ("rights", "rights", "strs"))
    REQUIRED = ("name", "kind")


@dataclass
class CSpaceShorthand:
    """A component's `cspace:` key: a CNode named `cspace` in that component."""

    bits: int | None = None
    slots: list = field(default_factory=list)
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("bits", "bits", "int"), ("slots", "slots", [Cap]))
    REQUIRED = ("bits",)


@dataclass
class Component:
    name: str = ""
    resource_manager: bool | None = None
    ends_system: bool | None = None
    objects: list = field(default_factory=list)  # [Obj]
    cspace: CSpaceShorthand | None = None
    program: Program | None = None
    regions: list = field(default_factory=list)  # [Region]
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("name", "name", "str"), ("resource_manager", "resource_manager", "bool"),
              ("ends_system", "ends_system", "bool"),
              ("objects", "objects", [Obj]), ("cspace", "cspace", CSpaceShorthand),
              ("program", "program", Program), ("regions", "regions", [Region]))
    REQUIRED = ("name",)

    def all_objects(self) -> list:
        """The explicit objects plus the CNode the `cspace:` shorthand stands for."""
        objs = list(self.objects)
        if self.cspace is not None:
            objs.append(Obj(name="cspace", type="CNode", bits=self.cspace.bits,
                            slots=self.cspace.slots, component=self.name, loc=self.cspace.loc))
        return objs


@dataclass
class DemandRegion:
    """A demand-zero region of a resource-manager client (docs/resource-manager.md)."""

    vaddr: int | None = None
    size: int | None = None
    rights: list | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("vaddr", "vaddr", "int"), ("size", "size", "size"), ("rights", "rights", "strs"))
    REQUIRED = ("vaddr", "size")


@dataclass
class Client:
    component: str | None = None
    id: int | None = None
    memory: int | None = None
    objects: int | None = None
    reply_objects: int | None = None
    admin: bool | None = None
    request_slot: int | None = None
    grant_via_reply: bool | None = None
    on_fault: str | None = None
    pageable: bool | None = None
    smc: list | None = None
    caps: list | None = None
    demand_regions: list = field(default_factory=list)  # [DemandRegion]
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("component", "component", "str"), ("id", "id", "int"), ("memory", "memory", "size"),
              ("objects", "objects", "int"), ("reply_objects", "reply_objects", "int"),
              ("admin", "admin", "bool"), ("request_slot", "request_slot", "int"),
              ("grant_via_reply", "grant_via_reply", "bool"), ("on_fault", "on_fault", "str"),
              ("pageable", "pageable", "bool"),
              ("smc", "smc", "ints"), ("caps", "caps", "strs"),
              ("demand_regions", "demand_regions", [DemandRegion]))
    REQUIRED = ("component", "id")


@dataclass
class Policy:
    endpoint: str | None = None
    reply: str | None = None
    clients: list = field(default_factory=list)  # [Client]
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("endpoint", "endpoint", "str"), ("reply", "reply", "str"),
              ("clients", "clients", [Client]))
    REQUIRED = ()


@dataclass
class Spec:
    version: int | None = 1
    objects: list = field(default_factory=list)  # [Obj], top level
    components: list = field(default_factory=list)  # [Component]
    policy: Policy | None = None
    loc: Location = field(default_factory=_loc, compare=False)

    FIELDS = (("version", "version", "int"), ("objects", "objects", [Obj]),
              ("components", "components", [Component]), ("policy", "policy", Policy))
    REQUIRED = ("version",)

    def merge(self, *others) -> "Spec":
        """This spec and `others` in one new spec (capdl.merge.merge: conflicts are SpecErrors)."""
        from .merge import merge
        return merge(self, *others)

    # -- lookups (used by the analysis and the converters) -------------------------------
    def component(self, name: str) -> Component | None:
        return next((c for c in self.components if c.name == name), None)

    def all_objects(self) -> list:
        """Every object: top level first, then each component's (with `component` set)."""
        objs = list(self.objects)
        for comp in self.components:
            for obj in comp.all_objects():
                obj.component = comp.name
                objs.append(obj)
        return objs
