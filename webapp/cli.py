"""`flask --app webapp ...` commands: database set-up, demo data, import/export, search index."""
from __future__ import annotations

import json
import logging
import os
import sys
import time

import click
from flask import current_app
from sqlalchemy import select

from .extensions import db

log = logging.getLogger(__name__)
DEMO_FILE = os.path.join(os.path.dirname(__file__), "demo", "facilities.json")


def load_reference_data(session) -> None:
    """Insert or update the reference tables and the Matsumoto coupon places from the data files."""
    from .models import Amenity, BenefitKind, Category, CouponService, Municipality
    from .reference import load_all
    from .facilities.importing import load_records

    data = load_all()
    for i, m in enumerate(data["municipalities"]):
        session.merge(Municipality(code=m["code"], name=m["name"], kana=m["kana"], name_en=m["name_en"],
                                   prefecture=m["prefecture"], facility_eligible=m["facility_eligible"],
                                   lat=m["lat"], lon=m["lon"], sort_order=i))
    for i, c in enumerate(data["categories"]):
        session.merge(Category(code=c["code"], name=c["name"], name_en=c["name_en"], kana=c["kana"], sort_order=i))
    for i, a in enumerate(data["amenities"]):
        session.merge(Amenity(code=a["code"], name=a["name"], name_en=a["name_en"], kana=a["kana"],
                              aliases="|".join(a.get("aliases", [])), sort_order=i))
    for i, b in enumerate(data["benefit_kinds"]):
        session.merge(BenefitKind(code=b["code"], name=b["name"], name_en=b["name_en"],
                                  description=b.get("description", ""), description_en=b.get("description_en", ""),
                                  sort_order=i))
    for i, s in enumerate(data["matsumoto"]["services"]):
        session.merge(CouponService(code=s["code"], name=s["name"], name_en=s["name_en"], kana=s["kana"],
                                    description=s.get("description", ""), description_en=s.get("description_en", ""),
                                    sort_order=i))
    session.flush()
    from .reference import coupon_place_records
    report = load_records(session, coupon_place_records())
    if report.errors:
        raise click.ClickException(f"coupon places: {report.errors}")
    from .coupons.cli import load_programmes
    load_programmes(session)


def init_db() -> str:
    """Bring the schema up to date with the migrations (a fresh database and an existing one alike), then load
    the reference data. Returns what the migrations did."""
    from .dbutil import upgrade_schema
    done = upgrade_schema()
    log.info("schema: %s", done)
    load_reference_data(db.session)
    db.session.commit()
    return done


def load_demo() -> tuple[int, int]:
    from .facilities.importing import load_records
    with open(DEMO_FILE, encoding="utf-8") as f:
        rows = json.load(f)
    report = load_records(db.session, rows)
    if report.errors:
        db.session.rollback()
        raise click.ClickException(f"demo data rejected: {report.errors[:5]}")
    db.session.commit()
    return report.created, report.updated


DEMO_PASSWORD = "demo-password-kosodate"


