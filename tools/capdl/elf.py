"""A small reader of AArch64 ELF64 executables: entry point, PT_LOAD segments and symbols.

What the authoring API needs to lay out a program image — the header's machine and entry, and
each loadable segment's file range, virtual range and flags — plus the symbol table, so that a
spec can name where a program keeps something (`image.symbol("shared_buf")`), and the list of
pages the image covers (`image.pages()`).  Anything else in the file is ignored.  Every offset
and count is checked against the file; problems raise SpecError at the file's name.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from .abi import load_abi
from .errors import Location, SpecError
from .limits import limit, read_bounded

EM_AARCH64 = 183
PT_LOAD = 1
PF_X, PF_W, PF_R = 1, 2, 4
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
SHDR = struct.Struct("<IIQQQQIIQQ")
SYM = struct.Struct("<IBBHQQ")
SHT_SYMTAB = 2


@dataclass
class Segment:
    offset: int  # in the file
    vaddr: int
    filesz: int
    memsz: int
    flags: int

    @property
    def rights(self) -> list:
        return [r for bit, r in ((PF_R, "Read"), (PF_W, "Write")) if self.flags & bit]

    @property
    def executable(self) -> bool:
        return bool(self.flags & PF_X)


@dataclass
class ElfImage:
    path: str
    entry: int
    segments: list
    symbols: dict  # name -> (value, size), from the SHT_SYMTAB sections

    def symbol(self, name: str) -> int:
        """The value (address) of the symbol `name`; SpecError if the file has none."""
        if name not in self.symbols:
            raise SpecError(f"'{self.path}' has no symbol '{name}'", Location(self.path))
        return self.symbols[name][0]

    def pages(self, page_bits: int | None = None) -> list:
        """The virtual addresses of the pages its PT_LOAD segments cover, in order (pages of
        the ABI's page size unless `page_bits` says otherwise)."""
        if page_bits is None:
            page_bits = load_abi().platform["page_bits"]
        return sorted(page_fills(self, page_bits))


def read_elf(path: str) -> ElfImage:
    """The entry point and PT_LOAD segments of an AArch64 ELF64 file."""
    loc = Location(str(path))
    try:
        data = read_bounded(path, limit("max_file_bytes"))
    except OSError as err:
        raise SpecError(f"cannot open '{path}': {err.strerror}", loc) from None
    if len(data) < EHDR.size or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SpecError(f"'{path}' is not an AArch64 ELF64 executable", loc)
    fields = EHDR.unpack_from(data)
    machine, entry, phoff, phentsize, phnum = fields[2], fields[4], fields[5], fields[9], fields[10]
    if machine != EM_AARCH64 or phentsize != PHDR.size or phoff + phnum * PHDR.size > len(data):
        raise SpecError(f"'{path}' is not an AArch64 ELF64 executable", loc)
    segments = []
    for i in range(phnum):
        p_type, flags, offset, vaddr, _, filesz, memsz, _ = PHDR.unpack_from(data, phoff + i * PHDR.size)
        if p_type != PT_LOAD:
            continue
        if offset + filesz > len(data) or filesz > memsz:
            raise SpecError(f"segment {i} of '{path}' lies outside the file", loc)
        segments.append(Segment(offset, vaddr, filesz, memsz, flags))
    return ElfImage(str(path), entry, segments, _symbols(data, fields, str(path)))


def _symbols(data: bytes, fields: tuple, path: str) -> dict:
    """Name -> (value, size) of every named symbol in the file's SHT_SYMTAB sections."""
    shoff, shentsize, shnum = fields[6], fields[11], fields[12]
    if shoff == 0 or shnum == 0:
        return {}
    loc = Location(path)
    if shentsize != SHDR.size or shoff + shnum * SHDR.size > len(data):
        raise SpecError(f"the section headers of '{path}' lie outside the file", loc)
    sections = [SHDR.unpack_from(data, shoff + i * SHDR.size) for i in range(shnum)]
    out: dict = {}
    for sh_type, sh_offset, sh_size, sh_link, sh_entsize in (
            (s[1], s[4], s[5], s[6], s[9]) for s in sections):
        if sh_type != SHT_SYMTAB:
            continue
        if (sh_entsize != SYM.size or sh_offset + sh_size > len(data) or sh_link >= shnum):
            raise SpecError(f"a symbol table of '{path}' is malformed", loc)
        str_off, str_size = sections[sh_link][4], sections[sh_link][5]
        if str_off + str_size > len(data):
            raise SpecError(f"a string table of '{path}' lies outside the file", loc)
        strings = data[str_off:str_off + str_size]
        for i in range(sh_size // SYM.size):
            name_off, _, _, _, value, size = SYM.unpack_from(data, sh_offset + i * SYM.size)
            end = strings.find(b"\0", name_off)
            if name_off and 0 <= name_off < len(strings) and end > name_off:
                out.setdefault(strings[name_off:end].decode("utf-8", "replace"), (value, size))
    return out


def page_fills(image: ElfImage, page_bits: int) -> dict:
    """The pages an image's PT_LOAD segments cover: {page vaddr: {"rights": set, "x": bool,
    "fills": [(offset in page, file offset, length)]}}, as the spec compiler lays a program out
    (a page shared by two segments gets both contents and the union of their rights)."""
    page = 1 << page_bits
    pages: dict = {}
    for seg in image.segments:
        start = seg.vaddr & ~(page - 1)
        for pva in range(start, seg.vaddr + seg.memsz, page):
            info = pages.setdefault(pva, {"rights": set(), "x": False, "fills": []})
            info["rights"] |= set(seg.rights)
            info["x"] |= seg.executable
            lo, hi = max(pva, seg.vaddr), min(pva + page, seg.vaddr + seg.filesz)
            if lo < hi:
                info["fills"].append((lo - pva, seg.offset + lo - seg.vaddr, hi - lo))
    return pages
