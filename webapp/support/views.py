"""The agents' console (/support, roles agent and admin): one search box across FAQ, flows, contacts and
facilities; flows walked with the caller; routing with open/closed state; read-only member lookup, audited with
a reason before anything is shown; call notes. /support/audit lists the audit log (admin only).

Every route goes through :func:`webapp.roles.role_required`."""
from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import ROLE_ADMIN, ROLE_AGENT, ROLE_FAMILY, User
from ..extensions import db, limiter
from ..help import content
from ..roles import role_required
from ..timeutil import jst_start_utc, today_jst, utcnow
from . import audit, lookup
from .forms import AuditFilterForm, LookupForm, NoteForm, OpenForm
from .models import ACTION_NOTE, ACTION_SEARCH, ACTION_VIEW, CallNote
from .search import console_search

log = logging.getLogger(__name__)
bp = Blueprint("support", __name__, url_prefix="/support")

staff_only = role_required(ROLE_AGENT, ROLE_ADMIN)
admin_only = role_required(ROLE_ADMIN)


def _per_agent() -> str:
    """Rate-limit key: the agent, not the address (a call center shares one address)."""
    return f"agent:{current_user.get_id() if current_user.is_authenticated else request.remote_addr}"


def _client() -> str:
    return request.remote_addr or ""


def _private(html: str, status: int = 200):
    """A response that no cache may keep (member data)."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


# ------------------------------------------------------------------ search, flows, routing

@bp.route("/")
@staff_only
def console():
    """The console: search box (results below it), member lookup, routing topics, flows."""
    q = (request.args.get("q") or "").strip()[:200]
    return render_template("support/console.html", q=q, results=console_search(q), form=LookupForm(),
                           flows=list(content.all_flows().values()), topics=content.contact_topics(),
                           center=content.support_center_view(), lang=content.lang())


@bp.route("/flows/<flow_id>")
@staff_only
def flow(flow_id: str):
    """Walk a flow with the caller: big numbered choices (keys 1–9), same ``?path=`` URLs as the help pages."""
    page = content.flow_page(flow_id)
    if page is None:
        abort(404)
    return render_template("support/flow.html", **page)


@bp.route("/faq/<entry_id>")
@staff_only
def entry(entry_id: str):
    """An FAQ answer to read out, with its flow and contacts."""
    e = content.faq_set().get(entry_id)
    if e is None:
        abort(404)
    lang = content.lang()
    return render_template("support/entry.html", e=e, lang=lang, answer=content.answer_html(e.a(lang)),
                           flow=content.all_flows().get(e.flow) if e.flow else None,
                           routes=content.entry_routes(e))


@bp.route("/route")
@staff_only
def route():
    """Routing: a topic (system, a service, the passport) to whom to call, open or closed now."""
    topic = request.args.get("topic") or None
    routes = content.routes_for_topic(topic) if topic else None
    if topic and routes is None:
        abort(404)
    topics = content.contact_topics()
    return render_template("support/route.html", topic=topic, routes=routes, topics=topics,
                           topic_label=dict(topics).get(topic), center=content.support_center_view())


# ------------------------------------------------------------------ member lookup (audited)

@bp.route("/lookup", methods=["POST"])
@staff_only
@limiter.limit("60/hour", methods=["POST"], key_func=_per_agent)
def lookup_search():
    """Search members. The reason and the query are written to the audit log and committed first; the list is
    then shown at /support/lookups/<audit id>."""
    form = LookupForm()
    if not form.validate_on_submit():
        q = ""
        return render_template("support/console.html", q=q, results=console_search(q), form=form,
                               flows=list(content.all_flows().values()), topics=content.contact_topics(),
                               center=content.support_center_view(), lang=content.lang()), 400
    row = audit.record(db.session, agent_id=current_user.id, action=ACTION_SEARCH, reason=form.reason.data,
                       query=form.query.data, client=_client())
    db.session.commit()
    return redirect(url_for("support.lookup_results", grant=row.id))


@bp.route("/lookups/<int:grant>")
@staff_only
def lookup_results(grant: int):
    """The members found by an audited search of this agent (for :data:`audit.GRANT_MINUTES`)."""
    row = audit.search_grant(db.session, grant, current_user.id)
    if row is None:
        flash(_("That search has expired. Search again with a reason."))
        return redirect(url_for("support.console"))
    members = lookup.find_members(db.session, row.query or "")
    children = lookup.child_count(db.session, [m.id for m in members])
    return _private(render_template(
        "support/lookup.html", row=row, members=members, children=children, form=LookupForm(),
        open_form=OpenForm(reason=row.reason, search=row.id), phone=lookup.looks_like_phone(row.query or "")))


def _member_or_404(member_id: int) -> User:
    member = db.session.get(User, member_id)
    if member is None or member.role != ROLE_FAMILY:
        abort(404)
    return member


@bp.route("/members/<int:member_id>/open", methods=["POST"])
@staff_only
@limiter.limit("120/hour", methods=["POST"], key_func=_per_agent)
def member_open(member_id: int):
    """Open a member's record: an audit row (agent, member, reason, time, address) is committed first."""
    member = _member_or_404(member_id)
    form = OpenForm()
    if not form.validate_on_submit():
        return _private(render_template("support/member_reason.html", member_id=member.id, form=form), 400)
    row = audit.record(db.session, agent_id=current_user.id, action=ACTION_VIEW, reason=form.reason.data,
                       target_user_id=member.id, client=_client())
    db.session.commit()
    return redirect(url_for("support.member", member_id=member.id, grant=row.id))


