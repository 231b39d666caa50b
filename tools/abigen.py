#!/usr/bin/env python3
"""Generate Sigil's ABI artefacts from kernel/abi/sigil.yaml.

The YAML file is the one description of the kernel interface; this script is the only place
that turns it into other forms:
  --header FILE   the C header <sigil/abi.h>: errors, rights, object types, cap types, syscall
                  numbers, message layout, platform constants and invocation labels;
  --stubs FILE    <sigil/invocations.h>: one user-library function per invocation;
  --docs FILE     docs/kernel/api-reference.md;
  --cmake FILE    CMake variables for the tests' console expectations (fault labels).
Usage: abigen.py SIGIL_YAML [--header OUT] [--stubs OUT] [--docs OUT] [--cmake OUT] [--check]
With --check, nothing is written: the exit status says whether each OUT is up to date.
"""

import argparse
import re
import sys

import yaml

SPECIAL_SNAKE = {"CNode": "cnode", "VSpace": "vspace", "TCB": "tcb", "SMC": "smc",
                 "IRQControl": "irq_control", "IRQHandler": "irq_handler",
                 "PageTable": "page_table"}


def snake(name):
    if name in SPECIAL_SNAKE:
        return SPECIAL_SNAKE[name]
    parts = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return parts.lower()


def enum_block(type_name, items):
    """A C enum of (name, value) items: a typedef when type_name is given, else anonymous."""
    lines = ["typedef enum {" if type_name else "enum {"]
    for name, value in items:
        lines.append(f"    {name} = {value},")
    lines.append(f"}} {type_name};" if type_name else "};")
    return lines


def numbered_list(type_name, prefix, names, count_macro):
    """An enum numbering `names` in order (prefix + name = index) and a macro counting them."""
    out = enum_block(type_name, [(f"{prefix}{n}", i) for i, n in enumerate(names)])
    return out + [f"#define {count_macro} {len(names)}", ""]


def error_names(desc):
    """sigil_error_name(): each error code's name, for messages (the loader's reports)."""
    lines = ["/* The name of error code `e` (\"InvalidArgument\"), or \"unknown error\". */",
             "static inline const char *sigil_error_name(unsigned long long e)", "{",
             "    switch (e) {"]
    for name in desc["errors"]:
        lines += [f"    case Sigil_{name}:", f"        return \"{name}\";"]
    lines += ["    default:", "        return \"unknown error\";", "    }", "}"]
    return lines


def lookup_failure_layout(desc):
    """[(suffix, index)] of the words after a lookup failure's type (index 0 is the type): a word
    every type has at the same index keeps its bare name, the others get `<Type>_` in front, as
    seL4 names them (BitsLeft, GuardMismatch_GuardFound)."""
    types = desc["lookup_failure_words"]
    layout = [("Type", 0)]
    for name in dict.fromkeys(w for words in types.values() for w in words):
        places = {words.index(name) if name in words else None for words in types.values()}
        if len(places) == 1:
            layout.append((name, places.pop() + 1))
        else:
            layout += [(f"{t}_{name}", words.index(name) + 1)
                       for t, words in types.items() if name in words]
    return sorted(layout, key=lambda word: word[1])


def lookup_failure_length(desc):
    """sigil_lookup_failure_length(type): the message words of a lookup failure, type included."""
    lines = ["/* The message words of a lookup failure of `type` (its type word included). */",
             "static inline unsigned sigil_lookup_failure_length(unsigned long long type)", "{",
             "    switch (type) {"]
    for name, words in desc["lookup_failure_words"].items():
        lines += [f"    case Sigil_{name}:", f"        return {1 + len(words)};"]
    lines += ["    default:", "        return 1;", "    }", "}"]
    return lines


