"""Roles on every protected route: each endpoint of the support, admin and provider blueprints (those that exist)
is walked from ``app.url_map`` and tried as anonymous (→ the login page), as each role it does not allow (→ 403)
and as each role it allows (→ not 403). Every such endpoint must go through ``role_required``."""
import re

import pytest
from sqlalchemy import select

from webapp.accounts.models import ROLES
from webapp.extensions import db

from .conftest import Browserish, csrf_from
from .test_support import login, make_family, make_user, open_member

PROTECTED_BLUEPRINTS = ("support", "admin", "provider")
SAMPLE = {"int": "1", "string": "x", "default": "x", "path": "x", "any": "x", "uuid": "0" * 32}


def protected_rules(app):
    out = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".", 1)[0] if "." in rule.endpoint else None
        if blueprint in PROTECTED_BLUEPRINTS and not rule.endpoint.endswith(".static"):
            out.append(rule)
    return sorted(out, key=lambda r: r.rule)


def sample_path(rule) -> str:
    """The rule's URL with a sample value for each variable."""
    def value(m):
        converter = m.group(1) or "default"
        return SAMPLE.get(converter.split("(")[0], "x")
    return re.sub(r"<(?:([a-z]+(?:\([^)]*\))?):)?[a-z_]+>", value, rule.rule)


def methods_of(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def call(b: Browserish, rule, method: str | None = None):
    """Request the rule's sample URL (GET when allowed, else its method); POSTs carry a valid CSRF token."""
    path = sample_path(rule)
    method = method or ("GET" if "GET" in rule.methods else methods_of(rule)[0])
    if method == "GET":
        return b.client.get(path)
    token = csrf_from(b.client.get("/login").get_data(as_text=True))
    return b.client.open(path, method=method, data={"csrf_token": token})


def link_provider(app, user_id):
    """Make a provider account real: linked to a Matsumoto coupon provider (as the provider pages expect)."""
    try:
        from webapp.coupons.models import ProviderStaff
    except ImportError:  # pragma: no cover - the provider area is not there
        return
    from webapp.coupons import operations as coupon_ops
    from webapp.models import Facility
    with app.app_context():
        facility = db.session.scalar(select(Facility).where(Facility.programme == "coupon").order_by(Facility.id))
        coupon_ops.ensure_point(db.session, facility)
        db.session.add(ProviderStaff(user_id=user_id, facility_id=facility.id))
        db.session.commit()


@pytest.fixture
def clients(site):
    """A logged-in client per role, and an anonymous one."""
    out = {"anonymous": Browserish(site.test_client())}
    for role in ROLES:
        uid = make_user(site, f"{role}@example.jp", role)
        if role == "provider":
            link_provider(site, uid)
        b = Browserish(site.test_client())
        login(b, f"{role}@example.jp")
        out[role] = b
    return out


def test_every_protected_route_checks_the_role(site, clients):
    rules = protected_rules(site)
    endpoints = {r.endpoint for r in rules}
    assert {"support.console", "support.lookup_search", "support.member", "support.member_open",
            "support.add_note", "support.audit_log", "support.flow", "support.route"} <= endpoints
    problems = []
    for rule in rules:
        view = site.view_functions[rule.endpoint]
        allowed = getattr(view, "required_roles", None)
        if not allowed:
            problems.append(f"{rule.endpoint}: not protected by role_required")
            continue
        for method in methods_of(rule):
            where = f"{method} {rule.endpoint}"
            r = call(clients["anonymous"], rule, method)
            if r.status_code != 302 or "/login" not in r.headers.get("Location", ""):
                problems.append(f"{where} anonymous: {r.status_code} {r.headers.get('Location')}")
            for role in ROLES:
                try:
                    r = call(clients[role], rule, method)
                except Exception as e:  # noqa: BLE001 - the test client re-raises view errors; list them all
                    problems.append(f"{where} as {role}: raised {type(e).__name__}: {e}")
                    continue
                if role in allowed and (r.status_code == 403 or r.status_code >= 500):
                    problems.append(f"{where} as {role} (allowed): {r.status_code}")
                if role not in allowed and r.status_code != 403:
                    problems.append(f"{where} as {role} (not allowed): {r.status_code}")
    assert not problems, "\n".join(problems)


def test_support_roles(site):
    roles = {r.endpoint: site.view_functions[r.endpoint].required_roles for r in protected_rules(site)
             if r.endpoint.startswith("support.")}
    assert roles.pop("support.audit_log") == ("admin",)
    assert set(roles.values()) == {("agent", "admin")}


def test_an_agent_cannot_open_admin_pages_or_other_roles_pages(site, clients):
    agent = clients["agent"]
    assert agent.get("/support/audit").status_code == 403
    for rule in protected_rules(site):
        if "agent" not in site.view_functions[rule.endpoint].required_roles:
            assert call(agent, rule).status_code == 403, rule.endpoint
    assert agent.get("/passport").status_code == 403  # a family's own page
    for path in ("/coupons", "/provider", "/admin"):
        assert agent.client.get(path, follow_redirects=True).status_code in (403, 404), path  # 404: not there (yet)


def test_an_agent_sees_no_member_data_without_a_reason_and_no_staff_records(site, clients):
    agent = clients["agent"]
    family_id = make_family(site, email="family-member@example.jp")
    html = agent.get(f"/support/members/{family_id}").get_data(as_text=True)
    assert "family-member@" not in html and "山田" not in html
    with site.app_context():
        from webapp.accounts.models import User
        staff = {u.role: u.id for u in db.session.scalars(select(User).where(User.role != "family"))}
    for role in ("agent", "admin", "provider"):
        assert agent.get(f"/support/members/{staff[role]}").status_code == 404
    assert open_member(agent, family_id)  # with a reason it opens


def test_family_and_provider_cannot_use_the_console(clients):
    for role in ("family", "provider"):
        b = clients[role]
        for path in ("/support/", "/support/?q=QR", "/support/flows/qr_not_reading", "/support/audit"):
            assert b.get(path).status_code == 403, (role, path)
    assert clients["admin"].get("/support/?q=QR").status_code == 200
