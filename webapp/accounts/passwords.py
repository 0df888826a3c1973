"""Password hashing (argon2id at OWASP parameters) and the password rules of NIST SP 800-63B."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.facility_record import N_

MIN_LENGTH = 8
MAX_LENGTH = 128
# OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 degree of parallelism.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, burn the same time so unknown accounts cannot be told apart."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, email: str = "") -> list[str]:
    """Why a new password is refused (empty when fine): length 8..128, not a common or guessable one.
    No composition rules; spaces and any characters are allowed."""
    if len(password) < MIN_LENGTH:
        return [N_("Use at least 8 characters.")]
    if len(password) > MAX_LENGTH:
        return [N_("Use at most 128 characters.")]
    lowered = password.lower()
    local = email.split("@")[0].lower() if email else ""
    if lowered in _common_passwords() or len(set(password)) <= 2 or lowered in ("kosodate", "kosodateportal"):
        return [N_("This password is too common. Choose one that is harder to guess.")]
    if local and (lowered == local or lowered == email.lower()):
        return [N_("Do not use your e-mail address as the password.")]
    return []
