"""A small reader of AArch64 ELF64 executables: entry point and PT_LOAD segments.

Only what the authoring API needs to lay out a program image: the header's machine and entry,
and each loadable segment's file range, virtual range and flags.  Anything else in the file is
ignored.  Problems raise SpecError at the file's name.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from .errors import Location, SpecError
from .limits import limit, read_bounded

EM_AARCH64 = 183
PT_LOAD = 1
PF_X, PF_W, PF_R = 1, 2, 4
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")


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
    return ElfImage(str(path), entry, segments)


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
