"""Serial codes: what the city sends a family (via its official LINE account) to claim one coupon set.

Format
    12 random characters and 1 check character, all from a 31-character alphabet, stored compact
    (``"7KQ3MX9AD2RWQ"``, the canonical form) and shown grouped ``XXXX-XXXX-XXXX-C`` (``"7KQ3-MX9A-D2RW-Q"``).

Alphabet
    ``23456789ABCDEFGHJKMNPQRSTUVWXYZ``: digits and capital letters without the look-alikes 0/O and 1/I/L
    (both sides of each pair are left out, so a reader never has to guess). 31 is a prime, which the check
    character needs. 12 random characters give 31**12 ≈ 7.9e17 codes (59 bits), so codes cannot be guessed;
    the database still holds a unique index on the canonical code (also across batches).

Check character
    In the manner of the ISO/IEC 7064 pure systems: each character's value (its index in the alphabet) is
    folded with ``s = (3*s + v) mod 31`` from ``s = 0``; the check character makes the fold of all 13
    characters 0. The step ``x * y = 3x + y (mod 31)`` is a totally anti-symmetric quasigroup:

    - ``s*x == s*y`` only when ``x == y``: every single-character error is caught;
    - ``(s*x)*y == (s*y)*x`` only when ``x == y`` (their difference is ``2(x - y)``, and 2 is invertible
      mod 31): every adjacent transposition is caught, including one involving the check character;
    - each later step ``s -> 3s + v`` is a permutation, so a difference never disappears downstream.

    Because 3 is a primitive root mod 31, the weights 3**k of the 13 positions are all different, so
    transpositions at any distance and twin errors (``aa -> bb``) are caught as well. The tests check the
    quasigroup properties exhaustively over the alphabet and every position of real codes.

Input
    :func:`parse_serial` accepts any mix of hyphens (ASCII, Unicode dashes, the katakana prolonged sound mark
    ``ー`` that a Japanese IME types for ``-``), spaces (also ideographic), full-width characters (NFKC) and
    lower case, and returns the canonical code or raises :class:`SerialError` with a translatable message.
"""
from __future__ import annotations

import secrets
import unicodedata
from typing import Iterable, Protocol, Sequence

from .errors import N_, SerialError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MODULUS = len(ALPHABET)          # 31, a prime
RADIX = 3                        # a primitive root mod 31
DATA_LENGTH = 12
SERIAL_LENGTH = DATA_LENGTH + 1  # with the check character
GROUP = 4
LOOKALIKES = "0O1IL"             # never used: each looks like another character
MAX_BATCH = 100_000
MAX_INPUT_LENGTH = 64            # longer input is refused before any further work
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Separators a person may type between groups (after NFKC, which already maps full-width forms to these).
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\u2500\ufe63\uff0d\uff70_")

assert MODULUS == 31 and len(set(ALPHABET)) == MODULUS and not set(ALPHABET) & set(LOOKALIKES)


class _Chooser(Protocol):
    def choice(self, seq: Sequence[str]) -> str: ...


def _step(state: int, value: int) -> int:
    """One step of the check fold: the quasigroup operation ``state * value = 3*state + value (mod 31)``."""
    return (RADIX * state + value) % MODULUS


def _fold(code: str) -> int:
    state = 0
    for ch in code:
        state = _step(state, _VALUE[ch])
    return state


def check_character(data: str) -> str:
    """The check character for 12 data characters of the alphabet (upper case, no separators)."""
    if len(data) != DATA_LENGTH or any(ch not in _VALUE for ch in data):
        raise ValueError("data must be %d characters of the serial alphabet" % DATA_LENGTH)
    return ALPHABET[(-RADIX * _fold(data)) % MODULUS]


def _checks_out(code: str) -> bool:
    return _fold(code) == 0


def generate_serials(n: int, rng: _Chooser | None = None, *, exclude: Iterable[str] = ()) -> list[str]:
    """A batch of ``n`` new serial codes in canonical (compact) form, unique within the batch.

    Random from ``secrets`` (the operating system's CSPRNG) unless ``rng`` (anything with ``choice``, e.g. a
    seeded ``random.Random`` in tests) is given. ``exclude`` holds canonical codes already issued, which are
    never returned; uniqueness across batches is finally the database's unique index. ``0 <= n <= 100_000``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_BATCH:
        raise ValueError("n must be an integer from 0 to %d" % MAX_BATCH)
    chooser: _Chooser = rng if rng is not None else secrets.SystemRandom()
    taken = set(exclude)
    batch: list[str] = []
    while len(batch) < n:
        data = "".join(chooser.choice(ALPHABET) for _ in range(DATA_LENGTH))
        code = data + check_character(data)
        if code not in taken:
            taken.add(code)
            batch.append(code)
    return batch


def parse_serial(text: str) -> str:
    """The canonical (compact, upper-case) serial code typed or pasted as ``text``; raises SerialError.

    Accepts ``7KQ3-MX9A-D2RW-Q``, ``7kq3mx9ad2rwq``, ``７ＫＱ３ー…`` (full width, IME dash), spaces anywhere.
    Errors (field ``"serial"``), checked in this order: nothing entered (``serial_missing``), far too long
    input (``serial_too_long``), a look-alike 0/O/1/I/L (``serial_lookalike``), any other character that is
    not a letter or digit of the alphabet (``serial_bad_character``), too few characters
    (``serial_incomplete``), too many (``serial_too_long``), check character mismatch (``serial_typo``).
    """
    raw = text if isinstance(text, str) else ""
    if len(raw) > MAX_INPUT_LENGTH:
        raise SerialError("serial", N_("The serial code is too long."), "serial_too_long")
    s = unicodedata.normalize("NFKC", raw).upper()
    s = "".join(ch for ch in s if not ch.isspace() and ch not in _DASHES)
    if not s:
        raise SerialError("serial", N_("Enter the serial code."), "serial_missing")
    if any(ch in LOOKALIKES for ch in s):
        raise SerialError("serial", N_("Serial codes never contain 0, O, 1, I or L. Check the code again."),
                          "serial_lookalike")
    if any(ch not in _VALUE for ch in s):
        raise SerialError("serial", N_("The serial code may only contain letters, digits and hyphens."),
                          "serial_bad_character")
    if len(s) < SERIAL_LENGTH:
        raise SerialError("serial", N_("The serial code is incomplete."), "serial_incomplete")
    if len(s) > SERIAL_LENGTH:
        raise SerialError("serial", N_("The serial code is too long."), "serial_too_long")
    if not _checks_out(s):
        raise SerialError("serial", N_("The serial code has a typo."), "serial_typo")
    return s


def is_valid_serial(text: str) -> bool:
    """Whether :func:`parse_serial` accepts ``text``."""
    try:
        parse_serial(text)
    except SerialError:
        return False
    return True


def format_serial(code: str) -> str:
    """A serial code grouped for display, ``XXXX-XXXX-XXXX-C``; accepts any form parse_serial accepts."""
    s = parse_serial(code)
    groups = [s[i:i + GROUP] for i in range(0, DATA_LENGTH, GROUP)]
    return "-".join(groups + [s[DATA_LENGTH:]])
