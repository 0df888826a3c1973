"""Cron commands: `flask send-reminders` (daily) and `flask send-partner-digest` (weekly). Both take the day
as a parameter, are safe to run twice (the sent-log), and catch up after a missed run."""
from __future__ import annotations

import datetime as dt
import os

import click
from flask import current_app

from ..extensions import db

TODAY = click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                     help="Run as if today were this date (YYYY-MM-DD, Japan). Default: today.")
BASE_URL = click.option("--base-url", default=lambda: os.environ.get("PUBLIC_BASE_URL", ""),
                        help="The site's address for links in the mails (default: $PUBLIC_BASE_URL).")


def _day(today) -> dt.date:
    from ..timeutil import today_jst
    return today.date() if today else today_jst()


def _report(name: str, result, stuck: int) -> None:
    click.echo(f"{name}: {result.sent} sent, {result.already} already sent, {result.off} stopped by the family, "
               f"{result.failed} failed (retried on the next run), {result.rejected} refused by the server.")
    for line in result.errors:
        click.echo(f"  {line}", err=True)
    if stuck:
        click.echo(f"  {stuck} reminders were claimed by a run that did not finish: check the mail log.", err=True)


def _run(kind: str, today, base_url) -> None:
    from . import mails
    from . import operations as ops
    if not base_url:
        raise click.UsageError("give --base-url or set PUBLIC_BASE_URL (the links in the mails need it)")
    day = _day(today)
    delay = float(current_app.config.get("REMINDER_RETRY_DELAY", ops.RETRY_DELAY))
    with current_app.test_request_context("/", base_url=base_url):
        if kind == "reminders":
            result = ops.send_reminders(db.session, day, mails.reminder, delay=delay)
        else:
            result = ops.send_digests(db.session, day, mails.digest, delay=delay)
        _report(kind, result, ops.stuck(db.session))
    db.session.commit()
    if result.failed or result.rejected:
        raise SystemExit(1)  # cron mails the operator


def init_app(app) -> None:
    @app.cli.command("send-reminders")
    @TODAY
    @BASE_URL
    def send_reminders_command(today, base_url):
        """Send the coupon and passport expiry reminders due today (daily; safe to run again)."""
        _run("reminders", today, base_url)

    @app.cli.command("send-partner-digest")
    @TODAY
    @BASE_URL
    def send_partner_digest_command(today, base_url):
        """Send the weekly digest of newly approved partner facilities (weekly; safe to run again)."""
        _run("digest", today, base_url)