@bp.route("/members/<int:member_id>")
@staff_only
def member(member_id: int):
    """A member's record, read only, while this agent's audited opening is fresh; otherwise only the form
    asking why (nothing about the member is shown)."""
    member = _member_or_404(member_id)
    row = audit.view_grant(db.session, _int_arg("grant"), current_user.id, member.id)
    if row is None:
        return _private(render_template("support/member_reason.html", member_id=member.id, form=OpenForm()))
    return _render_member(member, row, NoteForm(grant=row.id))


def _render_member(member: User, row, note_form: NoteForm, status: int = 200):
    summary = lookup.summarise(db.session, member, today_jst(), utcnow())
    notes = db.session.scalars(select(CallNote).where(CallNote.member_id == member.id)
                               .order_by(CallNote.created_at.desc(), CallNote.id.desc())).all()
    return _private(render_template("support/member.html", s=summary, m=member, row=row, notes=notes,
                                    note_form=note_form, lang=content.lang(),
                                    service_names=dict(content.services())), status)


@bp.route("/members/<int:member_id>/notes", methods=["POST"])
@staff_only
def add_note(member_id: int):
    """Append a call note to the member (only while the agent has the record open)."""
    member = _member_or_404(member_id)
    form = NoteForm()
    grant = int(form.grant.data) if (form.grant.data or "").isdigit() else None
    row = audit.view_grant(db.session, grant, current_user.id, member.id)
    if row is None:
        flash(_("Open the member's record again before adding a note."))
        return redirect(url_for("support.member", member_id=member.id))
    if not form.validate_on_submit():
        return _render_member(member, row, form, 400)
    db.session.add(CallNote(member_id=member.id, author_id=current_user.id, text=form.text.data.strip()))
    audit.record(db.session, agent_id=current_user.id, action=ACTION_NOTE, reason=row.reason,
                 target_user_id=member.id, client=_client())
    db.session.commit()
    flash(_("Note saved."))
    return redirect(url_for("support.member", member_id=member.id, grant=row.id) + "#notes")


# ------------------------------------------------------------------ the audit log (admin)

def _audit_filter(form: AuditFilterForm) -> audit.AuditFilter:
    f = audit.AuditFilter(page=max(_int_arg("page") or 1, 1))
    agent = (form.agent.data or "").strip()
    if agent.isdigit():
        f.agent_id = int(agent)
    elif agent:
        found = db.session.scalar(select(User.id).where(User.email == agent.lower()))
        f.agent_id = found if found is not None else -1
    f.target_user_id = form.member.data
    f.action = form.action.data or None
    if form.date_from.data:
        f.since = jst_start_utc(form.date_from.data)
    if form.date_to.data:
        f.until = jst_start_utc(form.date_to.data + dt.timedelta(days=1))
    return f


@bp.route("/audit")
@admin_only
def audit_log():
    """The audit log, newest first, filtered by agent, member, action and Japan dates."""
    form = AuditFilterForm(request.args)
    form.validate()
    f = _audit_filter(form) if not form.errors else audit.AuditFilter(agent_id=-1)
    rows, total = audit.list_rows(db.session, f)
    ids = {r.agent_id for r in rows} | {r.target_user_id for r in rows if r.target_user_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    pages = max((total + audit.PAGE_SIZE - 1) // audit.PAGE_SIZE, 1)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return _private(render_template("support/audit.html", form=form, rows=rows, total=total, users=users,
                                    page=f.page, pages=pages, args=args))
