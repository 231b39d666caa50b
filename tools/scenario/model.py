"""The scenario format and its compiler: a YAML file in, a checked Scenario out, or located errors.

A scenario names the system it runs and an ordered list of steps (docs/scenarios.md):

    scenario: faults-recover            # optional; default: the file's name
    description: ...
    system: specs/faults.yaml           # a spec the build turns into an image of the same name
    # image: hang                       # or an image of build/target/images with no spec
    timeout: 300                        # the whole run, seconds of host time (default 300)
    steps:
      - {expect: output, line: '^faulter: writing to 0x[0-9a-f]+', within: 10}
      - {expect: event, event: exit, client: worker, status: 0}
      - {expect: fault, component: crasher}
      - {expect: power_off, status: 0}
      - {inject: kill, client: victim}

Every error names the file and line of the field at fault: an unknown step kind, component,
client, cap or event, an event key the protocol does not define or a value of the wrong kind, a
bad regular expression, an injection aimed at a component the resource manager has no authority
over (not a client of its policy). Events and their keys come from the manager's protocol
description (resource-manager/protocol.yaml, `events:`), never from a list of our own.
"""

import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTOCOL = os.path.join(ROOT, "resource-manager", "protocol.yaml")
DEFAULT_WITHIN = 10.0
DEFAULT_TIMEOUT = 300.0

EXPECT_KINDS = ("output", "event", "fault", "power_off")
COMMON_FIELDS = ("name", "within")
INJECTOR = "injector"  # the component the build adds to a system for its injections
# Injection steps may also say when (`when:`, below); the rest of their fields come from the
# protocol description's `injector: ops:` (protocol_injector()).
INJECT_COMMON = COMMON_FIELDS + ("when",)

class SpecDumper(yaml.SafeDumper):
    """Writes generated specs: no anchors or aliases (the spec compiler refuses them)."""

    def ignore_aliases(self, data):
        return True


class ScenarioError(Exception):
    """One or more `file:line: message` errors."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


class LocDict(dict):
    """A YAML mapping that remembers the line of each key (1-based) and its own."""

    line = 0
    key_lines = None

    def at(self, key):
        return (self.key_lines or {}).get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    d = LocDict()
    d.line = node.start_mark.line + 1
    d.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        d[key] = loader.construct_object(value_node, deep=True)
        d.key_lines[key] = key_node.start_mark.line + 1
    return d


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path):
    """The YAML document at path, mappings as LocDict; a syntax error is a ScenarioError."""
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=_Loader)
    except OSError as e:
        raise ScenarioError([f"{path}: cannot read: {e.strerror}"]) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ScenarioError([f"{path}:{line}: not valid YAML: {getattr(e, 'problem', e)}"]) from e


def protocol_events(path=PROTOCOL):
    """{event kind: {key: kind}} from the manager's protocol description ({} if it has none)."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    return {name: dict((ev or {}).get("keys") or {}) for name, ev in (doc.get("events") or {}).items()}


def protocol_injector(path=PROTOCOL):
    """(ops, stats): {injection: {code, fields}} and the statistics names, from the manager's
    protocol description ({} and [] if it has none)."""
    if not os.path.exists(path):
        return {}, []
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    inj = doc.get("injector") or {}
    ops = {name: {"code": op["code"], "fields": list(op.get("fields") or [])}
           for name, op in (inj.get("ops") or {}).items()}
    return ops, list(doc.get("stats") or [])


class Step:
    """One checked step: an expectation (kind in EXPECT_KINDS) or an injection (protocol_injector())."""

    def __init__(self, index, line, kind, fields, within, label):
        self.index = index          # 1-based
        self.line = line
        self.kind = kind            # "expect" or "inject"
        self.fields = fields        # the step's own fields (what, event, client, ...)
        self.within = within
        self.label = label

    @property
    def what(self):
        return self.fields["what"]

    def describe(self):
        """A one-line description for tables and reports."""
        f = self.fields
        if self.kind == "inject":
            target = f.get("client", "")
            extra = "".join(f" {k} {f[k]}" for k in ("server", "cap", "pages", "requests")
                            if k in f)
            return f"inject {f['what']} {target}{extra}".replace("  ", " ").strip()
        if f["what"] == "output":
            return f"output /{f['line']}/"
        if f["what"] == "event":
            keys = " ".join(f"{k}={v}" for k, v in f["keys"].items())
            return f"event {f['event']} {keys}".strip()
        if f["what"] == "fault":
            return f"fault of {f['component']}"
        return f"power off, status {f['status']}"


