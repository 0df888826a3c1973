"""Database models. The database is the only source of truth; the search index is derived from it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Table, Text,
                        UniqueConstraint, false)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

PROGRAMME_PASSPORT = "passport"
PROGRAMME_COUPON = "coupon"
PROGRAMMES = (PROGRAMME_PASSPORT, PROGRAMME_COUPON)

STATUS_ACTIVE = "active"
STATUS_WITHDRAWN = "withdrawn"
STATUSES = (STATUS_ACTIVE, STATUS_WITHDRAWN)


from .timeutil import utcnow  # noqa: E402  (re-exported)


class Municipality(db.Model):
    """A municipality (市区町村) with its official local-government code (全国地方公共団体コード)."""
    __tablename__ = "municipalities"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    kana: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    prefecture: Mapped[str] = mapped_column(String(10))
    # False for Yokohama (its own programme, ハマハグ) and for places outside Kanagawa.
    facility_eligible: Mapped[bool] = mapped_column(Boolean, default=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Category(db.Model):
    """A facility category (業種)."""
    __tablename__ = "categories"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    kana: Mapped[str] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class BenefitKind(db.Model):
    """One of the three kinds of passport benefit: お得, こころ配り, 設備."""
    __tablename__ = "benefit_kinds"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Amenity(db.Model):
    """A child-friendly amenity (授乳室, おむつ替え, ...)."""
    __tablename__ = "amenities"
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    kana: Mapped[str] = mapped_column(String(80))
    aliases: Mapped[str] = mapped_column(Text, default="")  # "|"-separated synonyms people type
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class CouponService(db.Model):
    """One of the eight Matsumoto child-rearing support coupon services."""
    __tablename__ = "coupon_services"
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(100))
    kana: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


facility_amenities = Table(
    "facility_amenities", db.metadata,
    Column("facility_id", ForeignKey("facilities.id", ondelete="CASCADE"), primary_key=True),
    Column("amenity_code", ForeignKey("amenities.code"), primary_key=True),
)

facility_services = Table(
    "facility_services", db.metadata,
    Column("facility_id", ForeignKey("facilities.id", ondelete="CASCADE"), primary_key=True),
    Column("service_code", ForeignKey("coupon_services.code"), primary_key=True),
)


class Facility(db.Model):
    """A searchable place: a passport partner facility (協力施設) or a Matsumoto coupon provider/contact."""
    __tablename__ = "facilities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(40), unique=True, index=True)  # 施設ID
    programme: Mapped[str] = mapped_column(String(16), default=PROGRAMME_PASSPORT, index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_kana: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str | None] = mapped_column(String(200))
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    building: Mapped[str | None] = mapped_column(String(200))  # 方書
    phone: Mapped[str | None] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(String(500))
    open_days: Mapped[str] = mapped_column(String(7), default="")  # weekday digits, Monday=0: "01234"
    opens: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"
    closes: Mapped[str | None] = mapped_column(String(5))  # "HH:MM"; "24:00" or earlier than opens = past midnight
    hours_note: Mapped[str | None] = mapped_column(Text)  # 利用可能日時特記事項
    description: Mapped[str | None] = mapped_column(Text)  # 説明
    notes: Mapped[str | None] = mapped_column(Text)  # 備考
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # True when the coordinates are an estimate from the geocoder (e.g. the municipality's centre), not the
    # facility's own position: the page and the map say so.
    location_approximate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # 全国共通展開: the facility also accepts the child-rearing support passports of other prefectures.
    accepts_other_prefectures: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_ACTIVE, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship(lazy="joined")
    municipality: Mapped[Municipality] = relationship(lazy="joined")
    benefits: Mapped[list["FacilityBenefit"]] = relationship(
        back_populates="facility", cascade="all, delete-orphan", order_by="FacilityBenefit.kind_code",
        lazy="selectin")
    amenities: Mapped[list[Amenity]] = relationship(secondary=facility_amenities, lazy="selectin",
                                                    order_by=Amenity.sort_order)
    services: Mapped[list[CouponService]] = relationship(secondary=facility_services, lazy="selectin",
                                                         order_by=CouponService.sort_order)

    def benefit_text(self, kind: str) -> str | None:
        for b in self.benefits:
            if b.kind_code == kind:
                return b.text
        return None


class FacilityBenefit(db.Model):
    """The benefit a facility offers for one kind (お得 / こころ配り / 設備)."""
    __tablename__ = "facility_benefits"
    __table_args__ = (UniqueConstraint("facility_id", "kind_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id", ondelete="CASCADE"), index=True)
    kind_code: Mapped[str] = mapped_column(ForeignKey("benefit_kinds.code"))
    text: Mapped[str] = mapped_column(Text)
    facility: Mapped[Facility] = relationship(back_populates="benefits")


class SearchChange(db.Model):
    """Change log (outbox) that the indexer reads: one row per facility change, written in the same
    transaction as the change itself. Rows are never updated; old ones are pruned by age."""
    __tablename__ = "search_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facility_external_id: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


# Models of the other areas, so that importing webapp.models registers every table.
from .accounts.models import Child, Consent, EmailToken, User  # noqa: E402,F401
from .coupons.models import (CouponProgramme, CouponSet, LedgerEntry, NoticeRead, PasscodeFailure,  # noqa: E402,F401
                             ProviderPoint, ProviderStaff, SerialBatch, SerialCode)
from .support.models import AuditLog, CallNote  # noqa: E402,F401
from .admin.models import Notice, PartnerApplication, PartnerRegistration, RenewalRun  # noqa: E402,F401
from .reminders.models import (FollowedMunicipality, MailChoice, MailSettings, NoticeSeen,  # noqa: E402,F401
                               ReminderLog)
from .search_log import ZeroResultSearch  # noqa: E402,F401
