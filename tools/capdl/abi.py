"""ABI numbers, read at run time from kernel/abi/sigil.yaml (the one source of truth).

Nothing here is a copy of a number: object types and their sizes, rights bits, error codes and
platform constants all come from the file, found relative to this package
(`tools/capdl/../../kernel/abi/sigil.yaml`).  `SIGIL_ABI_YAML` may point elsewhere (tests).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml

from .errors import Location, ToolError

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "kernel" / "abi" / "sigil.yaml"


class Abi:
    """Typed access to the parts of sigil.yaml the tools need."""

    def __init__(self, data: dict, path: str):
        self.path = path
        self.objects: dict = data["objects"]
        self.rights: dict = data["rights"]
        self.platform: dict = data["platform"]
        self.limits: dict = data["spec_limits"]  # max_nesting, max_spec_bytes, ...
        self.spec_objects: list = data["spec_objects"]  # spec object types without memory
        self.spec_fields: dict = data["spec_fields"]  # object field -> the types that have it
        self.debug_operations: dict = data["debug_operations"]  # Debug cap operation -> badge bit

    def object_size_bits(self, type_name: str, bits: int | None = None) -> int | None:
        """log2 of an object's memory; None for cap-only types (IRQHandler, SMC, ...)."""
        info = self.objects.get(type_name)
        if info is None:
            return None
        if info.get("size_bits") is not None:
            return info["size_bits"]
        if bits is None:
            return None
        return bits + info.get("slot_bits", 0)


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Abi:
    try:
        with open(path, encoding="utf-8") as f:
            return Abi(yaml.safe_load(f), path)
    except OSError as err:
        raise ToolError(f"cannot read the ABI description: {err.strerror}", Location(path)) from None
    except (KeyError, TypeError, yaml.YAMLError) as err:
        raise ToolError(f"malformed ABI description ({err})", Location(path)) from None


def load_abi(path: str | None = None) -> Abi:
    """The ABI description (cached per path)."""
    return _load(str(path or os.environ.get("SIGIL_ABI_YAML") or DEFAULT_PATH))
