"""Shared helpers for the capdl package tests.

FIXTURES holds hand-written inputs: fixtures/cdl/roundtrip (valid capDL that must survive
.cdl -> YAML -> .cdl), fixtures/cdl/errors (one file per import error, last line
`-- expect: LINE: PATH: MESSAGE`), fixtures/cdl/warnings (`-- expect-warning:` lines) and
fixtures/yaml (YAML specs; bad ones carry `# expect:` lines).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent.parent
FIXTURES = TESTS / "fixtures"
sys.path.insert(0, str(REPO / "tools"))

from capdl import compiler  # noqa: E402


def expectations(path: Path, marker: str) -> list:
    """The text after `marker` on each line of a fixture that has it."""
    return [line.split(marker, 1)[1].strip() for line in path.read_text().splitlines() if marker in line]


def fixture_files(sub: str, suffix: str) -> list:
    return sorted((FIXTURES / sub).glob(f"*{suffix}"))


def specc_or_skip():
    """The compiler's path. Run by ctest (SIGIL_BUILD_DIR set) it must be that build's compiler,
    and its absence fails the test; run by hand without a build, the test is skipped, saying why."""
    build = os.environ.get("SIGIL_BUILD_DIR")
    if build:
        path = Path(build) / "bin" / "sigil-specc"
        assert path.is_file(), f"the build under test has no compiler at {path}"
        return path
    try:
        return compiler.find_compiler()
    except compiler.ToolError as err:
        pytest.skip(err.message)


@pytest.fixture
def specc():
    return specc_or_skip()


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch):
    """Tests must not depend on a developer's SIGIL_ABI_YAML."""
    monkeypatch.delenv("SIGIL_ABI_YAML", raising=False)
    yield


def ids(paths: list) -> list:
    return [p.stem for p in paths]


os.environ.setdefault("PYTHONHASHSEED", "0")
