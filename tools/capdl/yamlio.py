"""Read and write the YAML spec format with source lines.

Reading composes the YAML into PyYAML's node tree (which keeps each node's line) and walks it
with the FIELDS tables of capdl.model, so every value of the model knows its `file:line`.
Scalars are converted here rather than by PyYAML's YAML 1.1 resolver, so that numbers follow the
spec format (0x, 0o, 0b, `_` separators, K/M/G suffixes) and a misspelt key or a mapping where a
list belongs is a YamlFormatError at its line, like the compiler's messages.

Writing emits block style for objects and components and one-line flow style for small mappings
(caps, entries, regions), with addresses in hex, so generated specs read like hand-written ones.
"""

from __future__ import annotations

import functools
import json
import re

import yaml

from .errors import ErrorList, Location, YamlFormatError, read_text
from .limits import limit
from .debugcaps import resolve_debug_caps
from .model import Spec

# The compiler's grammar (capdl-loader/compiler/num.c): a prefix in either case, then at least
# one digit, `_` only after a digit; size suffixes K (or k), M, G.
SIZE_SUFFIX = {"K": 10, "k": 10, "M": 20, "G": 30}
NUMBER = re.compile(r"^(0[xX][0-9a-fA-F][0-9a-fA-F_]*|0[oO][0-7][0-7_]*|0[bB][01][01_]*|[0-9][0-9_]*)"
                    r"([KkMG]?)$")
BOOLS = {**dict.fromkeys(("true", "yes", "on", "y"), True),
         **dict.fromkeys(("false", "no", "off", "n"), False)}  # in any case, like the compiler
HEX_KEYS = {"paddr", "vaddr", "entry", "stack", "tls", "index", "guard"}
SIZE_KEYS = {"size", "memory"}
FLOW_LIMIT = 100
# libyaml's parser when PyYAML has it; the Base loader leaves every scalar a string (this module
# converts scalars itself), which also spares PyYAML's per-scalar type guessing.
LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def parse_number(text: str, sizes: bool = True) -> int | None:
    """The value of a spec number (`4096`, `0x1_000`, `0o17`, `0b1`; with `sizes`, also `16K`),
    or None if the text is not one."""
    m = NUMBER.match(text.strip())
    if not m or (m.group(2) and not sizes):
        return None
    digits, suffix = m.group(1).replace("_", ""), m.group(2)
    base = {"0x": 16, "0o": 8, "0b": 2}.get(digits[:2].lower(), 10)
    value = int(digits[2:] if base != 10 else digits, base)
    return value << SIZE_SUFFIX[suffix] if suffix else value


@functools.lru_cache(maxsize=None)
def _field_table(cls) -> dict:
    return {key: (attr, kind) for key, attr, kind in cls.FIELDS}


