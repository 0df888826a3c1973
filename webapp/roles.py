"""The one role check: every agent, admin and provider route goes through ``role_required``."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from .extensions import login_manager


def role_required(*roles: str):
    """Allow only logged-in users with one of ``roles``: anonymous users go to the login page, others get 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_roles = roles
        return wrapped
    return decorator