def seed_demo_accounts() -> list[str]:
    """Demo accounts for every role (development only), a claimed coupon set and spare serial codes."""
    import datetime as dt

    from .accounts.models import Child, User
    from .accounts.operations import find_user, new_passport_number
    from .accounts.passwords import hash_password
    from .coupons import domain as cd
    from .coupons import operations as cops
    from .coupons.models import CouponProgramme, ProviderStaff, SerialCode
    from .models import Facility

    lines = [f"Demo accounts (password: {DEMO_PASSWORD}):"]
    programme = db.session.scalar(select(CouponProgramme).order_by(CouponProgramme.fiscal_year.desc()))
    for email, role in (("family@demo.kosodate.jp", "family"), ("provider@demo.kosodate.jp", "provider"),
                        ("agent@demo.kosodate.jp", "agent"), ("admin@demo.kosodate.jp", "admin")):
        user = find_user(db.session, email)
        if user is None:
            user = User(email=email, password_hash=hash_password(DEMO_PASSWORD), role=role,
                        name={"family": "松本 さくら", "provider": "こどもプラザ 受付", "agent": "窓口 担当",
                              "admin": "事務局 管理"}[role], name_kana="デモ")
            db.session.add(user)
            db.session.flush()
            if role == "family":
                user.municipality_code = "142051"
                user.passport_number = new_passport_number(db.session)
                user.children.append(Child(name="はると", birth_date=dt.date(2024, 6, 12)))
                db.session.flush()
                code = cops.create_batch(db.session, programme, 1, "demo family").id
                serial = db.session.scalar(select(SerialCode.code).where(SerialCode.batch_id == code))
                cops.claim(db.session, user, serial, user.children[0].id, dt.date(2024, 6, 12), False,
                           dt.date.today())
            if role == "provider":
                plaza = db.session.scalar(select(Facility).where(Facility.external_id == "mat-kodomo-plaza-tsukama"))
                if plaza is not None:
                    db.session.add(ProviderStaff(user_id=user.id, facility_id=plaza.id))
        lines.append(f"  {role:8} {email}")
    batch = cops.create_batch(db.session, programme, 3, "demo spare codes")
    db.session.commit()
    codes = db.session.scalars(select(SerialCode.code).where(SerialCode.batch_id == batch.id)).all()
    lines.append(f"Spare serial codes ({programme.code}): " + ", ".join(cd.format_serial(c) for c in codes))
    return lines


