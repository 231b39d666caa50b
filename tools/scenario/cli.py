"""`./sigil scenario [NAME|FILE ...]`: check and run scenarios, print their step tables.

NAME is a scenario of tests/scenarios/ (NAME.yaml) or specs/scenarios/; with none, every scenario
of both runs. --check only compiles (the build does this for every scenario in the
tree). --junit FILE writes JUnit XML; --timeline FILE.svg draws the (last) run.
--derive FILE -o OUT writes the spec the build compiles for a scenario with injections (its
system plus the injector, tools/scenario/derive.py); --list-derived FILE... prints, for each such
scenario, `NAME BASE_IMAGE FILE` (the build's use).
--campaign N [--seed S] runs a fault-injection campaign instead (tools/scenario/campaign.py).
--expect-failure STEP:REGEX inverts the verdict for the runner's own tests: the scenario must
fail at step STEP with a reason matching REGEX.
Exit status: 0 when every scenario passed, 1 when one failed, 2 for an error in a scenario file.
"""

import argparse
import glob
import os
import re
import sys

from . import campaign, derive, model, report, runner

SEARCH = ("tests/scenarios", "specs/scenarios")


def find(arg):
    """The scenario file an argument names."""
    if arg.endswith(".yaml") or os.sep in arg:
        return arg
    for d in SEARCH:
        path = os.path.join(model.ROOT, d, arg + ".yaml")
        if os.path.isfile(path):
            return path
    raise model.ScenarioError([f"no scenario named '{arg}' (looked in {', '.join(SEARCH)})"])


def all_scenarios():
    return sorted(path for d in SEARCH for path in glob.glob(os.path.join(model.ROOT, d, "*.yaml")))


def shown(path):
    rel = os.path.relpath(path, model.ROOT)
    return rel if not rel.startswith("..") else path


def main(argv=None):
    ap = argparse.ArgumentParser(prog="./sigil scenario",
                                 description="Run scenarios (docs/scenarios.md).")
    ap.add_argument("scenarios", nargs="*", metavar="NAME|FILE")
    ap.add_argument("--build", default=os.environ.get("SIGIL_BUILD_DIR",
                                                      os.path.join(model.ROOT, "build")))
    ap.add_argument("--qemu", default=os.environ.get("SIGIL_QEMU", "qemu-system-aarch64"))
    ap.add_argument("--check", action="store_true", help="only compile the scenarios")
    ap.add_argument("--junit", metavar="FILE", help="write JUnit XML")
    ap.add_argument("--timeline", metavar="FILE.svg", help="draw the events on a time axis")
    ap.add_argument("--expect-failure", metavar="STEP:REGEX",
                    help="pass only if the scenario fails at STEP for a reason matching REGEX")
    ap.add_argument("--verbose", action="store_true", help="show the console as it runs")
    ap.add_argument("--derive", metavar="FILE", help=argparse.SUPPRESS)
    ap.add_argument("-o", dest="out", help=argparse.SUPPRESS)
    ap.add_argument("--list-derived", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--campaign", metavar="N", type=int,
                    help="run a fault-injection campaign of N random injections instead")
    ap.add_argument("--seed", metavar="S", type=int, default=campaign.DEFAULT_SEED,
                    help="the campaign's seed (default 1)")
    ap.add_argument("--campaign-spec", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    ap.add_argument("--manager", default="rm_release.elf", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.campaign_spec:
        if not args.out:
            ap.error("--campaign-spec needs -o OUT")
        n, seed = (campaign.read_params(args.params) if args.params
                   else (campaign.DEFAULT_INJECTIONS, campaign.DEFAULT_SEED))
        campaign.write_spec(args.out, n, seed, args.manager)
        return 0
    if args.campaign is not None:
        return run_campaign(args)
    if args.derive:
        if not args.out:
            ap.error("--derive needs -o OUT")
        out, src = os.path.abspath(args.out), os.path.abspath(args.derive)
        os.chdir(model.ROOT)  # scenario paths are shown relative to the repository
        try:
            derive.derive(model.compile_scenario(shown(src)), out)
        except model.ScenarioError as e:
            print(e, file=sys.stderr)
            return 2
        return 0
    expect = None
    if args.expect_failure:
        m = re.match(r"^(\d+):(.*)$", args.expect_failure, re.S)
        if not m:
            ap.error("--expect-failure takes STEP:REGEX, e.g. 2:status=0")
        expect = (int(m.group(1)), m.group(2))
    try:
        paths = [find(a) for a in args.scenarios] or all_scenarios()
    except model.ScenarioError as e:
        print(f"sigil scenario: {e}", file=sys.stderr)
        return 2
    if not paths:
        print("sigil scenario: no scenarios", file=sys.stderr)
        return 2
    scenarios, errors = [], []
    for path in paths:
        try:
            scenarios.append(model.compile_scenario(shown(path)))
        except model.ScenarioError as e:
            errors += e.errors
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"sigil scenario: {len(errors)} error(s) in the scenario files", file=sys.stderr)
        return 2
    if args.list_derived:
        for sc in scenarios:
            if sc.image != sc.base_image:
                print(f"{sc.name} {sc.base_image} {os.path.abspath(sc.path)}")
        return 0
    if args.check:
        print(f"sigil scenario: {len(scenarios)} scenario(s) checked")
        return 0
    results = []
    for sc in scenarios:
        print(f"sigil scenario: running {sc.name} ({len(sc.steps)} steps)", file=sys.stderr,
              flush=True)
        r = runner.run(sc, args.build, args.qemu, echo=args.verbose)
        results.append(r)
        print(report.table(r), flush=True)
    if args.junit:
        with open(args.junit, "w", encoding="utf-8") as f:
            f.write(report.junit(results))
    if args.timeline:
        with open(args.timeline, "w", encoding="utf-8") as f:
            f.write(report.timeline(results[-1]))
    passed = sum(1 for r in results if r.passed)
    print(f"sigil scenario: {passed} of {len(results)} scenario(s) passed")
    if expect is not None:
        return judge_expected(results, expect)
    return 0 if passed == len(results) else 1


def run_campaign(args):
    n, seed = args.campaign, args.seed
    if n <= 0 or seed < 0 or args.scenarios:
        print("sigil scenario: --campaign takes N > 0 injections, a --seed >= 0 and no scenario "
              "names", file=sys.stderr)
        return 2
    image = "campaign"
    if (n, seed) != (campaign.DEFAULT_INJECTIONS, campaign.DEFAULT_SEED):
        image = "campaign_custom"
        print(f"sigil scenario: building the campaign of {n} injections, seed {seed}",
              file=sys.stderr, flush=True)
        error = campaign.build_custom(args.build, n, seed)
        if error:
            print(f"sigil scenario: {error}", file=sys.stderr)
            return 2
    print(f"sigil scenario: running the campaign ({image}, under -icount)", file=sys.stderr,
          flush=True)
    out = campaign.run(args.build, args.qemu, image)
    print(campaign.report(out, n, seed))
    return 0 if out.passed() else 1


def judge_expected(results, expect):
    step, regex = expect
    for r in results:
        f = r.failed_step
        if r.passed or f is None:
            print(f"sigil scenario: {r.scenario.name} was expected to fail at step {step}, but "
                  f"{'passed' if r.passed else r.error}", file=sys.stderr)
            return 1
        if f.step.index != step or not re.search(regex, f.reason):
            print(f"sigil scenario: {r.scenario.name} failed at step {f.step.index} "
                  f"({f.reason!r}), expected step {step} matching {regex!r}", file=sys.stderr)
            return 1
    print(f"sigil scenario: failed as expected at step {step}")
    return 0
