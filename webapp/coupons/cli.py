"""Coupon commands: programmes from the reference file, serial-code batches, provider QR/passcodes."""
from __future__ import annotations

import datetime as dt
import json
import os

import click
from sqlalchemy import select

from ..extensions import db
from . import domain as d
from . import operations as ops
from .models import CouponProgramme

PROGRAMMES_FILE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "reference", "coupon_programmes.json")


def load_programmes(session) -> None:
    """Insert or update the coupon programmes and give every coupon provider its QR token and passcode."""
    from ..models import Facility
    with open(PROGRAMMES_FILE, encoding="utf-8") as f:
        rows = json.load(f)
    for row in rows:
        p = session.scalar(select(CouponProgramme).where(CouponProgramme.code == row["code"])) or CouponProgramme()
        p.code, p.name, p.name_en, p.fiscal_year = row["code"], row["name"], row["name_en"], row["fiscal_year"]
        p.face_value, p.coupons_per_set = int(row["face_value"]), int(row["coupons_per_set"])
        p.ends_on = dt.date.fromisoformat(row["ends_on"])
        p.child_born_from = dt.date.fromisoformat(row["child_born_from"])
        if p.face_value < 1 or p.coupons_per_set < 1 or p.ends_on < p.child_born_from:
            raise click.ClickException(f"bad coupon programme {row['code']}")
        session.add(p)
    session.flush()
    for facility in session.scalars(select(Facility).where(Facility.programme == "coupon")):
        ops.ensure_point(session, facility)
    session.flush()


def init_app(app) -> None:
    @app.cli.command("coupon-audit")
    def coupon_audit():
        """Re-derive every coupon set's balance from the ledger and check that the whole ledger balances."""
        audit = ops.audit_ledger(db.session)
        click.echo(f"sets {audit.sets}: issued {audit.issued} - redeemed {audit.redeemed} + reversed "
                   f"{audit.reversed} = remaining {audit.balance}")
        for problem in audit.problems:
            click.echo("PROBLEM " + problem, err=True)
        if not audit.balances:
            raise click.ClickException("the coupon ledger does not balance")
        click.echo("The ledger balances.")

    @app.cli.command("coupon-serials")
    @click.argument("programme_code")
    @click.argument("count", type=click.IntRange(1, 100_000))
    @click.option("--note", default="")
    def coupon_serials(programme_code, count, note):
        """Generate COUNT serial codes for a programme and print them (one per line, grouped)."""
        programme = db.session.scalar(select(CouponProgramme).where(CouponProgramme.code == programme_code))
        if programme is None:
            raise click.ClickException(f"no programme {programme_code}; run init-db")
        batch = ops.create_batch(db.session, programme, count, note)
        db.session.commit()
        from .models import SerialCode
        for code in db.session.scalars(select(SerialCode.code).where(SerialCode.batch_id == batch.id)):
            click.echo(d.format_serial(code))
