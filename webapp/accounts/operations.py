"""Account state changes: plain functions on a session; they flush, the request commits."""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.facility_record import N_
from ..domain.passport import ChildInfo, check_child_dates, is_eligible
from ..timeutil import utcnow
from .models import ROLE_FAMILY, TERMS_VERSION, Child, Consent, User
from .passwords import hash_password, needs_rehash, verify_password

PURPOSES = "passport issue and verification; coupon claims and redemption audit; support when you ask for it"


class AccountError(Exception):
    """A domain error for a form field: (field, message)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email))


def record_consent(session: Session, email: str, user_id: int | None = None) -> Consent:
    consent = Consent(email=email, user_id=user_id, terms_version=TERMS_VERSION, purposes=PURPOSES)
    session.add(consent)
    return consent


def new_passport_number(session: Session) -> str:
    """Ten digits, the last a Luhn check digit, unique."""
    while True:
        body = f"{secrets.randbelow(10**9):09d}"
        digits = [int(d) for d in body]
        total = 0
        for i, d in enumerate(reversed(digits)):
            if i % 2 == 0:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        number = body + str((10 - total % 10) % 10)
        if not session.scalar(select(User.id).where(User.passport_number == number)):
            return number


def child_infos(user: User) -> list[ChildInfo]:
    return [ChildInfo(birth_date=c.birth_date, due_date=c.due_date) for c in user.children]


def create_family(session: Session, email: str, password: str, name: str, name_kana: str, municipality: str,
                  child: dict, today: dt.date, phone: str | None = None) -> User:
    """The second step of sign-up: create the family account with its first child (or pregnancy)."""
    errors = check_child_dates(child.get("birth_date"), child.get("due_date"), today)
    if errors:
        raise AccountError(*errors[0])
    if not is_eligible([ChildInfo(child.get("birth_date"), child.get("due_date"))], today):
        raise AccountError("birth_date", N_("The passport is for families expecting a baby or with children up to "
                                            "the end of elementary school."))
    if find_user(session, email):
        raise AccountError("email", N_("This e-mail address is already registered. Log in instead."))
    user = User(email=email, password_hash=hash_password(password), role=ROLE_FAMILY, name=name,
                name_kana=name_kana, municipality_code=municipality, phone=phone or None,
                passport_number=new_passport_number(session))
    user.children.append(Child(name=child.get("name") or "", birth_date=child.get("birth_date"),
                               due_date=child.get("due_date")))
    session.add(user)
    session.flush()
    for consent in session.scalars(select(Consent).where(Consent.email == email, Consent.user_id.is_(None))):
        consent.user_id = user.id
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user when the password is right (rehashing an outdated hash), else None, in constant-ish time."""
    user = find_user(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of the user."""
    user.session_version = (user.session_version or 1) + 1


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    end_all_sessions(user)


def save_child(session: Session, user: User, child: Child | None, name: str, birth_date, due_date,
               today: dt.date) -> Child:
    """Add a child (child=None) or change one; the passport validity follows at once."""
    errors = check_child_dates(birth_date, due_date, today)
    if errors:
        raise AccountError(*errors[0])
    if child is None:
        child = Child()
        user.children.append(child)
    child.name, child.birth_date, child.due_date = name or "", birth_date, due_date
    session.flush()
    return child


def update_profile(session: Session, user: User, name: str, name_kana: str, municipality: str,
                   phone: str | None) -> None:
    """Change the family's name, reading, municipality of residence and (optional) phone number."""
    user.name, user.name_kana, user.municipality_code = name.strip(), name_kana, municipality
    user.phone = phone or None
    session.flush()


def remove_child(session: Session, user: User, child: Child) -> None:
    user.children.remove(child)
    session.flush()


def delete_account(session: Session, user: User) -> None:
    """Erase the account and the children's data. Consent records lose their link to the user."""
    session.delete(user)
    session.flush()
