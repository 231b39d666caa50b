"""Reports of scenario runs: the step table, JUnit XML, and an SVG timeline.

The table has one row per step: number, description, PASS / FAIL / - (not reached), and when it
was met (seconds since boot) or why it failed; a failure is followed by the console lines
around it. The JUnit file has one <testsuite> per scenario and one <testcase> per step, as CI
systems expect. The timeline draws one lane per component (named by the manager's events, by the
`name:` prefix of a printed line, or `kernel`) with a mark per console line along the run (in
the order the lines came, with their arrival times), and the steps' verdicts on top.
"""

import re
from xml.sax.saxutils import escape, quoteattr

from . import runner

EXCERPT_BEFORE = 12
EXCERPT_AFTER = 4


def table(result):
    """The step table of one run, as text."""
    sc = result.scenario
    out = [f"scenario {sc.name} ({sc.path}): {sc.system or 'image ' + sc.image}"]
    if result.error:
        out.append(f"  ERROR: {result.error}")
        return "\n".join(out)
    width = max([len(s.step.describe()) for s in result.steps] + [4])
    width = min(width, 70)
    out.append(f"  {'step':>4}  {'what':<{width}}  result  at / why")
    for s in result.steps:
        verdict = {True: "PASS", False: "FAIL", None: "-"}[s.passed]
        what = s.step.describe()
        if len(what) > width:
            what = what[:width - 3] + "..."
        if s.passed:
            note = f"{s.t:.2f} s (console line {s.line.number})"
        elif s.passed is False:
            note = s.reason
        else:
            note = "not reached"
        out.append(f"  {s.step.index:>4}  {what:<{width}}  {verdict:<6}  {note}")
    failed = result.failed_step
    if failed is not None:
        out.append(f"FAIL at step {failed.step.index} ({sc.path}:{failed.step.line}): expected "
                   f"{failed.step.describe()}; instead {failed.reason}")
        out.append(excerpt(result, failed))
    else:
        out.append(f"PASS: {len(result.steps)} steps in {result.seconds:.1f} s")
    return "\n".join(out)


def excerpt(result, failed):
    """The console lines around a failure: up to the failing line, or the last lines seen."""
    if not result.lines:
        return "---- console: (nothing) ----"
    end = failed.line.number if failed.line else len(result.lines)
    lo = max(1, end - EXCERPT_BEFORE)
    hi = min(len(result.lines), end + EXCERPT_AFTER)
    shown = [f"---- console, lines {lo}-{hi} of {len(result.lines)} ----"]
    for line in result.lines[lo - 1:hi]:
        mark = ">" if failed.line and line.number == failed.line.number else " "
        shown.append(f"{mark}{line.number:5} {line.text}")
    shown.append("-" * 20)
    return "\n".join(shown)


def junit(results):
    """JUnit XML for a list of runs."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for r in results:
        sc = r.scenario
        failures = 0 if r.error is None else 1
        failures += sum(1 for s in r.steps if s.passed is False)
        skipped = sum(1 for s in r.steps if s.passed is None) if r.error is None else 0
        out.append(f"  <testsuite name={quoteattr('scenario.' + sc.name)} "
                   f"tests=\"{max(len(r.steps), 1)}\" failures=\"{failures}\" "
                   f"skipped=\"{skipped}\" time=\"{r.seconds:.3f}\">")
        if r.error is not None:
            out.append(f"    <testcase name=\"boot\" classname={quoteattr(sc.name)}>")
            out.append(f"      <failure message={quoteattr(r.error)}/>")
            out.append("    </testcase>")
        prev = 0.0
        for s in r.steps:
            name = f"step {s.step.index}: {s.step.label or s.step.describe()}"
            t = (s.t - prev) if s.t is not None else 0.0
            prev = s.t if s.t is not None else prev
            out.append(f"    <testcase name={quoteattr(name)} classname={quoteattr(sc.name)} "
                       f"time=\"{t:.3f}\">")
            if s.passed is False:
                out.append(f"      <failure message={quoteattr(s.reason)}>"
                           f"{escape(excerpt(r, s))}</failure>")
            elif s.passed is None and r.error is None:
                out.append("      <skipped message=\"not reached\"/>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def lane_of(text):
    """The component a console line belongs to, or None."""
    ev = runner.parse_event(text)
    if ev is not None:
        keys = ev[1]
        return keys.get("client") or "rm"
    m = runner.FAULT.match(text)
    if m:
        return m.group(1)
    if text.startswith("sigil:") or text.startswith("Sigil kernel") or text.startswith("loader:"):
        return "kernel" if not text.startswith("loader:") else "loader"
    m = re.match(r"^([A-Za-z0-9_.-]+): ", text)
    return m.group(1) if m else None


def timeline(result):
    """An SVG picture of one run: a lane per component, a mark per console line in the order the
    lines came (host arrival times of a buffered console say little: lines come in bursts), the
    time each mark arrived under it in its tooltip and on the axis, and the steps' verdicts."""
    lanes, marks = [], []
    for line in result.lines:
        lane = lane_of(line.text)
        if lane is None:
            continue
        if lane not in lanes:
            lanes.append(lane)
        marks.append((lane, line))
    count = max(len(result.lines), 1)
    left, top, lane_h, width = 150, 60, 34, 900
    height = top + lane_h * max(len(lanes), 1) + 40

    def x(number):
        return left + (width - left - 30) * (number - 1) / max(count - 1, 1)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           'font-family="monospace" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="18" font-size="13">scenario {escape(result.scenario.name)}: '
           f'{"PASS" if result.passed else "FAIL"} (x: console lines in order; '
           'hover a mark for its text and time)</text>']
    for i, lane in enumerate(lanes):
        y = top + i * lane_h
        svg.append(f'<text x="10" y="{y + 4}">{escape(lane)}</text>')
        svg.append(f'<line x1="{left}" y1="{y}" x2="{width - 20}" y2="{y}" stroke="#ccc"/>')
    for lane, line in marks:
        y = top + lanes.index(lane) * lane_h
        bad = "FAULT" in line.text or "event=fault" in line.text or "event=kill" in line.text
        svg.append(f'<circle cx="{x(line.number):.1f}" cy="{y}" r="5" '
                   f'fill="{"#c00" if bad else "#36c"}"><title>'
                   f'{escape(f"line {line.number}, {line.t:.3f} s: {line.text}")}</title></circle>')
    for s in result.steps:
        if s.line is None:
            continue
        colour = "#090" if s.passed else "#c00"
        sx = x(s.line.number)
        svg.append(f'<line x1="{sx:.1f}" y1="30" x2="{sx:.1f}" y2="{height - 30}" '
                   f'stroke="{colour}" stroke-dasharray="3,3"/>')
        svg.append(f'<text x="{sx + 2:.1f}" y="42" fill="{colour}">step {s.step.index}</text>')
    axis_y = height - 20
    svg.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - 20}" y2="{axis_y}" '
               'stroke="black"/>')
    for line in result.lines[::max(1, count // 8)]:
        svg.append(f'<text x="{x(line.number):.1f}" y="{axis_y + 14}" text-anchor="middle">'
                   f'{line.t:.2f} s</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"
