"""Writes tiny AArch64 ELF64 executables for the tests (no toolchain needed).

`make_elf(segments, entry)` takes (vaddr, flags, file_bytes, memsz) tuples; each segment's bytes
start on their own page of the file, so file offsets are easy to predict in assertions.
"""

import struct

PF_X, PF_W, PF_R = 1, 2, 4
PAGE = 0x1000


def make_elf(segments: list, entry: int) -> bytes:
    header_size, ph_size = 64, 56
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    header = ident + struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, entry, header_size, 0, 0,
                                 header_size, ph_size, len(segments), 0, 0, 0)
    offsets, offset = [], PAGE
    for _, _, data, _ in segments:
        offsets.append(offset)
        offset += (len(data) + PAGE - 1) // PAGE * PAGE or PAGE
    phdrs = b"".join(struct.pack("<IIQQQQQQ", 1, flags, off, vaddr, vaddr, len(data), memsz, PAGE)
                     for (vaddr, flags, data, memsz), off in zip(segments, offsets))
    out = bytearray(header + phdrs)
    for (_, _, data, _), off in zip(segments, offsets):
        out += bytes(off - len(out)) + data
    return bytes(out)


def write_elf(path, segments: list, entry: int) -> None:
    with open(path, "wb") as f:
        f.write(make_elf(segments, entry))
