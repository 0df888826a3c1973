"""Helpers shared by the blueprints (pagination, localized names, charts).

They live below every blueprint: a blueprint may import from here, nothing here imports a blueprint."""


def init_app(app) -> None:
    """Register the shared template helpers."""
    from . import labels, timefmt
    labels.init_app(app)
    timefmt.init_app(app)
