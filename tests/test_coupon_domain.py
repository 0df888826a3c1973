"""The coupon rules on their boundaries: serial codes, eligibility, expiry per service, the ledger."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random

import pytest

from webapp.coupons import domain
from webapp.coupons.domain import (ALPHABET, CURRENT_PROGRAMME_END, SERIAL_LENGTH, SERVICE_CODES, CouponError,
                                   Issue, LedgerInvariantError, Redeem, Reversal, SerialError, balance,
                                   check_character, check_child_eligible, check_claim, check_provider_service,
                                   check_redeem, check_replay, check_reversal, check_same_child,
                                   check_service_code, check_usable, child_eligible, coupon_valid_until,
                                   expiring_within, find_replay, first_birthday, first_use_at, format_serial,
                                   fourth_month_start, generate_serials, is_usable, is_valid_serial,
                                   japan_date, parse_serial, programme_end)
from webapp.coupons.domain import serials as serials_mod

D = dt.date
END = D(2026, 3, 31)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_code(data: str) -> str:
    return data + check_character(data)


def typo_code(text: str) -> str | None:
    try:
        parse_serial(text)
    except SerialError as e:
        return e.code
    return None


# --------------------------------------------------------------------------------------------- serial codes

def test_alphabet_has_no_lookalikes_and_prime_size():
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert all(len(ALPHABET) % d for d in range(2, len(ALPHABET)))  # prime: the check needs a field
    for ch in "0O1IL":
        assert ch not in ALPHABET
    assert ALPHABET == ALPHABET.upper() and ALPHABET.isalnum()


def test_check_step_catches_every_single_error_exhaustively():
    """For every fold state and every pair of different characters the next state differs, and every later
    step is a permutation of the states: a single substitution anywhere (also of the check character)
    always changes the final fold."""
    step = serials_mod._step
    for state in range(31):
        assert len({step(state, v) for v in range(31)}) == 31
    for v in range(31):
        assert len({step(state, v) for state in range(31)}) == 31


def test_check_step_catches_every_adjacent_transposition_exhaustively():
    step = serials_mod._step
    for state, x, y in itertools.product(range(31), repeat=3):
        if x != y:
            assert step(step(state, x), y) != step(step(state, y), x), (state, x, y)


def test_every_single_character_error_detected_in_real_codes():
    rng = random.Random(4)
    for code in generate_serials(5, rng):
        for pos in range(SERIAL_LENGTH):
            for ch in ALPHABET:
                if ch != code[pos]:
                    assert typo_code(code[:pos] + ch + code[pos + 1:]) == "serial_typo", (code, pos, ch)


def test_every_adjacent_transposition_detected_over_the_alphabet_and_positions():
    base = list(generate_serials(1, random.Random(7))[0][:12])
    # Two data characters: every ordered pair of distinct characters at every adjacent pair of positions.
    for pos in range(11):
        for x, y in itertools.permutations(ALPHABET, 2):
            data = base.copy()
            data[pos], data[pos + 1] = x, y
            code = make_code("".join(data))
            assert typo_code(code) is None
            swapped = code[:pos] + y + x + code[pos + 2:]
            assert typo_code(swapped) == "serial_typo", (code, pos)
    # The last data character and the check character: varying the two last data characters reaches every
    # (last, check) pair.
    seen = set()
    for a, b in itertools.product(ALPHABET, repeat=2):
        code = make_code("".join(base[:10]) + a + b)
        last, check = code[11], code[12]
        seen.add((last, check))
        if last != check:
            assert typo_code(code[:11] + check + last) == "serial_typo", code
    assert len(seen) == 31 * 31


def test_transpositions_at_any_distance_and_twin_errors_also_detected():
    code = generate_serials(1, random.Random(11))[0]
    for i, j in itertools.combinations(range(SERIAL_LENGTH), 2):
        if code[i] != code[j]:
            swapped = list(code)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            assert typo_code("".join(swapped)) == "serial_typo"
    for pos in range(SERIAL_LENGTH - 1):
        for x, y in itertools.permutations(ALPHABET, 2):
            data = list(code[:12])
            if pos + 1 < 12:
                data[pos] = data[pos + 1] = x
                good = make_code("".join(data))
                assert typo_code(good[:pos] + y + y + good[pos + 2:]) == "serial_typo"


def test_check_character_rejects_bad_data():
    with pytest.raises(ValueError):
        check_character("ABC")
    with pytest.raises(ValueError):
        check_character("0" * 12)


def test_generate_serials_batch_is_valid_and_unique():
    batch = generate_serials(2000)
    assert len(batch) == len(set(batch)) == 2000
    for code in batch:
        assert len(code) == SERIAL_LENGTH and set(code) <= set(ALPHABET)
        assert parse_serial(code) == code
    assert generate_serials(0) == []


def test_generate_serials_default_uses_secrets(monkeypatch):
    calls = []

    class Spy(random.Random):
        def choice(self, seq):
            calls.append(1)
            return super().choice(seq)

    monkeypatch.setattr(serials_mod.secrets, "SystemRandom", lambda: Spy(3))
    assert len(generate_serials(2)) == 2 and len(calls) == 24


def test_generate_serials_deterministic_with_rng_and_exclude():
    first = generate_serials(50, random.Random(42))
    assert generate_serials(50, random.Random(42)) == first
    again = generate_serials(50, random.Random(42), exclude=first)
    assert not set(again) & set(first)


def test_generate_serials_skips_collisions_within_batch():
    script = iter(list("ABCDEFGHJKMN") * 2 + list("23456789ABCD"))

    class Scripted:
        def choice(self, seq):
            return next(script)

    batch = generate_serials(2, Scripted())
    assert batch == [make_code("ABCDEFGHJKMN"), make_code("23456789ABCD")]


@pytest.mark.parametrize("n", [-1, True, 1.0, "3", 100_001])
def test_generate_serials_rejects_bad_n(n):
    with pytest.raises(ValueError):
        generate_serials(n)


def test_format_serial_groups_for_display():
    code = make_code("7KQ3MX9AD2RW")
    shown = format_serial(code)
    assert shown == "7KQ3-MX9A-D2RW-" + code[-1]
    assert format_serial(shown.lower()) == shown
    with pytest.raises(SerialError):
        format_serial("7KQ3-MX9A")


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_parse_serial_accepts_every_way_of_typing_it():
    code = make_code("7KQ3MX9AD2RW")
    shown = format_serial(code)
    variants = [
        code, shown, shown.lower(), code.lower(), f"  {shown}  ", shown.replace("-", " "),
        _fullwidth(shown), _fullwidth(shown.lower()),
        shown.replace("-", "ー"), shown.replace("-", "ｰ"), shown.replace("-", "－"),
        shown.replace("-", "\u2212"), shown.replace("-", "\u2010"), shown.replace("-", "\u3000"),
        "7K Q3M-X9\tAD2RW" + code[-1],
        "\n" + code + "\n",
    ]
    for text in variants:
        assert parse_serial(text) == code, text
        assert is_valid_serial(text)


LOOKALIKE = "Serial codes never contain 0, O, 1, I or L. Check the code again."
BAD_CHARACTER = "The serial code may only contain letters, digits and hyphens."


@pytest.mark.parametrize("text, code, message", [
    ("", "serial_missing", "Enter the serial code."),
    (" - ー ", "serial_missing", "Enter the serial code."),
    (None, "serial_missing", "Enter the serial code."),
    ("7KQ3-MX9A-D2RW", "serial_incomplete", "The serial code is incomplete."),
    ("7KQ3", "serial_incomplete", "The serial code is incomplete."),
    ("7KQ3-MX9A-D2RW-PP", "serial_too_long", "The serial code is too long."),
    ("7" * 65, "serial_too_long", "The serial code is too long."),
    ("7KQ3-MX9A-D2RW-O", "serial_lookalike", LOOKALIKE),
    ("7kq3-mx9a-d2rw-l", "serial_lookalike", LOOKALIKE),
    ("7KQ3-MX9A-D2R0-A", "serial_lookalike", LOOKALIKE),
    ("１KQ3-MX9A-D2RW-A", "serial_lookalike", LOOKALIKE),
    ("7KQ3/MX9A/D2RW/A", "serial_bad_character", BAD_CHARACTER),
    ("あKQ3-MX9A-D2RW-A", "serial_bad_character", BAD_CHARACTER),
])
def test_parse_serial_errors(text, code, message):
    with pytest.raises(SerialError) as info:
        parse_serial(text)
    assert (info.value.field, info.value.code, info.value.message) == ("serial", code, message)
    assert isinstance(info.value, CouponError)


def test_parse_serial_typo_message():
    code = make_code("7KQ3MX9AD2RW")
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    with pytest.raises(SerialError) as info:
        parse_serial(wrong)
    assert info.value.message == "The serial code has a typo."
    assert info.value.code == "serial_typo"
    assert not is_valid_serial(wrong)


# ------------------------------------------------------------------------------------ services, programme

def test_service_codes_match_the_contacts_data():
    with open(os.path.join(ROOT, "contacts", "data", "matsumoto.json"), encoding="utf-8") as f:
        data = json.load(f)
    assert sorted(s["code"] for s in data["services"]) == sorted(SERVICE_CODES)
    assert len(SERVICE_CODES) == 8


def test_programme_end_is_march_31_of_the_fiscal_year():
    assert programme_end(2025) == D(2026, 3, 31) == CURRENT_PROGRAMME_END
    assert programme_end(2026) == D(2027, 3, 31)


def test_unknown_service():
    assert check_service_code("family_support") is None
    err = check_service_code("cash")
    assert err.code == "unknown_service" and err.message == "Unknown coupon service."
    with pytest.raises(CouponError):
        coupon_valid_until("cash", programme_end=END, birth_date=None, first_use=None)


# ---------------------------------------------------------------------------------------------- eligibility

def test_child_born_on_programme_start_is_eligible_the_day_before_is_not():
    assert child_eligible(D(2022, 4, 1))
    assert child_eligible(D(2025, 12, 31))
    assert not child_eligible(D(2022, 3, 31))
    err = check_child_eligible(D(2022, 3, 31))
    assert (err.field, err.code) == ("birth_date", "born_before_programme")
    assert err.message == "Coupons are for children born on or after %(programme_start)s."
    assert err.params == {"programme_start": D(2022, 4, 1)}
    assert check_child_eligible(D(2022, 4, 1)) is None


def test_eligibility_other_programme_start_and_future_birth():
    assert not child_eligible(D(2022, 4, 1), D(2023, 4, 1))
    assert child_eligible(D(2023, 4, 1), D(2023, 4, 1))
    today = D(2025, 6, 1)
    assert child_eligible(today, today=today)
    assert not child_eligible(today + dt.timedelta(days=1), today=today)
    assert check_child_eligible(D(2025, 6, 2), today=today).code == "birth_date_in_future"


def test_claim_rules():
    assert check_claim(serial_claimed=False, child_has_set=False) is None
    assert check_claim(serial_claimed=True, child_has_set=False).code == "serial_already_claimed"
    assert check_claim(serial_claimed=True, child_has_set=True).code == "serial_already_claimed"
    assert check_claim(serial_claimed=False, child_has_set=True).code == "child_has_set"


def test_siblings_cannot_share_and_service_must_match_provider():
    assert check_same_child(7, 7) is None
    assert check_same_child(7, 8).code == "other_child"
    assert check_provider_service("holiday_care", {"holiday_care", "convalescent_care"}) is None
    assert check_provider_service("sick_child_care", {"holiday_care"}).code == "wrong_service"


# --------------------------------------------------------------------------------------------------- expiry

@pytest.mark.parametrize("service", [s for s in SERVICE_CODES
                                     if s not in ("mama_help", "postpartum_housework")])
def test_default_services_valid_until_programme_end(service):
    assert coupon_valid_until(service, programme_end=END, birth_date=D(2025, 1, 1),
                              first_use=D(2025, 5, 1)) == END
    assert coupon_valid_until(service, programme_end=END, birth_date=None, first_use=None) == END
    kw = dict(programme_end=END, birth_date=None, first_use=None)
    assert is_usable(service, END, **kw)
    assert not is_usable(service, END + dt.timedelta(days=1), **kw)


def until(service, **kw):
    kw.setdefault("programme_end", END)
    kw.setdefault("birth_date", None)
    kw.setdefault("first_use", None)
    return coupon_valid_until(service, **kw)


def test_mama_help_90_days_counting_first_use_as_day_1():
    assert until("mama_help", first_use=D(2025, 4, 1)) == D(2025, 6, 29)
    assert (D(2025, 6, 29) - D(2025, 4, 1)).days + 1 == 90
    kw = dict(programme_end=END, birth_date=D(2025, 3, 1), first_use=D(2025, 4, 1))
    assert is_usable("mama_help", D(2025, 4, 1), **kw)       # day 1
    assert is_usable("mama_help", D(2025, 6, 29), **kw)      # day 90
    assert not is_usable("mama_help", D(2025, 6, 30), **kw)  # day 91


def test_mama_help_before_first_use_starts_at_first_use():
    assert until("mama_help", birth_date=D(2025, 3, 1)) is None
    assert is_usable("mama_help", D(2027, 1, 1), programme_end=END, birth_date=D(2025, 3, 1), first_use=None)


def test_mama_help_90_days_across_leap_february_and_past_programme_end():
    assert until("mama_help", first_use=D(2024, 2, 1)) == D(2024, 4, 30)
    assert until("mama_help", first_use=D(2025, 2, 1)) == D(2025, 5, 1)
    assert until("mama_help", first_use=D(2026, 3, 1)) == D(2026, 5, 29)  # not cut at 2026-03-31


def test_mama_help_multiple_birth_until_day_before_first_birthday():
    assert until("mama_help", birth_date=D(2024, 5, 10), multiple_birth=True) == D(2025, 5, 9)
    assert until("mama_help", birth_date=D(2024, 5, 10), first_use=D(2025, 5, 1),
                 multiple_birth=True) == D(2025, 5, 9)
    kw = dict(programme_end=END, birth_date=D(2024, 5, 10), first_use=D(2024, 6, 1), multiple_birth=True)
    assert is_usable("mama_help", D(2025, 5, 9), **kw)
    assert not is_usable("mama_help", D(2025, 5, 10), **kw)
    # Leap days: born 29 Feb → through 28 Feb; born 1 March 2023 → through 29 Feb 2024.
    assert until("mama_help", birth_date=D(2024, 2, 29), multiple_birth=True) == D(2025, 2, 28)
    assert until("mama_help", birth_date=D(2023, 3, 1), multiple_birth=True) == D(2024, 2, 29)
    assert until("mama_help", birth_date=D(2024, 12, 31), multiple_birth=True) == D(2025, 12, 30)
    assert until("mama_help", birth_date=D(2025, 1, 1), multiple_birth=True) == D(2025, 12, 31)
    with pytest.raises(ValueError):
        until("mama_help", multiple_birth=True)


def test_first_birthday():
    assert first_birthday(D(2024, 5, 10)) == D(2025, 5, 10)
    assert first_birthday(D(2024, 2, 29)) == D(2025, 3, 1)
    assert first_birthday(D(2023, 2, 28)) == D(2024, 2, 28)


@pytest.mark.parametrize("born, fourth, last", [
    (D(2025, 4, 10), D(2025, 7, 10), D(2025, 7, 31)),    # the issue's example
    (D(2025, 4, 1), D(2025, 7, 1), D(2025, 7, 31)),
    (D(2025, 4, 30), D(2025, 7, 30), D(2025, 7, 31)),
    (D(2025, 1, 28), D(2025, 4, 28), D(2025, 4, 30)),
    (D(2025, 1, 30), D(2025, 4, 30), D(2025, 4, 30)),
    (D(2025, 1, 31), D(2025, 5, 1), D(2025, 5, 31)),     # no 31 April: the third month ends 30 April
    (D(2025, 3, 31), D(2025, 7, 1), D(2025, 7, 31)),     # no 31 June
    (D(2025, 5, 31), D(2025, 8, 31), D(2025, 8, 31)),
    (D(2024, 10, 31), D(2025, 1, 31), D(2025, 1, 31)),   # across the year
    (D(2024, 11, 10), D(2025, 2, 10), D(2025, 2, 28)),
    (D(2023, 11, 29), D(2024, 2, 29), D(2024, 2, 29)),   # a leap February has the 29th
    (D(2024, 11, 29), D(2025, 3, 1), D(2025, 3, 31)),    # a common one has not
    (D(2023, 11, 30), D(2024, 3, 1), D(2024, 3, 31)),
    (D(2024, 2, 29), D(2024, 5, 29), D(2024, 5, 31)),    # born on a leap day
    (D(2023, 12, 31), D(2024, 3, 31), D(2024, 3, 31)),
])
def test_postpartum_housework_until_end_of_month_of_fourth_month(born, fourth, last):
    assert fourth_month_start(born) == fourth
    assert until("postpartum_housework", birth_date=born) == last
    kw = dict(programme_end=END, birth_date=born, first_use=None)
    assert is_usable("postpartum_housework", last, **kw)
    assert not is_usable("postpartum_housework", last + dt.timedelta(days=1), **kw)


def test_postpartum_housework_over_every_birth_day():
    """Over four years of birth days: the fourth month begins three calendar months on (or on the 1st after a
    short month), never before the day with that number, and the last valid day never moves backwards."""
    day, previous = D(2022, 4, 1), None
    while day <= D(2026, 4, 1):
        start = fourth_month_start(day)
        months = (start.year * 12 + start.month) - (day.year * 12 + day.month)
        assert months == 3 or (months == 4 and start.day == 1 and day.day > 28)
        assert 89 <= (start - day).days <= 92
        last = until("postpartum_housework", birth_date=day)
        assert (last.year, last.month) == (start.year, start.month) and (last + dt.timedelta(days=1)).day == 1
        assert previous is None or last >= previous
        previous = last
        day += dt.timedelta(days=1)


def test_postpartum_housework_not_cut_at_programme_end_and_needs_birth_date():
    assert until("postpartum_housework", birth_date=D(2026, 2, 15)) == D(2026, 5, 31)
    with pytest.raises(ValueError):
        until("postpartum_housework")


def test_check_usable_explains_expiry():
    kw = dict(programme_end=END, birth_date=None, first_use=D(2025, 4, 1))
    assert check_usable("mama_help", D(2025, 6, 29), **kw) is None
    err = check_usable("mama_help", D(2025, 6, 30), **kw)
    assert err.code == "coupon_expired" and err.params == {"valid_until": D(2025, 6, 29)}
    assert check_usable("mama_help", D(2030, 1, 1), programme_end=END, birth_date=None,
                        first_use=None) is None


def test_expiring_within_30_days():
    today = D(2026, 3, 1)
    assert expiring_within(D(2026, 3, 31), today)        # today + 30
    assert not expiring_within(D(2026, 4, 1), today)     # today + 31
    assert expiring_within(today, today)
    assert not expiring_within(D(2026, 2, 28), today)    # already expired
    assert not expiring_within(None, today)
    assert expiring_within(D(2026, 3, 8), today, days=7) and not expiring_within(D(2026, 3, 9), today, days=7)


# --------------------------------------------------------------------------------------------------- ledger

T0 = dt.datetime(2025, 6, 1, 3, 0, 0)  # naive UTC, 12:00 in Japan


def redeem(entry_id, count, at=T0, service="holiday_care", key=None, set_id=1):
    return Redeem(set_id, count, "prov-1", service, at, key or f"key-{entry_id}", entry_id=entry_id)


@pytest.mark.parametrize("count", [0, -1, True, 1.5, "1", None])
def test_entries_need_a_positive_whole_count(count):
    with pytest.raises(ValueError):
        Issue(1, count)
    with pytest.raises(ValueError):
        Redeem(1, count, "p", "holiday_care", T0, "k")
    with pytest.raises(ValueError):
        Reversal(1, count, "wrong count", T0)


def test_redeem_needs_known_service_and_key():
    with pytest.raises(CouponError):
        Redeem(1, 1, "p", "cash", T0, "k")
    with pytest.raises(ValueError):
        Redeem(1, 1, "p", "holiday_care", T0, "")


def test_balance_is_issued_minus_redeemed_plus_reversed():
    assert balance([]) == 0
    entries = [Issue(1, 10, entry_id=1), redeem(2, 3), redeem(3, 7),
               Reversal(2, 2, "typed 3 for 1", T0, entry_id=4)]
    assert balance(entries) == 10 - 3 - 7 + 2 == 2
    assert balance(entries[:3]) == 0


@pytest.mark.parametrize("entries", [
    [Issue(1, 2), redeem(2, 3)],                                                     # below zero
    [Issue(1, 2), redeem(2, 2), redeem(3, 1), Reversal(2, 2, "x", T0)],             # below zero, then fixed
    [Issue(1, 5), Reversal(9, 1, "x", T0)],                                          # points at nothing
    [Issue(1, 5), Reversal(2, 1, "x", T0), redeem(2, 1)],                           # before its redemption
    [Issue(1, 5, entry_id=1), Reversal(1, 1, "x", T0)],                             # reverses an issue
    [Issue(1, 5), redeem(2, 2), Reversal(2, 1, "x", T0), Reversal(2, 1, "y", T0)],  # twice
    [Issue(1, 5), redeem(2, 2), Reversal(2, 3, "x", T0)],                           # more than redeemed
    [Issue(1, 5), redeem(2, 1, set_id=2)],                                          # another set
])
def test_balance_refuses_a_corrupt_ledger(entries):
    with pytest.raises(LedgerInvariantError):
        balance(entries)


def test_balance_refuses_foreign_objects():
    with pytest.raises(TypeError):
        balance([Issue(1, 5), "transfer"])


@pytest.mark.parametrize("left, count, code", [
    (5, 5, None), (5, 1, None), (5, 6, "insufficient_balance"), (1, 2, "insufficient_balance"),
    (0, 1, "no_coupons_left"), (5, 0, "count_invalid"), (5, -1, "count_invalid"), (5, True, "count_invalid"),
    (5, "1", "count_invalid"), (5, 1.0, "count_invalid"), (5, None, "count_invalid"),
])
def test_check_redeem(left, count, code):
    err = check_redeem(left, count)
    assert (err.code if err else None) == code
    if code == "insufficient_balance":
        assert err.params == {"remaining": left} and err.field == "count"


def test_balance_never_negative_under_random_use():
    """Random claims, redemptions (some too large), double submits and corrections, each written only when
    its check passes: the balance always equals issued − redeemed + reversed and never goes below zero."""
    rng = random.Random(2025)
    for _ in range(300):
        issued = rng.randint(1, 12)
        entries: list = [Issue(1, issued, entry_id=0)]
        now, redeemed, given_back, next_id = T0, 0, 0, 1
        for _ in range(rng.randint(1, 30)):
            now += dt.timedelta(hours=rng.choice([0, 1, 5, 23, 24, 25]))
            action = rng.random()
            if action < 0.6:
                key = rng.choice(["a", "b", f"k{next_id}"])
                count = rng.randint(-1, 6)
                if find_replay(entries, key):
                    continue
                if check_redeem(balance(entries), count) is None:
                    entries.append(Redeem(1, count, "p", "holiday_care", now, key, entry_id=next_id))
                    redeemed += count
            else:
                originals = [e for e in entries if isinstance(e, Redeem)]
                if not originals:
                    continue
                original = rng.choice(originals)
                count = rng.randint(0, original.count + 1)
                reversals = [e for e in entries if isinstance(e, Reversal)]
                if check_reversal(original, reversals, now, count=count, reason="wrong count") is None:
                    entries.append(Reversal(original.entry_id, count, "wrong count", now, entry_id=next_id))
                    given_back += count
            next_id += 1
            assert balance(entries) == issued - redeemed + given_back >= 0


ORIGINAL = redeem(10, 3, at=T0)


def reversal_error(now=T0 + dt.timedelta(hours=1), count=1, reason="wrong count", existing=(),
                   original=ORIGINAL):
    err = check_reversal(original, list(existing), now, count=count, reason=reason)
    return err.code if err else None


def test_reversal_full_or_partial_with_reason():
    assert reversal_error(count=3) is None
    assert reversal_error(count=1) is None
    assert reversal_error(count=0) == "reversal_count_invalid"
    assert reversal_error(count=4) == "reversal_count_invalid"
    assert reversal_error(count=True) == "reversal_count_invalid"
    err = check_reversal(ORIGINAL, [], T0, count=4, reason="x")
    assert err.params == {"max": 3} and err.field == "count"


@pytest.mark.parametrize("reason, code", [
    ("", "reason_required"), ("   \u3000", "reason_required"), (None, "reason_required"),
    ("x" * 500, None), ("x" * 501, "reason_too_long"), ("  枚数を間違えた  ", None),
])
def test_reversal_reason(reason, code):
    assert reversal_error(reason=reason) == code


def test_at_most_one_reversal_per_redemption():
    first = Reversal(10, 1, "wrong count", T0, entry_id=11)
    assert reversal_error(existing=[first]) == "already_reversed"
    assert reversal_error(existing=[Reversal(99, 1, "other", T0, entry_id=12)]) is None


@pytest.mark.parametrize("elapsed, code", [
    (dt.timedelta(0), None),
    (dt.timedelta(hours=23, minutes=59, seconds=59), None),
    (dt.timedelta(hours=24), None),                                   # 24時間以内: the limit itself is in
    (dt.timedelta(hours=24, microseconds=1), "reversal_window_closed"),
    (dt.timedelta(hours=24, seconds=1), "reversal_window_closed"),
    (dt.timedelta(days=30), "reversal_window_closed"),
])
def test_reversal_window_24_hours(elapsed, code):
    assert reversal_error(now=T0 + elapsed) == code


def test_reversal_window_error_and_order():
    err = check_reversal(ORIGINAL, [], T0 + dt.timedelta(hours=25), count=99, reason="")
    assert (err.field, err.code, err.params) == ("original", "reversal_window_closed", {"hours": 24})
    # A second correction is refused as such, even after the window.
    first = Reversal(10, 1, "x", T0, entry_id=11)
    assert reversal_error(now=T0 + dt.timedelta(days=2), existing=[first]) == "already_reversed"
    # A custom window.
    assert check_reversal(ORIGINAL, [], T0 + dt.timedelta(hours=2), dt.timedelta(hours=1), count=1,
                          reason="x").code == "reversal_window_closed"


def test_reversal_window_compares_aware_and_naive_utc():
    jst = dt.timezone(dt.timedelta(hours=9))
    just_in = (T0 + dt.timedelta(hours=24)).replace(tzinfo=dt.timezone.utc).astimezone(jst)
    assert reversal_error(now=just_in) is None
    assert reversal_error(now=just_in + dt.timedelta(seconds=1)) == "reversal_window_closed"


def test_only_a_redemption_can_be_reversed():
    assert reversal_error(original=Issue(1, 5, entry_id=1)) == "not_a_redemption"
    assert reversal_error(original=Reversal(10, 1, "x", T0, entry_id=11)) == "not_a_redemption"
    with pytest.raises(ValueError):
        check_reversal(Redeem(1, 1, "p", "holiday_care", T0, "k"), [], T0, count=1, reason="x")


def test_idempotent_replay():
    first = redeem(2, 2, key="form-abc")
    entries = [Issue(1, 5, entry_id=1), first]
    assert find_replay(entries, "form-abc") is first
    assert find_replay(entries, "form-xyz") is None
    assert check_replay(first, set_id=1, count=2, provider_id="prov-1", service_code="holiday_care") is None
    err = check_replay(first, set_id=1, count=3, provider_id="prov-1", service_code="holiday_care")
    assert err.code == "idempotency_conflict"


def test_first_use_ignores_fully_reversed_redemptions():
    t1, t2, t3 = T0, T0 + dt.timedelta(days=1), T0 + dt.timedelta(days=2)
    entries = [Issue(1, 10, entry_id=1), redeem(2, 1, at=t1, service="mama_help"),
               redeem(3, 2, at=t2, service="mama_help"), redeem(4, 1, at=T0 - dt.timedelta(days=9))]
    assert first_use_at(entries, "mama_help") == t1
    assert first_use_at(entries + [Reversal(2, 1, "mistake", t1, entry_id=5)], "mama_help") == t2
    partial = entries + [Reversal(3, 1, "one too many", t2, entry_id=6)]
    assert first_use_at(partial, "mama_help") == t1
    assert first_use_at(entries, "postpartum_housework") is None
    assert first_use_at(entries + [redeem(7, 1, at=t3, service="mama_help")], "mama_help") == t1


def test_japan_date():
    assert japan_date(dt.datetime(2025, 6, 30, 14, 59, 59)) == D(2025, 6, 30)   # naive = UTC
    assert japan_date(dt.datetime(2025, 6, 30, 15, 0, 0)) == D(2025, 7, 1)
    jst = dt.timezone(dt.timedelta(hours=9))
    assert japan_date(dt.datetime(2025, 7, 1, 0, 0, tzinfo=jst)) == D(2025, 7, 1)
    # Feeding the expiry rule: first use 2025-03-31 23:30 in Japan is day 1.
    first = first_use_at([Issue(1, 3, entry_id=1), redeem(2, 1, at=dt.datetime(2025, 3, 31, 14, 30),
                                                           service="mama_help")], "mama_help")
    assert until("mama_help", first_use=japan_date(first)) == D(2025, 6, 28)


def test_no_cash_no_transfer():
    """Coupons cannot be cashed, refunded or transferred: there is no such operation at all."""
    from webapp.coupons.domain import ledger
    names = {n.lower() for module in (domain, ledger) for n in dir(module)}
    for word in ("transfer", "cash", "refund", "reissue", "move_set", "set_child"):
        assert not any(word in n for n in names), word


def test_errors_carry_field_message_code():
    err = CouponError("count", "Some message.", "some_code", {"n": 1})
    assert (err.field, err.message, err.code, err.params) == ("count", "Some message.", "some_code", {"n": 1})
    assert str(err) == "Some message."
    assert SerialError("serial", "Enter the serial code.").code == "serial_invalid"
    assert err == CouponError("count", "Some message.", "some_code", {"n": 1})


def test_domain_imports_no_framework():
    """Plain Python: the standard library, the package itself and the one fiscal-year helper."""
    import ast
    import sys
    folder = os.path.join(ROOT, "webapp", "coupons", "domain")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [] if node.level else [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert module == "webapp.domain.fiscal" or top in sys.stdlib_module_names, (name, module)
