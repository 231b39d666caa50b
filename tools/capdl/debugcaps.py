"""Debug caps in a spec: the `debug:` slot shorthand (docs/spec-format.md, "Debug caps").

`{slot: N, debug: [PowerOff, Introspect]}` is a cap to the spec's one Debug object whose badge is
the set of operations named (bits from `debug_operations` in kernel/abi/sigil.yaml).  Reading a
spec turns each such slot into that plain form, `{slot: N, cap: <Debug object>, badge: B}`, so
every later layer (validation, allocation, capDL export, dot) sees an ordinary badged cap; the
Debug object is the one the spec declares (`type: Debug`) or, when it declares none, one named
`debug` added at the top level, as the compiler sigil-specc does.  Written back, the slot keeps
the plain form, which the compiler reads the same way.
"""

from __future__ import annotations

from .abi import load_abi
from .errors import ErrorList, SpecError
from .model import Obj, Spec

DEFAULT_NAME = "debug"  # the Debug object added when the spec declares none


def operation_bits() -> dict:
    """Operation name -> badge bit value, from the ABI description."""
    return {name: 1 << bit for name, bit in load_abi().debug_operations.items()}


def badge_of(names: list, loc, path: str) -> int:
    """The badge a `debug:` list names; SpecError for an unknown or no operation."""
    bits = operation_bits()
    known = ", ".join(bits)
    badge = 0
    for name in names:
        if name not in bits:
            raise SpecError(f"unknown debug operation '{name}' ({known})", loc, path)
        badge |= bits[name]
    if badge == 0:
        raise SpecError(f"`debug:` names no operation ({known})", loc, path)
    return badge


def _debug_object(spec: Spec) -> str | None:
    """The full name of the Debug object the spec declares, or None."""
    for obj in spec.objects:
        if obj.type == "Debug":
            return obj.name
    for comp in spec.components:
        for obj in comp.objects:
            if obj.type == "Debug":
                return f"{comp.name}.{obj.name}"
    return None


def _cnodes(spec: Spec):
    for obj in spec.objects:
        if obj.type == "CNode":
            yield obj.full_name(), obj.slots
    for comp in spec.components:
        for obj in comp.objects:
            if obj.type == "CNode":
                yield obj.full_name(), obj.slots
        if comp.cspace is not None:
            yield f"{comp.name}.cspace", comp.cspace.slots


def resolve_debug_caps(spec: Spec) -> None:
    """Turn every `debug:` slot of `spec` into a cap to its Debug object (in place); a slot that
    names both or neither of `cap` and `debug`, gives `debug` a badge, or names an unknown
    operation is an error."""
    errors = ErrorList()
    target = _debug_object(spec)
    for cnode, slots in _cnodes(spec):
        for i, cap in enumerate(slots):
            path = f"{cnode}.slots[{i}]"
            if cap.debug is None:
                if not cap.cap:
                    errors.add(SpecError("a slot needs `cap:` (or `debug:`)", cap.loc, path))
                continue
            if cap.cap:
                errors.add(SpecError("a slot holds `cap:` or `debug:`, not both", cap.loc, path))
                continue
            if cap.badge is not None:
                errors.add(SpecError("`debug:` is the badge of the cap: drop `badge`", cap.loc, path))
                continue
            try:
                cap.badge = badge_of(cap.debug, cap.loc, path)
            except SpecError as err:
                errors.add(err)
                continue
            if target is None:
                if any(o.name == DEFAULT_NAME for o in spec.objects):
                    errors.add(SpecError("`debug:` slots need the spec's Debug object: declare one "
                                         f"({{name: ..., type: Debug}}) or free the name '{DEFAULT_NAME}'",
                                         cap.loc, path))
                    continue
                spec.objects.append(Obj(name=DEFAULT_NAME, type="Debug", loc=cap.loc))
                target = DEFAULT_NAME
            cap.cap, cap.debug = target, None
    errors.raise_if_any()
