"""The provider's QR code and poster: the QR encodes the absolute URL of ``/r/<qr_token>`` on this site, so a
phone's own camera app lands on the redemption page; the passcode is the typed alternative.

The poster always carries Japanese instructions with English below, whatever the page language: it hangs at
the counter for every family."""
from __future__ import annotations

import io
import logging

import segno
from flask import render_template, request, url_for
from werkzeug.routing import BuildError

from ..coupons.models import ProviderPoint
from ..models import Facility

log = logging.getLogger(__name__)

# Instructions printed on the poster (fixed text: the poster is bilingual, not translated).
STEPS_JA = (
    "スマートフォンのカメラで、このQRコードを読み取ってください。",
    "読み取れないときは、こそだてポータルの「パスコードを入力する」から\n6桁のパスコードを入力してください。",
    "使う枚数を選んで確定し、完了画面をスタッフにお見せください。",
)
STEPS_EN = (
    "Scan this QR code with your phone's camera.",
    "If it does not scan, choose \u201cEnter the passcode\u201d in Kosodate Portal\n"
    "and type the 6-digit passcode.",
    "Choose how many coupons to use, confirm, and show the\ncompletion screen to the staff.",
)
TITLE_JA = "松本市 子育て支援クーポン"
TITLE_EN = "Matsumoto child-rearing support coupons"
NOTE_JA = "クーポンの換金・払い戻し・譲渡はできません。"
NOTE_EN = "Coupons cannot be exchanged for cash, refunded or transferred."


def qr_url(point: ProviderPoint) -> str:
    """The absolute URL the QR code encodes: the family side's QR landing page for this provider's token."""
    try:
        return url_for("coupons.qr_landing", token=point.qr_token, _external=True)
    except BuildError:  # the family blueprint is not registered in this app
        return request.host_url + "r/" + point.qr_token


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as an inline SVG (segno) that scales to its container (viewBox, no size)."""
    qr = segno.make(data, error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=1, border=2, xmldecl=False, svgns=True, omitsize=True, title="QR",
            dark="#111827", light="#ffffff")
    return buf.getvalue().decode("utf-8")


def name_font_size(name: str, width: float = 180.0, largest: float = 13.0) -> float:
    """A font size (mm) at which ``name`` fits on one line of ``width`` mm (CJK characters are 1 em wide)."""
    ems = sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in name) or 1.0
    return round(min(largest, width / ems), 2)


def svg_instructions(top: float = 204.0, left: float = 22.0) -> list[dict]:
    """The numbered instructions laid out for the SVG poster (SVG text does not wrap: the steps carry their
    line breaks), Japanese first, then English in smaller type."""
    out, y = [], top
    for steps, size, lang in ((STEPS_JA, 4.6, "ja"), (STEPS_EN, 3.6, "en")):
        for number, step in enumerate(steps, 1):
            for i, line in enumerate(step.split("\n")):
                out.append({"x": left if i == 0 else left + size * (1.6 if lang == "ja" else 1.1),
                            "y": round(y, 2), "size": size, "lang": lang,
                            "text": f"{number}. {line}" if i == 0 else line})
                y += size * 1.4
            y += size * 0.5
        y += 2.0
    return out


def context(facility: Facility, point: ProviderPoint) -> dict:
    """What both the HTML print page and the SVG poster show."""
    url = qr_url(point)
    return {"facility": facility, "point": point, "qr_url": url, "qr_svg": qr_svg(url),
            "steps_ja": [s.replace("\n", "") for s in STEPS_JA],
            "steps_en": [s.replace("\n", " ") for s in STEPS_EN], "title_ja": TITLE_JA, "title_en": TITLE_EN,
            "note_ja": NOTE_JA, "note_en": NOTE_EN}


def poster_svg(facility: Facility, point: ProviderPoint) -> str:
    """The printable A4 poster as a standalone SVG document."""
    return render_template("provider/poster.svg", name_size=name_font_size(facility.name),
                           lines=svg_instructions(), **context(facility, point))