def fault_layouts(desc):
    """The fault labels and, for each fault, the message register of each word."""
    out = enum_block("sigil_fault_label_t",
                     [(f"Sigil_Fault_{n}", f["label"]) for n, f in desc["faults"].items()])
    lookup_max = 1 + max(len(w) for w in desc["lookup_failure_words"].values())
    longest = 0
    for name, f in desc["faults"].items():
        words = [(f"Sigil_{name}_{w}", i) for i, w in enumerate(f["words"])]
        length = len(f["words"])
        if f.get("then") == "lookup_failure":  # the last word is the type; details follow
            base = length - 1
            words += [(f"Sigil_{name}_{w}", base + i)
                      for w, i in lookup_failure_layout(desc) if w != "Type"]
            length = base + lookup_max
        else:
            words.append((f"Sigil_{name}_Length", length))
        words.append((f"Sigil_{name}_MaxLength", length))
        longest = max(longest, length)
        out += enum_block(None, words)
    out.append(f"#define SIGIL_FAULT_MAX_LENGTH {longest}")
    return out


class Param:
    """One parameter of an invocation: a message word, a cap, or a variable-length tail."""

    def __init__(self, text):
        text = text.strip()
        self.is_cap = text.startswith("cap ")
        self.is_tail = text.endswith("...")
        self.name = text[4:] if self.is_cap else text.rstrip(".")
        m = re.fullmatch(r"(\w+)\[(\d+)\]", self.name)
        self.count = int(m.group(2)) if m else 0  # an array of `count` words
        if m:
            self.name = m.group(1)

    def words(self):
        """The C expressions of the message words this parameter contributes."""
        if self.count:
            return [f"{self.name}[{i}]" for i in range(self.count)]
        return [self.name]

    def decl(self, out=False):
        if self.count:
            return f"{'' if out else 'const '}sigil_word_t {self.name}[{self.count}]"
        if out:
            return f"sigil_word_t *{self.name}"
        return f"sigil_{'cptr' if self.is_cap else 'word'}_t {self.name}"


def methods(desc):
    """Yield (object, method, spec, params) in file order."""
    for obj, meths in desc.get("invocations", {}).items():
        for meth, spec in meths.items():
            yield obj, meth, spec, [Param(p) for p in spec.get("params", [])]


def object_size_function(desc):
    """sigil_object_size_bits(type, user_size): log2 of the memory an object of `type` takes;
    Untyped and CNode take their size from `user_size` (CNode: log2 of its slot count)."""
    lines = ["/* log2 of the bytes an object of `type` takes (0 for an unknown type); Untyped and",
             " * CNode objects are sized by `user_size` (a CNode's: log2 of its slot count). */",
             "static inline unsigned sigil_object_size_bits(unsigned type, unsigned user_size)",
             "{", "    switch (type) {"]
    for name, o in desc["objects"].items():
        lines.append(f"    case Sigil_{name}Object:")
        if o.get("size_bits") is not None:
            lines.append(f"        return {o['size_bits']};")
        elif "slot_bits" in o:
            lines.append(f"        return user_size + {o['slot_bits']};")
        else:
            lines.append("        return user_size;")
    lines += ["    default:", "        return 0;", "    }", "}"]
    return lines


def bit_set(bits, bit_prefix, mask_prefix, all_name):
    """#defines of a set of named bits: each bit's number and mask, and the mask of them all."""
    out = []
    for name, bit in bits.items():
        out.append(f"#define {bit_prefix}{name} {bit}")
        out.append(f"#define {mask_prefix}{name} (1u << {bit})")
    out.append(f"#define {all_name} 0x{sum(1 << b for b in bits.values()):x}u")
    return out


