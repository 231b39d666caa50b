"""Error classes of the capdl package.

Every problem the package finds in its input is reported as a `SpecError` that carries a
`Location` (file and line) and, where it helps, the path of the object or cap in the spec.  The
string form is the same as the spec compiler's, `file:line: path: message`, so that editors and
CI logs treat both tools alike.  Validation never uses `assert`: a bad input raises one of these
classes, and a bug in the package raises whatever Python raises.

Several problems can be collected before giving up: `ErrorList` gathers `SpecError`s and raises
them together as a `SpecErrors`, whose string form is one error per line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where something was written: a file name and a 1-based line (0 = unknown)."""

    file: str = "<input>"
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


NOWHERE = Location("<generated>", 0)


class SpecError(Exception):
    """A problem in a spec, with its location and the path of the thing it is about."""

    def __init__(self, message: str, loc: Location | None = None, path: str = ""):
        super().__init__(message)
        self.message = message
        self.loc = loc or NOWHERE
        self.path = path

    def __str__(self) -> str:
        where = f"{self.loc}: "
        what = f"{self.path}: " if self.path else ""
        return f"{where}{what}{self.message}"


class CdlSyntaxError(SpecError):
    """The .cdl text does not follow capDL's grammar."""


class CdlNameError(SpecError):
    """A .cdl name is undeclared, declared twice or used with the wrong kind of object."""


class UnsupportedError(SpecError):
    """Something valid in capDL (or in the spec) that has no equivalent on the other side."""


class YamlFormatError(SpecError):
    """The YAML spec does not have the shape docs/spec-format.md describes."""


class AllocationError(SpecError):
    """The authoring API could not place a cap or a mapping (full CNode, overlapping region)."""


class ToolError(SpecError):
    """An external tool (the spec compiler) is missing or failed."""


class CompilerErrors(SpecError):
    """The spec compiler rejected the input; str() is its own `file:line: path: message` lines."""

    def __init__(self, text: str, loc: Location):
        super().__init__(text, loc)

    def __str__(self) -> str:
        return self.message


class SpecErrors(SpecError):
    """Several errors found in one run; str() gives one per line."""

    def __init__(self, errors: list[SpecError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.message, first.loc, first.path)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ErrorList:
    """Collects errors so that one run reports all of them, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[SpecError] = []

    def add(self, error: SpecError) -> None:
        if isinstance(error, SpecErrors):
            self.errors.extend(error.errors)
        else:
            self.errors.append(error)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise SpecErrors(self.errors)


def read_text(path: str) -> str:
    """A spec file's text (a regular file within the size limit, limits.py); a byte that is not
    UTF-8 is a SpecError at its line."""
    from .limits import limit, read_bounded  # (limits reads the ABI, which uses this module)
    data = read_bounded(path, limit("max_spec_bytes"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise SpecError(f"byte 0x{data[err.start]:02x} is not UTF-8 text", Location(str(path), line)) from None
