"""全国共通展開 (nationwide mutual use of child-rearing support passports): the help pages, and the list of
prefectures where a Kanagawa passport is accepted, read from a versioned JSON file validated when loaded.

The file (``data/nationwide_prefectures.json``) is the programme office's to keep: until it is ``confirmed``
(with a ``source``), the page says that the list is being confirmed instead of listing anything as fact."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from flask import render_template

from .views import bp
from . import content

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "nationwide_prefectures.json")
SCHEMA_VERSION = 1
KANAGAWA = "14"
_PREFECTURE_NAME = re.compile(r"^.{1,3}[都道府県]$")


class NationwideDataError(ValueError):
    """The prefecture list file is malformed (the message names the place)."""


@dataclass(frozen=True)
class Prefecture:
    code: str
    name: str
    name_en: str
    passport_name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class PrefectureList:
    version: int
    updated: str
    confirmed: bool
    source: str | None
    prefectures: tuple[Prefecture, ...]


def parse_prefecture_list(data) -> PrefectureList:
    """Validate the decoded file; raises NationwideDataError."""
    if not isinstance(data, dict):
        raise NationwideDataError("the file must hold a JSON object")
    if data.get("version") != SCHEMA_VERSION:
        raise NationwideDataError(f"version must be {SCHEMA_VERSION}, not {data.get('version')!r}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data.get("updated") or "")):
        raise NationwideDataError("updated must be a date YYYY-MM-DD")
    status = data.get("status")
    if status not in ("confirmed", "unconfirmed"):
        raise NationwideDataError("status must be 'confirmed' or 'unconfirmed'")
    rows = data.get("prefectures")
    if not isinstance(rows, list):
        raise NationwideDataError("prefectures must be a list")
    source = data.get("source")
    if status == "confirmed" and not (isinstance(source, str) and source.strip()):
        raise NationwideDataError("a confirmed list needs its source")
    seen: set[str] = set()
    out = []
    for i, row in enumerate(rows):
        where = f"prefectures[{i}]"
        if not isinstance(row, dict):
            raise NationwideDataError(f"{where} must be an object")
        unknown = set(row) - {"code", "name", "name_en", "passport_name", "url"}
        if unknown:
            raise NationwideDataError(f"{where}: unknown keys {sorted(unknown)}")
        code = row.get("code")
        if not (isinstance(code, str) and re.fullmatch(r"\d{2}", code) and 1 <= int(code) <= 47):
            raise NationwideDataError(f"{where}: code must be a JIS prefecture code '01'-'47'")
        if code == KANAGAWA:
            raise NationwideDataError(f"{where}: Kanagawa itself is not an other prefecture")
        if code in seen:
            raise NationwideDataError(f"{where}: duplicate code {code}")
        seen.add(code)
        name, name_en = row.get("name"), row.get("name_en")
        if not (isinstance(name, str) and _PREFECTURE_NAME.match(name)):
            raise NationwideDataError(f"{where}: name must be the prefecture's name (…都/道/府/県)")
        if not (isinstance(name_en, str) and name_en.strip()):
            raise NationwideDataError(f"{where}: name_en is required")
        url = row.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith("https://")):
            raise NationwideDataError(f"{where}: url must start with https://")
        passport = row.get("passport_name")
        if passport is not None and not (isinstance(passport, str) and passport.strip()):
            raise NationwideDataError(f"{where}: passport_name must be text")
        out.append(Prefecture(code, name, name_en.strip(), passport, url))
    out.sort(key=lambda p: p.code)
    return PrefectureList(SCHEMA_VERSION, data["updated"], status == "confirmed", source, tuple(out))


def load_prefecture_list(path: str = DATA_FILE) -> PrefectureList:
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as exc:
            raise NationwideDataError(f"{os.path.basename(path)} is not valid JSON: {exc}") from exc
    return parse_prefecture_list(data)


@lru_cache(maxsize=4)
def prefecture_list(path: str = DATA_FILE) -> PrefectureList:
    return load_prefecture_list(path)


@bp.route("/nationwide")
def nationwide():
    """How the nationwide mutual use works, for visiting families and for facilities."""
    return render_template("help/nationwide.html", lang=content.lang())


@bp.route("/nationwide/kanagawa")
def nationwide_kanagawa():
    """For Kanagawa families: where their passport is accepted outside the prefecture."""
    return render_template("help/nationwide_kanagawa.html", data=prefecture_list(), lang=content.lang())