def generate_header(desc):
    out = [
        "/* Generated by tools/abigen.py from kernel/abi/sigil.yaml. Do not edit. */",
        "#ifndef SIGIL_ABI_H",
        "#define SIGIL_ABI_H",
        "",
    ]
    out += enum_block("sigil_error_t", [(f"Sigil_{n}", v) for n, v in desc["errors"].items()])
    out.append(f"#define SIGIL_NUM_ERRORS {len(desc['errors'])}")
    out.append("")
    out += enum_block("sigil_lookup_failure_t",
                      [(f"Sigil_{n}", v) for n, v in desc["lookup_failures"].items()])
    out += enum_block(None, [(f"Sigil_LookupFailure_{w}", i)
                             for w, i in lookup_failure_layout(desc)])
    out.append("#define SIGIL_LOOKUP_FAILURE_MAX_LENGTH "
               f"{1 + max(len(w) for w in desc['lookup_failure_words'].values())}")
    out += lookup_failure_length(desc)
    out.append("")
    out += bit_set(desc["rights"], "Sigil_Right", "Sigil_Can", "Sigil_AllRights")
    out.append("")
    objs = [(f"Sigil_{name}Object", o["id"]) for name, o in desc["objects"].items()]
    objs.append(("Sigil_NumObjectTypes", len(desc["objects"])))
    out += enum_block("sigil_object_type_t", objs)
    for name, o in desc["objects"].items():
        if o.get("size_bits") is not None:
            out.append(f"#define Sigil_{name}Bits {o['size_bits']}")
        for key in ("min_bits", "max_bits", "slot_bits"):
            if key in o:
                suffix = "".join(p.capitalize() for p in key.split("_"))
                out.append(f"#define Sigil_{name}{suffix} {o[key]}")
    out.append("")
    out += object_size_function(desc)
    out.append("")
    out += enum_block("sigil_cap_type_t",
                      [(f"Sigil_Cap{n}", v) for n, v in desc["cap_types"].items()])
    out.append(f"#define SIGIL_NUM_CAP_TYPES {len(desc['cap_types'])}")
    out.append("")
    out += enum_block("sigil_syscall_t",
                      [(f"Sigil_Sys{n}", v) for n, v in desc["syscalls"].items()])
    out.append("")
    labels = [(f"Sigil_{obj}_{meth}", spec["label"]) for obj, meth, spec, _ in methods(desc)]
    if labels:
        out += enum_block("sigil_invocation_label_t", [("Sigil_InvalidInvocation", 0)] + labels)
        out.append(f"#define SIGIL_INVOCATION_LABEL_MAX {max(v for _, v in labels)}")
        out.append("")
    for name, value in desc.get("vm_attributes", {}).items():
        out.append(f"#define SIGIL_VM_{snake(name).upper()} {value}u")
    for name, value in desc.get("tcb_flags", {}).items():
        out.append(f"#define SIGIL_TCB_FLAG_{snake(name).upper()} {value}u")
    out.append("")
    if "boot_slots" in desc:
        out += enum_block("sigil_boot_slot_t",
                          [(f"Sigil_Slot{n}", v) for n, v in desc["boot_slots"].items()])
        out.append("")
    out += bit_set(desc["debug_operations"], "Sigil_DebugBit", "Sigil_Debug", "Sigil_DebugAll")
    names = [""] * (max(desc["debug_operations"].values()) + 1)
    for name, bit in desc["debug_operations"].items():
        names[bit] = name
    out.append("/* The operations' names by bit (the spec format's `debug:` lists them). */")
    out.append("#define SIGIL_DEBUG_OPERATION_NAMES {" + ", ".join(f'"{n}"' for n in names) + "}")
    out.append(f"#define SIGIL_DEBUG_NUM_OPERATIONS {len(names)}")
    out.append("")
    for name, value in desc["message"].items():
        out.append(f"#define SIGIL_MSG_{name.upper()} {value}")
    out.append("")
    for name, value in desc["platform"].items():
        out.append(f"#define SIGIL_PLAT_{name.upper()} 0x{value:x}ull")
    out.append(f"#define SIGIL_PAGE_SIZE (1ull << {desc['platform']['page_bits']})")
    out.append("")
    out.append(f"#define SIGIL_RETYPE_FAN_OUT_LIMIT {desc['retype_fan_out_limit']}u")
    out.append("")
    out += numbered_list("sigil_context_word_t", "Sigil_Ctx_",
                         [n.upper() for n in desc["user_context"]], "SIGIL_CONTEXT_WORDS")
    out += fault_layouts(desc)
    out.append("")
    gs_bits = desc["cnode_cap_data"]["guard_size_bits"]
    out += [f"#define SIGIL_CNODE_GUARD_SIZE_BITS {gs_bits}",
            "/* CNode cap data: `guard` of `guard_size` bits (seL4_CNode_CapData). */",
            "static inline unsigned long long sigil_cnode_cap_data(unsigned long long guard,",
            "                                                      unsigned long long guard_size)",
            "{",
            "    return guard << SIGIL_CNODE_GUARD_SIZE_BITS | guard_size;",
            "}", ""]
    out += numbered_list("sigil_tcb_slot_t", "Sigil_TCBSlot_", desc["tcb_slots"],
                         "SIGIL_TCB_NUM_SLOTS")
    out += error_names(desc)
    out.append("")
    out += irq_functions(desc)
    out.append("")
    for name, value in desc.get("spec_limits", {}).items():
        out.append(f"#define SIGIL_SPEC_{name.upper()} {value}ull")
    out += spec_field_masks(desc)
    out += ["", "#endif /* SIGIL_ABI_H */", ""]
    return "\n".join(out)


