#!/usr/bin/env python3
"""The gdb commands that debug one bootable image: its kernel and its programs' symbols.

Every Sigil program is linked at an address of its own (cmake/SigilImage.cmake), so gdb can hold
the symbols of all of them at once and a breakpoint lands only in the program it names. The
build leaves, beside each image, IMAGE.gdbinfo (JSON: the root program's ELF, and for a system
built by the capDL loader its spec and programs folder). This tool turns it into a gdb script:

    file IMAGE.elf                        the kernel
    add-symbol-file PROGRAM.elf           per component of the spec (or the root task)
    target remote :1234

The capDL loader (the root task of a spec-built system) is listed as a comment: it is Sigil's,
not the user's, and with its symbols `break main` would stop in the loader first.

usage: sigil_gdb.py --build BUILD IMAGE_NAME [-o FILE] [--port N]
Writes the script (default BUILD/gdb/IMAGE_NAME.gdb) and prints how to use it.
"""

import argparse
import json
import os
import sys

import yaml


class GdbError(Exception):
    pass


def components(spec_path, programs_dir, search=()):
    """[(component name, program ELF path)] of the spec's components that have a program, in
    spec order; an `elf:` name is found next to the spec, then in the `search` folders (a
    user's programs built from the spec's folder), then in programs_dir (as the spec compiler
    does)."""
    try:
        with open(spec_path, encoding="utf-8") as f:
            spec = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise GdbError(f"cannot read the spec {spec_path}: {e}") from e
    found = []
    for comp in (spec or {}).get("components") or []:
        prog = comp.get("program") if isinstance(comp, dict) else None
        elf = prog.get("elf") if isinstance(prog, dict) else None
        if not elf:
            continue
        places = [elf] if os.path.isabs(elf) else [
            os.path.join(d, elf) for d in [os.path.dirname(spec_path), *search, programs_dir]]
        path = next((p for p in places if os.path.isfile(p)), None)
        if path is None:
            raise GdbError(f"{spec_path}: component {comp.get('name')}: program {elf} is not "
                           f"built (looked in {', '.join(places)})")
        found.append((comp.get("name"), os.path.abspath(path)))
    return found


def script(build, name, port):
    """The text of the gdb script for image `name` of the build."""
    images = os.path.join(build, "target", "images")
    image = os.path.join(images, name + ".elf")
    info_path = os.path.join(images, name + ".gdbinfo")
    if not os.path.isfile(image):
        raise GdbError(f"no image {image} (build first)")
    try:
        with open(info_path, encoding="utf-8") as f:
            info = json.load(f)
    except (OSError, ValueError) as e:
        raise GdbError(f"cannot read {info_path}: {e} (rebuild: ./sigil build)") from e
    lines = [f"# gdb commands for the image {name} (tools/sigil_gdb.py; docs/getting-started.md)",
             "set confirm off",
             "# the kernel, at its high-half addresses",
             f"file {os.path.abspath(image)}"]
    if "spec" in info:
        lines.append("# the capDL loader, the root task: uncomment to debug the loader itself")
        lines.append(f"# add-symbol-file {info['root']}")
        comps = components(info["spec"], info["programs"], info.get("search", ()))
        by_program = {}
        for comp, path in comps:
            by_program.setdefault(path, []).append(comp)
        for path, names in by_program.items():
            lines.append(f"# component{'s' if len(names) > 1 else ''} {', '.join(names)}")
            lines.append(f"add-symbol-file {path}")
    else:
        lines.append("# the root task")
        lines.append(f"add-symbol-file {info['root']}")
    lines += ["set confirm on", f"target remote :{port}", ""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write the gdb script of a bootable image.")
    ap.add_argument("--build", required=True, help="build directory")
    ap.add_argument("image", help="image name (build/target/images/NAME.elf)")
    ap.add_argument("-o", "--output", help="script to write (default BUILD/gdb/IMAGE.gdb)")
    ap.add_argument("--port", type=int, default=1234)
    args = ap.parse_args(argv)
    out = args.output or os.path.join(args.build, "gdb", args.image + ".gdb")
    try:
        text = script(args.build, args.image, args.port)
    except GdbError as e:
        print(f"sigil gdb: {e}", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    shown = os.path.relpath(out) if not os.path.relpath(out).startswith("..") else out
    print(f"sigil: QEMU waits for gdb on :{args.port}; in another terminal:\n"
          f"  gdb-multiarch -x {shown}\n"
          f"  (then e.g. `break main`, `continue`; {shown} lists the symbol files)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