class Reader:
    """Walks a composed YAML node tree into model objects, collecting errors."""

    def __init__(self, filename: str):
        self.file = filename
        self.errors = ErrorList()

    def loc(self, node) -> Location:
        return Location(self.file, node.start_mark.line + 1)

    def fail(self, node, path: str, message: str) -> None:
        self.errors.add(YamlFormatError(message, self.loc(node), path))

    def scalar(self, node, path: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, path, "expected a scalar")
            return None
        return node.value

    def convert(self, node, kind, path: str, key: str = ""):
        """One value of the given kind (see capdl.model), or None after reporting an error."""
        if isinstance(kind, list):
            return self.list_of(node, path, lambda n, p: self.record(n, kind[0], p))
        if isinstance(kind, tuple):
            if isinstance(node, yaml.ScalarNode):
                return kind[0](cap=node.value, loc=self.loc(node))
            return self.record(node, kind[0], path)
        if isinstance(kind, type):
            return self.record(node, kind, path)
        if kind in ("ints", "strs"):
            return self.list_of(node, path, lambda n, p: self.convert(n, kind[:-1], p, key))
        text = self.scalar(node, path)
        if text is None:
            return None
        if kind in ("int", "size"):
            value = parse_number(text, sizes=kind == "size")
            if value is None:
                self.fail(node, path.rsplit(".", 1)[0] if "." in path else path,
                          f"{key} '{text}' is not a number")
            return value
        if kind == "bool":
            if text.lower() not in BOOLS:
                self.fail(node, path.rsplit(".", 1)[0] if "." in path else path, f"'{text}' is not a boolean")
            return BOOLS.get(text.lower())
        return text

    def list_of(self, node, path: str, item) -> list:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, path, "expected a list")
            return []
        return [item(n, f"{path}[{i}]") for i, n in enumerate(node.value)]

    def record(self, node, cls, path: str):
        """A mapping node as an instance of model class `cls`."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, path, "expected a mapping")
            return None
        table = _field_table(cls)
        values, seen = {}, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "mapping keys must be plain words")
                continue
            key = key_node.value
            if key not in table:
                self.fail(key_node, path, f"unknown key '{key}'")
                continue
            if key in seen:
                self.fail(key_node, path, f"duplicate key '{key}'")
                continue
            seen[key] = key_node.start_mark.line + 1
            attr, kind = table[key]
            values[attr] = self.convert(value_node, kind, f"{path}.{key}" if path else key, key)
        for key in cls.REQUIRED:
            if key not in seen:
                self.fail(node, path, f"missing required key '{key}'")
        values = {k: v for k, v in values.items() if v is not None}
        return cls(**values, loc=self.loc(node))


def _check_events(text: str, filename: str) -> None:
    """Before composing (which recurses, and which libyaml does in time quadratic in the depth of
    flow collections): no anchors or aliases, and no nesting deeper than max_nesting, checked on
    the event stream, which stops at the first offence."""
    max_depth, depth = limit("max_nesting"), 0
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlFormatError("anchors and aliases are not supported",
                                  Location(filename, event.start_mark.line + 1))
        if isinstance(event, starts):
            depth += 1
            if depth > max_depth:
                raise YamlFormatError(f"nesting deeper than {max_depth} levels",
                                      Location(filename, event.start_mark.line + 1))
        elif isinstance(event, ends):
            depth -= 1


def _compose(text: str, filename: str):
    """The one YAML document of a spec as a node tree, or a YamlFormatError."""
    try:
        _check_events(text, filename)
        root = yaml.compose(text, Loader=LOADER)
    except yaml.composer.ComposerError as err:
        if "single document" in str(err.context):
            raise YamlFormatError("a spec is one YAML document",
                                  Location(filename, err.problem_mark.line + 1)) from None
        raise YamlFormatError(f"syntax error: {err.problem}",
                              Location(filename, err.problem_mark.line + 1)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(part for part in (err.problem, err.context) if part) or str(err)
        raise YamlFormatError(f"syntax error: {what}", Location(filename, line)) from None
    except yaml.YAMLError as err:  # the reader's errors (control characters) carry no mark
        line = text.count("\n", 0, getattr(err, "position", 0)) + 1
        raise YamlFormatError(f"syntax error: {getattr(err, 'reason', err)}", Location(filename, line)) from None
    if root is None:
        raise YamlFormatError("the file holds no YAML document", Location(filename, 1))
    return root


def read_spec_text(text: str, filename: str = "<input>") -> Spec:
    """Parse YAML spec text into a Spec; raises YamlFormatError/SpecErrors with lines."""
    root = _compose(text, filename)
    reader = Reader(filename)
    spec = reader.record(root, Spec, "")
    reader.errors.raise_if_any()
    if spec.version != 1:
        raise YamlFormatError(f"unsupported spec version {spec.version} (this tool reads version 1)",
                              spec.loc, "version")
    for comp in spec.components:
        for obj in comp.objects:
            obj.component = comp.name
    resolve_debug_caps(spec)
    return spec


def read_spec(path: str) -> Spec:
    return read_spec_text(read_text(path), str(path))


# -- writing -------------------------------------------------------------------------------
PLAIN = re.compile(r"^[A-Za-z_./][A-Za-z0-9_./-]*$")
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _scalar(key: str, value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _number(key, value)
    if PLAIN.match(value) and value.lower() not in YAML_WORDS:
        return value
    return json.dumps(value)


def _number(key: str, value: int) -> str:
    if key in SIZE_KEYS and value and value % 1024 == 0:
        for suffix in "GMK":
            if value % (1 << SIZE_SUFFIX[suffix]) == 0:
                return f"{value >> SIZE_SUFFIX[suffix]}{suffix}"
    large = key in ("badge", "smc") and value > 0xFFFF
    return hex(value) if (key in HEX_KEYS and value > 9) or large else str(value)


def to_plain(record) -> dict:
    """A model object as an ordered dict of YAML values (None fields left out)."""
    out = {}
    for key, attr, kind in record.FIELDS:
        value = getattr(record, attr)
        if value is None or (isinstance(value, list) and not value and kind not in ("strs", "ints")):
            continue
        if isinstance(kind, tuple) and set(to_plain(value)) == {"cap"}:
            out[key] = value.cap
        elif isinstance(kind, list):
            out[key] = [to_plain(v) for v in value]
        elif isinstance(kind, (type, tuple)):
            out[key] = to_plain(value)
        else:
            out[key] = value
    return out


def _flow(key: str, value) -> str | None:
    """One-line form of a value, or None if it has nested mappings or lists of mappings."""
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            inner = _flow(k, v)
            if inner is None:
                return None
            parts.append(f"{k}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        if any(isinstance(v, dict) for v in value):
            return None
        return "[" + ", ".join(_scalar(key, v) for v in value) + "]"
    return _scalar(key, value)


def _emit(key: str, value, indent: int, out: list) -> None:
    pad = " " * indent
    flow = _flow(key, value)
    if flow is not None and len(pad) + len(key) + len(flow) < FLOW_LIMIT:
        out.append(f"{pad}{key}: {flow}")
    elif isinstance(value, dict):
        out.append(f"{pad}{key}:")
        for k, v in value.items():
            _emit(k, v, indent + 2, out)
    else:
        out.append(f"{pad}{key}:")
        for item in value:
            _emit_item(key, item, indent + 2, out)


def _emit_item(key: str, item, indent: int, out: list) -> None:
    pad = " " * indent
    flow = _flow(key, item)
    if flow is not None and len(pad) + len(flow) < FLOW_LIMIT:
        out.append(f"{pad}- {flow}")
        return
    first = len(out)
    for k, v in item.items():
        _emit(k, v, indent + 2, out)
    out[first] = f"{pad}- {out[first][indent + 2:]}"


def write_spec_text(spec: Spec, header: str = "") -> str:
    """The YAML text of a spec (optionally after `#` comment lines)."""
    out = [f"# {line}" if line else "#" for line in header.splitlines()]
    plain = to_plain(spec)
    for key, value in plain.items():
        if key in ("objects", "components") and out and out[-1] != "":
            out.append("")
        _emit(key, value, 0, out)
    return "\n".join(out) + "\n"


def write_spec(spec: Spec, path: str, header: str = "") -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(write_spec_text(spec, header))