def spec_field_masks(desc):
    """SIGIL_SPEC_FIELD_<FIELD>: the set of object types (bit 1 << type) a spec field applies to.
    A retypable type is Sigil_<T>Object; a spec-only type SIGIL_SPEC_TYPE_<T> of <sigil/spec.h>
    (include it where a mask is used)."""
    spec_only = set(desc.get("spec_objects", []))
    out = []
    for field, types in desc.get("spec_fields", {}).items():
        for t in types:
            if t not in desc["objects"] and t not in spec_only:
                raise SystemExit(f"abigen: spec_fields.{field} names unknown type {t}")
        bits = " | ".join(f"(1ull << SIGIL_SPEC_TYPE_{snake(t).upper()})" if t in spec_only
                          else f"(1ull << Sigil_{t}Object)" for t in types)
        out.append(f"#define SIGIL_SPEC_FIELD_{field.upper()} ({bits})")
    return ["", *out] if out else []


def irq_functions(desc):
    """sigil_irq_kernel_owned() and sigil_irq_grantable() from the `irqs` section."""
    irqs = desc["irqs"]
    out = [f"#define SIGIL_IRQ_FIRST_GRANTABLE {irqs['first_grantable']}u",
           "/* The platform name of an IRQ the kernel keeps for its own device, or 0. */",
           "static inline const char *sigil_irq_kernel_owned(unsigned long long irq)",
           "{"]
    for name in irqs["kernel_owned"]:
        out.append(f"    if (irq == SIGIL_PLAT_{name.upper()}) {{")
        out.append(f'        return "{name}";')
        out.append("    }")
    out += ["    return 0;", "}",
            "/* Whether IRQControl_GetIRQHandler hands out a handler for `irq`. */",
            "static inline int sigil_irq_grantable(unsigned long long irq)",
            "{",
            "    return irq >= SIGIL_IRQ_FIRST_GRANTABLE && irq <= SIGIL_PLAT_MAX_IRQ &&",
            "           !sigil_irq_kernel_owned(irq);",
            "}"]
    return out


def stub(obj, meth, spec, params):
    fname = f"sigil_{snake(obj)}_{snake(meth)}"
    words = [p for p in params if not p.is_cap and not p.is_tail]
    caps = [p for p in params if p.is_cap]
    tail = [p for p in params if p.is_tail]
    returns = spec.get("returns", [])
    sig = ["sigil_cptr_t service"]
    for p in params:
        sig.append(f"const sigil_word_t *{p.name}" if p.is_tail else p.decl())
    if returns == "variable":
        sig.append("sigil_word_t *out")
    else:
        returns = [Param(r) for r in returns]
        sig += [r.decl(out=True) for r in returns]
    word_exprs = [w for p in words for w in p.words()]
    lines = [f"/* {obj}_{meth} (label {spec['label']}): {spec.get('doc', '')} */",
             f"static inline sigil_word_t {fname}({', '.join(sig)})", "{"]
    if tail:
        lines.append("    sigil_word_t mr[SIGIL_MSG_MAX_LENGTH];")
        for i, w in enumerate(word_exprs):
            lines.append(f"    mr[{i}] = {w};")
        lines.append(f"    sigil_word_t n = {len(word_exprs)};")
        lines.append("    for (sigil_word_t i = 0; i < count && n < SIGIL_MSG_MAX_LENGTH; i++) {")
        lines.append(f"        mr[n++] = {tail[0].name}[i];")
        lines.append("    }")
        mr_arg, n_arg = "mr", "n"
    elif word_exprs:
        lines.append(f"    const sigil_word_t mr[{len(word_exprs)}] = {{"
                     + ", ".join(word_exprs) + "};")
        mr_arg, n_arg = "mr", str(len(word_exprs))
    else:
        mr_arg, n_arg = "0", "0"
    if caps:
        lines.append(f"    const sigil_cptr_t caps[{len(caps)}] = {{"
                     + ", ".join(p.name for p in caps) + "};")
        caps_arg = "caps"
    else:
        caps_arg = "0"
    # A message that fits in x2-x5 needs no copying: the inline call puts it in registers.
    invoke = "sigil_invoke" if tail or len(word_exprs) > 4 else "sigil_invoke_inline"
    lines.append(f"    sigil_msginfo_t info = {invoke}(service, Sigil_{obj}_{meth}, "
                 f"{mr_arg}, {n_arg}, {caps_arg}, {len(caps)});")
    lines.append("    sigil_word_t err = sigil_msginfo_label(info);")
    if returns == "variable":
        lines += ["    if (err == Sigil_NoError) {",
                  "        for (sigil_word_t i = 0; i < sigil_msginfo_length(info); i++) {",
                  "            out[i] = sigil_get_mr((unsigned)i);",
                  "        }",
                  "    }"]
    elif returns:
        lines.append("    if (err == Sigil_NoError) {")
        i = 0
        for r in returns:
            for w in r.words():
                target = w if r.count else f"*{w}"
                lines.append(f"        {target} = sigil_get_mr({i});")
                i += 1
        lines.append("    }")
    lines += ["    return err;", "}", ""]
    return lines


