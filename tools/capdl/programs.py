"""Finding the programs a spec names, before the compiler is asked to read them.

A component's `program: {elf: NAME}` names an ELF file the compiler reads as `spec_file_path`
(capdl-loader/compiler/model.c) does: an absolute path as it is; otherwise next to the spec, then
in each `-L` directory in order.  The tools pass the build's programs directory by default
(compiler.default_search()), so `./sigil spec check specs/echo.yaml` finds `echo_server.elf`
where `./sigil build` put it.  When programs are missing, `missing_programs` names every one of
them, with the places looked at, instead of the compiler's first "cannot open".
"""

from __future__ import annotations

import os
from pathlib import Path

from .elf import page_fills, read_elf
from .errors import SpecError, ToolError
from .model import Fill


class MissingPrograms(ToolError):
    """Programs the spec names are not built (the command cannot run: exit status 2); str() is
    one `file:line: path: message` line per missing program."""

    def __init__(self, errors: list):
        super().__init__(errors[0].message, errors[0].loc, errors[0].path)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def find_file(name: str, spec_path: str, search) -> Path | None:
    """Where the compiler would find `name`, or None if it is in none of the places."""
    if os.path.isabs(name):
        return Path(name) if os.path.exists(name) else None
    for d in [Path(spec_path).parent, *map(Path, search)]:
        if (d / name).exists():
            return d / name
    return None


def _shown(d: Path) -> str:
    """A directory as a message shows it: relative when it lies below the working directory,
    else absolute (never a chain of '..' that depends on where the checkout sits)."""
    if not d.is_absolute():
        return str(d)
    text = os.path.relpath(d)
    return str(d) if text == ".." or text.startswith("../") else text


def missing_programs(spec, spec_path: str, search) -> list:
    """One SpecError per component whose program is in none of the places the compiler looks,
    located at the component's `program`; [] when every program is there."""
    missing = []
    for comp in spec.components:
        prog = comp.program
        if prog is None or not prog.elf or find_file(prog.elf, spec_path, search) is not None:
            continue
        places = [_shown(Path(spec_path).parent or Path("."))] + [_shown(Path(d)) for d in search]
        if os.path.isabs(prog.elf):
            where = "it does not exist"
        else:
            where = "looked in " + ", ".join(places)
        missing.append(SpecError(
            f"program '{prog.elf}' not found ({where}); build the programs with './sigil build' "
            f"or name their directory with -L DIR", prog.loc, f"components.{comp.name}.program"))
    return missing


def image_fills(expanded, written, spec_path: str, search, page_bits: int) -> None:
    """In a spec the compiler expanded (read back from its binary, where program images are
    bytes), give each program's image frames (`image_<hex vaddr>`) the fills of its ELF file
    instead: {offset, file, file_offset, length} naming the file as the spec does, so that an
    export says where the bytes come from."""
    for comp in written.components:
        if comp.program is None or not comp.program.elf:
            continue
        found = find_file(comp.program.elf, spec_path, search)
        target = expanded.component(comp.name)
        if found is None or target is None:
            continue
        pages = page_fills(read_elf(str(found)), page_bits)
        for obj in target.objects:
            if not obj.name.startswith("image_") or obj.type != "Frame4K":
                continue
            info = pages.get(int(obj.name[len("image_"):], 16))
            if info is not None:
                obj.fill = [Fill(offset=o, file=comp.program.elf, file_offset=fo, length=n,
                                 loc=comp.program.loc) for o, fo, n in info["fills"]] or None