def init_app(app) -> None:
    @app.cli.command("init-db")
    def init_db_command():
        """Create or upgrade the tables (migrations) and load the reference data."""
        done = init_db()
        click.echo(f"Database ready ({done}): " + _masked_url())

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the demo partner facilities (safe to run again: updates by 施設ID)."""
        init_db()
        created, updated = load_demo()
        click.echo(f"Demo facilities: {created} created, {updated} updated.")
        for line in seed_demo_accounts():
            click.echo(line)

    @app.cli.command("generate-facilities")
    @click.argument("count", type=click.IntRange(1, 1_000_000))
    @click.option("--seed", default=0, show_default=True)
    def generate_command(count, seed):
        """Synthesise COUNT facilities (for benchmarks)."""
        from .demo.synth import generate
        from .facilities.importing import load_records
        init_db()
        started, done = time.perf_counter(), 0
        batch = []
        for row in generate(count, seed=seed):
            batch.append(row)
            if len(batch) == 1000:
                done += _load_batch(batch, load_records)
                batch = []
        if batch:
            done += _load_batch(batch, load_records)
        click.echo(f"{done} facilities generated in {time.perf_counter() - started:.1f}s.")

    @app.cli.command("import-facilities")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Check the file without saving.")
    def import_command(path, dry_run):
        """Import the facility CSV (open-data standard columns plus ours); bad rows are reported, not saved."""
        from .facilities.csvio import import_csv
        with open(path, "rb") as f:
            data = f.read()
        report = import_csv(db.session, data)
        for line, field, message in report.errors:
            click.echo(f"line {line}: {field}: {message}", err=True)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        click.echo(f"{report.created} created, {report.updated} updated, {len(report.error_lines)} rows rejected"
                   + (" (dry run: nothing saved)" if dry_run else "") + ".")
        if report.errors:
            sys.exit(1 if not (report.created or report.updated) else 0)

    @app.cli.command("export-facilities")
    @click.argument("path", type=click.Path(dir_okay=False, writable=True))
    @click.option("--format", "fmt", type=click.Choice(["csv", "geojson"]), default=None,
                  help="Default: from the file name (.geojson/.json → GeoJSON).")
    def export_command(path, fmt):
        """Export all facilities as CSV (the import format) or GeoJSON."""
        from .facilities.csvio import export_csv, export_geojson
        fmt = fmt or ("geojson" if path.endswith((".geojson", ".json")) else "csv")
        data = export_csv(db.session) if fmt == "csv" else export_geojson(db.session)
        mode = "w"
        with open(path, mode, encoding="utf-8", newline="") as f:
            f.write(data)
        click.echo(f"Exported to {path} ({fmt}).")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(["family", "provider", "agent", "admin"]), required=True)
    @click.option("--name", default="")
    @click.password_option(help="Prompted for (twice) when not given.")
    def create_user_command(email, role, name, password):
        """Create a staff account (agent, admin, provider) or a family account without the sign-up mail."""
        from .accounts.emails import EmailError, normalize_email
        from .accounts.models import User
        from .accounts.operations import find_user
        from .accounts.passwords import hash_password, password_problems
        try:
            email = normalize_email(email)
        except EmailError as e:
            raise click.ClickException(e.message) from None
        problems = password_problems(password, email)
        if problems:
            raise click.ClickException(problems[0])
        if find_user(db.session, email):
            raise click.ClickException("That e-mail address already has an account.")
        from .accounts.operations import new_passport_number
        db.session.add(User(email=email, password_hash=hash_password(password), role=role, name=name,
                            passport_number=new_passport_number(db.session) if role == "family" else None))
        db.session.commit()
        click.echo(f"Created {role} account {email}.")

    @app.cli.command("reindex")
    def reindex_command():
        """Rebuild the search index from the database and swap it in atomically."""
        from .indexing import get_index, rebuild_index
        stats = rebuild_index(db.session, get_index(), procs=min(os.cpu_count() or 1, 4))
        click.echo(f"Indexed {stats.documents} facilities in {stats.seconds:.1f}s "
                   f"({stats.size_bytes / 1e6:.1f} MB) at {stats.path}.")

    @app.cli.command("index-worker")
    @click.option("--interval", default=1.0, show_default=True, help="Seconds between polls.")
    @click.option("--once", is_flag=True, help="Apply pending changes and exit.")
    @click.option("--parent-pid", type=int, default=None, help="Exit when this process (e.g. gunicorn) is gone.")
    def index_worker_command(interval, once, parent_pid):
        """Run the single indexing process that applies the change log to the search index."""
        from .indexing import run_worker
        run_worker(current_app._get_current_object(), interval=interval, once=once, parent_pid=parent_pid)


# -- every command that needs the tables says what to run instead of a traceback ----------------------------
# Commands that create the schema themselves (or need no database).
SCHEMA_EXEMPT = {"init-db", "seed-demo", "generate-facilities", "db", "run", "shell", "routes", "translate"}
INIT_HINT = "run `flask --app webapp init-db` first"


def schema_problem() -> str | None:
    """Why the database cannot serve the commands (unreachable, no tables, some tables missing), or None."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError
    try:
        present = set(inspect(db.engine).get_table_names())
    except SQLAlchemyError as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        return f"cannot reach the database at {_masked_url()}: {reason}"
    missing = sorted(set(db.metadata.tables) - present)
    if not missing:
        from .dbutil import schema_behind
        behind = schema_behind() if "alembic_version" in present else None
        if behind:
            return (f"the database at {_masked_url()} has schema revision {behind}, older than this code's: "
                    "run `flask --app webapp init-db` to upgrade it.")
        return None
    if len(missing) == len(db.metadata.tables):
        return f"the database at {_masked_url()} has no tables: {INIT_HINT}."
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return f"the database at {_masked_url()} lacks tables ({shown}): run `flask --app webapp init-db` to upgrade it."


def _is_missing_table(error) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def require_schema(callback):
    """Wrap a command so that it stops with one line (exit 1) when the database is not ready for it."""
    import functools

    from flask.cli import with_appcontext
    from sqlalchemy.exc import DBAPIError

    @functools.wraps(callback)
    @with_appcontext
    def guarded(*args, **kwargs):
        problem = schema_problem()
        if problem:
            raise click.ClickException(problem)
        try:
            return callback(*args, **kwargs)
        except DBAPIError as e:
            if _is_missing_table(e):
                raise click.ClickException(f"the database lacks a table this command needs: {INIT_HINT}.") from None
            raise
    return guarded


def guard_commands(app) -> None:
    """Apply ``require_schema`` to every command registered on the app (called once, after all are)."""
    for name, command in app.cli.commands.items():
        if name in SCHEMA_EXEMPT or isinstance(command, click.Group) or getattr(command, "_schema_guarded", False):
            continue
        command.callback = require_schema(command.callback)
        command._schema_guarded = True


def _load_batch(batch, load_records) -> int:
    report = load_records(db.session, batch)
    db.session.commit()
    return report.created + report.updated


def _masked_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)
