"""Loading facility records (from the demo file, the generator or the coupon reference data)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..domain.facility_record import validate_record
from ..reference import reference
from .operations import upsert_facility


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, field, message)

    @property
    def error_lines(self) -> set[int]:
        return {e[0] for e in self.errors}


def load_records(session: Session, rows: list[dict], first_line: int = 1,
                 lines: list[int] | None = None) -> LoadReport:
    """Validate every row and save the good ones. Validation happens before any write, so a bad row leaves
    nothing behind; an unexpected database error propagates and the caller's transaction rolls back whole.

    Errors name row ``first_line + i``, or ``lines[i]`` when given (e.g. physical CSV line numbers)."""
    ref = reference()
    report = LoadReport()
    numbers = lines if lines is not None else range(first_line, first_line + len(rows))
    for n, raw in zip(numbers, rows, strict=True):
        record, errors = validate_record(raw, ref)
        if errors:
            report.errors.extend((n, f, m) for f, m in errors)
            continue
        _, created = upsert_facility(session, record)
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report
