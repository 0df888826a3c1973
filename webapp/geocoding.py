"""Coordinates for facilities that come without them (the partner web form, CSV rows with empty 緯度/経度).

A geocoder is anything with ``geocode(address, municipality_code) -> Location | None`` (the :class:`Geocoder`
protocol; plain Python, no Flask). The built-in :class:`MunicipalityGeocoder` works offline: it gives the
municipality's reference point from the reference data (``webapp/reference/municipalities.json``, the same point
the search uses for "near this area") and marks it approximate, which the facility page and the map say.

A real geocoder is plugged in by configuration: ``GEOCODER = "package.module:factory"`` (or
``package.module.factory``), a callable taking the app's config and returning a geocoder. A result it marks
exact is stored as the facility's own position; when it finds nothing, the municipality's point is used."""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Callable, Mapping, Protocol, runtime_checkable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    approximate: bool = True


@runtime_checkable
class Geocoder(Protocol):
    def geocode(self, address: str, municipality_code: str) -> Location | None:
        """The position of ``address`` (written from the municipality on, e.g. 藤沢市鵠沼石上1-1-1) in the
        municipality ``municipality_code``; None when unknown."""


class MunicipalityGeocoder:
    """Offline: the municipality's reference point, always approximate."""

    def __init__(self, points: Mapping[str, tuple[float, float]]):
        self.points = dict(points)

    def geocode(self, address: str, municipality_code: str) -> Location | None:
        point = self.points.get(municipality_code)
        return Location(point[0], point[1], approximate=True) if point else None


class FallbackGeocoder:
    """``primary`` first; the municipality's point when it finds nothing or fails."""

    def __init__(self, primary: Geocoder, fallback: Geocoder):
        self.primary, self.fallback = primary, fallback

    def geocode(self, address: str, municipality_code: str) -> Location | None:
        try:
            found = self.primary.geocode(address, municipality_code)
        except Exception:  # a remote service down must not stop an approval or an import
            log.exception("geocoder %r failed for %s", self.primary, municipality_code)
            found = None
        return found or self.fallback.geocode(address, municipality_code)


def import_object(path: str):
    """The object named by a dotted path, ``pkg.module:name`` or ``pkg.module.name``."""
    module, sep, name = path.partition(":")
    if not sep:
        module, _, name = path.rpartition(".")
    if not module or not name:
        raise ValueError(f"GEOCODER must be a dotted path such as 'package.module:factory', not {path!r}")
    return getattr(importlib.import_module(module), name)


def make_geocoder(points: Mapping[str, tuple[float, float]], dotted_path: str | None = None,
                  config: Mapping | None = None) -> Geocoder:
    """The configured geocoder (with the municipality fallback), or the offline one."""
    offline = MunicipalityGeocoder(points)
    if not dotted_path:
        return offline
    factory: Callable = import_object(dotted_path)
    primary = factory(config or {})
    if not isinstance(primary, Geocoder):
        raise TypeError(f"GEOCODER {dotted_path!r} did not return an object with a geocode() method")
    return FallbackGeocoder(primary, offline)


def reference_points() -> dict[str, tuple[float, float]]:
    """Municipality code -> its (lat, lon) in the reference data."""
    from .reference import load_all
    return {m["code"]: (float(m["lat"]), float(m["lon"])) for m in load_all()["municipalities"]}


def current_geocoder() -> Geocoder:
    """The app's geocoder (``GEOCODER`` in the config), built once per app; the offline one outside an app."""
    from flask import current_app, has_app_context
    if not has_app_context():
        return MunicipalityGeocoder(reference_points())
    app = current_app._get_current_object()
    geocoder = app.extensions.get("geocoder")
    if geocoder is None:
        geocoder = make_geocoder(reference_points(), app.config.get("GEOCODER"), app.config)
        app.extensions["geocoder"] = geocoder
    return geocoder
