"""Warnings about specs the compiler accepts but whose threads would hang at run time.

`./sigil spec check` and `./sigil spec graph` print these after the compiler's own checks, as
`file:line: path: warning: message`; they fail the command only with --strict.

Call without an answer (issue: the caller hangs until a test times out).  In Sigil, as in seL4,
a Call through an endpoint cap that has neither GrantReply nor Grant is delivered, but the
caller can never be answered: the kernel abandons it (kernel/src/kernel/ipc.c, link_caller) and
it waits forever.  A spec does not say how a program will use a cap, so the rule infers it from
the other end, conservatively:

    An endpoint is *served by calls* when a principal that can receive on it (a cap with Read,
    held as the spec writes it, not one it might be granted) also holds a cap to a Reply object: in Sigil a receiver needs a reply object to answer a
    Call, and holds one for nothing else.  Every cap in a CNode to such an endpoint that has
    Write but neither GrantReply nor Grant is reported.

Sending to a served endpoint without calling is legal, so this is a warning and not an error.
To mean a one-way send, say so to the reader; to silence the warning, give the cap GrantReply
(harmless for Send).  A fault handler cap without Write and GrantReply (or Grant) is the same
mistake for the kernel's fault Call; the compiler already rejects that one.
"""

from __future__ import annotations

from .authority import Analysis, analyse, effective_rights
from .errors import SpecError
from .model import Spec


class Warning_(SpecError):
    """A finding that does not stop the spec from compiling."""


def _obj_path(obj) -> str:
    return f"components.{obj.component}.{obj.name}" if obj.component else f"objects.{obj.name}"


def call_warnings(spec: Spec, analysis: Analysis | None = None) -> list:
    """The warnings of the rule above, in file order."""
    a = analysis or analyse(spec)
    receivers: dict = {}  # endpoint full name -> principals that receive on it with a reply object
    for p in a.principals.values():
        # the caps it holds as written (its CNodes), not those the analysis lets it be granted
        own = [h for h, via in p.caps.items() if not via.startswith("granted by")]
        has_reply = any(h.type == "Reply" for h in own)
        for h in own:
            if h.type == "Endpoint" and "Read" in h.rights and has_reply:
                receivers.setdefault(h.obj, set()).add(p.name)
    found = []
    for cnode in spec.all_objects():
        if cnode.type != "CNode":
            continue
        slot = 0
        for cap in cnode.slots:
            slot = cap.slot if cap.slot is not None else slot
            obj = a.index.resolve(cap.cap, cnode.component)
            if obj is not None and obj.type == "Endpoint":
                rights = effective_rights("Endpoint", cap.rights)
                servers = sorted(receivers.get(obj.full_name(), ()))
                if "Write" in rights and not rights & {"Grant", "GrantReply"} and servers:
                    who = ", ".join(f"'{s}'" for s in servers)
                    who += " receives" if len(servers) == 1 else " receive"
                    found.append(Warning_(
                        f"cap to endpoint '{obj.full_name()}' has Write but neither GrantReply nor "
                        f"Grant: a Call through it is never answered and the caller waits forever "
                        f"({who} on it with a reply object); add GrantReply",
                        cap.loc, f"{_obj_path(cnode)}[{slot}]"))
            slot += 1
    found.sort(key=lambda w: (w.loc.file, w.loc.line))
    return found
