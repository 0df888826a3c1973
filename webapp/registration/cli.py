"""`flask --app webapp renew-registrations`: the yearly renewal of partner registrations (each April 1)."""
from __future__ import annotations

import datetime as dt
import logging
import os
from itertools import groupby

import click
from flask import current_app

from ..extensions import db

log = logging.getLogger(__name__)


def send_renewal_mails(registrations, valid_until) -> tuple[int, int]:
    """One mail per contact (and language) listing the renewed facilities; returns (sent, failed)."""
    from . import mails
    sent = failed = 0
    key = lambda r: (r.email, r.lang)  # noqa: E731
    for (email, lang), regs in groupby(sorted(registrations, key=key), key=key):
        if mails.renewed(email, lang, list(regs), valid_until):
            sent += 1
        else:
            failed += 1
    return sent, failed


def init_app(app) -> None:
    @app.cli.command("renew-registrations")
    @click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Run as if today were this date (YYYY-MM-DD, Japan). Default: today.")
    @click.option("--base-url", default=lambda: os.environ.get("PUBLIC_BASE_URL", ""),
                  help="The site's address for links in the mails (default: $PUBLIC_BASE_URL). "
                       "Without it no mails are sent.")
    def renew_command(today, base_url):
        """Renew every listed passport facility to the end of this fiscal year (safe to run again)."""
        from ..timeutil import today_jst
        from .operations import registrations_of, renew_registrations
        day: dt.date = today.date() if today else today_jst()
        result = renew_registrations(db.session, day)
        db.session.commit()
        click.echo(f"FY{result.fiscal_year}: {len(result.renewed_ids)} registrations renewed until "
                   f"{result.valid_until.isoformat()} (run {result.runs} for this fiscal year).")
        registrations = [r for r in registrations_of(db.session, result.renewed_ids) if r.withdrawn_at is None]
        if not registrations:
            return
        if not base_url:
            click.echo(f"{len(registrations)} renewal mails not sent: give --base-url or set PUBLIC_BASE_URL.",
                       err=True)
            return
        with current_app.test_request_context("/", base_url=base_url):
            sent, failed = send_renewal_mails(registrations, result.valid_until)
        click.echo(f"Renewal mails: {sent} sent" + (f", {failed} failed (see the log)" if failed else "") + ".")
