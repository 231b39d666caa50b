"""Authoring API: build large specs in Python, then emit YAML.

    b = SpecBuilder()
    shm = b.frame("shm0")                               # a top-level object
    rm = b.component("rm", resource_manager=True)
    pool = rm.untyped("pool", bits=24)
    rm.cspace(bits=5).add(pool)                          # slot chosen by the allocator (1)
    srv = b.component("server")
    ep = srv.endpoint("ep")
    cs = srv.cspace(bits=4)
    cs.add(ep, rights=["Read", "Grant"], original=True)
    vs = srv.address_space()                             # a VSpace plus page tables on demand
    vs.map(0x4000_0000, shm, rights=["Read"])
    ipc = srv.frame("ipc"); vs.map(0x4010_0000, ipc)
    srv.thread(cspace=cs, vspace=vs, ipc_buffer=ipc, ipc_vaddr=0x4010_0000, entry=0x40_0000)
    print(b.to_yaml())

Allocation is the only policy here: `CSpace` hands out free slots (lowest first, from slot 1 so
that slot 0 stays the null cap), `AddressSpace` creates the page tables a mapping needs (named as
the compiler names them, `<vspace>_pt<level>_<hex base>`) and places regions after the highest
mapping, and `AddressSpace.load_elf` lays out an ELF image as filled frames.  Everything else is
checked by the compiler (`capdl.compiler.check_spec`): this module only refuses what it cannot
represent (a full CNode, an address mapped twice, a name used twice), with AllocationError.
Object sizes, page size and user_top come from kernel/abi/sigil.yaml.
"""

from __future__ import annotations

import os

from .abi import load_abi
from .elf import page_fills, read_elf
from .errors import AllocationError, CompilerErrors, Location
from .index import WORD_BITS
from .model import (FRAME_TYPES, Cap, CNodeRef, Client, Component, CSpaceShorthand, Entry,
                    FaultHandler, Fill, IpcBuffer, Obj, Policy, Program, Region, Spec)
from .yamlio import write_spec, write_spec_text


class Handle:
    """An object in the spec under construction; `ref(context)` is how `context` names it."""

    def __init__(self, obj: Obj):
        self.obj = obj

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def type(self) -> str:
        return self.obj.type

    def ref(self, context: str | None) -> str:
        owner = self.obj.component
        return self.obj.name if owner is None or owner == context else f"{owner}.{self.obj.name}"


class CSpace:
    """Slot allocator over one CNode: explicit slots are honoured, others are the lowest free."""

    def __init__(self, owner: "ComponentBuilder | None", bits: int, slots: list, name: str,
                 first_free: int = 1):
        limit = load_abi().objects["CNode"]
        if not limit["min_bits"] <= bits <= limit["max_bits"]:
            raise AllocationError(f"CNode bits {bits} outside {limit['min_bits']}..{limit['max_bits']}",
                                  path=name)
        self.owner = owner
        self.bits = bits
        self.slots = slots  # the model's list, filled in place
        self.name = name
        self.first_free = first_free
        self.used: set = set()
        self.handle: Handle | None = None

    @property
    def capacity(self) -> int:
        return 1 << self.bits

    def alloc(self, slot: int | None = None) -> int:
        """Reserve `slot`, or the lowest free slot from first_free; AllocationError if taken/full."""
        if slot is not None:
            if not 0 <= slot < self.capacity:
                raise AllocationError(f"slot {slot} outside the CNode (2^{self.bits} slots)", path=self.name)
            if slot in self.used:
                raise AllocationError(f"slot {slot} is already used", path=self.name)
        else:
            slot = next((s for s in range(self.first_free, self.capacity) if s not in self.used), None)
            if slot is None:
                raise AllocationError(f"CNode is full (2^{self.bits} slots)", path=self.name)
        self.used.add(slot)
        return slot

    def free(self, slot: int) -> None:
        """Give a slot back (and drop the cap placed there, if any)."""
        self.used.discard(slot)
        self.slots[:] = [c for c in self.slots if c.slot != slot]

    def add(self, target: Handle, slot: int | None = None, rights: list | None = None,
            badge: int | None = None, guard: int | None = None, guard_size: int | None = None,
            original: bool | None = None) -> int:
        """Put a cap to `target` in a slot (chosen if not given); returns the slot."""
        slot = self.alloc(slot)
        context = self.owner.name if self.owner else None
        self.slots.append(Cap(cap=target.ref(context), slot=slot, rights=rights, badge=badge,
                              guard=guard, guard_size=guard_size, original=original))
        self.slots.sort(key=lambda c: c.slot)
        return slot

    def add_self(self, slot: int | None = None, guard_size: int | None = None) -> int:
        """Put a cap to this CNode itself in a slot (for CNode invocations on the component's
        own CSpace); guard_size defaults to 64 - bits, so that the cap resolves a CPtr fully."""
        size = WORD_BITS - self.bits if guard_size is None else guard_size
        return self.add(self.handle, slot, guard_size=size)

    def root(self, guard: int = 0, guard_size: int | None = None) -> CNodeRef:
        """This CNode as a CSpace root; by default guard_size = 64 - bits (CPtr = slot number)."""
        size = WORD_BITS - self.bits if guard_size is None else guard_size
        context = self.owner.name if self.owner else None
        return CNodeRef(cap=self.handle.ref(context), guard=guard, guard_size=size)