def generate_stubs(desc):
    out = [
        "/* Generated by tools/abigen.py from kernel/abi/sigil.yaml. Do not edit.",
        " *",
        " * One function per kernel invocation. Each returns the error code of the reply",
        " * (Sigil_NoError on success); on error, sigil_get_mr(i) gives its detail words. */",
        "#ifndef SIGIL_INVOCATIONS_H",
        "#define SIGIL_INVOCATIONS_H",
        "",
        "#include <sigil/abi.h>",
        "#include <sigil/ipc.h>",
        "",
    ]
    for obj, meth, spec, params in methods(desc):
        out += stub(obj, meth, spec, params)
    out += ["#endif /* SIGIL_INVOCATIONS_H */", ""]
    return "\n".join(out)


def abi_tables_docs(desc):
    """The docs tables of fault messages, lookup failures, the user context and TCB slots."""
    out = ["", "## Fault messages", "",
           "The label of the message a faulting thread sends its handler, and its message registers",
           "(see [ipc.md](ipc.md) for what each fault means and what a reply does).", "",
           "| fault | label | message registers |", "|---|---|---|"]
    for name, f in desc["faults"].items():
        words = ", ".join(f"{i}: {w}" for i, w in enumerate(f["words"]))
        if f.get("then") == "lookup_failure":
            words += ", then the lookup failure's words (below)"
        out.append(f"| {name} | {f['label']} | {words} |")
    out += ["", "## Lookup failures", "",
            "A CapFault and a FailedLookup error carry a lookup failure as its type, then its words.",
            "", "| type | value | words after the type |", "|---|---|---|"]
    for name, value in desc["lookup_failures"].items():
        words = ", ".join(desc["lookup_failure_words"].get(name, [])) or "—"
        out.append(f"| {name} | {value} | {words} |")
    out += ["", "## User context", "",
            "The words of TCB_ReadRegisters, TCB_WriteRegisters and TCB_CopyRegisters, in order:",
            ", ".join(f"{i} {w}" for i, w in enumerate(desc["user_context"])) + ".",
            "", "## TCB slots", "",
            "A TCB's own cap slots (the introspection interface reads them by number): "
            + ", ".join(f"{i} {w}" for i, w in enumerate(desc["tcb_slots"])) + ".",
            "", "## Debug cap operations", "",
            "The badge of a Debug cap is a set of these bits (0, the master cap, allows all; see",
            "[debug.md](debug.md)): "
            + ", ".join(f"bit {b} {n}" for n, b in desc["debug_operations"].items()) + ".",
            "", "## Limits", "",
            f"- Page size: {1 << desc['platform']['page_bits']} bytes "
            f"(`SIGIL_PAGE_SIZE`, platform.page_bits {desc['platform']['page_bits']}).",
            f"- Untyped_Retype makes at most {desc['retype_fan_out_limit']} objects "
            "(`SIGIL_RETYPE_FAN_OUT_LIMIT`)."]
    return out


