#!/usr/bin/env python3
"""A generated system of about N objects for the loader's scale test and benchmarks.

The objects come from tests/spec/gen_spec.py (components of endpoints, notifications, reply
objects, frames, page tables, CNodes and TCBs that are never started); one more component runs
`hello.elf` (with the clock region specs/hello.yaml gives it), which prints and powers the
machine off once the loader is done.
Usage: gen_system.py N -o OUT.yaml
"""

import argparse
import os
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec"))
import gen_spec  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("objects", type=int)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    spec = gen_spec.generate(args.objects)
    spec["components"].append({
        "name": "finish",
        "cspace": {"bits": 1, "slots": []},
        "program": {"elf": "hello.elf", "priority": 1, "max_priority": 1},
        "regions": [{"name": "rtc", "kind": "device", "vaddr": 0x10000000, "paddr": 0x09010000,
                     "size": "4K"}],
    })
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with open(args.output, "w", encoding="utf-8") as f:
        yaml.dump(spec, f, Dumper=dumper, sort_keys=False, width=120)


if __name__ == "__main__":
    main()
