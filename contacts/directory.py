"""The Matsumoto coupon contact directory (contacts/data/matsumoto.json): services, the departments and
providers to call for each, and the support center with its opening hours. Validated when loaded."""
from __future__ import annotations

import json
import logging
import os
import re
from typing import Any
from dataclasses import dataclass, field
from datetime import datetime

from .hours import HoursError, WeeklyHours, now_in_japan

log = logging.getLogger(__name__)

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "matsumoto.json")
SUPPORTED_VERSIONS = (1,)
SUPPORT_CENTER_ID = "support_center"
PHONE_RE = re.compile(r"^0\d{1,4}-\d{1,4}-\d{4}$")
PLACE_KINDS = ("department", "provider")


class ContactsError(ValueError):
    """The directory file is unusable; ``problems`` lists every reason found."""

    def __init__(self, problems: list[str], path: str | None = None):
        self.problems = list(problems)
        where = f" in {path}" if path else ""
        super().__init__(f"{len(problems)} problem(s){where}:\n  - " + "\n  - ".join(problems))


class UnknownContact(LookupError):
    """A service code, place id or contact id that the directory does not know."""


def tel_uri(phone: str) -> str:
    """``tel:`` URI of a phone number as written in the directory (0263-34-3261 -> tel:0263343261)."""
    return "tel:" + re.sub(r"\D", "", phone)


@dataclass(frozen=True)
class Contact:
    """Someone to call: the support center, a city department or a provider (a nursery, a plaza...)."""

    id: str
    kind: str  # "support_center" | "department" | "provider"
    name: str
    name_en: str
    kana: str
    phone: str
    services: tuple[str, ...] = ()
    hours: WeeklyHours | None = None
    address: str | None = None
    postal_code: str | None = None
    description: str | None = None
    description_en: str | None = None

    @property
    def tel(self) -> str:
        """The ``tel:`` URI of :attr:`phone`."""
        return tel_uri(self.phone)

    def display_name(self, lang: str = "ja") -> str:
        """The name in ``lang`` ("ja" or "en")."""
        return self.name_en if lang == "en" and self.name_en else self.name

    def is_open(self, at: datetime | None = None) -> bool | None:
        """Open at ``at`` (default now); None when the directory does not know this contact's hours."""
        if self.hours is None:
            return None
        return self.hours.is_open(at or now_in_japan())


@dataclass(frozen=True)
class Service:
    """A coupon service (ファミリーサポートセンター, 一時預かり, ...) and its contacts in the seed's order."""

    code: str
    name: str
    name_en: str
    kana: str
    description: str
    description_en: str
    coupon_validity: str
    coupon_validity_en: str
    contacts: tuple[str, ...]

    def display_name(self, lang: str = "ja") -> str:
        """The name in ``lang`` ("ja" or "en")."""
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class Directory:
    """The loaded directory. ``places`` and ``services`` keep the file's order."""

    version: int
    support_center: Contact
    services: dict[str, Service] = field(default_factory=dict)
    places: dict[str, Contact] = field(default_factory=dict)

    def contact(self, contact_id: str) -> Contact:
        """The support center (id ``"support_center"``) or a place by id; raises UnknownContact."""
        if contact_id == SUPPORT_CENTER_ID:
            return self.support_center
        try:
            return self.places[contact_id]
        except KeyError:
            raise UnknownContact(f"unknown contact id {contact_id!r}") from None

    def service(self, code: str) -> Service:
        """A service by code; raises UnknownContact."""
        try:
            return self.services[code]
        except KeyError:
            raise UnknownContact(f"unknown service code {code!r}") from None

    def contacts_for(self, code: str) -> list[Contact]:
        """The contacts of a service, in the seed's order (the responsible department first)."""
        return [self.places[pid] for pid in self.service(code).contacts]

    def contact_ids(self) -> set[str]:
        """Every id a route may name: ``support_center``, the place ids and the service codes."""
        return {SUPPORT_CENTER_ID} | set(self.places) | set(self.services)

    def all_contacts(self) -> list[Contact]:
        """The support center followed by every place, in file order."""
        return [self.support_center, *self.places.values()]

    def is_open(self, at: datetime | None = None) -> bool:
        """Is the support center open at ``at`` (default now; naive = Japan time)?"""
        return self._center_hours().is_open(at or now_in_japan())

    def next_open(self, at: datetime | None = None) -> datetime:
        """When the support center next opens at or after ``at`` (aware, Japan time)."""
        return self._center_hours().next_open(at or now_in_japan())

    def _center_hours(self) -> WeeklyHours:
        hours = self.support_center.hours
        assert hours is not None  # the loader refuses a support center without hours
        return hours


# ------------------------------------------------------------------ loading and validation

def _text(obj: dict, key: str, where: str, problems: list[str]) -> str:
    """A required text; a problem is noted (and "" returned) when it is missing: the loader then refuses the file."""
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {key} must be a non-empty string")
        return ""
    return value


