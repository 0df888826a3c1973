"""The programme office's blueprint ``admin`` (URLs under /admin) and what its route modules share.

Every route is for the admin role (``admin_only`` on each one; a test walks the URL map to prove it). The routes
live in views.py (dashboard), review.py (applications), facilities.py (facilities, CSV) and content.py (notices,
users and roles); they import from here, never from each other."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, request

from ..accounts.models import ROLE_ADMIN
from ..extensions import db
from ..roles import role_required
from . import hooks

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_only = role_required(ROLE_ADMIN)
IMPORT_MAX_BYTES = 10 * 1024 * 1024


@bp.url_value_preprocessor
def _request_limits(endpoint, values):
    """Runs before the CSRF check reads the form: only the CSV upload may be larger than the site's limit."""
    if endpoint == "admin.import_facilities":
        request.max_content_length = IMPORT_MAX_BYTES


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


@bp.app_template_global()
def admin_extra_links():
    """Links other areas registered for the admin menu (see hooks.py)."""
    return hooks.admin_links(current_app.view_functions)


@bp.app_template_global()
def role_label(role: str) -> str:
    from .forms import ROLE_LABELS
    return str(ROLE_LABELS.get(role, role))


@bp.app_template_global()
def audience_label(audience: str) -> str:
    from .forms import AUDIENCE_LABELS
    return str(AUDIENCE_LABELS.get(audience, audience))


@bp.app_template_filter("municipality_name")
def municipality_name(code: str) -> str:
    from ..models import Municipality
    from ..web.labels import localized
    m = db.session.get(Municipality, code) if code else None
    return localized(m) if m is not None else (code or "")
