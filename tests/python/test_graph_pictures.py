"""Pictures that tell the truth (dot.py): the master SMC cap drawn apart from badged ones, shared
memory, one edge per pair for Grant flows, a legend, clusters per component, arrays folded so
that 2,000 endpoints make one node, and `graph --svg/--png` rendered by Graphviz (which
tools/debian-packages.txt installs: its absence fails these tests)."""

import shutil

from capdl import dot
from capdl.authoring import SpecBuilder
from capdl.authority import analyse, to_dot
from capdl.cli import main
from capdl.yamlio import read_spec_text
from conftest import FIXTURES
from test_authority import component, spec

SYSTEM = FIXTURES / "yaml" / "system.yaml"


def test_master_smc_is_drawn_apart(tmp_path):
    from capdl.yamlio import read_spec
    text = to_dot(analyse(read_spec(str(SYSTEM))))
    assert ('"component rm" -> "rm.psci" [label="master SMC: any function", style=dashed, '
            'color=red, penwidth=3];') in text
    assert '"component app" -> "rm.psci" [label="SMC 0x84000000", style=solid];' in text


def test_grant_flows_are_one_edge_per_pair_with_every_endpoint():
    a = analyse(spec(
        component("s", ["{slot: 1, cap: r.e1, rights: [Write, Grant]}",
                        "{slot: 2, cap: r.e2, rights: [Write, Grant]}"]),
        component("r", ["{slot: 1, cap: e1, rights: [Read]}", "{slot: 2, cap: e2, rights: [Read]}"],
                  "{name: e1, type: Endpoint};{name: e2, type: Endpoint}")))
    grants = [line for line in to_dot(a).splitlines() if "grant via" in line]
    assert grants == ['  "component s" -> "component r" [label="grant via r.e1, r.e2", color=red, '
                      'penwidth=2];']


def test_shared_memory_is_drawn():
    b = SpecBuilder()
    shm = b.frame("shm")
    for name, at in (("a", 0x10_0000), ("b", 0x20_0000)):
        c = b.component(name)
        c.address_space("vs").map(at, shm, rights=["Read", "Write"] if name == "a" else ["Read"])
        c.object("t", "TCB").obj.vspace = "vs"
    text = to_dot(analyse(b.spec))
    assert '"component a" -> "shm" [label="maps RW at 0x100000", color=darkgreen, penwidth=2];' in text
    assert '"component b" -> "shm" [label="maps R at 0x200000", color=darkgreen, penwidth=2];' in text


def test_legend_and_clusters():
    text = to_dot(analyse(spec(component("c", ["{slot: 1, cap: e}"], "{name: e, type: Endpoint}"))))
    assert 'legend [shape=note' in text and "R W G P: Read Write Grant GrantReply" in text
    assert 'subgraph "cluster_0" {\n    label="c"; style=rounded; color=gray;\n' \
           '    "component c" [label="c", shape=box, style=bold];\n' \
           '    "c.e" [label="c.e\\nEndpoint", shape=ellipse];\n  }' in text


def test_two_thousand_endpoints_fold_into_one_node(tmp_path):
    objects = ";".join(f"{{name: ep_{i}, type: Endpoint}}" for i in range(2000))
    slots = ", ".join(f"{{slot: {i}, cap: ep_{i}, rights: [Write]}}" for i in range(2000))
    text = ("version: 1\ncomponents:\n  - name: big\n    objects:\n"
            + "".join(f"      - {o}\n" for o in objects.split(";"))
            + f"    cspace: {{bits: 11, slots: [{slots}]}}\n")
    dot_text = to_dot(analyse(read_spec_text(text, "big.yaml")))
    assert '"big.ep_[0..1999]" [label="big.ep_[0..1999]\\n2000 × Endpoint", shape=ellipse];' in dot_text
    assert len(dot_text.splitlines()) < 20
    assert dot.render(dot_text, "svg").lstrip().startswith(b"<?xml")


def test_graph_svg_and_png(tmp_path, capsys, specc):
    assert main(["graph", str(SYSTEM), "--svg", "-o", str(tmp_path / "g.svg")]) == 0
    assert (tmp_path / "g.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert main(["graph", str(SYSTEM), "--png", "-o", str(tmp_path / "g.png")]) == 0
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_graphviz_is_a_clear_error(monkeypatch, capsys, specc):
    assert shutil.which("dot"), "Graphviz (tools/debian-packages.txt) is not installed"
    monkeypatch.setattr(dot.shutil, "which", lambda name: None)
    assert main(["graph", str(SYSTEM), "--svg"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "dot: Graphviz is not installed: 'dot' is not on PATH (install the Debian package "
        "graphviz, or run ./sigil setup)")
