"""Programme administration (admin role): the review queue, facilities, notices, users and roles, CSV
import/export and the dashboard. ``init_app`` registers the blueprint (blueprint.py) with its route modules."""


def init_app(app) -> None:
    """Register the blueprint with all its route modules."""
    from . import content, facilities, review, views  # noqa: F401  (routes on bp)
    from .blueprint import bp
    app.register_blueprint(bp)
