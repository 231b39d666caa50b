"""The scenario compiler's located errors and the runner's judgement of console lines
(tools/scenario; docs/scenarios.md). The runs themselves are the `scenario.*` tests."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from scenario import derive, model, runner  # noqa: E402

EVENTS = {
    "exit": {"client": "name", "status": "int", "reclaimed_bytes": "int"},
    "fault": {"client": "name", "kind": "int", "addr": "hex", "pc": "hex"},
}
SPEC = """\
version: 1
components:
  - name: rm
    cspace: {bits: 4, slots: []}
  - name: worker
    objects: [{name: ep, type: Endpoint}]
    cspace: {bits: 4, slots: [{slot: 1, cap: ep}]}
  - name: bystander
    cspace: {bits: 4, slots: []}
  - name: srv
    cspace: {bits: 4, slots: []}
policy:
  clients:
    - {component: worker, id: 1}
    - {component: srv, id: 2, reply_objects: 1}
"""


def compile_text(tmp_path, steps, head="system: system.yaml\n"):
    (tmp_path / "system.yaml").write_text(SPEC)
    path = tmp_path / "s.yaml"
    path.write_text(head + "steps:\n" + steps)
    return model.compile_scenario(str(path), events=EVENTS), str(path)


def errors_of(tmp_path, steps, head="system: system.yaml\n"):
    with pytest.raises(model.ScenarioError) as e:
        compile_text(tmp_path, steps, head)
    path = str(tmp_path / "s.yaml")
    return [err.replace(path, "s.yaml") for err in e.value.errors]


def test_a_good_scenario_compiles(tmp_path):
    sc, _ = compile_text(tmp_path, "  - {expect: event, event: exit, client: worker, status: 0}\n"
                                   "  - {inject: revoke, client: worker, cap: ep, within: 2}\n"
                                   "  - {expect: power_off}\n")
    assert [s.describe() for s in sc.steps] == [
        "event exit client=worker status=0", "inject revoke worker cap ep", "power off, status 0"]
    assert sc.steps[1].within == 2.0 and sc.steps[0].within == model.DEFAULT_WITHIN
    # With an injection the runner boots the system the build derives (spec + injector).
    assert sc.image == "scenario_s" and sc.base_image == "system" and sc.name == "s"


@pytest.mark.parametrize("steps, message", [
    ("  - {expect: event, event: boom}\n",
     "s.yaml:3: step 1: unknown event 'boom' (the protocol defines: exit, fault)"),
    ("  - {expect: event, event: exit, client: ghost}\n",
     "s.yaml:3: step 1: client: 'ghost' is not a component of the system"),
    ("  - {expect: event, event: exit, colour: 1}\n",
     "s.yaml:3: step 1: event 'exit' has no key 'colour' (it has: client, status, "
     "reclaimed_bytes)"),
    ("  - {expect: event, event: exit, status: zero}\n",
     "s.yaml:3: step 1: status: 'zero' is not a number"),
    ("  - {inject: kill, client: bystander}\n",
     "s.yaml:3: step 1: the injector has no authority over 'bystander': it is not a client of "
     "the resource manager's policy"),
    ("  - {inject: revoke, client: worker, cap: nothing}\n",
     "s.yaml:3: step 1: component 'worker' has no cap 'nothing'"),
    ("  - {inject: kill, client: nobody}\n", "s.yaml:3: step 1: unknown component 'nobody'"),
    ("  - {inject: teleport, client: worker}\n",
     "s.yaml:3: step 1: unknown injection 'teleport' (known: kill, revoke, exhaust_quota, "
     "fault, evict, flood, lend_revoke)"),
    # lend_revoke: the lender and the server are clients of the policy, the server can serve
    ("  - {inject: lend_revoke, client: worker}\n",
     "s.yaml:3: step 1: injection 'lend_revoke' needs `server:`"),
    ("  - {inject: lend_revoke, client: nobody, server: srv}\n",
     "s.yaml:3: step 1: unknown component 'nobody'"),
    ("  - {inject: lend_revoke, client: bystander, server: srv}\n",
     "s.yaml:3: step 1: the injector has no authority over 'bystander': it is not a client of "
     "the resource manager's policy"),
    ("  - {inject: lend_revoke, client: worker, server: ghost}\n",
     "s.yaml:3: step 1: unknown component 'ghost'"),
    ("  - {inject: lend_revoke, client: worker, server: bystander}\n",
     "s.yaml:3: step 1: the injector has no authority over 'bystander': it is not a client of "
     "the resource manager's policy"),
    ("  - {inject: lend_revoke, client: srv, server: worker}\n",
     "s.yaml:3: step 1: 'worker' is not a server: its policy entry allows it no reply object "
     "(`reply_objects:`), which Serve needs"),
    ("  - {inject: lend_revoke, client: srv, server: srv}\n",
     "s.yaml:3: step 1: 'srv' cannot have lent to itself (client and server are the same)"),
    ("  - {inject: lend_revoke, client: worker, server: srv, pages: 2}\n",
     "s.yaml:3: step 1: injection 'lend_revoke' takes no field 'pages'"),
    ("  - {inject: evict, client: worker}\n", "s.yaml:3: step 1: injection 'evict' needs `pages:`"),
    ("  - {inject: flood, requests: 0}\n",
     "s.yaml:3: step 1: requests: '0' is not a positive number"),
    ("  - {inject: kill, client: worker, when: {client: bystander, ended: true}}\n",
     "s.yaml:3: step 1: when: 'bystander' is not a client of the resource manager's policy"),
    ("  - {inject: kill, client: worker, when: {client: worker, colour: 3}}\n",
     "s.yaml:3: step 1: when: unknown condition 'colour' (known: ended, quota_bytes, "
     "used_bytes, peak_bytes, quota_objects, used_objects, faults, out_of_quota, own_bytes)"),
    ("  - {inject: kill, client: worker, when: {client: worker}}\n",
     "s.yaml:3: step 1: when: needs `client:` and one condition: `ended: true` or a statistic "
     "and the value it must reach (quota_bytes, used_bytes, peak_bytes, quota_objects, "
     "used_objects, faults, out_of_quota, own_bytes)"),
    ("  - {expect: output, line: '(x'}\n",
     "s.yaml:3: step 1: bad regular expression: missing ), unterminated subpattern at "
     "position 0"),
    ("  - {expect: fault}\n", "s.yaml:3: step 1: `expect: fault` needs `component:`"),
    ("  - {expect: output, line: x, within: soon}\n",
     "s.yaml:3: step 1: within: 'soon' is not a positive number of seconds"),
    ("  - {expect: output, inject: kill}\n",
     "s.yaml:3: step 1: needs exactly one of `expect:` or `inject:`"),
    ("  - expect: power_off\n\n    status: 'zero'\n",
     "s.yaml:5: step 1: status 'zero' is not a number"),
])
def test_errors_name_the_line(tmp_path, steps, message):
    assert errors_of(tmp_path, steps) == [message]


def test_file_level_errors(tmp_path):
    errs = errors_of(tmp_path, "  - {expect: power_off}\n",
                     head="system: nowhere.yaml\ntimeout: 0\ncolour: red\n")
    assert errs == [
        "s.yaml:3: unknown field 'colour' (known: scenario, description, system, image, "
        "timeout, steps, injector)",
        "s.yaml:1: no spec nowhere.yaml (looked next to the scenario and in the repository)",
        "s.yaml:2: timeout '0' is not a positive number of seconds",
    ]


def test_injector_priority_is_checked(tmp_path):
    assert errors_of(tmp_path, "  - {expect: power_off}\n",
                     head="system: system.yaml\ninjector: {priority: 3}\n") == [
        "s.yaml:2: injector: this scenario has no injections"]
    assert errors_of(tmp_path, "  - {inject: kill, client: worker}\n",
                     head="system: system.yaml\ninjector: {priority: 300}\n") == [
        "s.yaml:2: injector: takes `priority:` (0 .. 255) and nothing else"]


def test_the_script_names_clients_slots_and_statistics(tmp_path):
    sc, _ = compile_text(tmp_path, "  - {expect: power_off}\n"
                                   "  - {inject: revoke, client: worker, cap: ep}\n"
                                   "  - {inject: kill, client: worker, when: {client: worker, "
                                   "used_objects: 3}}\n"
                                   "  - {inject: flood, requests: 7, when: {client: worker, "
                                   "ended: true}}\n"
                                   "  - {inject: lend_revoke, client: worker, server: srv, "
                                   "when: {client: srv, out_of_quota: 1}}\n")
    words = derive.script_words(sc, model.load_yaml(str(tmp_path / "system.yaml")))
    # magic, count; then step, op, client, arg, when_client, when_stat, when_value
    assert words == [0x5443454A4E494753, 4,
                     2, 2, 1, 1, 0, 0, 0,
                     3, 1, 1, 0, 1, 4, 3,
                     4, 6, 0, 7, 1, 0xFFFF, 1,
                     5, 7, 1, 2, 2, 6, 1]
    assert sc.steps[4].describe() == "inject lend_revoke worker server srv"


def test_every_scenario_in_the_tree_compiles():
    files = sorted((ROOT / "tests" / "scenarios").glob("**/*.yaml"))
    files = [f for f in files if "systems" not in f.parts]  # specs, not scenarios
    examples = sorted((ROOT / "specs" / "scenarios").glob("*.yaml"))
    assert [f.name for f in examples] == ["echo.yaml", "faults.yaml"]
    files += examples
    for f in files:
        model.compile_scenario(str(f))


def event_step(**keys):
    fields = {"what": "event", "event": "exit", "keys": keys, "kinds": EVENTS["exit"]}
    return model.Step(1, 1, "expect", fields, 1.0, None)


def test_judge_events():
    step = event_step(client="worker", status=1)
    assert runner.judge(step, "rm: event=exit client=worker status=1 reclaimed_bytes=4096") == \
        ("pass", "")
    # the same subject with another value is a wrong value, reported at once
    assert runner.judge(step, "rm: event=exit client=worker status=0 reclaimed_bytes=4096") == \
        ("wrong", "event exit came with status=0 (expected 1)")
    # another client's event, another kind, or no event at all does not concern this step
    assert runner.judge(step, "rm: event=exit client=other status=0")[0] is None
    assert runner.judge(step, "rm: event=kill client=worker by=admin")[0] is None
    assert runner.judge(step, "worker: exit status=1")[0] is None


def test_parse_event():
    assert runner.parse_event("rm: event=fault client=c kind=5 addr=0x1000") == \
        ("fault", {"client": "c", "kind": "5", "addr": "0x1000"})
    assert runner.parse_event("rm: hello") is None


def test_an_image_scenario_names_components_unchecked(tmp_path):
    sc, _ = compile_text(tmp_path, "  - {expect: event, event: exit, client: anyone, status: 0}\n"
                                   "  - {expect: fault, component: whoever}\n", head="image: x\n")
    assert [s.describe() for s in sc.steps] == ["event exit client=anyone status=0",
                                                "fault of whoever"]
    assert errors_of(tmp_path, "  - {inject: kill, client: anyone}\n", head="image: x\n") == [
        "s.yaml:3: step 1: an injection needs a `system:` spec (its target must be a client of "
        "the manager's policy)"]


def synthetic_run(tmp_path):
    """A run of a two-step scenario whose second step failed by a wrong event value."""
    sc, _ = compile_text(tmp_path, "  - {expect: output, line: '^worker: ready'}\n"
                                   "  - {expect: event, event: exit, client: worker, status: 1}\n"
                                   "  - {expect: power_off}\n")
    r = runner.RunResult(sc)
    texts = ["Sigil kernel: EL1", "worker: ready", "rm: event=exit client=worker status=0",
             "sigil: power off, status 0"]
    r.lines = [runner.Line(i + 1, 0.1 * i, t) for i, t in enumerate(texts)]
    r.steps[0].passed, r.steps[0].line, r.steps[0].t = True, r.lines[1], 0.1
    r.steps[1].passed, r.steps[1].line, r.steps[1].t = False, r.lines[2], 0.2
    r.steps[1].reason = "event exit came with status=0 (expected 1)"
    r.seconds = 0.3
    return r


def test_table_names_the_failed_step_and_shows_the_console(tmp_path):
    from scenario import report
    text = report.table(synthetic_run(tmp_path))
    assert "FAIL at step 2 (" in text
    assert "expected event exit client=worker status=1; instead event exit came with status=0 " \
           "(expected 1)" in text
    assert ">    3 rm: event=exit client=worker status=0" in text
    assert "     3  power off, status 0" in text and "not reached" in text


def test_junit_has_a_testcase_per_step(tmp_path):
    import xml.dom.minidom
    from scenario import report
    doc = xml.dom.minidom.parseString(report.junit([synthetic_run(tmp_path)]))
    suite = doc.getElementsByTagName("testsuite")[0]
    assert (suite.getAttribute("name"), suite.getAttribute("tests"),
            suite.getAttribute("failures"), suite.getAttribute("skipped")) == \
        ("scenario.s", "3", "1", "1")
    cases = doc.getElementsByTagName("testcase")
    assert [c.getAttribute("name") for c in cases] == [
        "step 1: output /^worker: ready/", "step 2: event exit client=worker status=1",
        "step 3: power off, status 0"]
    failure = cases[1].getElementsByTagName("failure")[0]
    assert failure.getAttribute("message") == "event exit came with status=0 (expected 1)"
    assert cases[2].getElementsByTagName("skipped")


def test_timeline_has_a_lane_per_component(tmp_path):
    import xml.dom.minidom
    from scenario import report
    svg = xml.dom.minidom.parseString(report.timeline(synthetic_run(tmp_path)))
    labels = [t.firstChild.data for t in svg.getElementsByTagName("text")]
    assert [l for l in labels if l in ("kernel", "worker")] == ["kernel", "worker"]
    assert len(svg.getElementsByTagName("circle")) == 4
    assert "step 1" in labels and "step 2" in labels


def test_campaign_spec_and_parameters(tmp_path):
    from scenario import campaign
    words = campaign.params_words(1000, 7)
    assert words == [0x4E4741504D414353, 1000, 7, campaign.VICTIMS, 2, campaign.WITNESSES,
                     2 + campaign.VICTIMS, 2 + campaign.VICTIMS + campaign.WITNESSES]
    spec = campaign.spec(1000, 7)
    ids = [c["id"] for c in spec["policy"]["clients"]]
    assert ids == list(range(1, 3 + campaign.VICTIMS + campaign.WITNESSES))
    server = spec["policy"]["clients"][-1]
    assert (server["component"], server["on_fault"], server["reply_objects"]) == \
        ("server", "recover", 1)
    assert [c["component"] for c in spec["policy"]["clients"] if c.get("admin")] == ["driver"]
    params = tmp_path / "p"
    assert campaign.read_params(str(params)) == (1000, 1)  # no file: the defaults
    params.write_text("60 3\n")
    assert campaign.read_params(str(params)) == (60, 3)
