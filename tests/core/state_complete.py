#!/usr/bin/env python3
"""core_state_complete: every writable global of the capability core is marked KSTATE.

The "an error changes nothing" fixture (fixture.c) compares all kernel state before and after
an invocation that must fail: the object memory and the linker section `sigil_kstate`, which
holds every global marked KSTATE (kernel/src/lib/kstate.h). A global left unmarked would
escape that comparison, so this test lists the symbol table of the host build of the core
(objdump -t) and fails, naming the object file and the variable, for every writable variable
(.data or .bss) outside the section. The invariant checker's scratch (invariants.c) is not
kernel state: the checker writes it and nothing reads it back. Restart bookkeeping marked
KSTATE_RESTART (section `sigil_krestart`: the CancelBadgedSends ticket list) is accepted and
counted apart.

usage: state_complete.py OBJDUMP LIBRARY
"""

import re
import subprocess
import sys

NOT_STATE = {"invariants.c.o"}  # the invariant checker's scratch buffers
# objdump -t: "0000000000000000 l     O .bss\t0000000000000008 chain_top"
SYMBOL = re.compile(r"^[0-9a-f]+ (?P<flags>.{7}) (?P<section>\S+)\s+[0-9a-f]+ (?P<name>\S+)$")
WRITABLE = re.compile(r"^\.(data|bss)(\.|$)")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    out = subprocess.run([argv[1], "-t", argv[2]], check=True, capture_output=True,
                         text=True).stdout
    member, found, marked, restart, missing = None, 0, 0, 0, []
    for line in out.splitlines():
        if "file format" in line:
            member = line.split(":")[0]
            continue
        m = SYMBOL.match(line)
        if not m or "O" not in m.group("flags") or m.group("name").startswith("__"):
            continue
        section = m.group("section")
        if section == "sigil_kstate":
            marked += 1
        elif section == "sigil_krestart":
            restart += 1
        elif WRITABLE.match(section) and not section.startswith(".data.rel.ro"):
            found += 1
            if member not in NOT_STATE:
                missing.append(f"{member}: {m.group('name')} ({section})")
    for what in missing:
        print(f"{what}: a writable global outside sigil_kstate (mark it KSTATE)")
    print(f"core_state_complete: {marked} globals in sigil_kstate, {restart} in sigil_krestart, "
          f"{len(missing)} outside")
    if marked == 0:
        print("core_state_complete: no global in sigil_kstate at all", file=sys.stderr)
        return 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
