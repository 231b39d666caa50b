"""Parser for capDL text: tokens -> syntax tree.

A recursive-descent parser over the grammar of seL4's capDL language (capDL-tool/doc), with the
extensions the capDL tool accepts for aarch64 (`pgd`, `pud`, `arm_irq`, `smc`, TCB parameters
such as `prio:` and `fault_ep:`, `resume:`).  It only recognises shapes; names, ranges and types
are resolved by build.py, so this module never needs to know what a name stands for.

    module      ::= 'arch' ident section+
    section     ::= 'objects' '{' obj_decl* '}' | 'caps' '{' (cap_name_decl | cap_decl)* '}'
                  | 'irq' 'maps' '{' irq_mapping* '}' | 'cdt' '{' cdt_decl* '}'
                  | 'domains' '{' ... '}'
    obj_decl    ::= qname '=' ident params? ('{' (obj_decl | name_ref) ','? ... '}')?
    cap_decl    ::= name_ref '{' entry* '}'
    entry       ::= (slot ':')? (name_ref '=')? (name_ref | '<' name_ref '>') params? parent? ';'?
    parent      ::= '-' 'child_of' slot_ref
    slot_ref    ::= '(' name_ref ',' slot ')' | name_ref

Object and cap parameters are kept as (key, value, location) triples; build.py decides which
keys mean something for which object type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import CdlSyntaxError, Location
from ..limits import limit
from .lexer import Token, tokenize

# Symbolic TCB slot names and their numbers (capDL's tcb*Slot constants).
SYMBOLIC_SLOTS = {
    "cspace": 0,
    "vspace": 1,
    "reply_slot": 2,
    "caller_slot": 3,
    "ipc_buffer_slot": 4,
    "fault_ep_slot": 5,
    "sc_slot": 6,
    "temp_fault_ep_slot": 7,
}
RIGHT_LETTERS = set("RWGXP")


class Quoted(str):
    """A double-quoted string token's text (file names in fills), distinct from a bare word."""


@dataclass(frozen=True)
class Braced:
    """A `{ ... }` group of words, numbers and strings, as capDL writes one frame fill:
    `{dest_offset length CDL_FrameFill_FileData "file" file_offset}`."""

    items: tuple
    loc: Location = field(compare=False)


@dataclass
class Range:
    """One range inside `[...]`: lo..hi inclusive; None means open; single means `[n]`."""

    lo: int | None
    hi: int | None
    single: bool = False


@dataclass
class NameRef:
    """`name`, `name[...]` or `name[]` (ranges == [] means all; None means no brackets)."""

    name: str
    ranges: list[Range] | None
    loc: Location

    def __str__(self) -> str:
        if self.ranges is None:
            return self.name
        parts = []
        for r in self.ranges:
            if r.single:
                parts.append(str(r.lo))
            else:
                parts.append(f"{'' if r.lo is None else r.lo}..{'' if r.hi is None else r.hi}")
        return f"{self.name}[{', '.join(parts)}]"


@dataclass
class Param:
    """An object or cap parameter: key (e.g. 'bits', 'paddr', 'rights', 'badge') and value."""

    key: str
    value: object
    loc: Location


@dataclass
class ObjSpec:
    kind: str
    params: list[Param]
    children: list  # ObjDecl or NameRef (covered objects of an untyped)
    loc: Location


@dataclass
class ObjDecl:
    qname: list[NameRef]
    obj: ObjSpec
    loc: Location


@dataclass
class SlotRef:
    """`(container, slot)` or a cap name."""

    container: NameRef | None
    slot: int | None
    cap_name: NameRef | None
    loc: Location


@dataclass
class CapEntry:
    slot: int | None
    name: NameRef | None
    target: NameRef
    is_copy: bool
    params: list[Param]
    parent: SlotRef | None
    loc: Location


@dataclass
class CapDecl:
    container: NameRef
    entries: list[CapEntry]
    loc: Location


@dataclass
class CapNameDecl:
    name: str
    container: NameRef
    slot: int
    loc: Location


@dataclass
class IrqMapping:
    number: int | None
    target: NameRef
    loc: Location


@dataclass
class CdtDecl:
    parent: SlotRef
    children: list  # SlotRef or CdtDecl
    loc: Location


