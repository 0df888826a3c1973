"""Names and labels in the page's language, shared by every blueprint and registered as template helpers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..domain.facility_record import format_days
from ..i18n import current_language

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BENEFIT_KINDS = {"otoku": _l("Savings"), "kokorokubari": _l("Care"), "setsubi": _l("Facilities")}


def is_english() -> bool:
    return current_language() == "en"


def localized(obj, attr: str = "name"):
    """``obj.<attr>_en`` when the page is in English and it exists, else ``obj.<attr>``."""
    if obj is None:
        return ""
    if is_english():
        value = getattr(obj, attr + "_en", None)
        if value:
            return value
    return getattr(obj, attr)


def benefit_name(code: str) -> str:
    """お得 / こころ配り / 設備 (Savings / Care / Facilities) for a benefit kind code."""
    return str(BENEFIT_KINDS.get(code, code))


def days_label(days: str) -> str:
    """Open days for display: 月火水木金 / Mon Tue Wed Thu Fri; every day as 毎日 / Every day."""
    if days == "0123456":
        return str(_l("Every day"))
    if is_english():
        return " ".join(WEEKDAYS_EN[int(d)] for d in days)
    return format_days(days)


def init_app(app) -> None:
    app.add_template_filter(localized, "loc")
    app.add_template_global(benefit_name)
    app.add_template_global(is_english)
    app.add_template_global(days_label)
