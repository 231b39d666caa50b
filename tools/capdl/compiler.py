"""Calling the spec compiler `sigil-specc`, so that the rules of the format live in one place.

The compiler is found, in this order, at `$SIGIL_SPECC`, at `$SIGIL_BUILD_DIR/bin/sigil-specc`,
and at `build/bin/sigil-specc` under the repository root (two levels above this package).  If it
is not there, a ToolError says how to build it.  Its diagnostics (`file:line: path: message`)
are passed through unchanged.

`placement(path)` gives the boot placement the compiler simulates (`sigil-specc --placement`,
read by placement.py).

Programs (`elf:` names) and fill files are looked for next to the spec, then in each search
directory; by default that is the build's programs, `$SIGIL_BUILD_DIR/target/programs` or
`build/target/programs` under the repository root, as the build does with `-L` (programs.py).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import CompilerErrors, Location, ToolError
from .placement import Placement, parse_placement

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def find_compiler() -> Path:
    """The path of sigil-specc, or a ToolError naming the places looked at."""
    tried = []
    env = os.environ.get("SIGIL_SPECC")
    if env:
        tried.append(Path(env))
    build = os.environ.get("SIGIL_BUILD_DIR")
    if build:
        tried.append(Path(build) / "bin" / "sigil-specc")
    tried.append(REPO_ROOT / "build" / "bin" / "sigil-specc")
    for path in tried:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    places = ", ".join(str(p) for p in tried)
    raise ToolError(f"the spec compiler sigil-specc is not built (looked at {places}); build the "
                    f"host half (cmake --build BUILD_DIR) or set SIGIL_SPECC to its path",
                    Location("sigil-specc"))


def default_search(spec_path: str | None = None) -> list:
    """The built programs' directory: `$SIGIL_BUILD_DIR/target/programs`, else
    `build/target/programs` under the repository root (whether or not it exists yet). Before it,
    for a spec in a user's folder that `./sigil run` has built, the directory of that folder's
    programs: the one whose FOLDER file (cmake/SigilUserPrograms.cmake) names the spec's folder."""
    build = os.environ.get("SIGIL_BUILD_DIR")
    base = Path(build) if build else REPO_ROOT / "build"
    found = []
    if spec_path:
        folder = str(Path(spec_path).resolve().parent)
        for record in sorted((base / "target" / "systems" / "user-programs").glob("*/FOLDER")):
            if record.read_text(encoding="utf-8").strip() == folder:
                found.append(record.parent)
    return found + [base / "target" / "programs"]


def _search_args(search) -> list:
    args = []
    for d in default_search() if search is None else search:
        args += ["-L", d]
    return args


@dataclass
class CompilerResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_compiler(args: list, compiler: Path | None = None) -> CompilerResult:
    """Run sigil-specc with `args`; never raises for a non-zero exit (that is a result)."""
    exe = compiler or find_compiler()
    try:
        proc = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, check=False)
    except OSError as err:
        raise ToolError(f"cannot run {exe}: {err.strerror}", Location(str(exe))) from None
    return CompilerResult(proc.returncode, proc.stdout, proc.stderr)


def check_spec(path: str, search=None) -> CompilerResult:
    """`sigil-specc --check -L DIR... PATH`: validate a YAML spec file; files it names are looked
    for next to it, then in `search` (default: default_search())."""
    return run_compiler(["--check", *_search_args(search), path])


def expand_spec(path: str, search=None) -> str:
    """The spec with programs, regions and mappings expanded by the compiler, as YAML text
    (compile to a binary spec, then `--dump` it back); `search` as for check_spec."""
    with tempfile.TemporaryDirectory(prefix="capdl-") as tmp:
        blob = Path(tmp) / "spec.bin"
        result = run_compiler(["-o", blob, *_search_args(search), path])
        if result.returncode == 1:  # errors in the spec, reported by line
            raise CompilerErrors(result.stderr.rstrip(), Location(path))
        if not result.ok:
            raise ToolError(f"sigil-specc failed:\n{result.stderr.rstrip()}", Location(path))
        dumped = run_compiler(["--dump", blob])
        if not dumped.ok:
            raise ToolError(f"sigil-specc --dump failed:\n{dumped.stderr.rstrip()}", Location(path))
        return dumped.stdout


def placement(path: str, search=None, reserve: int | None = None) -> Placement:
    """Where the boot puts every object of the YAML spec at `path`, as the compiler's placement
    check computes it (`sigil-specc --placement`; `reserve` as its `--reserve`, default 64 MiB;
    `search` as for check_spec). A spec with errors (one that does not fit included) raises
    CompilerErrors with the compiler's `file:line: path: message` lines."""
    with tempfile.TemporaryDirectory(prefix="capdl-") as tmp:
        out = Path(tmp) / "placement.json"
        extra = ["--reserve", reserve] if reserve is not None else []
        result = run_compiler(["--placement", out, *extra, *_search_args(search), path])
        if result.returncode == 1:
            raise CompilerErrors(result.stderr.rstrip(), Location(path))
        if not result.ok:
            raise ToolError(f"sigil-specc --placement failed:\n{result.stderr.rstrip()}", Location(path))
        return parse_placement(out.read_text(encoding="utf-8"))