class Scenario:
    def __init__(self, path, name, description, system, image, timeout, steps, components,
                 injector_priority=None):
        self.path = path
        self.name = name
        self.description = description
        self.system = system        # the spec path, or None for a bare image
        self.image = image          # image name under build/target/images
        self.timeout = timeout
        self.steps = steps
        self.components = components
        # With injections the runner boots the system the build derived from the spec with the
        # injector added (tools/scenario/derive.py): image scenario_<name>; base_image is the
        # spec's own.
        self.base_image = image
        self.injector_priority = injector_priority
        if any(s.kind == "inject" for s in steps):
            self.image = derived_image(name)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _spec_facts(spec_path, where, errors):
    """(component names, {policy client name: its policy entry}, {component: cap names}) of a
    spec."""
    try:
        spec = load_yaml(spec_path)
    except ScenarioError as e:
        errors.append(f"{where}: the system's spec cannot be read: {e.errors[0]}")
        return set(), {}, {}
    comps, caps = set(), {}
    for comp in (spec or {}).get("components") or []:
        if not isinstance(comp, dict) or "name" not in comp:
            continue
        name = comp["name"]
        comps.add(name)
        names = {o.get("name") for o in comp.get("objects") or [] if isinstance(o, dict)}
        cspace = comp.get("cspace") or {}
        for slot in (cspace.get("slots") or []) if isinstance(cspace, dict) else []:
            if isinstance(slot, dict) and slot.get("cap"):
                names.add(str(slot["cap"]))
                names.add(str(slot["cap"]).split(".")[-1])
        caps[name] = {n for n in names if n}
    clients = {}
    policy = (spec or {}).get("policy") or {}
    for client in (policy.get("clients") or []) if isinstance(policy, dict) else []:
        if isinstance(client, dict) and client.get("component"):
            clients[client["component"]] = client
    return comps, clients, caps


def _check_event(i, step, path, events, comps, errors):
    ev = step.get("event")
    where = f"{path}:{step.at('event')}: step {i}"
    if not events:
        errors.append(f"{where}: no events are defined (resource-manager/protocol.yaml has no "
                      "`events:`)")
        return None
    if ev not in events:
        errors.append(f"{where}: unknown event '{ev}' (the protocol defines: "
                      f"{', '.join(sorted(events))})")
        return None
    keys = {}
    for key, value in step.items():
        if key in ("expect", "event") or key in COMMON_FIELDS:
            continue
        kwhere = f"{path}:{step.at(key)}: step {i}"
        kind = events[ev].get(key)
        if kind is None:
            errors.append(f"{kwhere}: event '{ev}' has no key '{key}' (it has: "
                          f"{', '.join(events[ev]) or 'none'})")
        elif kind == "name":
            if not isinstance(value, str) or (comps is not None and value not in comps):
                errors.append(f"{kwhere}: {key}: '{value}' is not a component of the system")
            else:
                keys[key] = value
        elif kind == "word":
            if not isinstance(value, str) or not re.match(r"^\S+$", value):
                errors.append(f"{kwhere}: {key}: '{value}' is not one word")
            else:
                keys[key] = value
        elif kind in ("int", "hex"):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors.append(f"{kwhere}: {key}: '{value}' is not a number")
            else:
                keys[key] = value
        else:
            keys[key] = value
    return {"what": "event", "event": ev, "keys": keys, "kinds": events[ev]}


def _check_when(i, step, path, comps, clients, stats, errors):
    """The checked `when:` of an injection: None (at once), or {client, stat, value}."""
    when = step.get("when")
    if when is None:
        return None
    where = f"{path}:{step.at('when')}: step {i}: when"
    if not isinstance(when, LocDict) or "client" not in when or len(when) != 2:
        errors.append(f"{where}: needs `client:` and one condition: `ended: true` or a "
                      f"statistic and the value it must reach ({', '.join(stats)})")
        return None
    client = when["client"]
    if comps is not None and client not in clients:
        errors.append(f"{path}:{when.at('client')}: step {i}: when: '{client}' is not a client of "
                      "the resource manager's policy")
    key = next(k for k in when if k != "client")
    value = when[key]
    if key == "ended":
        if value is not True:
            errors.append(f"{path}:{when.at(key)}: step {i}: when: ended must be true")
        return {"client": client, "stat": "ended", "value": 1}
    if key not in stats:
        errors.append(f"{path}:{when.at(key)}: step {i}: when: unknown condition '{key}' (known: "
                      f"ended, {', '.join(stats)})")
    elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors.append(f"{path}:{when.at(key)}: step {i}: when: {key}: '{value}' is not a number")
    return {"client": client, "stat": key, "value": value}


