"""Who may claim a coupon set, and who may use it.

From the manual: sets go to children born in or after April 2022 (2022年4月以降に生まれたお子さま), one set per
child, only the registered child may use it (no sharing between siblings), no reissue. The manual's other
condition — the child is not enrolled at a nursery (保育園等に在籍していない) — is checked by the city before it
sends a serial code (application via the city's official LINE account), so it is not a portal rule.

Each ``check_*`` function returns None when the rule is met, or the CouponError to show.
"""
from __future__ import annotations

import datetime as dt
from typing import Collection, Hashable

from .errors import N_, CouponError
from .services import PROGRAMME_START


def check_child_eligible(birth_date: dt.date, programme_start: dt.date = PROGRAMME_START, *,
                         today: dt.date | None = None) -> CouponError | None:
    """None for a child born on or after ``programme_start`` (2022-04-01); else the explanation.

    ``born_before_programme`` (params: ``programme_start``) for 2022-03-31 and earlier. With ``today``, a
    birth date after today is ``birth_date_in_future`` (a set is for a child already born)."""
    if birth_date < programme_start:
        return CouponError("birth_date", N_("Coupons are for children born on or after %(programme_start)s."),
                           "born_before_programme", {"programme_start": programme_start})
    if today is not None and birth_date > today:
        return CouponError("birth_date", N_("The birth date cannot be in the future."),
                           "birth_date_in_future")
    return None


def child_eligible(birth_date: dt.date, programme_start: dt.date = PROGRAMME_START, *,
                   today: dt.date | None = None) -> bool:
    """Whether a child born on ``birth_date`` can receive a set: born on or after 2022-04-01.

    The explanation when not: :func:`check_child_eligible`."""
    return check_child_eligible(birth_date, programme_start, today=today) is None


def check_claim(*, serial_claimed: bool, child_has_set: bool) -> CouponError | None:
    """The claim rules besides the birth date: a serial code is claimed once, ever; one set per child.

    ``serial_claimed``: the code was claimed before (by anyone, also by an account since deleted: claimed
    codes are never released, there is no reissue). ``child_has_set``: this child already holds a set."""
    if serial_claimed:
        return CouponError("serial", N_("This serial code has already been used."), "serial_already_claimed")
    if child_has_set:
        return CouponError("child", N_("This child already has a coupon set. Each child receives one set."),
                           "child_has_set")
    return None


def check_same_child(set_child_id: Hashable, child_id: Hashable) -> CouponError | None:
    """Only the child a set was claimed for may use it: siblings cannot share (``other_child``)."""
    if set_child_id == child_id:
        return None
    return CouponError("child", N_("These coupons belong to another child. Siblings cannot share coupons."),
                       "other_child")


def check_provider_service(service_code: str, provider_services: Collection[str]) -> CouponError | None:
    """A coupon of ``service_code`` can only be used at a provider of that service (``wrong_service``)."""
    if service_code in provider_services:
        return None
    return CouponError("service", N_("This provider does not offer the service of this coupon."),
                       "wrong_service")
