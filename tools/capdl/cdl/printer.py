"""CdlModel -> capDL text.

The layout is canonical, so that printing, parsing and printing again gives the same text:
objects (arrays as `name[n] = ...`), then untypeds with the objects they cover, then caps with
one slot per line, the derivation tree as a `cdt` section and the IRQ map.  Sizes use the units
seL4's capDL tool reads (`k`, `M`; a 1 GiB frame is `1024M`).
"""

from __future__ import annotations

from ..errors import UnsupportedError
from .model import CdlCap, CdlModel, CdlObject, show_id
from .parser import Braced, Quoted

PARAM_ORDER = ("bits", "vmsize", "paddr", "addr", "ip", "sp", "prio", "max_prio", "affinity",
               "resume", "fpu_disabled", "elf", "fault_ep", "dom", "init", "asid_high",
               "trigger", "target", "fill")
HEX_PARAMS = {"paddr", "addr", "ip", "sp", "asid_high"}
RIGHTS_ORDER = "RWGP"


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return hex(value) if key in HEX_PARAMS else str(value)
    if isinstance(value, Braced):
        return "{" + " ".join(f'"{v}"' if isinstance(v, Quoted) else str(v) for v in value.items) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_value(key, v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return str(value)


def _vmsize(size: int) -> str:
    return f"{size >> 20}M" if size >= 1 << 20 else f"{size >> 10}k"


def _object_params(obj: CdlObject) -> str:
    parts = []
    keys = [k for k in PARAM_ORDER if k in obj.params]
    keys += sorted(k for k in obj.params if k not in PARAM_ORDER)
    for key in keys:
        value = obj.params[key]
        if key == "bits":
            parts.append(f"{value} bits")
        elif key == "vmsize":
            parts.append(_vmsize(value))
        elif value is True and key not in ("resume", "fpu_disabled"):
            parts.append(key)
        else:
            parts.append(f"{key}: {_value(key, value)}")
    return f" ({', '.join(parts)})" if parts else ""


def _rights(cap: CdlCap, is_frame: bool) -> str:
    letters = "".join(r for r in RIGHTS_ORDER if r in cap.rights)
    return letters.replace("G", "X") if is_frame else letters


def _cap_params(model: CdlModel, cap: CdlCap) -> str:
    target = model.objects.get(cap.target) if cap.target else None
    parts = []
    rights = _rights(cap, target is not None and target.kind == "frame")
    if rights:
        parts.append(rights)
    for key in ("badge", "guard", "guard_size"):
        if getattr(cap, key):
            parts.append(f"{key}: {getattr(cap, key)}")
    parts.extend(sorted(cap.flags))
    if cap.asid is not None:
        parts.append(f"asid: ({hex(cap.asid[0])}, {hex(cap.asid[1])})")
    if cap.mapping is not None:
        parts.append(f"mapping: ({show_id(cap.mapping[0])}, {cap.mapping[1]})")
    for key in sorted(cap.extra):
        value = cap.extra[key]
        parts.append(key if value is True else f"{key}: {_value(key, value)}")
    return f" ({', '.join(parts)})" if parts else ""


def _groups(model: CdlModel):
    """Objects grouped by name: (name, [ids]) in declaration order."""
    groups: dict = {}
    for oid in model.objects:
        groups.setdefault(oid[0], []).append(oid)
    return groups.items()


def _object_lines(model: CdlModel) -> list[str]:
    lines = []
    redeclared = []
    for name, ids in _groups(model):
        first = model.objects[ids[0]]
        if ids[0][1] is None:
            lines.append(f"{name} = {first.kind}{_object_params(first)}")
            continue
        count = model.arrays.get(name, len(ids))
        if sorted(i for _, i in ids) != list(range(count)):
            raise UnsupportedError(f"array '{name}' does not have all of its {count} elements", first.loc)
        common = {k: v for k, v in first.params.items()
                  if all(model.objects[o].params.get(k) == v for o in ids)}
        for oid in ids:
            obj = model.objects[oid]
            if obj.kind != first.kind or (obj.params != common and first.kind != "ut"):
                raise UnsupportedError(f"the elements of array '{name}' differ, which capDL cannot "
                                       f"declare", obj.loc)
            if obj.params != common:
                redeclared.append(oid)
        lines.append(f"{name}[{count}] = {first.kind}{_object_params(CdlObject(first.kind, common))}")
    for oid in redeclared:
        obj = model.objects[oid]
        lines.append(f"{show_id(oid)} = ut{_object_params(obj)}")
    for ut, covered in model.covers.items():
        if covered:
            refs = ", ".join(show_id(o) for o in covered)
            lines.append(f"{show_id(ut)} = ut {{ {refs} }}")
    return lines


def _cap_lines(model: CdlModel) -> list[str]:
    lines = []
    for oid, obj in model.objects.items():
        if not obj.slots:
            continue
        lines.append(f"{show_id(oid)} {{")
        for slot in sorted(obj.slots):
            cap = obj.slots[slot]
            what = cap.special if cap.target is None else show_id(cap.target)
            lines.append(f"  {slot}: {what}{_cap_params(model, cap)}")
        lines.append("}")
    return lines


def _cdt_lines(model: CdlModel) -> list[str]:
    by_parent: dict = {parent: [] for parent in sorted(model.cdt_childless, key=str)}
    for child, parent in model.cdt.items():
        by_parent.setdefault(parent, []).append(child)
    lines = []
    for parent, children in by_parent.items():
        head = f"({show_id(parent[0])}, {parent[1]}) {{"
        lines.extend([head] + [f"  ({show_id(c[0])}, {c[1]})" for c in children] + ["}"] if children
                     else [head + "}"])
    return lines


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"{title} {{"] + [f"  {line}" for line in lines] + ["}", ""]


def print_cdl(model: CdlModel, header: str = "") -> str:
    """The capDL text of `model` (optionally after a `--` comment header)."""
    out = [f"-- {line}" for line in header.splitlines()]
    out += [f"-- sigil: {' '.join([word, *args])}" for word, args, _ in model.notes]
    out += [f"arch {model.arch}", ""]
    out += _section("objects", _object_lines(model))
    out += _section("caps", _cap_lines(model))
    if model.cdt or model.cdt_childless:
        out += _section("cdt", _cdt_lines(model))
    if model.irqs:
        out += _section("irq maps", [f"{n}: {show_id(o)}" for n, o in sorted(model.irqs.items())])
    return "\n".join(out)
