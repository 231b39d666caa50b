"""Command line: `./sigil spec SUBCOMMAND` (the same as `python3 -m capdl SUBCOMMAND`).

    check FILE.yaml                      validate with the spec compiler (sigil-specc --check)
    graph FILE [--format text|json|dot]  authority analysis of a YAML spec or a .cdl file
    import FILE.cdl [-o OUT.yaml]        seL4 capDL text -> Sigil YAML spec
    export FILE.yaml [-o OUT.cdl]        Sigil YAML spec -> seL4 capDL text

check, graph and export find the programs a spec names next to it, then in each `-L DIR`, by
default in the build's programs directory (compiler.default_search()); missing programs are all
named at once (exit status 2).  Every command checks the spec with the compiler's rules
(validate.py) and reports against the file the user wrote.

Errors go to stderr as `file:line: path: message` and make the exit status 1; warnings (things
imported or exported with a loss, each named) are printed as `file:line: path: warning: ...` and
only fail the command with --strict.  Exit status 2 means the command could not run (a missing
file, the compiler not built).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from . import compiler, validate
from .abi import load_abi
from .authority import analyse, to_dot, to_json, to_text
from .cdl import parse_cdl_file, print_cdl
from .cdl.exporter import export_cdl
from .cdl.importer import import_cdl
from .dot import render as render_dot
from .errors import SpecError, ToolError
from .lint import call_warnings
from .programs import MissingPrograms, image_fills, missing_programs
from .yamlio import read_spec, read_spec_text, write_spec_text

PROG = "./sigil spec"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Sigil spec tools: validate specs, analyse authority, and exchange specs with "
                    "seL4's capDL text format (.cdl).",
        epilog=f"Run '{PROG} SUBCOMMAND --help' for the options of one subcommand. "
               "See docs/spec-tools.md.")
    sub = p.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)

    c = sub.add_parser("check", help="validate a YAML spec with the spec compiler",
                       description="Validate a YAML spec by running 'sigil-specc --check FILE'. "
                                   "The compiler is found at $SIGIL_SPECC, "
                                   "$SIGIL_BUILD_DIR/bin/sigil-specc or build/bin/sigil-specc.")
    c.add_argument("file", metavar="FILE", help="the spec (.yaml)")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _search_option(c)

    g = sub.add_parser("graph", help="who can reach, revoke and call what (authority analysis)",
                       description="Authority analysis: for each component the objects it can "
                                   "reach through its caps (CNode caps followed transitively, caps "
                                   "passed over Grant endpoints), the caps it can revoke and the "
                                   "SMC function ids it can issue.")
    g.add_argument("file", metavar="FILE", help="a YAML spec, or a .cdl file (imported first)")
    g.add_argument("--format", choices=("text", "json", "dot", "svg", "png"), default="text",
                   help="output format (default: text; dot is Graphviz's text; svg and png are "
                        "rendered by Graphviz's dot, which must be installed)")
    g.add_argument("--svg", dest="format", action="store_const", const="svg",
                   help="the same as --format svg")
    g.add_argument("--png", dest="format", action="store_const", const="png",
                   help="the same as --format png")
    g.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    g.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _search_option(g)

    i = sub.add_parser("import", help="convert seL4 capDL text (.cdl) to a YAML spec",
                       description="Convert a capDL file (arch aarch64) to a Sigil YAML spec. "
                                   "Anything without a Sigil equivalent is an error or a warning "
                                   "naming its line.")
    i.add_argument("file", metavar="FILE.cdl")
    i.add_argument("-o", "--output", metavar="OUT.yaml", help="write here instead of standard output")
    i.add_argument("--strict", action="store_true", help="treat warnings as errors")
    i.add_argument("--file-dir", metavar="DIR",
                   help="the files that FileData fills name are in DIR (written into the fills; "
                        "default: the names as they are, found next to the spec or with -L)")
    _search_option(i)

    e = sub.add_parser("export", help="convert a YAML spec to seL4 capDL text (.cdl)",
                       description="Convert a Sigil YAML spec to capDL text. Programs, regions "
                                   "and VSpace mappings are expanded by the spec compiler first.")
    e.add_argument("file", metavar="FILE.yaml")
    e.add_argument("-o", "--output", metavar="OUT.cdl",
                   help="write here instead of standard output; frame contents given as bytes "
                        "(the component records after IPC buffers, `data` fills) go to OUT.data "
                        "next to it, which the .cdl's fills name")
    e.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _search_option(e)
    return p


def _search_option(p) -> None:
    p.add_argument("-L", dest="search", metavar="DIR", action="append",
                   help="look for the programs and files the spec names in DIR too (repeatable; "
                        "default: the build's programs, $SIGIL_BUILD_DIR/target/programs)")


def _search(args) -> list:
    """The directories the compiler searches: the -L options, else the build's programs (with
    those built from the spec's own folder, if any)."""
    return args.search if args.search else compiler.default_search(getattr(args, "file", None))


