"""Fault-injection campaigns: `./sigil scenario --campaign N --seed S` (docs/scenarios.md).

A campaign is a system generated here (spec()): the resource manager, a driver (an
administrator, tests/scenarios/campaign/driver.c) that makes N random injections drawn from the
seed S, VICTIMS victims it injects into and WITNESSES witnesses it never touches
(tests/scenarios/campaign/worker.c), a server they all lend a page to and call
(tests/scenarios/campaign/server.c, `on_fault: recover`), which the driver injects into too,
and a watcher that ends the system. The build makes the
image `campaign` (N = 1000, seed 1: the test scenario.campaign) and `bench_campaign` (the same,
booted by `./sigil bench`); other values are built on demand as `campaign_custom` from the
parameters file the command writes.

run() boots an image under `-icount shift=0` (so a seed gives the same campaign, bit for bit),
reads the driver's summary and every client's exit event, and judges: zero bytes leaked, zero
requests lost by the clients no injection targeted (the witnesses and the driver's own checks),
zero words read back wrong by the victims, accounting exact after every injection, the pool
retyped whole at the end.
"""

import os
import re
import struct
import subprocess
import sys
import time

import yaml

from . import model

VICTIMS = 24
WITNESSES = 4
SERVER_ID = 2 + VICTIMS + WITNESSES  # the last id
PARAMS_VADDR = 0x7F0000000000
STATUS_VADDR = 0x7E0000000000  # the server's status page (campaign.h CAMPAIGN_STATUS)
DEFAULT_INJECTIONS = 1000
DEFAULT_SEED = 1

SUMMARY = re.compile(r"^campaign: (\d+) injections, seed (\d+): (.*)$")
RESULT = re.compile(r"^campaign: recovered (\d+), ended (\d+); accounting exact after every "
                    r"injection: (yes|no); leaked (\d+) bytes; the driver lost (\d+) requests; "
                    r"pool retyped whole: (yes|no)$")
MIDWAY = re.compile(r"^campaign: (\d+) of (\d+) loans revoked while the server summed them$")
NO_EFFECT = re.compile(r"^campaign: (\d+) loan revokes and server faults the server did not "
                       r"recover from$")
EXIT = re.compile(r"^rm: event=exit client=(\S+) status=(\d+) ")


def params_words(injections, seed):
    with open(model.PROTOCOL, encoding="utf-8") as f:
        inj = yaml.safe_load(f)["injector"]
    values = {"tag": inj["campaign_magic"], "injections": injections, "seed": seed,
              "victims": VICTIMS, "first_victim": 2, "witnesses": WITNESSES,
              "first_witness": 2 + VICTIMS, "server": SERVER_ID}
    return [values[k] for k in inj["campaign"]]


def spec(injections, seed, manager="rm_release.elf"):
    """The campaign system's spec (a dict): with the release manager by default (the debug one,
    rm.elf, checks all of its invariants after every request, which takes as long as the
    campaign itself; the driver checks the accounting after every injection)."""
    data = b"".join(struct.pack("<Q", w) for w in params_words(injections, seed))
    # Badged: a signal ORs the badge into the notification's word, and the workers stop on a
    # non-zero word (an unbadged signal would set no bit).
    stop_read = [{"slot": 2, "cap": "stop", "rights": ["Read", "Write"], "badge": 1}]
    comps = [
        {"name": "rm", "resource_manager": True, "cspace": {"bits": 12},
         "program": {"elf": manager, "priority": 200, "max_priority": 200}},
        {"name": "driver", "cspace": {"bits": 4, "slots": [
            {"slot": 2, "cap": "stop", "rights": ["Write"], "badge": 1}]},
         "program": {"elf": "campaign_driver.elf", "priority": 50, "max_priority": 50,
                     "args": [PARAMS_VADDR]},
         "regions": [{"name": "params", "kind": "shared", "frames": ["campaign_params"],
                      "vaddr": PARAMS_VADDR, "rights": ["Read"]},
                     {"name": "status", "kind": "shared", "frames": ["server_status"],
                      "vaddr": STATUS_VADDR, "rights": ["Read"]}]},
    ]
    clients = [{"component": "driver", "id": 1, "admin": True, "memory": "4K", "objects": 4,
                "request_slot": 1}]
    # Workers learn the server's id from their argument: role | id << 8.
    for kind, count, first, arg, memory in (("victim", VICTIMS, 2, 1, "128K"),
                                            ("witness", WITNESSES, 2 + VICTIMS, 2, "32K")):
        for i in range(count):
            name = f"{kind}_{i + 1}"
            comps.append({"name": name, "cspace": {"bits": 3, "slots": stop_read},
                          "program": {"elf": "campaign_worker.elf", "priority": 50,
                                      "max_priority": 50, "args": [arg | SERVER_ID << 8]}})
            clients.append({"component": name, "id": first + i, "memory": memory,
                            "objects": 32, "request_slot": 1})
    # The server runs at the clients' priority, so that the driver can act while it is in the
    # middle of a request (it yields inside each sum).
    comps.append({"name": "server", "cspace": {"bits": 4},
                  "program": {"elf": "campaign_server.elf", "priority": 50, "max_priority": 50},
                  "regions": [{"name": "status", "kind": "shared", "frames": ["server_status"],
                               "vaddr": STATUS_VADDR, "rights": ["Read", "Write"]}]})
    clients.append({"component": "server", "id": SERVER_ID, "memory": "64K", "objects": 16,
                    "reply_objects": 1, "on_fault": "recover", "request_slot": 1})
    comps.append({"name": "watcher", "ends_system": True, "cspace": {"bits": 2},
                  "program": {"elf": "scenario_watcher.elf", "priority": 10,
                              "max_priority": 10}})
    return {"version": 1,
            "objects": [{"name": "stop", "type": "Notification"},
                        {"name": "campaign_params", "type": "Frame4K",
                         "fill": [{"offset": 0, "data": data.hex()}]},
                        {"name": "server_status", "type": "Frame4K"}],
            "components": comps, "policy": {"clients": clients}}


