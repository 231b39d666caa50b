#!/usr/bin/env python3
"""Write a small AArch64 ELF64 executable for the spec compiler's tests.

Two PT_LOAD segments: text at 0x400000 (R+X, 0x1800 bytes of a known pattern, so it spans two
pages) and data at 0x402000 (R+W, 0x100 file bytes and 0x3000 bytes in memory: the rest is
bss). Entry point 0x400000. Usage: make_elf.py OUT.elf
"""

import struct
import sys

TEXT_VADDR, TEXT_SIZE = 0x400000, 0x1800
DATA_VADDR, DATA_FILE, DATA_MEM = 0x402000, 0x100, 0x3000
PF_X, PF_W, PF_R = 1, 2, 4


def build(text_vaddr=TEXT_VADDR, entry=None, elf_type=2, symbol=None):
    """The ELF file's bytes; `text_vaddr` moves the text segment, `entry` the entry point
    (default: the start of the text segment) and `elf_type` is e_type (2 ET_EXEC, 3 ET_DYN),
    for the error tests. `symbol` = (name, value, size) adds a symbol table holding that one
    symbol (the heap variable the compiler writes a heap region's bounds into)."""
    entry = text_vaddr if entry is None else entry
    ehsize, phentsize, phnum = 64, 56, 2
    text_off = 0x1000
    data_off = text_off + TEXT_SIZE
    shoff = data_off + DATA_FILE if symbol else 0
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    header = ident + struct.pack(
        "<HHIQQQIHHHHHH", elf_type, 183, 1, entry, ehsize, shoff, 0, ehsize, phentsize, phnum,
        64 if symbol else 0, 3 if symbol else 0, 0
    )
    phdrs = struct.pack(
        "<IIQQQQQQ", 1, PF_R | PF_X, text_off, text_vaddr, text_vaddr, TEXT_SIZE, TEXT_SIZE, 0x1000
    ) + struct.pack(
        "<IIQQQQQQ", 1, PF_R | PF_W, data_off, DATA_VADDR, DATA_VADDR, DATA_FILE, DATA_MEM, 0x1000
    )
    body = header + phdrs
    body += bytes(text_off - len(body))
    body += bytes((i * 7 + 1) & 0xFF for i in range(TEXT_SIZE))
    body += bytes((i * 3 + 5) & 0xFF for i in range(DATA_FILE))
    if symbol:
        body += symbol_table(len(body), *symbol)
    return body


def symbol_table(offset, name, value, size):
    """Section headers (null, .symtab, .strtab) at `offset`, then the two tables."""
    strtab = b"\0" + name.encode() + b"\0"
    symtab = bytes(24) + struct.pack("<IBBHQQ", 1, 0x11, 0, 1, value, size)  # GLOBAL OBJECT
    sym_off = offset + 3 * 64
    str_off = sym_off + len(symtab)
    shdr = struct.Struct("<IIQQQQIIQQ")
    headers = (bytes(64) +
               shdr.pack(0, 2, 0, 0, sym_off, len(symtab), 2, 1, 8, 24) +  # SHT_SYMTAB, link 2
               shdr.pack(0, 3, 0, 0, str_off, len(strtab), 0, 0, 1, 0))    # SHT_STRTAB
    return headers + symtab + strtab


def main(argv):
    if len(argv) != 1:
        print("usage: make_elf.py OUT.elf", file=sys.stderr)
        return 2
    with open(argv[0], "wb") as f:
        f.write(build())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