def _optional_text(obj: dict, key: str, where: str, problems: list[str]) -> str | None:
    return None if obj.get(key) is None else _text(obj, key, where, problems)


def _phone(obj: dict, where: str, problems: list[str]) -> str:
    phone = obj.get("phone")
    if not isinstance(phone, str) or not PHONE_RE.match(phone):
        problems.append(f"{where}: phone {phone!r} does not look like 0XX-XXXX-XXXX")
        return ""
    return phone


def parse_directory(data, path: str | None = None) -> Directory:
    """Build a :class:`Directory` from decoded JSON ``data``; raises ContactsError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ContactsError(["the file must hold a JSON object"], path)
    version: Any = data.get("version")
    if version not in SUPPORTED_VERSIONS:
        problems.append(f"version {version!r} is not one of {SUPPORTED_VERSIONS}")

    sc_raw = data.get("support_center")
    support_center = None
    if not isinstance(sc_raw, dict):
        problems.append("support_center is missing")
    else:
        hours = None
        try:
            hours = WeeklyHours.from_dict(sc_raw.get("hours"))
        except HoursError as e:
            problems.append(f"support_center: {e}")
        support_center = Contact(
            id=SUPPORT_CENTER_ID, kind="support_center",
            name=_text(sc_raw, "name", "support_center", problems),
            name_en=_text(sc_raw, "name_en", "support_center", problems),
            kana=sc_raw.get("kana", ""), phone=_phone(sc_raw, "support_center", problems), hours=hours,
            address=_optional_text(sc_raw, "address", "support_center", problems),
            postal_code=sc_raw.get("postal_code"), description=sc_raw.get("description"),
            description_en=sc_raw.get("description_en"))

    services: dict[str, Service] = {}
    for i, s in enumerate(data.get("services") or []):
        where = f"services[{i}]"
        code = _text(s, "code", where, problems)
        if code is None:
            continue
        where = f"service {code}"
        if code in services:
            problems.append(f"{where}: duplicate service code")
        contacts = s.get("contacts")
        if not isinstance(contacts, list) or not contacts:
            problems.append(f"{where}: contacts must be a non-empty list of place ids")
            contacts = []
        elif len(set(contacts)) != len(contacts):
            problems.append(f"{where}: contacts has duplicates")
        texts = {k: _text(s, k, where, problems) for k in (
            "name", "name_en", "kana", "description", "description_en",
            "coupon_validity", "coupon_validity_en")}
        services[code] = Service(code=code, contacts=tuple(contacts), **texts)
    if not services:
        problems.append("services must be a non-empty list")

    places: dict[str, Contact] = {}
    for i, p in enumerate(data.get("places") or []):
        pid = _text(p, "id", f"places[{i}]", problems)
        if pid is None:
            continue
        where = f"place {pid}"
        if pid in places:
            problems.append(f"{where}: duplicate place id")
        if pid == SUPPORT_CENTER_ID or pid in services:
            problems.append(f"{where}: id clashes with the support center or a service code")
        if p.get("kind") not in PLACE_KINDS:
            problems.append(f"{where}: kind must be one of {PLACE_KINDS}")
        svc = p.get("services")
        if not isinstance(svc, list) or not svc:
            problems.append(f"{where}: services must be a non-empty list")
            svc = []
        hours = None
        if p.get("hours") is not None:
            try:
                hours = WeeklyHours.from_dict(p["hours"])
            except HoursError as e:
                problems.append(f"{where}: {e}")
        places[pid] = Contact(
            id=pid, kind=p.get("kind", ""), name=_text(p, "name", where, problems),
            name_en=_text(p, "name_en", where, problems), kana=_text(p, "kana", where, problems),
            phone=_phone(p, where, problems), services=tuple(svc), hours=hours,
            address=p.get("address"), postal_code=p.get("postal_code"))

    for code, s in services.items():
        for pid in s.contacts:
            if pid not in places:
                problems.append(f"service {code}: contact {pid!r} is not a known place id")
            elif code not in places[pid].services:
                problems.append(f"service {code}: place {pid} does not list the service back")
    for pid, p in places.items():
        for code in p.services:
            if code not in services:
                problems.append(f"place {pid}: service {code!r} is not a known service code")
            elif pid not in services[code].contacts:
                problems.append(f"place {pid}: service {code} does not list the place among its contacts")

    if problems or support_center is None:
        raise ContactsError(problems or ["support_center is missing"], path)
    return Directory(version=version, support_center=support_center, services=services, places=places)


def load_directory(path: str | None = None) -> Directory:
    """Load and validate the directory (default: contacts/data/matsumoto.json); raises ContactsError."""
    path = path or DATA_FILE
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ContactsError([f"cannot read the file: {e}"], path) from e
    directory = parse_directory(data, path)
    log.debug("contacts: %d services, %d places from %s",
              len(directory.services), len(directory.places), path)
    return directory
