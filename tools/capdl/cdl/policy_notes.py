"""The resource manager's policy in capDL text, as Sigil notes.

capDL has no word for a policy. Export writes it as comment lines, which other capDL tools skip
and import reads back, so that `yaml -> cdl -> yaml` of a system with a resource manager keeps
its clients' quotas, fault policies and regions:

    -- sigil: policy endpoint=rm_endpoint reply=rm_reply
    -- sigil: client {"component":"worker","id":1,"memory":65536,"objects":40,...}

The `policy` line names the manager's endpoint and reply object by their capDL names. Each
`client` line is one client of `policy.clients` as JSON without spaces (the keys of
docs/spec-format.md), the objects of its `caps` given by their capDL names. Import checks a
client line as the YAML reader checks a spec's client (unknown keys, wrong types) and reports
problems at the line; the names come back as the importer names the objects.
"""
from __future__ import annotations

import json

import yaml

from ..errors import Location
from ..model import Client, Policy
from ..yamlio import Reader, to_plain

POLICY_KEYS = ("endpoint", "reply")


def export_policy(policy: Policy, cdl_name) -> list:
    """The notes [(word, [arg...], Location)] that say `policy`. cdl_name(ref, loc, path) is the
    capDL name of the object `ref` names (None after it reported that none does)."""
    args = []
    for key in POLICY_KEYS:
        ref = getattr(policy, key)
        name = cdl_name(ref, policy.loc, f"policy.{key}") if ref is not None else None
        if name is not None:
            args.append(f"{key}={name}")
    notes = [("policy", args, policy.loc)]
    for i, client in enumerate(policy.clients):
        plain = to_plain(client)
        if client.caps:
            plain["caps"] = [cdl_name(ref, client.loc, f"policy.clients[{i}].caps[{j}]")
                             for j, ref in enumerate(client.caps)]
        notes.append(("client", [json.dumps(plain, separators=(",", ":"))], client.loc))
    return notes


def import_policy(notes: list, sigil_ref, fail) -> Policy | None:
    """The policy the `policy` and `client` notes [(word, [arg...], Location)] say, or None when
    there is no `policy` note. sigil_ref(name) is the Sigil reference of the object capDL calls
    `name` (None if there is none); fail(message, loc) reports an error at a note's line."""
    policy = None
    for word, args, loc in notes:
        if word != "policy":
            continue
        if policy is not None:
            fail("a second '-- sigil: policy' line", loc)
            continue
        policy = Policy(loc=loc)
        for arg in args:
            key, _, name = arg.partition("=")
            ref = sigil_ref(name) if key in POLICY_KEYS else None
            if ref is None:
                fail(f"'{arg}' in '-- sigil: policy' is not endpoint=OBJECT or reply=OBJECT", loc)
            else:
                setattr(policy, key, ref)
    for word, args, loc in notes:
        if word != "client":
            continue
        if policy is None:
            fail("a '-- sigil: client' line without a '-- sigil: policy' line", loc)
            continue
        client = _client(" ".join(args), loc, sigil_ref, fail)
        if client is not None:
            policy.clients.append(client)
    return policy


def _client(text: str, loc: Location, sigil_ref, fail) -> Client | None:
    """One `client` note's JSON as a Client located at the note, or None after an error."""
    try:
        node = yaml.compose(text) if text.startswith("{") else None
    except yaml.YAMLError:
        node = None
    if node is None:
        fail("'-- sigil: client' wants one client as JSON: {\"component\":NAME,\"id\":N,...}", loc)
        return None
    reader = Reader(loc.file)
    client = reader.record(node, Client, "client")
    for err in reader.errors.errors:
        fail(f"'-- sigil: client': {err.path}: {err.message}" if err.path else
             f"'-- sigil: client': {err.message}", loc)
    if client is None or reader.errors.errors:
        return None
    client.loc = loc
    for region in client.demand_regions:
        region.loc = loc
    caps = []
    for name in client.caps or ():
        ref = sigil_ref(name)
        if ref is None:
            fail(f"'-- sigil: client {client.component}': caps: no object named '{name}'", loc)
        caps.append(ref)
    if client.caps is not None:
        client.caps = caps
    return client
