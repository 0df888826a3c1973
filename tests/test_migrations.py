"""Schema migrations (Alembic through Flask-Migrate) on the suite's database (SQLite, or PostgreSQL with
TEST_DATABASE_URL): a fresh database and one made by the previous release reach the same schema, nothing is
lost on the way, the ledger stays append-only, and the models and the migrations agree."""
import os
import subprocess
import tarfile

import pytest
from sqlalchemy import MetaData, create_engine, inspect, select, text

from webapp.dbutil import MIGRATIONS_DIR
from webapp.extensions import db

from . import serverproc as sp
from .test_cli_schema import bare_app  # noqa: F401  (fixture: an app on a database without tables)


def _head():
    from alembic.script import ScriptDirectory
    return ScriptDirectory(MIGRATIONS_DIR).get_current_head()


def _diff(engine):
    """What alembic autogenerate would change to make the database match the models ([] when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)


def _revision(engine):
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _assert_ledger_append_only(engine):
    """UPDATE and DELETE of the ledger and the audit log are refused by the database itself."""
    from datetime import datetime

    from sqlalchemy.exc import DBAPIError
    with engine.begin() as conn:
        if not conn.execute(text("SELECT count(*) FROM support_audit_log")).scalar():
            conn.execute(text("INSERT INTO support_audit_log (agent_id, action, reason, client, created_at) "
                              "VALUES (1, 'search', 'test', '', :t)"), {"t": datetime(2026, 4, 1, 10, 0)})
        assert conn.execute(text("SELECT count(*) FROM coupon_ledger")).scalar()  # triggers fire per row
    for table in ("coupon_ledger", "support_audit_log"):
        for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with engine.connect() as conn:
                with pytest.raises(DBAPIError, match="append-only"):
                    conn.execute(text(sql))
                conn.rollback()


def test_fresh_database_gets_the_models_schema_and_the_triggers(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "upgraded empty database -> " + _head() in result.output
    with bare_app.app_context():
        assert _revision(db.engine) == _head()
        assert _diff(db.engine) == []
        seed = bare_app.test_cli_runner().invoke(args=["seed-demo"])
        assert seed.exit_code == 0, seed.output
        _assert_ledger_append_only(db.engine)
    again = bare_app.test_cli_runner().invoke(args=["init-db"])
    assert again.exit_code == 0 and f"at {_head()}" in again.output


def test_flask_db_upgrade_downgrade_and_upgrade_again(bare_app):
    runner = bare_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with bare_app.app_context():
        assert _diff(db.engine) == []
    assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    with bare_app.app_context():
        db.engine.dispose()
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with bare_app.app_context():
        db.engine.dispose()
        assert _revision(db.engine) == _head() and _diff(db.engine) == []


def test_a_database_behind_the_migrations_is_told_to_run_init_db(bare_app):
    runner = bare_app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with bare_app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
        db.session.commit()
    result = runner.invoke(args=["coupon-audit"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "schema revision older" in result.output and "init-db" in result.output


# -- a database made by the previous release ---------------------------------------------------------------
def _previous_release() -> str:
    """The last commit before migrations existed (HEAD itself while they are not committed yet)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=sp.ROOT, capture_output=True, text=True, timeout=60)
    try:
        added = git("log", "--diff-filter=A", "--format=%H", "--", "migrations/env.py")
    except FileNotFoundError:
        added = None
    if added is None or added.returncode != 0:
        if os.environ.get("CI") == "true":
            raise AssertionError("git history is needed to test the upgrade from the previous release")
        pytest.skip("not a git checkout")
    commits = added.stdout.split()
    rev = commits[-1] + "^" if commits else "HEAD"
    assert git("cat-file", "-e", f"{rev}:migrations/env.py").returncode != 0
    return rev


def _snapshot(url: str, columns: dict[str, list[str]] | None = None) -> tuple[dict, dict]:
    """Every row of every table (as text), by table, and each table's columns; with ``columns``, only those
    tables and columns (what an older schema had), so later migrations' additions are left out."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        rows, names = {}, {}
        with engine.connect() as conn:
            for name, table in meta.tables.items():
                if name == "alembic_version" or (columns is not None and name not in columns):
                    continue
                cols = [table.c[c] for c in columns[name]] if columns is not None else list(table.c)
                names[name] = [c.name for c in cols]
                rows[name] = sorted(tuple(str(v) for v in row) for row in conn.execute(select(*cols)))
        return rows, names
    finally:
        engine.dispose()


@pytest.mark.timeout(300)
def test_a_database_made_by_the_previous_release_upgrades_without_loss(tmp_path, bare_app):
    rev = _previous_release()
    old = tmp_path / "previous"
    old.mkdir()
    archive = tmp_path / "previous.tar"
    with open(archive, "wb") as f:
        subprocess.run(["git", "archive", rev, "webapp", "search_index", "faq", "contacts"], cwd=sp.ROOT,
                       stdout=f, check=True, timeout=120)
    with tarfile.open(archive) as t:
        t.extractall(old, filter="data")

    database = sp.Database(tmp_path)
    try:
        env = sp.base_env(database.url, str(tmp_path / "index"), KOSODATE_ENV="development", PYTHONPATH=str(old))
        made = subprocess.run([os.sys.executable, "-m", "flask", "--app", "webapp", "seed-demo"], cwd=old,
                              env=env, capture_output=True, text=True, timeout=240)
        assert made.returncode == 0, made.stderr[-3000:]
        assert "created" in made.stdout
        before, columns = _snapshot(database.url)
        assert before["facilities"] and before["coupon_ledger"] and before["users"]
        assert "alembic_version" not in inspect(create_engine(database.url)).get_table_names()

        upgraded = sp.flask(sp.base_env(database.url, str(tmp_path / "index")), "init-db")
        assert upgraded.returncode == 0, upgraded.stderr[-3000:]
        assert "marked the existing schema as revision 0001" in upgraded.stdout

        after, _ = _snapshot(database.url, columns)
        assert set(after) == set(before)  # every table and column of the previous release is still there
        for table in before:
            lost = set(before[table]) - set(after[table])
            assert not lost, (table, sorted(lost)[:3])
            if table != "search_changes":  # init-db reloads the coupon places, which logs them for the indexer
                assert after[table] == before[table], table
        engine = create_engine(database.url)
        try:
            assert _revision(engine) == _head()
            with bare_app.app_context():
                assert _diff(engine) == []
            _assert_ledger_append_only(engine)
        finally:
            engine.dispose()
    finally:
        database.drop()
