"""Help content of both programmes: FAQ entries (ja/en, versioned JSON, validated at load) searchable with the
facility search's Japanese folding, and troubleshooting flows as data. Nothing here imports Flask.

Public API::

    faq = load_faq()                                   # FaqSet; FaqDataError on bad data
    faq.search("ぱすわーど", lang="ja", programme="coupon", limit=10)   # -> [FaqHit]
    faq.get("coupon-qr-not-reading"); faq.categories("en"); faq.entries(category="using")
    flows = load_flows()                               # {id: Flow}; FlowDataError on any problem
    steps = walk(flows["qr_not_reading"], parse_path("iphone,latest,safari,still_not"))
    validate_flows(flows)                              # -> [problem, ...]
    python -m faq.validate                             # CLI, exit 1 on problems
"""
from __future__ import annotations

from .entries import (LANGS, PROGRAMMES, FaqDataError, FaqEntry, FaqHit, FaqSet, load_faq, parse_faq)
from .flows import (STEP_KINDS, Choice, Flow, FlowDataError, FlowError, Step, find_flows, format_path,
                    load_flows, parse_flows, parse_path, validate_flows, walk)

__all__ = [
    "load_faq", "parse_faq", "FaqSet", "FaqEntry", "FaqHit", "FaqDataError",
    "load_flows", "parse_flows", "validate_flows", "walk", "parse_path", "format_path", "find_flows",
    "Flow", "Step", "Choice", "FlowDataError", "FlowError", "LANGS", "PROGRAMMES", "STEP_KINDS",
]
