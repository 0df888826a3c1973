"""The flask commands a newcomer and an operator use."""
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Facility, Municipality


def _count(app, model=Facility):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_init_db_loads_reference_data_and_is_repeatable(runner, app):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
    assert _count(app, Municipality) == 34
    with app.app_context():
        yokohama = db.session.get(Municipality, "141003")
        assert yokohama.name == "横浜市" and not yokohama.facility_eligible
    assert _count(app) == 19  # the Matsumoto coupon places


def test_seed_demo_twice_gives_the_same_rows(runner, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and " created" in first.output
    n = _count(app)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "0 created" in second.output
    assert _count(app) == n > 300


def test_generate_facilities_and_reindex(runner, app):
    result = runner.invoke(args=["generate-facilities", "120"])
    assert result.exit_code == 0 and "120 facilities" in result.output
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0 and "Indexed 139 facilities" in result.output
    assert runner.invoke(args=["generate-facilities", "0"]).exit_code != 0


def test_create_user_for_staff(runner, app):
    runner.invoke(args=["init-db"])
    result = runner.invoke(args=["create-user", "agent@example.jp", "--role", "agent", "--password",
                                 "窓口担当のながいパスワード"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["create-user", "agent@example.jp", "--role", "agent", "--password", "x" * 12])
    assert again.exit_code != 0
    weak = runner.invoke(args=["create-user", "b@example.jp", "--role", "admin", "--password", "password"])
    assert weak.exit_code != 0
    from webapp.accounts.models import User
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "agent@example.jp")) == "agent"