def generate_docs(desc):
    out = [
        "<!-- Generated by tools/abigen.py from kernel/abi/sigil.yaml. Do not edit: edit the",
        "     YAML and rebuild; the test abi.reference_up_to_date checks this file. -->",
        "# Kernel API reference",
        "",
        "Every invocation of every capability type, as the user library (`<sigil/invocations.h>`)",
        "offers it. Word parameters travel in message registers in the order shown; `cap`",
        "parameters travel as extra caps in the order shown. Each function returns the error code of",
        "the reply; see [api.md](api.md) for the meaning of each error and the system calls.",
        "The errors column lists every error an invocation can answer, in the order its decode",
        "checks them; [error-coverage.md](error-coverage.md) names the test of each.",
        "",
        "## Error codes",
        "",
        "| error | code |",
        "|---|---|",
    ]
    out += [f"| {n} | {v} |" for n, v in desc["errors"].items()]
    out += ["", "## System calls", "", "| syscall | number (x7) |", "|---|---|"]
    out += [f"| {n} | {v} |" for n, v in desc["syscalls"].items()]
    out += abi_tables_docs(desc)
    current = None
    for obj, meth, spec, params in methods(desc):
        if obj != current:
            out += ["", f"## {obj}", "",
                    "| label | function | parameters | returns | errors | what it does |",
                    "|---|---|---|---|---|---|"]
            current = obj
        shown = ", ".join(("cap " if p.is_cap else "") + p.name +
                          (f"[{p.count}]" if p.count else "") + ("..." if p.is_tail else "")
                          for p in params) or "—"
        ret = spec.get("returns", [])
        ret = "registers" if ret == "variable" else (", ".join(ret) or "—")
        errs = ", ".join(spec.get("errors", [])) or "—"
        out.append(f"| {spec['label']} | `sigil_{snake(obj)}_{snake(meth)}` | {shown} | {ret} "
                   f"| {errs} | {spec.get('doc', '')} |")
    out.append("")
    return "\n".join(out)


def generate_cmake(desc):
    """CMake variables for the tests' console expectations: SIGIL_FAULT_<NAME> is the label of
    each fault message (the manager and the fault handlers print it), SIGIL_ERROR_<NAME> each
    error code (programs print what an invocation returned)."""
    out = ["# Generated by tools/abigen.py from kernel/abi/sigil.yaml. Do not edit."]
    out += [f"set(SIGIL_FAULT_{n.upper()} {f['label']})" for n, f in desc["faults"].items()]
    out += [f"set(SIGIL_ERROR_{snake(n).upper()} {v})" for n, v in desc["errors"].items()]
    return "\n".join(out) + "\n"


def write_if_changed(path, text, check, source="kernel/abi/sigil.yaml", tool="abigen"):
    """Write `text` to `path` unless it is there already; with `check`, only say whether it is."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return True
    except FileNotFoundError:
        pass
    if check:
        print(f"{tool}: {path} is out of date: regenerate it from {source}", file=sys.stderr)
        return False
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def main(argv):
    ap = argparse.ArgumentParser(description="Generate Sigil's ABI artefacts.")
    ap.add_argument("yaml")
    ap.add_argument("--header")
    ap.add_argument("--stubs")
    ap.add_argument("--docs")
    ap.add_argument("--cmake")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv[1:])
    with open(args.yaml, encoding="utf-8") as f:
        desc = yaml.safe_load(f)
    seen = {}
    for obj, meth, spec, _ in methods(desc):
        other = seen.setdefault(spec["label"], f"{obj}.{meth}")
        if other != f"{obj}.{meth}":
            print(f"{args.yaml}: invocation label {spec['label']} used by both {other} and "
                  f"{obj}.{meth}", file=sys.stderr)
            return 1
    ok = True
    for path, gen in ((args.header, generate_header), (args.stubs, generate_stubs),
                      (args.docs, generate_docs), (args.cmake, generate_cmake)):
        if path:
            ok = write_if_changed(path, gen(desc), args.check) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
