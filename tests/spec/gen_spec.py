#!/usr/bin/env python3
"""Generate a Sigil spec with about N objects, for benchmarks and scale tests.

Each generated component is a small thread written out in the explicit form: a CSpace with
caps to its objects, an endpoint shared with the next component, a notification, a reply
object, an IPC buffer and three data frames mapped through `mappings:` (the compiler adds the
three page tables), and a TCB. Usage: gen_spec.py N [-o OUT.yaml]
"""

import argparse
import sys

import yaml

OBJECTS_PER_COMPONENT = 10  # explicit objects; the compiler adds 3 page tables to each


def component(i, count):
    peer = (i + 1) % count
    frames = [{"name": f"f{k}", "type": "Frame4K"} for k in range(3)]
    return {
        "name": f"c{i}",
        "objects": [
            {"name": "ep", "type": "Endpoint"},
            {"name": "ntfn", "type": "Notification"},
            {"name": "reply", "type": "Reply"},
            {"name": "ipc", "type": "Frame4K"},
            *frames,
            {
                "name": "vspace",
                "type": "VSpace",
                "mappings": [{"vaddr": 0x10000, "frame": "ipc"}]
                + [{"vaddr": 0x20000 + 0x1000 * k, "frame": f"f{k}"} for k in range(3)],
            },
            {
                "name": "tcb",
                "type": "TCB",
                "cspace": {"cap": "cspace", "guard_size": 60},
                "vspace": "vspace",
                "ipc_buffer": {"frame": "ipc", "vaddr": 0x10000},
                "entry": 0x400000,
                "stack": 0x30000,
                "priority": 100,
                "max_priority": 100,
                "start": False,
            },
        ],
        "cspace": {
            "bits": 4,
            "slots": [
                {"slot": 1, "cap": "tcb"},
                {"slot": 2, "cap": "ep", "rights": ["Read", "Write", "Grant"]},
                {"slot": 3, "cap": f"c{peer}.ep", "rights": ["Write"], "badge": i + 1},
                {"slot": 4, "cap": "ntfn", "rights": ["Read"]},
                {"slot": 5, "cap": "reply"},
                {"slot": 6, "cap": "cspace", "guard_size": 60},
            ],
        },
    }


def generate(n):
    count = max(1, n // OBJECTS_PER_COMPONENT)
    return {"version": 1, "components": [component(i, count) for i in range(count)]}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of objects (rounded to whole components)")
    ap.add_argument("-o", "--output", help="output file (default: stdout)")
    args = ap.parse_args(argv)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(generate(args.n), Dumper=dumper, sort_keys=False, width=120)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
