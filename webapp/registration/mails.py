"""Mails to applicants and registered facilities, in the language they applied in.

Each function sends after the caller has committed and returns False (logged) when the mail server fails:
the decision stands, and the page tells whoever acted that the mail did not go out."""
from __future__ import annotations

import logging
import smtplib

from flask import render_template, url_for
from flask_babel import force_locale, gettext as _

from ..domain.facility_record import N_
from ..mail import send_mail
from .links import manage_token, status_token

log = logging.getLogger(__name__)


def _send(to: str, lang: str, template: str, subject: str, **context) -> bool:
    with force_locale(lang or "ja"):
        body = render_template(f"registration/mail/{template}.txt", **context)
        subject = _(subject, **context.get("subject_args", {}))
    try:
        send_mail(to, subject, body)
    except (OSError, smtplib.SMTPException):
        log.exception("mail %s to %s failed", template, to)
        return False
    return True


def status_url(app) -> str:
    return url_for("registration.status", token=status_token(app.public_id), _external=True)


def manage_url(reg) -> str:
    return url_for("registration.manage", token=manage_token(reg.id, reg.link_version), _external=True)


def facility_url(facility) -> str:
    return url_for("search.facility", external_id=facility.external_id, _external=True)


def received(app, revised: bool = False) -> bool:
    """The acknowledgement, with the status link."""
    return _send(app.email, app.lang, "received", N_("[Kosodate Portal] We received your application %(ref)s"),
                 app=app, revised=revised, url=status_url(app), subject_args={"ref": app.reference})


def approved(app, registrations) -> bool:
    """Approval: each facility's public page, its registration period and its manage link."""
    places = [{"name": r.facility.name, "url": facility_url(r.facility), "manage_url": manage_url(r),
               "valid_until": r.facility.valid_until} for r in registrations]
    return _send(app.email, app.lang, "approved", N_("[Kosodate Portal] Your application %(ref)s is approved"),
                 app=app, places=places, url=status_url(app), subject_args={"ref": app.reference})


def rejected(app) -> bool:
    return _send(app.email, app.lang, "rejected", N_("[Kosodate Portal] About your application %(ref)s"),
                 app=app, url=status_url(app), subject_args={"ref": app.reference})


def changes_requested(app) -> bool:
    return _send(app.email, app.lang, "changes", N_("[Kosodate Portal] Please change your application %(ref)s"),
                 app=app, url=status_url(app), subject_args={"ref": app.reference})


def withdrawn(reg) -> bool:
    return _send(reg.email, reg.lang, "withdrawn", N_("[Kosodate Portal] %(name)s has left the passport programme"),
                 reg=reg, facility=reg.facility, subject_args={"name": reg.facility.name})


def renewed(email: str, lang: str, registrations, valid_until) -> bool:
    """One mail per contact listing each renewed facility with its manage link."""
    places = [{"name": r.facility.name, "url": facility_url(r.facility), "manage_url": manage_url(r)}
              for r in registrations]
    return _send(email, lang, "renewed", N_("[Kosodate Portal] Your passport registration is renewed"),
                 places=places, valid_until=valid_until)
