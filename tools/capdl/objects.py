"""Object classes: one class per object type of the spec format, made from the ABI description.

    from capdl import objects
    ep = objects.Endpoint("ep")
    cn = objects.CNode("cn", bits=4)
    tcb = objects.TCB("tcb", priority=100, cspace="cn", vspace="vs")
    page = objects.Frame("page", size="4K")            # objects.Frame4K("page") is the same
    pool = objects.Untyped("pool", bits=20, paddr=None)
    timer = objects.IRQHandler("timer", irq=34, notification="ntfn", badge=1)

The classes are not written by hand: the types are the retypable objects of
kernel/abi/sigil.yaml (`objects`) and the objects without memory a spec may declare
(`spec_objects`), and the fields each type has come from `spec_fields`, the table the compiler
is generated from too (<sigil/abi.h>).  So a constructor refuses a field its type does not have,
with the compiler's words ("'bits' does not apply to Endpoint objects") as a SpecError naming the
object.  Every instance is a `capdl.model.Obj` (a subclass that compares equal to the plain Obj
with the same fields), so it can go anywhere an Obj goes: a Spec's `objects`, a component, YAML
output, and `SpecBuilder.add` / `ComponentBuilder.add`, which register it and return its handle.

Rules beyond the shape (ranges, references, what a CNode may hold) stay the compiler's.
"""

from __future__ import annotations

import dataclasses

from .abi import load_abi
from .errors import SpecError
from .model import FRAME_TYPES, CNodeRef, FaultHandler, IpcBuffer, Obj

_ABI = load_abi()
# Every field of Obj a type may have, and the types that have it (kernel/abi/sigil.yaml).
FIELD_TYPES: dict = {field: tuple(types) for field, types in _ABI.spec_fields.items()}
# Every object type of the format: the retypable objects, then those without memory.
TYPES: tuple = tuple(_ABI.objects) + tuple(_ABI.spec_objects)
# `Frame(size=...)`: "4K" -> "Frame4K", ...
FRAME_SIZES: dict = {t[len("Frame"):]: t for t in FRAME_TYPES}
_COMPARED = [f.name for f in dataclasses.fields(Obj) if f.compare]
# Fields that may also be given by position, after the name (python-capdl's order).
POSITIONAL = {"Untyped": ("bits", "paddr"), "CNode": ("bits",), "IRQHandler": ("irq",)}


def fields_of(type_name: str) -> tuple:
    """The fields (besides name and type) an object of this type may have."""
    return tuple(f for f, types in FIELD_TYPES.items() if type_name in types)


def _where(name: str, component: str | None) -> str:
    return f"components.{component}.{name}" if component else f"objects.{name}"


def _convert(field: str, value):
    """Short forms: a name for `cspace` and `fault_handler`, (frame, vaddr) for `ipc_buffer`."""
    if field == "cspace" and isinstance(value, str):
        return CNodeRef(cap=value)
    if field == "fault_handler" and isinstance(value, str):
        return FaultHandler(cap=value)
    if field == "ipc_buffer" and isinstance(value, tuple):
        frame, vaddr = value
        return IpcBuffer(frame=frame, vaddr=vaddr)
    return value


class TypedObject(Obj):
    """Base of the object classes: an Obj whose type is fixed by its class."""

    TYPE = ""

    def __init__(self, name: str, *args, component: str | None = None, **fields):
        if not self.TYPE:
            raise TypeError("TypedObject is the base of the object classes; use one of them")
        positional = POSITIONAL.get(self.TYPE, ())
        if len(args) > len(positional):
            raise TypeError(f"{self.TYPE}() takes the name and at most {len(positional)} more "
                            f"arguments by position ({', '.join(positional) or 'none'})")
        for field, value in zip(positional, args):
            if field in fields:
                raise TypeError(f"{self.TYPE}() got '{field}' twice")
            fields[field] = value
        allowed = fields_of(self.TYPE)
        for field in fields:
            if field in FIELD_TYPES and field not in allowed:
                raise SpecError(f"'{field}' does not apply to {self.TYPE} objects",
                                path=_where(name, component))
            if field not in allowed:
                raise SpecError(f"{self.TYPE} objects have no field '{field}' (they have: "
                                f"{', '.join(allowed) or 'none'})", path=_where(name, component))
        super().__init__(name=name, type=self.TYPE, component=component,
                         **{f: _convert(f, v) for f, v in fields.items()})

    def __eq__(self, other):
        if not isinstance(other, Obj):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _COMPARED)

    __hash__ = None


def _make_class(type_name: str) -> type:
    doc = (f"A {type_name} object (fields: {', '.join(fields_of(type_name)) or 'none'}).")
    return type(type_name, (TypedObject,), {"TYPE": type_name, "__doc__": doc,
                                            "__module__": __name__})


CLASSES: dict = {t: _make_class(t) for t in TYPES}
globals().update(CLASSES)


class Frame(TypedObject):
    """A frame of one of the sizes of the ABI: `Frame(name, size="4K")` is a Frame4K."""

    def __new__(cls, name: str, size: str = "4K", **fields):
        if size not in FRAME_SIZES:
            raise SpecError(f"frame size '{size}' is not one of {', '.join(FRAME_SIZES)}",
                            path=_where(name, fields.get("component")))
        return CLASSES[FRAME_SIZES[size]](name, **fields)


def make(type_name: str, name: str, **fields) -> Obj:
    """An object of the type named `type_name` (`make("Endpoint", "ep")`); SpecError for a type
    the format does not have."""
    cls = CLASSES.get(type_name)
    if cls is None:
        raise SpecError(f"unknown object type '{type_name}' (types: {', '.join(TYPES)})",
                        path=_where(name, fields.get("component")))
    return cls(name, **fields)


__all__ = ["CLASSES", "FIELD_TYPES", "TYPES", "Frame", "TypedObject", "fields_of", "make", *TYPES]
