"""Provider commands: ``flask --app webapp link-provider EMAIL FACILITY_EXTERNAL_ID``."""
from __future__ import annotations

import logging

import click

from ..extensions import db

log = logging.getLogger(__name__)


def init_app(app) -> None:
    @app.cli.command("link-provider")
    @click.argument("email")
    @click.argument("facility_external_id")
    @click.option("--replace", is_flag=True, help="Move the account if it is linked to another provider.")
    def link_provider_command(email, facility_external_id, replace):
        """Link the provider account EMAIL to the coupon provider FACILITY_EXTERNAL_ID (施設ID, e.g.
        mat-komiya-hoikuen), so it sees that provider's redemptions, poster and settlement."""
        from .operations import LinkError, link_staff
        try:
            status, facility = link_staff(db.session, email, facility_external_id, replace=replace)
        except LinkError as e:
            db.session.rollback()
            raise click.ClickException(str(e)) from None
        db.session.commit()
        what = {"created": "Linked", "moved": "Moved", "unchanged": "Already linked:"}[status]
        click.echo(f"{what} {email} -> {facility.external_id} ({facility.name}).")
