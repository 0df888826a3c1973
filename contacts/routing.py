"""Who to call, in order: from a service, a place (provider or department), a troubleshooting flow's outcome
or the kind of question. System questions (login, QR code, e-mail) go to the support center; a service's
registration and use go to that service's contacts in the seed's order (the responsible department first)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from .directory import SUPPORT_CENTER_ID, Contact, Directory, UnknownContact
from .hours import now_in_japan, to_japan_time

log = logging.getLogger(__name__)

TOPICS = ("system", "service")

_SYSTEM_WHY = ("ログイン・QRコード・メールなど、システムの操作に関する窓口です。",
               "Help desk for the system: logging in, QR codes, e-mail and using the portal.")


@dataclass(frozen=True)
class Route:
    """One contact to call, with the reason. ``open_now`` is None when the contact's hours are unknown;
    ``next_open`` is set only when hours are known and it is closed at the time asked about."""

    contact_id: str
    kind: str
    name: str
    name_en: str
    phone: str
    tel: str
    why: str
    why_en: str
    open_now: bool | None
    next_open: datetime | None = None
    hours: str | None = None
    hours_en: str | None = None

    def to_dict(self) -> dict:
        """A JSON-ready dict (``next_open`` as ISO 8601)."""
        d = dict(self.__dict__)
        d["next_open"] = self.next_open.isoformat() if self.next_open else None
        return d


def _make(contact: Contact, why: tuple[str, str], at: datetime) -> Route:
    open_now = contact.is_open(at)
    next_open = contact.hours.next_open(at) if open_now is False and contact.hours is not None else None
    return Route(contact_id=contact.id, kind=contact.kind, name=contact.name, name_en=contact.name_en,
                 phone=contact.phone, tel=contact.tel, why=why[0], why_en=why[1], open_now=open_now,
                 next_open=next_open,
                 hours=contact.hours.describe("ja") if contact.hours else None,
                 hours_en=contact.hours.describe("en") if contact.hours else None)


def _service_whys(directory: Directory, code: str) -> list[tuple[str, tuple[str, str]]]:
    svc = directory.service(code)
    out = []
    for contact in directory.contacts_for(code):
        if contact.kind == "department":
            why = (f"{svc.name}の担当課です。事前登録や利用の申請、制度について。",
                   f"City division in charge of {svc.name_en}: registration, applications and the rules.")
        else:
            why = (f"{svc.name}を提供している施設です。利用した日の内容やクーポンの枚数について。",
                   f"Provides {svc.name_en}: questions about a visit and the coupons used there.")
        out.append((contact.id, why))
    return out


def _place_whys(directory: Directory, place_id: str) -> list[tuple[str, tuple[str, str]]]:
    place = directory.contact(place_id)
    out = [(place.id, ("お問い合わせの施設・窓口です。", "The place you asked about."))]
    for code in place.services:
        svc = directory.service(code)
        for contact in directory.contacts_for(code):
            if contact.kind == "department":
                out.append((contact.id, (f"{svc.name}を担当する市の課です。",
                                         f"City division in charge of {svc.name_en}.")))
    return out


def _target_whys(directory: Directory, target: str) -> list[tuple[str, tuple[str, str]]]:
    if target == SUPPORT_CENTER_ID:
        return [(SUPPORT_CENTER_ID, _SYSTEM_WHY)]
    if target in directory.services:
        return _service_whys(directory, target)
    if target in directory.places:
        return _place_whys(directory, target)
    raise UnknownContact(f"unknown contact id or service code {target!r}")


def route(directory: Directory, service: str | None = None, place_id: str | None = None,
          flow_outcome=None, at: datetime | None = None, topic: str | None = None) -> list[Route]:
    """Whom to call, in order, without duplicates.

    ``flow_outcome`` is a contact id or service code (the ``contact`` of a flow's route step), or that step.
    ``topic="system"`` (login, QR, mail) puts the support center first; with a ``service`` and no
    ``topic="system"``, the service's contacts follow in the seed's order; a ``place_id`` gives that place and
    then the departments in charge of its services. With nothing given, the support center. Unknown ids raise
    UnknownContact; an unknown topic raises ValueError."""
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"topic must be one of {TOPICS}, not {topic!r}")
    at = to_japan_time(at) if at else now_in_japan()
    if flow_outcome is not None and not isinstance(flow_outcome, str):
        flow_outcome = getattr(flow_outcome, "contact", None)
        if not flow_outcome:
            raise UnknownContact("the flow outcome names no contact")
    wanted: list[tuple[str, tuple[str, str]]] = []
    if topic == "system":
        wanted.append((SUPPORT_CENTER_ID, _SYSTEM_WHY))
    if flow_outcome:
        wanted += _target_whys(directory, flow_outcome)
    if place_id:
        if place_id == SUPPORT_CENTER_ID or place_id not in directory.places:
            raise UnknownContact(f"unknown place id {place_id!r}")
        wanted += _place_whys(directory, place_id)
    if service:
        directory.service(service)  # raises for an unknown code even when the topic is "system"
        if topic != "system":
            wanted += _service_whys(directory, service)
    if not wanted:
        wanted.append((SUPPORT_CENTER_ID, _SYSTEM_WHY))
    seen: set[str] = set()
    routes = []
    for cid, why in wanted:
        if cid not in seen:
            seen.add(cid)
            routes.append(_make(directory.contact(cid), why, at))
    log.debug("route service=%s place=%s outcome=%s topic=%s -> %s", service, place_id, flow_outcome, topic,
              [r.contact_id for r in routes])
    return routes
