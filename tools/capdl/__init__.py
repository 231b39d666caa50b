"""Sigil's Python spec tooling (`./sigil spec`, docs/spec-tools.md).

Layers, each a module, from text to output:

    parse     yamlio.py (YAML spec <-> model), cdl/ (seL4 capDL text <-> capDL model)
    validate  compiler.py (the rules live in the C compiler sigil-specc; this calls it)
    allocate  objects.py (a class per object type, from the ABI), authoring.py (build specs in
              Python: CSpace slot allocation, address spaces), merge.py (spec merge),
              placement.py (where the compiler places every object in untyped memory)
    emit      yamlio.write_spec_text, cdl.print_cdl, authority.py (text, JSON, Graphviz)

The model (model.py) is the YAML format as Python objects; every value keeps the `file:line` it
came from, and every error is a capdl.errors.SpecError carrying that location.  ABI numbers come
from kernel/abi/sigil.yaml at run time (abi.py).
"""

from .authority import analyse
from .errors import Location, SpecError
from .merge import merge
from .model import Cap, Component, Entry, Obj, Spec
from .yamlio import read_spec, read_spec_text, write_spec, write_spec_text

__all__ = ["analyse", "merge", "Location", "SpecError", "Cap", "Component", "Entry", "Obj", "Spec",
           "read_spec", "read_spec_text", "write_spec", "write_spec_text"]
