"""The front door's behaviour: `./sigil COMMAND --help`, refused arguments, clear errors, and
`./sigil run` naming the system it boots (docs/getting-started.md).

Nothing here builds: help and argument errors are answered before any build, and the boot uses
`--no-build` on the build directory the suite runs in (SIGIL_BUILD_DIR).
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIGIL = str(ROOT / "sigil")
COMMANDS = ["setup", "build", "run", "test", "bench", "scenario"]


def sigil(*args, timeout=60):
    env = dict(os.environ)
    env.setdefault("SIGIL_BUILD_DIR", str(ROOT / "build"))
    return subprocess.run([SIGIL, *args], capture_output=True, text=True, timeout=timeout,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("cmd", COMMANDS)
def test_command_help_is_that_commands_help(cmd):
    for flag in ("--help", "-h"):
        r = sigil(cmd, flag)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith(f"usage: ./sigil {cmd}"), r.stdout
        assert r.stderr == ""  # nothing was built


def test_overall_help_shows_every_command():
    r = sigil("--help")
    assert r.returncode == 0
    for cmd in COMMANDS + ["spec"]:
        assert f"  usage: ./sigil {cmd}" in r.stdout


def test_help_after_other_arguments():
    r = sigil("run", "--gdb", "--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: ./sigil run")


@pytest.mark.parametrize("args, message", [
    (["test", "fdt"],
     "sigil: test: unexpected argument 'fdt' (to run the tests whose name matches it: "
     "./sigil test -R fdt)"),
    (["test", "--bogus"],
     "sigil: test: unknown option --bogus (./sigil test --help lists the options; other ctest "
     "options go after --)"),
    (["test", "-R"], "sigil: test: -R needs a value (see ./sigil test --help)"),
    (["test", "-L", "--", "qemu"], "sigil: test: -L needs a value (see ./sigil test --help)"),
    (["run", "--timeout", "abc"],
     "sigil: run: --timeout takes a positive number of seconds, not 'abc'"),
    (["run", "--timeout", "0"], "sigil: run: --timeout takes a positive number of seconds, not '0'"),
    (["run", "--timeout"], "sigil: run: --timeout needs a value in seconds"),
    (["run", "--frobnicate"], "sigil: run: unknown option --frobnicate (see ./sigil run --help)"),
    (["run", "a", "b"], "sigil: run: one system at a time ('a' and 'b')"),
    (["run", "nosuch/spec.yaml"], "sigil: unknown spec file: nosuch/spec.yaml (no such file)"),
    (["build", "extra"], "sigil: build takes no arguments"),
    (["setup", "extra"], "sigil: setup takes no arguments"),
])
def test_bad_arguments_are_refused_before_building(args, message):
    r = sigil(*args)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [message]


def test_unknown_command():
    r = sigil("frobnicate")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == "sigil: unknown command: frobnicate"


def test_run_names_the_system_it_boots():
    build = Path(os.environ.get("SIGIL_BUILD_DIR", ROOT / "build"))
    image = build / "target" / "images" / "rm-demo.elf"
    shown = os.path.relpath(image, ROOT) if image.is_relative_to(ROOT) else str(image)
    r = sigil("run", "--no-build", "--timeout", "120", timeout=200)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr.splitlines()[0] == (
        f"sigil: booting the resource manager's demo, specs/rm-demo.yaml ({shown}) in QEMU; it "
        "ends when the system powers off")
    assert "rm-admin: the demo ends well" in r.stdout


def test_run_no_build_of_an_outside_spec_is_refused(tmp_path):
    spec = tmp_path / "mine.yaml"
    spec.write_text("version: 1\n")
    r = sigil("run", "--no-build", str(spec))
    assert r.returncode == 1
    assert r.stderr.strip() == ("sigil: run: a spec outside specs/ is built when it runs: "
                                "drop --no-build")
