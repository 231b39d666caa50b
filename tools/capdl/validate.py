"""One validator: every command checks a spec with the compiler's rules, by running the compiler,
and reports against the file the user wrote.

A YAML spec is checked as it is (`compiler.check_spec`), so the messages already name the
user's file.  A spec the tools made — imported from a .cdl file — is written to a temporary
YAML file and checked there; each message is then moved to the line of the user's file the
object or cap came from: the path the compiler prints (`objects.NAME`, `components.C.NAME[SLOT]`,
`components.C.program`, ...) names the object, whose `loc` the importer set to its .cdl line,
and a slot index names the cap inside a CNode.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from . import compiler
from .errors import CompilerErrors, Location, ToolError
from .yamlio import write_spec_text

_PATH = re.compile(r"(?:objects\.(?P<top>\w+)|components\.(?P<comp>\w+)(?:\.(?P<obj>\w+))?)"
                   r"(?:\[(?P<slot>\d+)\])?")


def check_file(path: str, search=None) -> None:
    """Raise CompilerErrors (the compiler's own lines) if the compiler rejects the spec at
    `path`, ToolError if it could not run."""
    result = compiler.check_spec(path, search)
    _raise_for(result, path, lambda text: text)


def check_model(spec, user_file: str, search=None) -> None:
    """Check a spec the tools made from `user_file` (whose objects carry that file's lines);
    the compiler's messages are raised as CompilerErrors located in `user_file`."""
    with tempfile.TemporaryDirectory(prefix="capdl-") as tmp:
        generated = str(Path(tmp) / (Path(user_file).stem + ".yaml"))
        Path(generated).write_text(write_spec_text(spec, f"checked for {user_file}"), encoding="utf-8")
        dirs = [Path(user_file).parent, *(compiler.default_search() if search is None else search)]
        result = compiler.check_spec(generated, dirs)
        _raise_for(result, user_file, lambda text: relocate(text, generated, spec, user_file))


def _raise_for(result, path: str, translate) -> None:
    if result.returncode == 1:
        raise CompilerErrors(translate(result.stderr.rstrip()), Location(path))
    if not result.ok:
        raise ToolError(f"sigil-specc failed:\n{translate(result.stderr.rstrip())}", Location(path))


def locate(spec, path: str, fallback: Location) -> Location:
    """The location of the object (or CNode slot's cap) a compiler path names."""
    m = _PATH.match(path)
    if not m:
        return fallback
    if m["top"]:
        comp_name, name = None, m["top"]
        owner = spec
    else:
        comp_name, name = m["comp"], m["obj"]
        owner = spec.component(comp_name)
        if owner is None:
            return fallback
    obj = next((o for o in spec.all_objects() if o.component == comp_name and o.name == name), None)
    if obj is None:
        return owner.loc if owner is not spec else fallback
    if m["slot"] is not None:
        slot, wanted = 0, int(m["slot"])
        for cap in obj.slots or ():
            slot = cap.slot if cap.slot is not None else slot
            if slot == wanted:
                return cap.loc
            slot += 1
        for entry in obj.entries or ():
            if entry.index == wanted:
                return entry.loc
    return obj.loc


def relocate(text: str, generated: str, spec, user_file: str) -> str:
    """The compiler's messages about `generated`, each moved to the user's file and line."""
    out = []
    for line in text.splitlines():
        if not line.startswith(generated + ":"):
            out.append(line)
            continue
        rest = line[len(generated) + 1:].lstrip()
        m = re.match(r"(\d+): (.*)$", rest)
        if m:
            message = m[2]
            loc = locate(spec, message.split(": ", 1)[0], Location(user_file))
            out.append(f"{loc}: {message}")
        else:
            out.append(f"{user_file}:{rest}" if rest.startswith(" ") else f"{user_file}: {rest}")
    return "\n".join(out)
