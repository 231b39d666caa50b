#!/usr/bin/env python3
"""Build and boot docs/libsigil.md's walkthrough exactly as the page shows it.

The page's code blocks whose info string names a file (```c file=greeter/main.c) are the
user's folder; this test writes them into a temporary directory outside Sigil's tree, runs
the page's `./sigil run ../mysystem/system.yaml` command with that folder instead, and
requires every line of the page's ```console block, in order, as whole console lines, and
exit status 0; then `./sigil spec check` on the folder's spec must pass (the spec tools find
the programs built from the folder). So a user's system builds from its own folder (programs
found from the spec: a directory `greeter/` and a single file `caller.c`), and the page cannot
drift from the code.

Usage: walkthrough.py SIGIL_ROOT BUILD_DIR DOC.md
"""

import os
import pathlib
import re
import subprocess
import sys
import tempfile

BLOCK = re.compile(r"^```(\S*)(?: file=(\S+))?\n(.*?)^```$", re.M | re.S)


def read_doc(doc):
    files, commands, console = {}, [], None
    for lang, name, body in BLOCK.findall(doc.read_text(encoding="utf-8")):
        if name:
            files[name] = body
        elif lang == "sh":
            commands += [l for l in body.splitlines() if l.startswith("./sigil run ")]
        elif lang == "console":
            console = body.splitlines()
    return files, commands, console


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, build, doc = (pathlib.Path(a).resolve() for a in argv)
    files, commands, console = read_doc(doc)
    if not files or len(commands) != 1 or not console:
        print(f"{doc}: expected file blocks, one `./sigil run` command and a console block "
              f"(found {len(files)} files, {len(commands)} commands)", file=sys.stderr)
        return 1
    # `./sigil run ../mysystem/system.yaml`: the folder is `mysystem`, the spec `system.yaml`.
    spec_arg = commands[0].split()[-1]
    folder_name, spec_name = pathlib.PurePosixPath(spec_arg).parent.name, pathlib.PurePosixPath(spec_arg).name
    with tempfile.TemporaryDirectory(prefix="sigil-walkthrough-") as tmp:
        folder = pathlib.Path(tmp) / folder_name
        for name, body in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        cmd = [str(root / "sigil"), "run", "--timeout", "120", str(folder / spec_name)]
        env = dict(os.environ, SIGIL_BUILD_DIR=str(build))
        result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True,
                                timeout=840)
        # The spec tools find the programs built from the folder too.
        check = subprocess.run([str(root / "sigil"), "spec", "check", str(folder / spec_name)],
                               cwd=root, env=env, capture_output=True, text=True, timeout=120)
    lines = [l.rstrip("\r") for l in result.stdout.splitlines()]
    at, missing = 0, None
    for want in console:
        try:
            at = lines.index(want, at) + 1
        except ValueError:
            missing = want
            break
    if result.returncode != 0 or missing is not None:
        print(result.stdout + result.stderr)
        print(f"walkthrough: exit status {result.returncode}"
              + (f"; missing (in order): {missing!r}" if missing is not None else ""),
              file=sys.stderr)
        return 1
    if check.returncode != 0:
        print(check.stdout + check.stderr)
        print(f"walkthrough: ./sigil spec check on the folder's spec: exit status "
              f"{check.returncode}", file=sys.stderr)
        return 1
    print(f"walkthrough: {len(files)} files built from {folder_name}/, {len(console)} console "
          "lines as the page shows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