def write_spec(out, injections, seed, manager="rm_release.elf"):
    text = (f"# Generated by tools/sigil_scenario.py --campaign-spec: a campaign of {injections} "
            f"injections, seed {seed}. Do not edit.\n" + yaml.dump(spec(injections, seed, manager), Dumper=model.SpecDumper,
                                                           sort_keys=False))
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out)


def params_file(build):
    return os.path.join(build, "target", "systems", "campaign_custom.params")


def read_params(path):
    """(injections, seed) from a parameters file, the defaults if there is none."""
    try:
        with open(path, encoding="utf-8") as f:
            n, s = f.read().split()
        return int(n), int(s)
    except (OSError, ValueError):
        return DEFAULT_INJECTIONS, DEFAULT_SEED


class Outcome:
    def __init__(self):
        self.lines = []
        self.summary = None      # the kinds line
        self.midway = None       # the MIDWAY match
        self.no_effect = None    # loan revokes and server faults not recovered from
        self.result = None       # the RESULT match
        self.exits = {}          # client name -> status
        self.powered_off = None
        self.error = None

    def figures(self):
        r = self.result
        lost = int(r.group(5)) + sum(s for n, s in self.exits.items() if n.startswith("witness_"))
        wrong = sum(s for n, s in self.exits.items() if n.startswith("victim_"))
        return {"recovered": int(r.group(1)), "ended": int(r.group(2)),
                "accounting": r.group(3) == "yes", "leaked": int(r.group(4)), "lost": lost,
                "wrong_words": wrong, "whole": r.group(6) == "yes",
                "witnesses_done": sum(1 for n in self.exits if n.startswith("witness_"))}

    def passed(self):
        if self.error or not self.result:
            return False
        f = self.figures()
        return (f["accounting"] and f["whole"] and f["leaked"] == 0 and f["lost"] == 0 and
                self.no_effect == 0 and
                f["wrong_words"] == 0 and f["witnesses_done"] == WITNESSES)


def run(build, qemu, image, timeout=900.0):
    """Boot the campaign image under -icount; an Outcome."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import sigil_qemu  # noqa: E402
    out = Outcome()
    path = os.path.join(build, "target", "images", image + ".elf")
    if not os.path.isfile(path):
        out.error = f"no image {path}: build first (./sigil build)"
        return out
    cmd = sigil_qemu.qemu_command(qemu, path, icount=True)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as e:
        out.error = f"cannot run {cmd[0]}: {e}"
        return out
    deadline = time.monotonic() + timeout
    try:
        for raw in proc.stdout:
            line = raw.rstrip("\r\n")
            out.lines.append(line)
            m = EXIT.match(line)
            if m:
                out.exits[m.group(1)] = int(m.group(2))
            if SUMMARY.match(line):
                out.summary = line
            if MIDWAY.match(line):
                out.midway = MIDWAY.match(line)
            if NO_EFFECT.match(line):
                out.no_effect = int(NO_EFFECT.match(line).group(1))
            r = RESULT.match(line)
            if r:
                out.result = r
            p = sigil_qemu.POWER_OFF.match(line)
            if p:
                out.powered_off = int(p.group(1))
                break
            if any(f in line for f in ("*** SIGIL KERNEL EXCEPTION", "*** SIGIL PANIC",
                                       "INVARIANT BROKEN", "sigil: FAULT in thread")):
                out.error = f"the console shows a failure report: {line}"
                break
            if time.monotonic() > deadline:
                out.error = f"no end within {timeout:g} s"
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if not out.error and not out.result:
        out.error = "the driver printed no result (did it finish?)"
    return out


def report(out, injections, seed):
    """The report's text."""
    lines = [f"campaign of {injections} injections, seed {seed}"]
    if out.summary:
        lines.append("  " + out.summary.split(": ", 2)[2])
    if out.midway:
        lines.append(f"  loans revoked in the middle of a request {out.midway.group(1)} of "
                     f"{out.midway.group(2)}")
    if out.result:
        f = out.figures()
        lines += [
            f"  recovered (the target went on)          {f['recovered']}",
            f"  ended by the injection (kill or policy) {f['ended']}",
            f"  bytes leaked                            {f['leaked']}",
            f"  requests lost by untouched clients      {f['lost']}",
            f"  wrong words or answers victims got      {f['wrong_words']}",
            f"  server injections not recovered from    {'?' if out.no_effect is None else out.no_effect}",
            f"  accounting exact after every injection  {'yes' if f['accounting'] else 'no'}",
            f"  pool retyped whole at the end           {'yes' if f['whole'] else 'no'}",
            f"  witnesses that ended and reported       {f['witnesses_done']} of {WITNESSES}",
        ]
    if out.error:
        lines.append(f"  ERROR: {out.error}")
        lines += ["  ---- console, last lines ----"] + ["  " + x for x in out.lines[-15:]]
    lines.append("PASS" if out.passed() else "FAIL")
    return "\n".join(lines)


def build_custom(build, injections, seed):
    """Build the image campaign_custom for these parameters; None, or an error message."""
    path = params_file(build)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if read_params(path) != (injections, seed) or not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"{injections} {seed}\n")
    r = subprocess.run(["cmake", "--build", os.path.join(build, "target"), "--target",
                        "image-campaign_custom"], capture_output=True, text=True)
    if r.returncode != 0:
        return f"building the campaign image failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}"
    return None
