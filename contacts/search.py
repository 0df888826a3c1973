"""Find contacts by name, reading, English name, service or phone digits (for the agents' console)."""
from __future__ import annotations

import re

from search_index.analysis import alternatives, normalize, words

from .directory import Contact, Directory


def _haystack(directory: Directory, contact: Contact) -> str:
    parts = [contact.name, contact.name_en, contact.kana]
    for code in contact.services:
        svc = directory.services.get(code)
        if svc:
            parts += [svc.name, svc.name_en, svc.kana]
    if contact.kind == "support_center":
        parts += ["サポートセンター", "システム", "support center", "help desk"]
    return " ".join(normalize(p) for p in parts if p)


def find_contacts(directory: Directory, text: str, limit: int = 20) -> list[Contact]:
    """Contacts whose name, kana, English name or services contain every word of ``text`` (folded like
    facility search), or whose phone number contains the digits typed (3 or more). Name matches come first."""
    digits = re.sub(r"\D", "", text or "")
    query = words(text or "")
    if not query:
        return []
    scored = []
    for order, contact in enumerate(directory.all_contacts()):
        phone_hit = len(digits) >= 3 and len(digits) == len(re.sub(r"[\s\-]", "", text)) \
            and digits in re.sub(r"\D", "", contact.phone)
        hay = _haystack(directory, contact)
        name = normalize(" ".join([contact.name, contact.name_en, contact.kana]))
        if not phone_hit and not all(any(a in hay for a in alternatives(w)) for w in query):
            continue
        in_name = sum(any(a in name for a in alternatives(w)) for w in query)
        scored.append((-(in_name + 2 * phone_hit), order, contact))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in scored[:limit]]
