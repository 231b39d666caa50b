"""The authority graph as Graphviz DOT, and rendering it to SVG or PNG with Graphviz's `dot`.

What the picture shows (its legend says the same):

* each component is a box; the objects a component owns sit in a cluster with it, top-level
  objects outside any cluster;
* an edge from a component to an object is a cap it reaches, labelled with the rights (R W G P =
  Read Write Grant GrantReply) and badge; solid when held directly (its CSpace, its TCBs), dashed
  when reached through CNode caps or grants; one edge per component and object, all labels on it;
* the master SMC cap (badge 0: every function id) is a thick red edge labelled "master SMC: any
  function"; a badged SMC cap is an ordinary edge labelled with its function id;
* frames that two or more components map are drawn as shared memory: green edges labelled with
  the mapping's rights and address;
* red bold edges between components are Grant flows, one per pair with every endpoint named;
  dotted blue edges are revoke authority;
* objects whose names differ only by a trailing number (`buf_0`, `buf_1`, ... or capDL arrays'
  `ep__0`, ...), with the same type and the same edge from one component, are folded into one
  node `buf_[0..n]`, so that 2,000 endpoints held alike make one node.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict

from .errors import Location, ToolError

RIGHT_LETTER = {"Read": "R", "Write": "W", "Grant": "G", "GrantReply": "P"}
FOLD = re.compile(r"^(?P<base>.*?_+)(?P<n>\d+)$")
LEGEND = ("R W G P: Read Write Grant GrantReply\\l"
          "solid: cap held directly; dashed: reached through CNodes or grants\\l"
          "thick red to SMC: master SMC cap, any function id\\l"
          "green: shared memory (mapped by 2+ components)\\l"
          "red bold between components: Grant flow; dotted blue: revoke\\l"
          "name_[a..b]: objects of one type held alike, folded\\l")


def _id(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _label(row) -> str:
    if row["type"] == "SMC":
        return "master SMC: any function" if not row["badge"] else f"SMC {hex(row['badge'])}"
    label = "".join(RIGHT_LETTER[r] for r in row["rights"])
    return f"{label} badge {hex(row['badge'])}".strip() if row["badge"] else label


def _folded(edges: dict) -> dict:
    """{node: (type, [labels], direct, members)} with like-numbered objects folded together."""
    groups: dict = defaultdict(list)
    for obj, e in edges.items():
        m = FOLD.match(obj)
        key = (m["base"], e["type"], tuple(e["labels"]), e["direct"]) if m else (obj,)
        groups[key].append((int(m["n"]) if m else 0, obj, e))
    out = {}
    for key, members in groups.items():
        members.sort()
        _, first, e = members[0]
        if len(members) == 1:
            out[first] = (e["type"], e["labels"], e["direct"], [first])
        else:
            node = f"{key[0]}[{members[0][0]}..{members[-1][0]}]"
            out[node] = (e["type"], e["labels"], e["direct"], [m[1] for m in members])
    return out


def to_dot(a) -> str:
    """The analysis `a` (authority.Analysis) as DOT text."""
    from .authority import reach_table
    out = ["digraph authority {", "  rankdir=LR;", '  node [fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];']
    nodes: dict = {}  # node -> (type, owner component or None, count)
    lines: list = []
    for name, p in sorted(a.principals.items()):
        edges: dict = {}
        for row in reach_table(p):
            e = edges.setdefault(row["object"], {"type": row["type"], "labels": [], "direct": False})
            label = _label(row)
            if label and label not in e["labels"]:
                e["labels"].append(label)
            e["direct"] |= row["direct"]
        for node, (typ, labels, direct, members) in sorted(_folded(edges).items()):
            owner = members[0].split(".", 1)[0] if "." in members[0] else None
            nodes[node] = (typ, owner, len(members))
            attrs = [f"label={_id('; '.join(labels))}", f"style={'solid' if direct else 'dashed'}"]
            if typ == "SMC" and "master SMC: any function" in labels:
                attrs += ["color=red", "penwidth=3"]
            lines.append(f"  {_id('component ' + name)} -> {_id(node)} [{', '.join(attrs)}];")
    mappers: dict = defaultdict(dict)  # frame -> {component: mapping}
    for name, p in a.principals.items():
        for m in p.mapped:
            mappers[m["frame"]].setdefault(name, m)
    for frame, who in sorted(mappers.items()):
        if len(who) < 2:
            continue
        owner = frame.split(".", 1)[0] if "." in frame else None
        nodes.setdefault(frame, ("Frame", owner, 1))
        for name, m in sorted(who.items()):
            rights = "".join(RIGHT_LETTER[r] for r in m["rights"]) + ("X" if m["executable"] else "")
            at = f" at {hex(m['vaddr'])}" if m["vaddr"] is not None else ""
            lines.append(f"  {_id('component ' + name)} -> {_id(frame)} "
                         f"[label={_id('maps ' + rights + at)}, color=darkgreen, penwidth=2];")
    flows: dict = defaultdict(list)
    for f in a.flows:
        what = f["endpoint"] + (" (reply)" if f["kind"] == "reply" else "")
        if what not in flows[(f["from"], f["to"])]:
            flows[(f["from"], f["to"])].append(what)
    for (src, dst), via in sorted(flows.items()):
        lines.append(f"  {_id('component ' + src)} -> {_id('component ' + dst)} "
                     f"[label={_id('grant via ' + ', '.join(via))}, color=red, penwidth=2];")
    revokes = sorted({(who, r["object"]) for r in a.revoke for who in r["revokers"]})
    for who, obj in revokes:
        nodes.setdefault(obj, ("", obj.split(".", 1)[0] if "." in obj else None, 1))
        lines.append(f"  {_id('component ' + who)} -> {_id(obj)} "
                     f'[label="revoke", style=dotted, color=blue];')
    owners = sorted({o for _, o, _ in nodes.values() if o} | set(a.principals), key=str)
    for i, comp in enumerate(owners):
        inside = [n for n, (_, o, _) in nodes.items() if o == comp]
        out.append(f"  subgraph {_id('cluster_' + str(i))} {{")
        out.append(f"    label={_id(comp)}; style=rounded; color=gray;")
        if comp in a.principals:
            out.append(f"    {_id('component ' + comp)} [label={_id(comp)}, shape=box, style=bold];")
        for n in sorted(inside):
            out.append("    " + _node(n, *nodes[n]))
        out.append("  }")
    for n, (typ, owner, count) in sorted(nodes.items()):
        if owner is None:
            out.append("  " + _node(n, typ, owner, count))
    out += lines
    out.append(f'  legend [shape=note, fontsize=10, label="{LEGEND}"];')
    out.append("}")
    return "\n".join(out) + "\n"


def _node(node: str, typ: str, owner, count: int) -> str:
    shape = {"CNode": "folder", "SMC": "diamond", "Frame": "box3d"}.get(typ, "ellipse")
    if typ.startswith("Frame"):
        shape = "box3d"
    text = f"{node}\n{count} × {typ}" if count > 1 else f"{node}\n{typ}".rstrip()
    return f"{_id(node)} [label={_id(text)}, shape={shape}];"


def render(dot_text: str, fmt: str) -> bytes:
    """The DOT text rendered by Graphviz's `dot -T<fmt>` (svg or png); ToolError if Graphviz is
    missing or fails."""
    exe = shutil.which("dot")
    if exe is None:
        raise ToolError("Graphviz is not installed: 'dot' is not on PATH (install the Debian "
                        "package graphviz, or run ./sigil setup)", Location("dot"))
    proc = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode(), capture_output=True,
                          check=False)
    if proc.returncode != 0:
        raise ToolError(f"dot -T{fmt} failed: {proc.stderr.decode(errors='replace').strip()}",
                        Location("dot"))
    return proc.stdout
