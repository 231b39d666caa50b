"""Running a checked scenario: boot its image, read the console, judge each step in order.

Each expectation must be met by a console line after the line that met the step before, within
the step's budget (`within`): seconds of CPU time QEMU spends from that line on, not of host
time, so a busy host (which only makes QEMU wait for a CPU) never uses a budget up; a spinning or
working system does. The scenario's `timeout` is host time, the bound of the whole run. A step
fails

  - by its budget: no line met it in time;
  - by a wrong value: the event it waits for came (same kind and client) with other values, e.g.
    `exit` of `worker` with status=0 when the step says status=1;
  - by the system ending first: it powered off (or QEMU exited) before the step was met;
  - by a failure report: a kernel panic or exception, or a fault report no step expected;
  - by its injection's result: an injection step is met when the injector announces it (so that
    the events it causes can meet the steps after it), and fails if the injector's result for it
    is not Ok, or never comes: after the last step the runner reads on until every injection
    has its result, within the last step's budget.

Console lines are kept with the time they arrived; the report shows the step table and, for a
failure, the console lines around it. Manager events are `rm: event=<kind> key=value ...`.
"""

import os
import re
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import sigil_qemu  # noqa: E402

EVENT = re.compile(r"^rm: event=(\S+)((?: \S+=\S*)*)\s*$")
FAULT = re.compile(r"^sigil: FAULT in thread '([^']*)'")
POWER_OFF = sigil_qemu.POWER_OFF
# The injector announces each step, then gives its result (tests/scenarios/injector/injector.c).
INJECTING = re.compile(r"^injector: step (\d+): (\S+)(?: client \d+)?$")
INJECTED = re.compile(r"^injector: step (\d+): (\S+)(?: client \d+)?: (\w+)")
FATAL = ("*** SIGIL KERNEL EXCEPTION", "*** SIGIL PANIC", "injector: no valid script",
         "injector: record ")


