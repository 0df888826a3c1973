"""The wallet's list: one item per (set, service), filtered and sorted as the family asked (plain Python)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import domain as d
from . import operations as ops
from .models import KIND_REDEEM

SORTS = ("expiry", "remaining", "name", "recent")


@dataclass
class WalletItem:
    coupon_set: object
    service: object
    remaining: int
    valid_until: dt.date | None
    usable: bool
    expiring: bool
    last_used: dt.datetime | None


def wallet_items(sets, services: dict, ledger: dict[int, list], remaining: dict[int, int], today: dt.date,
                 filters: dict, sort: str) -> list[WalletItem]:
    """Items after the filters (service, set, usable now, expiring within 30 days), in the chosen order, from
    each set's ledger rows already read (``ops.entries_by_set``)."""
    last_used: dict[tuple[int, str], dt.datetime] = {}
    for rows in ledger.values():
        for e in rows:
            if e.kind == KIND_REDEEM:
                key = (e.set_id, e.service_code)
                last_used[key] = max(e.created_at, last_used.get(key, e.created_at))
    items = []
    for s in sets:
        until_by_code = ops.validities(s, services, ledger[s.id])
        for code, service in services.items():
            if filters["service"] and code not in filters["service"]:
                continue
            if filters["set"] and s.id not in filters["set"]:
                continue
            until = until_by_code[code]
            usable = remaining[s.id] > 0 and (until is None or until >= today)
            expiring = usable and d.expiring_within(until, today, 30)
            if (filters["usable"] and not usable) or (filters["expiring"] and not expiring):
                continue
            items.append(WalletItem(s, service, remaining[s.id], until, usable, expiring,
                                    last_used.get((s.id, code))))
    far = dt.date.max
    keys = {
        "expiry": lambda i: (not i.usable, i.valid_until or far, i.service.sort_order),
        "remaining": lambda i: (-i.remaining, i.service.sort_order),
        "name": lambda i: (i.service.kana, i.coupon_set.id),
        "recent": lambda i: (i.last_used is None, -(i.last_used.timestamp() if i.last_used else 0)),
    }
    return sorted(items, key=keys[sort])
