"""capDL's own data model, as built from .cdl text (and printed back).

This mirrors the data model in seL4's capDL language document, reduced to what text can say:

* objects are named by `ObjID = (name, index)`; index is None for plain names and 0..n-1 for the
  members of an array declared `name[n] = ...`;
* each object has a kind (the capDL keyword: `ep`, `tcb`, `frame`, `pgd`, ...), parameters keyed
  by their capDL spelling (`bits`, `vmsize` in bytes, `paddr`, `prio`, `init`, ...) and, for
  container objects, caps in numbered slots;
* untyped covers, the IRQ map and the derivation tree (child slot -> parent slot) are separate.

Two models are equal when they describe the same system; that is what the round-trip tests
compare, so formatting and declaration order in the text do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Location

ObjID = tuple  # (name: str, index: int | None)
CapRef = tuple  # (container ObjID, slot)

# Object kinds that hold caps in slots (in capDL; page tables hold their mappings as caps).
CONTAINER_KINDS = {"tcb", "cnode", "irq", "arm_irq", "pgd", "pud", "pd", "pt", "asid_pool"}
# Caps that name no object.
SPECIAL_CAPS = ("irq_control", "asid_control", "sched_control", "domain", "io_space_master", "sgi_signal")


def show_id(obj: ObjID) -> str:
    """The capDL spelling of an object id: `name` or `name[3]`."""
    name, index = obj
    return name if index is None else f"{name}[{index}]"


@dataclass(eq=False)
class CdlCap:
    """A cap in a slot.  `target` is the object, or None for a special cap (`special`)."""

    target: ObjID | None
    special: str | None = None
    rights: frozenset = frozenset()  # letters R, W, G (X on frames), P
    badge: int = 0
    guard: int = 0
    guard_size: int = 0
    flags: frozenset = frozenset()  # reply, master_reply, uncached
    asid: tuple | None = None
    mapping: CapRef | None = None
    extra: dict = field(default_factory=dict)  # parameters with no meaning known here
    loc: Location = field(default_factory=Location)

    def key(self) -> tuple:
        return (self.target, self.special, self.rights, self.badge, self.guard, self.guard_size,
                self.flags, self.asid, self.mapping, tuple(sorted(self.extra.items())))

    def __eq__(self, other) -> bool:
        return isinstance(other, CdlCap) and self.key() == other.key()

    def __repr__(self) -> str:
        return f"CdlCap{self.key()}"


@dataclass(eq=False)
class CdlObject:
    kind: str
    params: dict = field(default_factory=dict)
    slots: dict = field(default_factory=dict)  # slot number -> CdlCap
    loc: Location = field(default_factory=Location)

    def key(self) -> tuple:
        params = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in self.params.items()))
        return (self.kind, params, tuple(sorted(self.slots.items(), key=lambda kv: kv[0])))

    def __eq__(self, other) -> bool:
        return isinstance(other, CdlObject) and self.key() == other.key()

    def __repr__(self) -> str:
        return f"CdlObject{self.key()}"


@dataclass
class CdlModel:
    arch: str = "aarch64"
    arch_loc: Location = field(default_factory=Location)
    objects: dict = field(default_factory=dict)  # ObjID -> CdlObject, in declaration order
    covers: dict = field(default_factory=dict)  # untyped ObjID -> [ObjID] in order
    irqs: dict = field(default_factory=dict)  # irq number -> ObjID
    cdt: dict = field(default_factory=dict)  # child CapRef -> parent CapRef
    cdt_childless: set = field(default_factory=set)  # CapRefs written as parents of nothing: `(c, 1) {}`
    arrays: dict = field(default_factory=dict)  # array name -> declared length
    files: dict = field(default_factory=dict)  # export: file name -> bytes its fills name
    # Sigil's notes in `-- sigil: WORD ARG...` comment lines (capDL tools read them as comments):
    # (WORD, [ARG...], Location) in file order. The one note is `component` (exporter.py).
    notes: list = field(default_factory=list)
    # cap names `n = (obj, slot)` of an object that is not declared, which capDL-tool accepts for
    # a name nobody uses: (name, object name, Location); a use of one is an error
    loose_names: list = field(default_factory=list)

    def same_as(self, other: "CdlModel") -> bool:
        """True when both describe the same system (order of declarations aside)."""
        return (self.arch == other.arch and self.objects == other.objects
                and {k: sorted(v, key=_id_key) for k, v in self.covers.items() if v}
                == {k: sorted(v, key=_id_key) for k, v in other.covers.items() if v}
                and self.irqs == other.irqs and self.cdt == other.cdt
                and self.cdt_childless == other.cdt_childless)


def _id_key(obj: ObjID) -> tuple:
    return (obj[0], -1 if obj[1] is None else obj[1])


# capDL right letters <-> Sigil right names.  On frames capDL writes Grant as X (execute).
LETTER_RIGHT = {"R": "Read", "W": "Write", "G": "Grant", "P": "GrantReply"}
RIGHT_LETTER = {v: k for k, v in LETTER_RIGHT.items()}