@dataclass
class Module:
    arch: str
    arch_loc: Location
    objects: list[ObjDecl] = field(default_factory=list)
    caps: list = field(default_factory=list)  # CapDecl or CapNameDecl
    irqs: list[IrqMapping] = field(default_factory=list)
    cdt: list[CdtDecl] = field(default_factory=list)
    unsupported: list[tuple[str, Location]] = field(default_factory=list)


class Parser:
    """Recursive descent over a token list; `pos` indexes the next token."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0  # nested lists, tuples, object and cdt bodies (bounded: no RecursionError)
        self.max_depth = limit("max_nesting")

    def enter(self) -> None:
        """Just after the bracket that opens a nested construct (the last token read)."""
        self.depth += 1
        if self.depth > self.max_depth:
            raise CdlSyntaxError(f"nesting deeper than {self.max_depth} levels",
                                 self.tokens[self.pos - 1].loc)

    def leave(self) -> None:
        self.depth -= 1

    # -- token helpers -------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def next(self) -> Token:
        tok = self.peek()
        self.pos += 1
        return tok

    def error(self, what: str, tok: Token | None = None) -> CdlSyntaxError:
        tok = tok or self.peek()
        return CdlSyntaxError(f"expected {what}, found {tok.describe()}", tok.loc)

    def accept_sym(self, text: str) -> bool:
        if self.peek().is_sym(text):
            self.pos += 1
            return True
        return False

    def expect_sym(self, text: str) -> Token:
        if not self.peek().is_sym(text):
            raise self.error(f"'{text}'")
        return self.next()

    def expect_ident(self, what: str = "a name") -> Token:
        if self.peek().kind != "ident":
            raise self.error(what)
        return self.next()

    def expect_num(self, what: str = "a number") -> int:
        if self.peek().kind != "num":
            raise self.error(what)
        return self.next().value

    # -- names and ranges ----------------------------------------------------------------
    def range(self) -> Range:
        if self.accept_sym(".."):
            return Range(None, self.expect_num())
        lo = self.expect_num()
        if self.accept_sym(".."):
            hi = self.next().value if self.peek().kind == "num" else None
            return Range(lo, hi)
        return Range(lo, lo, single=True)

    def name_ref(self) -> NameRef:
        tok = self.expect_ident()
        if not self.accept_sym("["):
            return NameRef(tok.value, None, tok.loc)
        ranges: list[Range] = []
        if not self.accept_sym("]"):
            ranges.append(self.range())
            while self.accept_sym(","):
                ranges.append(self.range())
            self.expect_sym("]")
        return NameRef(tok.value, ranges, tok.loc)

    def slot(self) -> int:
        tok = self.peek()
        if tok.kind == "num":
            return self.next().value
        if tok.kind == "ident" and tok.value in SYMBOLIC_SLOTS:
            self.pos += 1
            return SYMBOLIC_SLOTS[tok.value]
        raise self.error("a slot number or a symbolic slot (cspace, vspace, ipc_buffer_slot, ...)")

    def slot_ref(self) -> SlotRef:
        loc = self.peek().loc
        if self.accept_sym("("):
            container = self.name_ref()
            self.expect_sym(",")
            slot = self.slot()
            self.expect_sym(")")
            return SlotRef(container, slot, None, loc)
        return SlotRef(None, None, self.name_ref(), loc)

    # -- parameters ----------------------------------------------------------------------
    def param_value(self):
        tok = self.peek()
        if tok.kind == "num":
            return self.next().value
        if tok.kind == "ident":
            word = self.next().value
            return {"True": True, "False": False}.get(word, word)
        if self.accept_sym("["):
            self.enter()
            items = []
            while not self.accept_sym("]"):
                items.append(self.param_value())
                self.accept_sym(",")
            self.leave()
            return items
        if self.accept_sym("("):
            self.enter()
            items = [self.param_value()]
            while self.accept_sym(","):
                items.append(self.param_value())
            self.expect_sym(")")
            self.leave()
            return tuple(items)
        if tok.is_sym("{"):
            return self.braced()
        raise self.error("a parameter value")

    def skip_braces(self) -> str:
        """Skip a balanced `{ ... }` group (a section Sigil does not support)."""
        self.expect_sym("{")
        depth = 1
        while depth:
            tok = self.next()
            if tok.kind == "eof":
                raise self.error("'}'", tok)
            depth += tok.is_sym("{") - tok.is_sym("}")
        return "{...}"

    def braced(self) -> Braced:
        """A `{ ... }` group of numbers, words and strings (no nesting)."""
        start = self.expect_sym("{")
        items: list = []
        while not self.accept_sym("}"):
            tok = self.next()
            if tok.kind == "num":
                items.append(tok.value)
            elif tok.kind == "ident":
                items.append(tok.value)
            elif tok.kind == "str":
                items.append(Quoted(tok.value))
            else:
                raise self.error("a number, a word, a string or '}'", tok)
        return Braced(tuple(items), start.loc)

    def numeric_param(self) -> Param:
        tok = self.peek()
        value = self.expect_num()
        unit = self.peek()
        if unit.is_word("bits"):
            self.pos += 1
            return Param("bits", value, tok.loc)
        if unit.kind == "ident" and unit.value in ("k", "M", "G"):
            self.pos += 1
            if self.peek().is_word("ports"):
                self.pos += 1
                return Param("ports", value * 1024, tok.loc)
            return Param("vmsize", value << {"k": 10, "M": 20, "G": 30}[unit.value], tok.loc)
        if unit.is_sym(":"):  # pci device bus:dev.fun (x86 only)
            self.pos += 1
            dev = self.expect_num()
            self.expect_sym(".")
            fun = self.expect_num()
            return Param("pci_device", (value, dev, fun), tok.loc)
        raise self.error("'bits', 'k', 'M' or 'G' after a number")

    def param(self, for_cap: bool) -> Param:
        tok = self.peek()
        if tok.kind == "num":
            return self.numeric_param()
        if tok.kind != "ident":
            raise self.error("a parameter")
        if for_cap and set(tok.value) <= RIGHT_LETTERS and not self.peek(1).is_sym(":"):
            self.pos += 1
            return Param("rights", tok.value, tok.loc)
        self.pos += 1
        if not self.accept_sym(":"):
            return Param(tok.value, True, tok.loc)  # flags: reply, master_reply, cached, ...
        if tok.value == "masked":
            rights = self.expect_ident("rights such as RWG")
            if not set(rights.value) <= RIGHT_LETTERS:
                raise CdlSyntaxError(f"'{rights.value}' is not a set of rights (R, W, G, X, P)", rights.loc)
            return Param("masked", rights.value, tok.loc)
        if tok.value == "mapping":
            return Param("mapping", self.slot_ref(), tok.loc)
        return Param(tok.value, self.param_value(), tok.loc)

    def params(self, for_cap: bool) -> list[Param]:
        if not self.accept_sym("("):
            return []
        params: list[Param] = []
        if self.accept_sym(")"):
            return params
        params.append(self.param(for_cap))
        while self.accept_sym(","):
            params.append(self.param(for_cap))
        self.expect_sym(")")
        return params

    # -- objects -------------------------------------------------------------------------
    def qname(self) -> list[NameRef]:
        parts = [self.name_ref()]
        while self.accept_sym("/"):
            parts.append(self.name_ref())
        return parts

    def obj_decl(self) -> ObjDecl:
        loc = self.peek().loc
        qname = self.qname()
        self.expect_sym("=")
        kind = self.expect_ident("an object type (ep, notification, tcb, cnode, ut, frame, ...)")
        params = self.params(for_cap=False)
        children: list = []
        if self.accept_sym("{"):
            self.enter()
            while not self.accept_sym("}"):
                children.append(self.obj_decl_or_ref())
                self.accept_sym(",")
            self.leave()
        return ObjDecl(qname, ObjSpec(kind.value, params, children, kind.loc), loc)

    def obj_decl_or_ref(self):
        start = self.pos
        self.qname()
        is_decl = self.peek().is_sym("=")
        self.pos = start
        return self.obj_decl() if is_decl else self.name_ref()

    def objects_section(self, module: Module) -> None:
        self.expect_sym("{")
        while not self.accept_sym("}"):
            module.objects.append(self.obj_decl())

    # -- caps ----------------------------------------------------------------------------
    def cap_entry(self) -> CapEntry:
        loc = self.peek().loc
        slot = None
        tok = self.peek()
        symbolic = tok.kind == "ident" and tok.value in SYMBOLIC_SLOTS and self.peek(1).is_sym(":")
        if tok.kind == "num" or symbolic:
            slot = self.slot()
            self.expect_sym(":")
        name = None
        start = self.pos
        if self.peek().kind == "ident":
            self.name_ref()
            has_name = self.peek().is_sym("=")
            self.pos = start
            if has_name:
                name = self.name_ref()
                self.expect_sym("=")
        is_copy = self.accept_sym("<")
        target = self.name_ref()
        if is_copy:
            self.expect_sym(">")
        params = self.params(for_cap=True)
        parent = None
        if self.peek().is_sym("-") and self.peek(1).is_word("child_of"):
            self.pos += 2
            parent = self.slot_ref()
        self.accept_sym(";")
        return CapEntry(slot, name, target, is_copy, params, parent, loc)

    def caps_section(self, module: Module) -> None:
        self.expect_sym("{")
        while not self.accept_sym("}"):
            loc = self.peek().loc
            if self.peek().kind == "ident" and self.peek(1).is_sym("=") and self.peek(2).is_sym("("):
                name = self.next().value
                self.pos += 2
                container = self.name_ref()
                self.expect_sym(",")
                slot = self.slot()
                self.expect_sym(")")
                module.caps.append(CapNameDecl(name, container, slot, loc))
                continue
            container = self.name_ref()
            self.expect_sym("{")
            entries = []
            while not self.accept_sym("}"):
                entries.append(self.cap_entry())
            module.caps.append(CapDecl(container, entries, loc))

    # -- irq maps, cdt, domains ----------------------------------------------------------
    def irq_section(self, module: Module) -> None:
        self.expect_sym("{")
        while not self.accept_sym("}"):
            loc = self.peek().loc
            number = None
            if self.peek().kind == "num":
                number = self.next().value
                self.expect_sym(":")
            module.irqs.append(IrqMapping(number, self.name_ref(), loc))
            self.accept_sym(";")

    def cdt_decl(self) -> CdtDecl:
        loc = self.peek().loc
        parent = self.slot_ref()
        self.expect_sym("{")
        children: list = []
        while not self.accept_sym("}"):
            start = self.pos
            child = self.slot_ref()
            if self.peek().is_sym("{"):
                self.pos += 1
                self.enter()
                self.pos = start
                children.append(self.cdt_decl())
                self.leave()
            else:
                children.append(child)
            self.accept_sym(";")
        return CdtDecl(parent, children, loc)

    def cdt_section(self, module: Module) -> None:
        self.expect_sym("{")
        while not self.accept_sym("}"):
            module.cdt.append(self.cdt_decl())

    # -- module --------------------------------------------------------------------------
    def section(self, module: Module) -> None:
        tok = self.expect_ident("a section (objects, caps, irq maps, cdt)")
        if tok.value == "objects":
            self.objects_section(module)
        elif tok.value == "caps":
            self.caps_section(module)
        elif tok.value == "irq_maps" or (tok.value == "irq" and self.peek().is_word("maps")):
            if tok.value == "irq":
                self.pos += 1
            self.irq_section(module)
        elif tok.value == "cdt":
            self.cdt_section(module)
        elif tok.value == "domains":
            self.skip_braces()
            module.unsupported.append(("a 'domains' section (Sigil has no domain scheduler)", tok.loc))
        else:
            raise self.error("a section (objects, caps, irq maps, cdt)", tok)

    def module(self) -> Module:
        if not self.peek().is_word("arch"):
            raise self.error("'arch aarch64' at the start")
        self.pos += 1
        arch = self.expect_ident("an architecture name")
        module = Module(arch.value, arch.loc)
        self.section(module)
        while self.peek().kind != "eof":
            self.section(module)
        return module


def parse_module(text: str, filename: str = "<input>") -> Module:
    """Parse capDL text into a syntax tree; raises CdlSyntaxError with the line."""
    return Parser(tokenize(text, filename)).module()
