"""Check the FAQ and the troubleshooting flows: ``python -m faq.validate`` prints every problem and exits 1 if
there is any (0 and a one-line summary otherwise).

Checks: the FAQ file (see :func:`faq.load_faq`), every flow (see :func:`faq.validate_flows`: dead ends,
cycles, unreachable steps, unknown targets, missing translations, unknown contact ids), and the references
between them: an entry's flow and contacts, a step's FAQ entries; and the caller phrasings of the help desk's
search (the synonyms format; a group found nowhere in the FAQ, the flows or the contacts is a problem)."""
from __future__ import annotations

import argparse
import json
import logging
import sys

from .entries import FaqDataError, FaqSet, load_faq
from .flows import Flow, FlowDataError, parse_flows, validate_flows

log = logging.getLogger(__name__)


def check_references(faq: FaqSet, flows: list[Flow], contact_ids: set[str] | None) -> list[str]:
    """Problems in the links from FAQ entries to flows and contacts."""
    problems = []
    flow_ids = {f.id for f in flows}
    for entry in faq:
        if entry.flow and entry.flow not in flow_ids:
            problems.append(f"entry {entry.id}: unknown flow {entry.flow!r}")
        if contact_ids is not None:
            for cid in entry.contacts:
                if cid not in contact_ids:
                    problems.append(f"entry {entry.id}: unknown contact id {cid!r}")
    return problems


def check_phrasings(faq: FaqSet | None, flows: list[Flow], directory, path: str | None) -> tuple[list[str], int]:
    """Problems in the caller phrasings (faq/data/caller_phrasings.json) and the number of groups: the file's
    format, and groups that occur nowhere in the FAQ, the flows or the contacts."""
    from search_index.synonyms import SynonymDataError

    from .desk import CALLER_FILE, DeskIndex, load_caller_groups
    try:
        groups = load_caller_groups(path or CALLER_FILE)
    except (OSError, ValueError, SynonymDataError) as e:
        return [f"caller phrasings: {e}"], 0
    index = DeskIndex(faq, flows, directory, groups)
    return [f"caller phrasings: no FAQ entry, flow or contact has any of {list(g.members)}"
            for g in index.unmatched(groups)], len(groups)


def run(faq_path: str | None = None, flows_path: str | None = None,
        contacts_path: str | None = None, phrasings_path: str | None = None) -> tuple[list[str], str]:
    """All problems found, and a summary line."""
    problems: list[str] = []
    contact_ids = None
    directory = None
    try:
        import contacts
        directory = contacts.load_directory(contacts_path) if contacts_path else contacts.directory()
        contact_ids = directory.contact_ids()
    except Exception as e:  # noqa: BLE001 - report, go on checking the rest
        problems.append(f"contacts: {e}")
    faq = None
    try:
        faq = load_faq(faq_path)
    except FaqDataError as e:
        problems += [f"faq: {p}" for p in e.problems]
    flows: list[Flow] = []
    try:
        from .flows import DATA_FILE
        with open(flows_path or DATA_FILE, encoding="utf-8") as f:
            flows = parse_flows(json.load(f), flows_path)
    except FlowDataError as e:
        problems += [f"flows: {p}" for p in e.problems]
    except (OSError, json.JSONDecodeError) as e:
        problems.append(f"flows: cannot read the file: {e}")
    if flows:
        problems += validate_flows(flows, contact_ids=contact_ids if contact_ids is not None else set(),
                                   faq_ids=faq.ids() if faq else None)
    if faq and flows:
        problems += check_references(faq, flows, contact_ids)
    more, groups = check_phrasings(faq, flows, directory, phrasings_path)
    problems += more
    steps = sum(len(f.steps) for f in flows)
    summary = f"{len(faq) if faq else 0} FAQ entries, {len(flows)} flows, {steps} steps, {groups} caller phrasings"
    return problems, summary


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m faq.validate", description=__doc__.splitlines()[0])
    parser.add_argument("--faq", help="FAQ file (default: faq/data/faq.json)")
    parser.add_argument("--flows", help="flows file (default: faq/data/flows.json)")
    parser.add_argument("--contacts", help="contacts file (default: contacts/data/matsumoto.json)")
    parser.add_argument("--phrasings", help="caller phrasings file (default: faq/data/caller_phrasings.json)")
    args = parser.parse_args(argv)
    problems, summary = run(args.faq, args.flows, args.contacts, args.phrasings)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) ({summary})", file=sys.stderr)
        return 1
    print(f"OK: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
