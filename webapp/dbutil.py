"""Database helpers shared by the models."""
from __future__ import annotations

import os

from sqlalchemy import DDL, Table, event

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def make_append_only(table: Table) -> None:
    """Have the database refuse UPDATE and DELETE on ``table`` (SQLite and PostgreSQL triggers, created with it)."""
    name = table.name
    sqlite = [DDL(f"CREATE TRIGGER IF NOT EXISTS {name}_no_{op.lower()} BEFORE {op} ON {name} "
                  f"BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END") for op in ("UPDATE", "DELETE")]
    postgres = [
        DDL(f"CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{name} is append-only'; END; $$ LANGUAGE plpgsql"),
        DDL(f"CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()"),
    ]
    for ddl in sqlite:
        event.listen(table, "after_create", ddl.execute_if(dialect="sqlite"))
    for ddl in postgres:
        event.listen(table, "after_create", ddl.execute_if(dialect="postgresql"))


def upgrade_schema() -> str:
    """Bring the database to the newest schema with the migrations; returns what was done.

    A database with the tables but no ``alembic_version`` was made before migrations existed (``init-db`` with
    ``create_all``): its schema is the baseline revision's, so it is marked as such and then upgraded."""
    from alembic.script import ScriptDirectory
    from flask_migrate import stamp, upgrade
    from sqlalchemy import inspect

    from .extensions import db

    tables = set(inspect(db.engine).get_table_names())
    script = ScriptDirectory(MIGRATIONS_DIR)
    done = ""
    if "alembic_version" not in tables and tables & set(db.metadata.tables):
        baseline = script.get_base()
        stamp(directory=MIGRATIONS_DIR, revision=baseline)
        done = f"marked the existing schema as revision {baseline}; "
    before = _current_revision(db.engine)
    upgrade(directory=MIGRATIONS_DIR)
    after = _current_revision(db.engine)
    return done + (f"upgraded {before or 'empty database'} -> {after}" if before != after else f"at {after}")


def _current_revision(engine) -> str | None:
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_behind() -> str | None:
    """The current revision when it is not the newest one (the database needs ``init-db``), else None."""
    from alembic.script import ScriptDirectory

    from .extensions import db
    current = _current_revision(db.engine)
    head = ScriptDirectory(MIGRATIONS_DIR).get_current_head()
    return current if current is not None and current != head else None


def stamp_head(engine) -> None:
    """Record the newest revision in a database whose tables were just made from the models (``create_all``,
    as the test fixtures do; the migrations test proves models and migrations agree)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    with engine.begin() as conn:
        MigrationContext.configure(conn).stamp(ScriptDirectory(MIGRATIONS_DIR), "head")