class AddressSpace:
    """A VSpace and the page tables below it, built mapping by mapping."""

    def __init__(self, owner: "ComponentBuilder", handle: Handle):
        abi = load_abi()
        self.owner = owner
        self.handle = handle
        self.page_bits = abi.platform["page_bits"]
        self.level_bits = self.page_bits - 3
        self.user_top = abi.platform["user_top"]
        self.frame_bits = {t: abi.object_size_bits(t) for t in FRAME_TYPES}
        self.tables: dict = {(0, 0): handle.obj}  # (level, base) -> Obj
        self.mapped: dict = {}  # vaddr -> (frame name, size)
        self.top = 0  # end of the highest mapping

    def shift(self, level: int) -> int:
        """log2 of the span of one entry of a level-`level` table."""
        return self.page_bits + self.level_bits * (3 - level)

    def frame_level(self, frame_type: str) -> int:
        bits = self.frame_bits[frame_type]
        return next(level for level in range(1, 4) if self.shift(level) == bits)

    def _table(self, level: int, vaddr: int) -> Obj:
        """The level-`level` table that translates vaddr, created (and linked) if missing."""
        base = vaddr & ~((1 << self.shift(level - 1)) - 1) if level else 0
        table = self.tables.get((level, base))
        if table is not None:
            return table
        parent = self._table(level - 1, vaddr)
        index = (vaddr >> self.shift(level - 1)) & ((1 << self.level_bits) - 1)
        if any(e.index == index for e in parent.entries):
            raise AllocationError(f"vaddr {vaddr:#x} lies under a frame mapped at level {level - 1}",
                                  path=self.handle.name)
        name = f"{self.handle.name}_pt{level}_{base:x}"
        table = self.owner.object(name, "PageTable").obj
        parent.entries.append(Entry(index=index, table=name))
        parent.entries.sort(key=lambda e: e.index)
        self.tables[(level, base)] = table
        return table

    def map(self, vaddr: int, frame: Handle, rights: list | None = None,
            executable: bool | None = None, cached: bool | None = None) -> None:
        """Map one frame at vaddr (aligned to its size, below user_top, not mapped yet)."""
        if frame.type not in FRAME_TYPES:
            raise AllocationError(f"'{frame.name}' is a {frame.type}, not a frame", path=self.handle.name)
        size = 1 << self.frame_bits[frame.type]
        if vaddr % size or vaddr + size > self.user_top or vaddr < 0:
            raise AllocationError(f"vaddr {vaddr:#x} is not a {size:#x}-aligned user address",
                                  path=self.handle.name)
        for other, (name, other_size) in self.mapped.items():
            if other < vaddr + size and vaddr < other + other_size:
                raise AllocationError(f"vaddr {vaddr:#x} overlaps '{name}' at {other:#x}",
                                      path=self.handle.name)
        level = self.frame_level(frame.type)
        table = self._table(level, vaddr)
        index = (vaddr >> self.shift(level)) & ((1 << self.level_bits) - 1)
        if any(e.index == index for e in table.entries):
            raise AllocationError(f"vaddr {vaddr:#x} is below a page table", path=self.handle.name)
        table.entries.append(Entry(index=index, frame=frame.ref(self.owner.name), rights=rights,
                                   executable=executable, cached=cached))
        table.entries.sort(key=lambda e: e.index)
        self.mapped[vaddr] = (frame.name, size)
        self.top = max(self.top, vaddr + size)

    def region(self, name: str, size: int, vaddr: int | None = None, rights: list | None = None,
               executable: bool | None = None, fill: list | None = None) -> tuple:
        """New Frame4K objects `<name>_<i>` mapped from vaddr (default: after the highest mapping
        and one guard page); returns (vaddr, [handles])."""
        page = 1 << self.page_bits
        if size <= 0 or size % page:
            raise AllocationError(f"region size {size:#x} is not a multiple of {page:#x}", path=name)
        if vaddr is None:
            vaddr = (self.top + page + page - 1) & ~(page - 1)
        frames = []
        for i in range(size // page):
            frame = self.owner.object(f"{name}_{i}", "Frame4K")
            self.map(vaddr + i * page, frame, rights=rights, executable=executable)
            frames.append(frame)
        return vaddr, frames

    def load_elf(self, path: str, prefix: str = "image", spec_dir: str | None = None) -> int:
        """Lay out an ELF image: one filled Frame4K per page of every PT_LOAD segment (named
        `<prefix>_<hex vaddr>`), mapped with the union of the segments' rights; returns the entry.
        `spec_dir` makes the fill file names relative to where the spec will be written."""
        image = read_elf(path)
        pages = page_fills(image, self.page_bits)
        file_name = os.path.relpath(path, spec_dir) if spec_dir else str(path)
        for pva, info in sorted(pages.items()):
            frame = self.owner.object(f"{prefix}_{pva:x}", "Frame4K")
            frame.obj.fill = [Fill(offset=o, file=file_name, file_offset=fo, length=n)
                              for o, fo, n in info["fills"]]
            rights = [r for r in ("Read", "Write") if r in info["rights"]]
            self.map(pva, frame, rights=rights, executable=info["x"] or None)
        return image.entry


class ComponentBuilder:
    """Objects, CSpaces, address spaces and threads of one component."""

    def __init__(self, builder: "SpecBuilder", comp: Component):
        self.builder = builder
        self.comp = comp

    @property
    def name(self) -> str:
        return self.comp.name

    def object(self, name: str, type_name: str, **fields) -> Handle:
        return self.add(Obj(name=name, type=type_name, **fields))

    def add(self, obj: Obj) -> Handle:
        """Put an object made elsewhere (a capdl.objects class, or any Obj) in this component."""
        self.builder.claim(obj.name, self.comp.name)
        obj.component = self.comp.name
        self.comp.objects.append(obj)
        return Handle(obj)

    def endpoint(self, name: str) -> Handle:
        return self.object(name, "Endpoint")

    def notification(self, name: str) -> Handle:
        return self.object(name, "Notification")

    def reply(self, name: str) -> Handle:
        return self.object(name, "Reply")

    def untyped(self, name: str, bits: int, paddr: int | None = None) -> Handle:
        return self.object(name, "Untyped", bits=bits, paddr=paddr)

    def frame(self, name: str, type_name: str = "Frame4K", paddr: int | None = None) -> Handle:
        return self.object(name, type_name, paddr=paddr)

    def cnode(self, name: str, bits: int) -> CSpace:
        handle = self.object(name, "CNode", bits=bits)
        cspace = CSpace(self, bits, handle.obj.slots, f"components.{self.name}.{name}")
        cspace.handle = handle
        return cspace

    def cspace(self, bits: int) -> CSpace:
        """The component's `cspace:` (a CNode named `cspace`, which programs use)."""
        if self.comp.cspace is not None:
            raise AllocationError("the component already has a cspace", path=f"components.{self.name}")
        self.builder.claim("cspace", self.comp.name)
        self.comp.cspace = CSpaceShorthand(bits=bits)
        cspace = CSpace(self, bits, self.comp.cspace.slots, f"components.{self.name}.cspace")
        cspace.handle = Handle(Obj(name="cspace", type="CNode", component=self.comp.name))
        return cspace

    def address_space(self, name: str = "vspace") -> AddressSpace:
        return AddressSpace(self, self.object(name, "VSpace"))

    def thread(self, name: str = "tcb", *, cspace: CSpace, vspace: AddressSpace, ipc_buffer: Handle,
               ipc_vaddr: int, entry: int = 0, stack: int | None = None,
               fault_handler: tuple | None = None, bound_notification: Handle | None = None,
               **settings) -> Handle:
        """A TCB; fault_handler is (endpoint handle, badge, rights).  Other keywords are TCB
        fields (priority, max_priority, args, fpu, tls, start)."""
        handler = None
        if fault_handler is not None:
            ep, badge, rights = fault_handler
            handler = FaultHandler(cap=ep.ref(self.name), badge=badge, rights=rights)
        bound = bound_notification.ref(self.name) if bound_notification else None
        return self.object(name, "TCB", cspace=cspace.root(), vspace=vspace.handle.ref(self.name),
                           ipc_buffer=IpcBuffer(frame=ipc_buffer.ref(self.name), vaddr=ipc_vaddr),
                           entry=entry, stack=stack, fault_handler=handler,
                           bound_notification=bound, **settings)

    def program(self, elf: str, fault_handler: tuple | None = None, **settings) -> None:
        """A thread from an ELF file, expanded by the compiler (needs the component's cspace)."""
        handler = None
        if fault_handler is not None:
            ep, badge, rights = fault_handler
            handler = FaultHandler(cap=ep.ref(self.name), badge=badge, rights=rights)
        for implied in ("tcb", "vspace"):
            self.builder.claim(implied, self.comp.name)
        self.comp.program = Program(elf=elf, fault_handler=handler, **settings)

    def region(self, name: str, kind: str, frames: list | None = None, **fields) -> None:
        refs = [f.ref(self.name) for f in frames] if frames else None
        self.comp.regions.append(Region(name=name, kind=kind, frames=refs, **fields))


class SpecBuilder:
    """A whole spec under construction."""

    def __init__(self):
        self.spec = Spec(version=1)
        self.names: dict = {}  # name -> set of components using it (None = top level)

    def claim(self, name: str, component: str | None) -> None:
        """Record a name; refuse duplicates and top-level/component clashes (the format forbids
        a component object named like a top-level one)."""
        owners = self.names.setdefault(name, set())
        where = f"components.{component}" if component else "objects"
        if component in owners:
            raise AllocationError(f"duplicate object '{name}'", path=where)
        if (component is None and owners) or None in owners:
            raise AllocationError(f"'{name}' is both a top-level and a component object", path=where)
        owners.add(component)

    def object(self, name: str, type_name: str, **fields) -> Handle:
        return self.add(Obj(name=name, type=type_name, **fields))

    def frame(self, name: str, type_name: str = "Frame4K", paddr: int | None = None) -> Handle:
        return self.object(name, type_name, paddr=paddr)

    def add(self, obj: Obj) -> Handle:
        """Put an object made elsewhere (a capdl.objects class, or any Obj) at the top level."""
        self.claim(obj.name, None)
        obj.component = None
        self.spec.objects.append(obj)
        return Handle(obj)

    def component(self, name: str, resource_manager: bool | None = None) -> ComponentBuilder:
        if self.spec.component(name) is not None:
            raise AllocationError(f"duplicate component '{name}'", path="components")
        comp = Component(name=name, resource_manager=resource_manager)
        self.spec.components.append(comp)
        return ComponentBuilder(self, comp)

    def client(self, component: ComponentBuilder, client_id: int, **quotas) -> Client:
        """A policy entry for the resource manager (memory, objects, reply_objects, smc, caps)."""
        if self.spec.policy is None:
            self.spec.policy = Policy()
        client = Client(component=component.name, id=client_id, **quotas)
        self.spec.policy.clients.append(client)
        return client

    def manager_endpoint(self, endpoint: Handle) -> None:
        """The resource manager's endpoint (policy `endpoint`): its clients' faults and requests
        arrive there; the compiler gives each client its fault handler and request cap to it."""
        if self.spec.policy is None:
            self.spec.policy = Policy()
        self.spec.policy.endpoint = endpoint.ref(None)

    def build(self) -> Spec:
        return self.spec

    def to_yaml(self, header: str = "") -> str:
        return write_spec_text(self.spec, header)

    def write(self, path: str, header: str = "") -> None:
        write_spec(self.spec, path, header)

    def placement(self, path: str | None = None, spec_dir: str = ".", search=None,
                  reserve: int | None = None):
        """Where the boot puts every object of this spec (capdl.placement.Placement), from the
        compiler's placement check. The spec is written to `path` (default: a temporary file,
        named `<SpecBuilder>` in messages, whose lines are those of to_yaml()) and compiled with
        `spec_dir` (where relative `elf:` and fill names are found; default: here) searched
        first, then `search` (default: the build's programs). Errors are the compiler's, as
        CompilerErrors."""
        import tempfile
        from pathlib import Path

        from .compiler import default_search, placement
        dirs = [spec_dir] + (default_search() if search is None else list(search))
        if path is not None:
            self.write(str(path))
            return placement(str(path), dirs, reserve)
        with tempfile.TemporaryDirectory(prefix="capdl-") as tmp:
            temp = Path(tmp) / "spec.yaml"
            self.write(str(temp))
            try:
                return placement(str(temp), dirs, reserve)
            except CompilerErrors as err:
                text = err.message.replace(str(temp), "<SpecBuilder>")
                raise CompilerErrors(text, Location("<SpecBuilder>")) from None

    def to_cdl(self, header: str = "") -> tuple:
        """The spec as seL4 capDL text: (text, warnings), as `./sigil spec export` writes it.
        Only for specs without programs, regions or `mappings` (those need the compiler's
        expansion: write the YAML and export it); raises SpecError for what capDL cannot say."""
        from .cdl import print_cdl
        from .cdl.exporter import export_cdl
        model, warnings = export_cdl(self.spec)
        return print_cdl(model, header), warnings
