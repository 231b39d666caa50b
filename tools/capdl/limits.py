"""The bounds on what the tools accept, from `spec_limits` in kernel/abi/sigil.yaml (the spec
compiler is built with the same numbers), and reading files within them.

No input may crash a tool, exhaust its memory or keep it busy for long: a spec file or a file it
names is read only if it is a regular file (a FIFO or a device is refused without blocking) of
at most `max_spec_bytes` / `max_file_bytes`; collections nest at most `max_nesting` deep (the
YAML reader and the .cdl parser check it before recursing); a .cdl file declares at most
`max_objects` objects.  Each breach is a SpecError at the file (and line) at fault.
"""

from __future__ import annotations

import os
import stat

from .abi import load_abi
from .errors import Location, SpecError


def limit(name: str) -> int:
    """One of the spec_limits numbers."""
    return load_abi().limits[name]


def read_bounded(path, max_bytes: int, what: str = "") -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes` of them; a SpecError naming
    the file otherwise (OSError from the system is passed on: the command reports it)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        shown = what or str(path)
        if not stat.S_ISREG(st.st_mode):
            raise SpecError(f"cannot open '{shown}': not a regular file", Location(str(path)))
        if st.st_size > max_bytes:
            raise SpecError(f"cannot open '{shown}': larger than the limit of {max_bytes} bytes",
                            Location(str(path)))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SpecError(f"cannot open '{shown}': larger than the limit of {max_bytes} bytes",
                            Location(str(path)))
        return data
    finally:
        os.close(fd)
