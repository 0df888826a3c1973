"""Partner-facility registration: applications (new facilities or changes), the registrations that link an
approved facility to its contact, and the yearly renewal runs."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

KIND_NEW, KIND_CHANGE = "new", "change"
KINDS = (KIND_NEW, KIND_CHANGE)
SUBMITTED, CHANGES_REQUESTED, APPROVED, REJECTED = "submitted", "changes_requested", "approved", "rejected"
STATUSES = (SUBMITTED, CHANGES_REQUESTED, APPROVED, REJECTED)


class PartnerApplication(db.Model):
    """One application from the public form: a new facility (with its branches) or a change to a registered
    one. ``data`` holds the cleaned form values (plain JSON); facilities are made from it only on approval."""
    __tablename__ = "partner_applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)  # in the signed status link
    # The form's idempotency key: a double submit finds the application made by the first one.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    last_submission_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default=KIND_NEW)
    status: Mapped[str] = mapped_column(String(20), default=SUBMITTED, index=True)
    facility_name: Mapped[str] = mapped_column(String(200))  # the first location's name, for lists
    municipality_code: Mapped[str] = mapped_column(String(6))
    location_count: Mapped[int] = mapped_column(Integer, default=1)
    contact_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(5), default="ja")  # the applicant's language, for mails
    data: Mapped[dict] = mapped_column(JSON)
    duplicates: Mapped[list] = mapped_column(JSON, default=list)  # [{"location", "facility", "name", "reason"}]
    target_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id", ondelete="SET NULL"))
    staff_message: Mapped[str | None] = mapped_column(Text)  # the reason of a rejection / what to change
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    target_facility = relationship("Facility", lazy="joined")
    registrations: Mapped[list["PartnerRegistration"]] = relationship(back_populates="application",
                                                                       order_by="PartnerRegistration.id")

    @property
    def reference(self) -> str:
        """The number staff and applicant quote: A-000123."""
        return f"A-{self.id:06d}"


class PartnerRegistration(db.Model):
    """A facility registered through the programme, with the contact who receives its mails and signed links."""
    __tablename__ = "partner_registrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id", ondelete="CASCADE"), unique=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("partner_applications.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254), index=True)
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    lang: Mapped[str] = mapped_column(String(5), default="ja")
    accepts_other_prefectures: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped when a link must stop working (withdrawal): the signed manage links carry this number.
    link_version: Mapped[int] = mapped_column(Integer, default=1)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    facility = relationship("Facility", lazy="joined")
    application: Mapped[PartnerApplication | None] = relationship(back_populates="registrations")


class RenewalRun(db.Model):
    """The yearly renewal (each April 1) of one fiscal year: when it ran and how many it renewed."""
    __tablename__ = "partner_renewal_runs"
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    renewed: Mapped[int] = mapped_column(Integer, default=0)
    runs: Mapped[int] = mapped_column(Integer, default=1)
    first_run_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_run_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