def _check_server(i, step, path, fields, comps, clients, errors):
    """The `server:` of a lend_revoke: a client of the policy that can serve (Serve needs a
    reply object from its `reply_objects:` allowance), other than the lender."""
    server = fields["server"]
    where = f"{path}:{step.at('server')}: step {i}"
    if server not in comps:
        errors.append(f"{where}: unknown component '{server}'")
    elif server not in clients:
        errors.append(f"{where}: the injector has no authority over '{server}': it is not a "
                      "client of the resource manager's policy")
    elif not isinstance(clients[server].get("reply_objects", 0), int) or \
            clients[server].get("reply_objects", 0) < 1:
        errors.append(f"{where}: '{server}' is not a server: its policy entry allows it no reply "
                      "object (`reply_objects:`), which Serve needs")
    elif server == fields.get("client"):
        errors.append(f"{where}: '{server}' cannot have lent to itself (client and server are "
                      "the same)")


def _check_injection(i, step, path, comps, clients, caps, within, label, errors):
    ops, stats = protocol_injector()
    where = f"{path}:{step.line}"
    what = step["inject"]
    if what not in ops:
        errors.append(f"{path}:{step.at('inject')}: step {i}: unknown injection '{what}' "
                      f"(known: {', '.join(ops) or 'none: protocol.yaml has no injector'})")
        return None
    need = tuple(ops[what]["fields"])
    fields = {"what": what}
    for key in step:
        if key not in ("inject",) + need + INJECT_COMMON:
            errors.append(f"{path}:{step.at(key)}: step {i}: injection '{what}' takes no "
                          f"field '{key}'")
    for key in need:
        if key not in step:
            errors.append(f"{where}: step {i}: injection '{what}' needs `{key}:`")
            return None
        fields[key] = step[key]
    for key in ("pages", "requests"):
        if key in fields and (not isinstance(fields[key], int) or isinstance(fields[key], bool)
                              or fields[key] <= 0):
            errors.append(f"{path}:{step.at(key)}: step {i}: {key}: '{fields[key]}' is not a "
                          "positive number")
    if comps is None:
        errors.append(f"{where}: step {i}: an injection needs a `system:` spec (its target "
                      "must be a client of the manager's policy)")
    elif "client" in fields:
        client = fields["client"]
        if client not in comps:
            errors.append(f"{path}:{step.at('client')}: step {i}: unknown component '{client}'")
        elif client not in clients:
            errors.append(f"{path}:{step.at('client')}: step {i}: the injector has no authority "
                          f"over '{client}': it is not a client of the resource manager's policy")
        elif "cap" in fields and fields["cap"] not in caps.get(client, set()):
            errors.append(f"{path}:{step.at('cap')}: step {i}: component '{client}' has no cap "
                          f"'{fields['cap']}'")
    if comps is not None and "server" in fields:
        _check_server(i, step, path, fields, comps, clients, errors)
    fields["when"] = _check_when(i, step, path, comps, clients, stats, errors)
    return Step(i, step.line, "inject", fields, float(within), label)


def _check_step(i, step, path, events, comps, clients, caps, errors):
    where = f"{path}:{step.line}"
    kinds = [k for k in ("expect", "inject") if k in step]
    if len(kinds) != 1:
        errors.append(f"{where}: step {i}: needs exactly one of `expect:` or `inject:`")
        return None
    within = step.get("within", DEFAULT_WITHIN)
    if not _number(within):
        errors.append(f"{path}:{step.at('within')}: step {i}: within: '{within}' is not a "
                      "positive number of seconds")
        within = DEFAULT_WITHIN
    label = step.get("name")
    if kinds[0] == "inject":
        return _check_injection(i, step, path, comps, clients, caps, within, label, errors)
    what = step["expect"]
    if what not in EXPECT_KINDS:
        errors.append(f"{path}:{step.at('expect')}: step {i}: unknown expectation '{what}' "
                      f"(known: {', '.join(EXPECT_KINDS)})")
        return None
    allowed = {"output": ("line", "component"), "fault": ("component",),
               "power_off": ("status",), "event": None}[what]
    if allowed is not None:
        for key in step:
            if key not in ("expect",) + allowed + COMMON_FIELDS:
                errors.append(f"{path}:{step.at(key)}: step {i}: `expect: {what}` takes no "
                              f"field '{key}'")
    if what == "output":
        regex = step.get("line")
        if not isinstance(regex, str):
            errors.append(f"{where}: step {i}: `expect: output` needs `line:` (a regular "
                          "expression)")
            return None
        try:
            re.compile(regex)
        except re.error as e:
            errors.append(f"{path}:{step.at('line')}: step {i}: bad regular expression: {e}")
            return None
        fields = {"what": "output", "line": regex}
        if "component" in step:
            if comps is not None and step["component"] not in comps:
                errors.append(f"{path}:{step.at('component')}: step {i}: unknown component "
                              f"'{step['component']}'")
            fields["component"] = step["component"]
    elif what == "fault":
        comp = step.get("component")
        if comp is None:
            errors.append(f"{where}: step {i}: `expect: fault` needs `component:`")
        elif comps is not None and comp not in comps:
            errors.append(f"{path}:{step.at('component')}: step {i}: unknown component '{comp}'")
        fields = {"what": "fault", "component": comp}
    elif what == "power_off":
        status = step.get("status", 0)
        if not isinstance(status, int) or isinstance(status, bool):
            errors.append(f"{path}:{step.at('status')}: step {i}: status '{status}' is not a "
                          "number")
            status = 0
        fields = {"what": "power_off", "status": status}
    else:
        fields = _check_event(i, step, path, events, comps, errors)
        if fields is None:
            return None
    return Step(i, step.line, "expect", fields, float(within), label)


