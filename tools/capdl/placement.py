"""Placement from untyped: where the boot puts every object, as the spec compiler computes it.

There is one placement algorithm, the loader's (capdl-loader/common/alloc.c), and the compiler
runs it over its model of the kernel's boot untyped list to check that a spec fits.  This module
does not place anything itself: `capdl.compiler.placement(path)` runs
`sigil-specc --placement OUT.json` and `parse_placement` turns that JSON into the typed records
below, so Python sees exactly the placement the compiler checked (docs/spec-tools.md,
"Placement from untyped").

An object's `memory` is one of

    "ram"     retyped from boot untyped `untyped` at `offset` (largest objects first, each in the
              first untyped with room)
    "device"  retyped from the device untyped containing its `paddr`, at that address
    "client"  a managed client's object: retyped from the client's own untyped (`parent`, an
              object id) at `offset` inside it
    "cover"   the same from an Untyped of the spec whose `covers` names it (`parent`), which is
              itself placed in any of these ways
    "none"    no memory (IRQHandler, IRQControl, SMC): untyped, parent, offset and paddr are None
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .errors import Location, ToolError

MEMORY_KINDS = ("ram", "device", "client", "cover", "none")


@dataclass(frozen=True)
class BootUntyped:
    """One untyped of the kernel's boot list, as the compiler models it."""

    index: int
    paddr: int
    size_bits: int
    device: bool

    @property
    def end(self) -> int:
        return self.paddr + (1 << self.size_bits)


@dataclass(frozen=True)
class PlacedObject:
    """Where one object of the spec goes at boot (ids are the loader's creation order)."""

    id: int
    name: str  # full name: `comp.obj` or `obj`
    type: str
    size_bits: int  # 0: no memory
    memory: str  # one of MEMORY_KINDS
    untyped: int | None  # index into Placement.untypeds ("ram", "device")
    parent: int | None  # id of the client's untyped ("client")
    offset: int | None  # in the untyped (or the parent)
    paddr: int | None

    @property
    def size(self) -> int:
        return 1 << self.size_bits if self.size_bits else 0

    @property
    def end(self) -> int | None:
        return None if self.paddr is None else self.paddr + self.size


@dataclass(frozen=True)
class Placement:
    """The whole placement: the boot untyped list, then every object in id order."""

    ram_base: int
    ram_size: int
    reserve: int
    free_ram: int  # RAM bytes the boot untypeds still have after the spec's objects
    untypeds: tuple
    objects: tuple

    def object(self, name: str) -> PlacedObject:
        """The object with this full name; KeyError if the spec has none."""
        for obj in self.objects:
            if obj.name == name:
                return obj
        raise KeyError(name)

    def untyped_of(self, obj: PlacedObject) -> BootUntyped | None:
        """The boot untyped an object is retyped from (its parent's, up the covers, for a client's
        or a covered object)."""
        while obj.memory in ("client", "cover"):
            obj = self.objects[obj.parent]
        return None if obj.untyped is None else self.untypeds[obj.untyped]


def parse_placement(text: str, where: str = "sigil-specc --placement") -> Placement:
    """The records of the compiler's `--placement` JSON; a ToolError if it is not that."""
    try:
        data = json.loads(text)
        if data.get("version") != 1:
            raise ValueError(f"version {data.get('version')!r}, expected 1")
        untypeds = tuple(BootUntyped(u["index"], u["paddr"], u["size_bits"], u["device"])
                         for u in data["untypeds"])
        objects = tuple(PlacedObject(o["id"], o["name"], o["type"], o["size_bits"], o["memory"],
                                     o["untyped"], o["parent"], o["offset"], o["paddr"])
                        for o in data["objects"])
        if any(o.memory not in MEMORY_KINDS for o in objects):
            raise ValueError("unknown memory kind")
        return Placement(data["ram_base"], data["ram_size"], data["reserve"], data["free_ram"],
                         untypeds, objects)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise ToolError(f"the compiler's placement output is not what this package reads ({err})",
                        Location(where)) from None
