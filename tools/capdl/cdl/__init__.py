"""seL4's textual capDL format (`.cdl`): lexer, parser, model, printer and the mapping to Sigil.

The layers, each a module:

    lexer.py    text -> tokens (numbers, identifiers, symbols), comments `--` and nested `/* */`
    parser.py   tokens -> syntax tree (declarations with unresolved names and ranges)
    build.py    syntax tree -> CdlModel: names and ranges resolved, copies `<name>` expanded,
                untyped covers collected; every name error carries its line
    model.py    CdlModel: capDL's own data model (objects, caps in slots, covers, irq maps, cdt)
    printer.py  CdlModel -> .cdl text (canonical layout that parses back to the same model)
    importer.py CdlModel -> Sigil's Spec (capdl.model), reporting what has no equivalent
    exporter.py Sigil's Spec -> CdlModel, likewise
"""

from .build import parse_cdl, parse_cdl_file
from .model import CdlCap, CdlModel, CdlObject
from .printer import print_cdl

__all__ = ["parse_cdl", "parse_cdl_file", "print_cdl", "CdlModel", "CdlObject", "CdlCap"]