def _require_programs(path: str, args) -> None:
    """Raise a ToolError naming every program of the spec at `path` that is not built, with the
    places looked at; nothing when the spec does not read (the compiler reports that)."""
    try:
        spec = read_spec(path)
    except SpecError:
        return
    missing = missing_programs(spec, path, _search(args))
    if missing:
        raise MissingPrograms(missing)


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _report_warnings(warnings: list, strict: bool) -> int:
    for w in warnings:
        where = f"{w.loc}: " + (f"{w.path}: " if w.path else "")
        print(f"{where}{'error' if strict else 'warning'}: {w.message}", file=sys.stderr)
    return 1 if strict and warnings else 0


def _needs_expansion(spec) -> bool:
    return any(c.program is not None or c.regions for c in spec.components) or any(
        o.mappings for o in spec.all_objects())


def _relocate(expanded, written) -> None:
    """Point everything the compiler expanded at a line of the file the user wrote: an object
    written there at its own line, one the compiler made at its component's program (or the
    component), anything else at the line of what holds it."""
    lines = {(o.component, o.name): o.loc for o in written.all_objects()}
    comps = {c.name: c for c in written.components}
    for comp in expanded.components:
        mine = comps.get(comp.name)
        _set_loc(comp, mine.loc if mine else written.loc)
    for obj in expanded.all_objects():
        mine = comps.get(obj.component)
        made = (mine.program.loc if mine.program else mine.loc) if mine else written.loc
        _set_loc(obj, lines.get((obj.component, obj.name), made))
    if expanded.policy is not None and written.policy is not None:
        _set_loc(expanded.policy, written.policy.loc)


def _set_loc(value, loc) -> None:
    """Give `value` and every record inside it the location `loc`."""
    if isinstance(value, list):
        for item in value:
            _set_loc(item, loc)
    elif dataclasses.is_dataclass(value) and hasattr(value, "loc"):
        value.loc = loc
        for f in dataclasses.fields(value):
            if f.name not in ("loc", "objects"):
                _set_loc(getattr(value, f.name), loc)


def cmd_check(args) -> int:
    _require_programs(args.file, args)
    result = compiler.check_spec(args.file, _search(args))
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if not result.ok:
        return 1
    return _report_warnings(call_warnings(read_spec(args.file)), args.strict)


def load_any(path: str, search=None):
    """A Spec from a YAML file or (imported, warnings printed) from a .cdl file, checked by the
    compiler (validate.py): its errors, located in `path`, raise CompilerErrors."""
    if path.endswith(".cdl"):
        spec, warnings = import_cdl(parse_cdl_file(path))
        _report_warnings(warnings, False)
        validate.check_model(spec, path, search)
        return spec
    spec = read_spec(path)
    validate.check_file(path, search)
    return spec


def cmd_graph(args) -> int:
    if not args.file.endswith(".cdl"):
        _require_programs(args.file, args)
    spec = load_any(args.file, _search(args))
    analysis = analyse(spec)
    status = _report_warnings(call_warnings(spec, analysis), args.strict)
    if status:
        return status
    if args.format in ("svg", "png"):
        picture = render_dot(to_dot(analysis), args.format)
        if args.output:
            Path(args.output).write_bytes(picture)
        else:
            sys.stdout.buffer.write(picture)
        return 0
    render = {"text": to_text, "json": to_json, "dot": to_dot}[args.format]
    _emit(render(analysis), args.output)
    return 0


def cmd_import(args) -> int:
    spec, warnings = import_cdl(parse_cdl_file(args.file), args.file_dir)
    status = _report_warnings(warnings, args.strict)
    if status:
        return status
    validate.check_model(spec, args.file, _search(args))
    _emit(write_spec_text(spec, f"Imported from {Path(args.file).name} by '{PROG} import'."), args.output)
    return 0


def cmd_export(args) -> int:
    spec = read_spec(args.file)
    if _needs_expansion(spec):
        _require_programs(args.file, args)
        expanded = read_spec_text(compiler.expand_spec(args.file, _search(args)), args.file)
        _relocate(expanded, spec)
        image_fills(expanded, spec, args.file, _search(args), load_abi().platform["page_bits"])
        spec = expanded
    else:
        validate.check_file(args.file, _search(args))
    data_file = data_file_for(args.output) if args.output else None
    model, warnings = export_cdl(spec, data_file and data_file.name)
    status = _report_warnings(warnings, args.strict)
    if status:
        return status
    for data in model.files.values():
        data_file.write_bytes(data)
    _emit(print_cdl(model, f"Exported from {Path(args.file).name} by '{PROG} export'."), args.output)
    return 0


def data_file_for(output: str) -> Path:
    """Where `export -o OUT.cdl` puts the bytes of data fills: OUT.data next to it."""
    out = Path(output)
    return out.with_suffix(".data") if out.suffix != ".data" else out.with_name(out.name + ".data")


COMMANDS = {"check": cmd_check, "graph": cmd_graph, "import": cmd_import, "export": cmd_export}


def main(argv: list | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ToolError as err:
        print(err, file=sys.stderr)
        return 2
    except SpecError as err:
        print(err, file=sys.stderr)
        return 1
    except OSError as err:
        print(f"{err.filename}: {err.strerror}", file=sys.stderr)
        return 2
