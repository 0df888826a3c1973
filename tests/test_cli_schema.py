"""Every command run against a database that is not ready (no tables, some missing, unreachable) stops with one
line saying what to run, never a traceback (issue 9 point 7)."""
import pytest
from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db

from .conftest import _drop_pg_schema, _make_app

# One invocation per command that needs the tables; a command added without an entry here fails the test below.
INVOCATIONS = {
    "import-facilities": lambda tmp: ["import-facilities", str(_csv(tmp))],
    "export-facilities": lambda tmp: ["export-facilities", str(tmp / "out.csv")],
    "create-user": lambda tmp: ["create-user", "agent@example.jp", "--role", "agent", "--password",
                                "窓口担当のながいパスワード"],
    "reindex": lambda tmp: ["reindex"],
    "index-worker": lambda tmp: ["index-worker", "--once"],
    "renew-registrations": lambda tmp: ["renew-registrations", "--today", "2026-04-01"],
    "link-provider": lambda tmp: ["link-provider", "provider@example.jp", "mat-komiya-hoikuen"],
    "coupon-audit": lambda tmp: ["coupon-audit"],
    "coupon-serials": lambda tmp: ["coupon-serials", "R7", "3"],
    "send-reminders": lambda tmp: ["send-reminders", "--today", "2026-12-01", "--base-url", "https://example.jp"],
    "send-partner-digest": lambda tmp: ["send-partner-digest", "--today", "2026-12-01",
                                        "--base-url", "https://example.jp"],
}


def _csv(tmp):
    path = tmp / "facilities.csv"
    path.write_text("施設ID,名称,市区町村名\nx-1,テスト,鎌倉市\n", encoding="utf-8")
    return path


@pytest.fixture
def bare_app(tmp_path):
    """An app on a database without any tables."""
    app = _make_app(tmp_path)
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        app.extensions["search_index"].close()
        db.engine.dispose()
    _drop_pg_schema(app)


def _assert_one_line_hint(result, *words):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_every_command_is_covered(bare_app):
    from webapp.cli import SCHEMA_EXEMPT
    needing = {name for name in bare_app.cli.commands if name not in SCHEMA_EXEMPT}
    assert needing == set(INVOCATIONS)


@pytest.mark.parametrize("name", sorted(INVOCATIONS))
def test_command_on_a_database_without_tables_says_run_init_db(bare_app, tmp_path, name):
    result = bare_app.test_cli_runner().invoke(args=INVOCATIONS[name](tmp_path))
    _assert_one_line_hint(result, "has no tables", "flask --app webapp init-db")


def test_command_on_a_database_missing_a_table_names_it(bare_app, tmp_path):
    with bare_app.app_context():
        db.create_all()
        from sqlalchemy import text

        from webapp.coupons.models import CouponProgramme
        cascade = " CASCADE" if db.engine.dialect.name == "postgresql" else ""
        db.session.execute(text(f"DROP TABLE {CouponProgramme.__tablename__}{cascade}"))
        db.session.commit()
    result = bare_app.test_cli_runner().invoke(args=["coupon-audit"])
    _assert_one_line_hint(result, CouponProgramme.__tablename__, "init-db")


def test_commands_that_create_the_schema_work_on_an_empty_database(bare_app):
    runner = bare_app.test_cli_runner()
    result = runner.invoke(args=["generate-facilities", "3"])
    assert result.exit_code == 0, result.output
    assert "3 facilities generated" in result.output
    assert runner.invoke(args=["coupon-audit"]).exit_code == 0


def test_unreachable_database_is_one_line(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "missing-dir" / "db.sqlite3"),
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    result = app.test_cli_runner().invoke(args=["coupon-audit"])
    _assert_one_line_hint(result, "cannot reach the database")