def compile_scenario(path, events=None):
    """Read and check the scenario at path; a ScenarioError lists every error found."""
    doc = load_yaml(path)
    if not isinstance(doc, LocDict):
        raise ScenarioError([f"{path}:1: a scenario is a mapping (scenario, system, steps)"])
    events = protocol_events() if events is None else events
    errors = []
    known = ("scenario", "description", "system", "image", "timeout", "steps", "injector")
    for key in doc:
        if key not in known:
            errors.append(f"{path}:{doc.at(key)}: unknown field '{key}' (known: "
                          f"{', '.join(known)})")
    name = doc.get("scenario") or os.path.splitext(os.path.basename(path))[0]
    system, image, comps, clients, caps = None, None, set(), {}, {}
    if ("system" in doc) == ("image" in doc):
        errors.append(f"{path}:{doc.line}: needs exactly one of `system:` (a spec) or `image:`")
    elif "system" in doc:
        rel = doc["system"]
        where = f"{path}:{doc.at('system')}"
        candidates = [os.path.join(os.path.dirname(path), str(rel)), os.path.join(ROOT, str(rel))]
        system = next((c for c in candidates if os.path.isfile(c)), None)
        if system is None:
            errors.append(f"{where}: no spec {rel} (looked next to the scenario and in the "
                          "repository)")
        else:
            system = os.path.normpath(system)
            rel_root = os.path.relpath(system, ROOT)
            system = rel_root if not rel_root.startswith("..") else system
            image = os.path.splitext(os.path.basename(system))[0]
            comps, clients, caps = _spec_facts(system, where, errors)
    else:
        image = str(doc["image"])
        comps = None  # no spec: component names cannot be checked
    timeout = doc.get("timeout", DEFAULT_TIMEOUT)
    if not _number(timeout):
        errors.append(f"{path}:{doc.at('timeout')}: timeout '{timeout}' is not a positive number "
                      "of seconds")
        timeout = DEFAULT_TIMEOUT
    steps = []
    raw = doc.get("steps")
    if not isinstance(raw, list) or not raw:
        errors.append(f"{path}:{doc.at('steps')}: `steps:` must be a non-empty list")
        raw = []
    if comps and any(isinstance(st, dict) and "inject" in st for st in raw):
        # The build adds the injector (derive.py): events may name it.
        if INJECTOR in comps:
            errors.append(f"{path}:{doc.at('system')}: the system has a component named "
                          f"'{INJECTOR}', the name of the component the build adds for injections")
        comps = comps | {INJECTOR}
    for i, step in enumerate(raw, 1):
        if not isinstance(step, LocDict):
            errors.append(f"{path}:{doc.at('steps')}: step {i} is not a mapping")
            continue
        checked = _check_step(i, step, path, events, comps, clients, caps, errors)
        if checked is not None:
            steps.append(checked)
    priority = None
    if "injector" in doc:
        inj = doc["injector"]
        priority = inj.get("priority") if isinstance(inj, dict) else None
        if (not isinstance(inj, dict) or set(inj) != {"priority"} or not isinstance(priority, int)
                or isinstance(priority, bool) or not 0 <= priority <= 255):
            errors.append(f"{path}:{doc.at('injector')}: injector: takes `priority:` (0 .. 255) "
                          "and nothing else")
        elif not any(s.kind == "inject" for s in steps):
            errors.append(f"{path}:{doc.at('injector')}: injector: this scenario has no "
                          "injections")
    if not re.match(r"^[A-Za-z0-9_]+$", str(name)):
        errors.append(f"{path}:{doc.at('scenario')}: scenario name '{name}' may hold only letters, "
                      "digits and '_'")
    if errors:
        raise ScenarioError(errors)
    return Scenario(path, name, doc.get("description", ""), system, image, float(timeout), steps,
                    comps, priority)


def derived_image(name):
    """The image the build makes for scenario `name` when it has injections."""
    return f"scenario_{name}"