def cpu_seconds(pid):
    """CPU time (user + system, all threads) the process has used so far, in seconds."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3; utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Line:
    def __init__(self, number, t, text):
        self.number = number        # 1-based console line number
        self.t = t                  # seconds since QEMU started
        self.text = text


class StepResult:
    def __init__(self, step):
        self.step = step
        self.passed = None          # True, False, or None (not reached)
        self.line = None            # the Line that met it
        self.reason = ""
        self.t = None


class RunResult:
    def __init__(self, scenario):
        self.scenario = scenario
        self.steps = [StepResult(s) for s in scenario.steps]
        self.lines = []
        self.seconds = 0.0
        self.error = None           # a failure not tied to a step (cannot boot)

    @property
    def passed(self):
        return self.error is None and all(s.passed for s in self.steps)

    @property
    def failed_step(self):
        return next((s for s in self.steps if s.passed is False), None)


def parse_event(text):
    """(kind, {key: value string}) of a manager event line, or None."""
    m = EVENT.match(text)
    if not m:
        return None
    keys = dict(kv.split("=", 1) for kv in m.group(2).split())
    return m.group(1), keys


def _value(kind, text):
    if kind == "int":
        return int(text, 10)
    if kind == "hex":
        return int(text, 16)
    return text


def judge(step, text):
    """("pass" | "wrong" | None, reason) for one console line against an expectation."""
    f = step.fields
    what = f["what"]
    if step.kind == "inject":
        m = INJECTING.match(text)
        return ("pass", "") if m and int(m.group(1)) == step.index else (None, "")
    if what == "output":
        return ("pass", "") if re.search(f["line"], text) else (None, "")
    if what == "fault":
        m = FAULT.match(text)
        # The loader names a component's thread after it (`NAME.tcb` for a program's).
        thread = m.group(1) if m else None
        same = thread in (f["component"], f["component"] + ".tcb")
        return ("pass", "") if same else (None, "")
    if what == "power_off":
        m = POWER_OFF.match(text)
        if not m:
            return None, ""
        status = int(m.group(1))
        if status == f["status"]:
            return "pass", ""
        return "wrong", f"the system powered off with status {status}, not {f['status']}"
    ev = parse_event(text)
    if ev is None or ev[0] != f["event"]:
        return None, ""
    kind, got = ev
    diffs, same_subject = [], True
    for key, want in f["keys"].items():
        try:
            value = _value(f["kinds"].get(key), got[key]) if key in got else None
        except ValueError:
            value = got[key]
        if value != want:
            shown = got.get(key, "(missing)")
            diffs.append(f"{key}={shown} (expected {want})")
            if f["kinds"].get(key) == "name":
                same_subject = False
    if not diffs:
        return "pass", ""
    if same_subject:
        return "wrong", f"event {kind} came with {', '.join(diffs)}"
    return None, ""


def boot_command(build, qemu, image):
    path = os.path.join(build, "target", "images", image + ".elf")
    if not os.path.isfile(path):
        return None, f"no image {path}: build first (./sigil build)"
    return sigil_qemu.qemu_command(qemu, path), None


def run(scenario, build, qemu, echo=False):
    """Boot the scenario's image and judge its steps; returns a RunResult."""
    result = RunResult(scenario)
    cmd, error = boot_command(build, qemu, scenario.image)
    if cmd is None:
        result.error = error
        return result
    start = time.monotonic()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
    except OSError as e:
        result.error = f"cannot run {cmd[0]}: {e}"
        return result
    index, buf, ended = 0, b"", None
    pending = {}  # injection steps announced and still without a result: step index -> result
    cpu_since = 0.0  # QEMU's CPU time when the step before was met
    deadline_all = start + scenario.timeout
    try:
        while (index < len(result.steps) or pending) and ended is None:
            now = time.monotonic()
            waiting = index == len(result.steps)  # only for injection results
            step = pending[min(pending)] if waiting else result.steps[index]
            within = result.steps[-1].step.within if waiting else step.step.within
            if cpu_seconds(proc.pid) - cpu_since >= within:
                step.passed = False
                step.reason = (f"its injection's result did not come within {within:g} s"
                               if waiting else f"not met within its budget of {within:g} s")
                break
            if now >= deadline_all:
                step.passed = False
                step.reason = (f"the scenario's whole timeout ({scenario.timeout:g} s of host "
                               "time) ran out before this step was met")
                break
            ready, _, _ = select.select([proc.stdout], [], [], min(0.1, deadline_all - now))
            if not ready:
                if proc.poll() is not None:
                    ended = f"QEMU exited (status {proc.returncode}) before this step was met"
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                ended = "QEMU exited before this step was met"
                continue
            if echo:
                sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
            buf += chunk
            while b"\n" in buf and (index < len(result.steps) or pending):
                raw, buf = buf.split(b"\n", 1)
                t = time.monotonic() - start
                line = Line(len(result.lines) + 1, t, raw.decode("utf-8", "replace").rstrip("\r"))
                result.lines.append(line)
                done = INJECTED.match(line.text)
                injected = pending.pop(int(done.group(1)), None) if done else None
                if index < len(result.steps):
                    sr = result.steps[index]
                    verdict, reason = judge(sr.step, line.text)
                    if verdict == "pass":  # (a step may expect the injector's result line)
                        sr.passed, sr.line, sr.t = True, line, t
                        cpu_since = cpu_seconds(proc.pid)
                        if sr.step.kind == "inject":
                            pending[sr.step.index] = sr
                        index += 1
                        continue
                    if verdict == "wrong":
                        sr.passed, sr.line, sr.t, sr.reason = False, line, t, reason
                        ended = "failed"
                        break
                else:
                    sr = injected or pending[min(pending)]
                if injected and done.group(3) != "Ok":
                    sr.passed, sr.line, sr.t = False, line, t
                    sr.reason = (f"injection step {done.group(1)} ({done.group(2)}) was "
                                 f"answered {done.group(3)}")
                    ended = "failed"
                    break
                if injected:
                    continue
                fatal = next((m for m in FATAL if m in line.text), None)
                if fatal or FAULT.match(line.text):
                    sr.passed, sr.line, sr.t = False, line, t
                    sr.reason = f"the console shows a failure report: {line.text.strip()}"
                    ended = "failed"
                    break
                m = POWER_OFF.match(line.text)
                if m:
                    what = "its injection's result came" if index == len(result.steps) else \
                        "this step was met"
                    ended = f"the system powered off (status {m.group(1)}) before {what}"
                    break
        if ended not in (None, "failed") and (index < len(result.steps) or pending):
            sr = result.steps[index] if index < len(result.steps) else pending[min(pending)]
            sr.passed = False
            sr.reason = ended
        # Keep what the console says a moment longer, for the excerpt and the timeline.
        grace = time.monotonic() + 0.5
        while proc.poll() is None and time.monotonic() < grace:
            ready, _, _ = select.select([proc.stdout], [], [], 0.1)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
        for raw in buf.split(b"\n"):
            if raw:
                result.lines.append(Line(len(result.lines) + 1, time.monotonic() - start,
                                         raw.decode("utf-8", "replace").rstrip("\r")))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        result.seconds = time.monotonic() - start
    return result
