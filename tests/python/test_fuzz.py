"""Mutation fuzzing of the Python spec tools, as the compiler's inputs are fuzzed: every
hand-written .cdl and YAML input of the repository, mutated thousands of times by a seeded
generator (deterministic: the same inputs on every run, bounded in size and so in time), goes
through the whole pipeline a command runs — read or parse, import, authority analysis with its
three renderings, the warnings, export and printing. Any exception other than a SpecError (a
located message) fails the test and names the mutation that caused it."""

import random
import traceback

import pytest

from capdl.authority import analyse, to_dot, to_json, to_text
from capdl.cdl import parse_cdl, print_cdl
from capdl.cdl.exporter import export_cdl
from capdl.cdl.importer import import_cdl
from capdl.errors import SpecError
from capdl.lint import call_warnings
from capdl.yamlio import read_spec_text, write_spec_text
from conftest import FIXTURES, REPO

YAML_SEEDS = sorted([*(FIXTURES / "yaml").rglob("*.yaml"), *(REPO / "specs").glob("*.yaml"),
                     *(FIXTURES / "lint").glob("*.yaml"), *(REPO / "tests/spec/examples").glob("*.yaml")])
CDL_SEEDS = sorted((FIXTURES / "cdl").rglob("*.cdl"))
PER_SEED = 60  # mutated inputs per seed file and generator run
TOKENS = ["[", "]", "{", "}", ":", ",", "-", "- ", "#", "'", '"', "\n", "  ", "0", "0x", "..",
          "=", "(", ")", "/*", "*/", "--", "99999999999999999999999", "-1", "1e9", "&a ", "*a",
          "null", "~", "yes", "[0..]", "[100000000]", "!!str ", "\t", "\x00", "é", "%YAML 1.2\n"]


def mutate(text: str, rng: random.Random) -> str:
    """One to four random edits: insert a token, delete, duplicate or move a span, nest."""
    for _ in range(rng.randint(1, 4)):
        n = len(text)
        at = rng.randrange(n + 1)
        kind = rng.randrange(6)
        if kind == 0:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif kind == 2:
            span = text[at:at + rng.randint(1, 200)]
            text = text[:at] + span * rng.randint(2, 5) + text[at:]
        elif kind == 3:
            depth = rng.choice([2, 30, 70, 3000])
            text = text[:at] + rng.choice("[{(") * depth + text[at:]
        elif kind == 4 and n:
            b = rng.randrange(n)
            text = text[:at] + text[b:b + 80] + text[at:]
        elif n:
            text = text[:at] + chr(rng.randrange(32, 127)) + text[at + 1:]
    return text


def through_everything(spec, name: str) -> None:
    analysis = analyse(spec)
    to_text(analysis), to_json(analysis), to_dot(analysis)
    call_warnings(spec, analysis)
    write_spec_text(spec, name)
    model, _ = export_cdl(spec)
    print_cdl(model, name)


def run_yaml(text: str, name: str) -> None:
    through_everything(read_spec_text(text, name), name)


def run_cdl(text: str, name: str) -> None:
    spec, _ = import_cdl(parse_cdl(text, name))
    through_everything(spec, name)


def fuzz(seed_path, runner) -> int:
    rng = random.Random(seed_path.name)
    original = seed_path.read_text()
    rejected = 0
    for i in range(PER_SEED):
        text = mutate(original, rng)
        try:
            runner(text, f"{seed_path.stem}-{i}")
        except SpecError as err:
            rejected += 1
            assert str(err), "an error with no message"
        except Exception:  # noqa: BLE001 - anything but a located error is the bug looked for
            pytest.fail(f"mutation {i} of {seed_path.name} raised:\n{traceback.format_exc()}\n"
                        f"input:\n{text[:2000]}")
    return rejected


@pytest.mark.parametrize("seed_path", YAML_SEEDS, ids=lambda p: p.name)
def test_mutated_yaml(seed_path):
    fuzz(seed_path, run_yaml)


@pytest.mark.parametrize("seed_path", CDL_SEEDS, ids=lambda p: p.name)
def test_mutated_cdl(seed_path):
    fuzz(seed_path, run_cdl)


def test_the_seeds_are_there():
    assert len(YAML_SEEDS) >= 20 and len(CDL_SEEDS) >= 20
