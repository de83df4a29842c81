"""Case records as immutable data: `Note`, `Case` and the record types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RecordType(StrEnum):
    """The kinds of case record SPEC.md names; anything else is `OTHER`."""

    REFERRAL = "referral"
    CONTACT = "contact"
    VISIT = "visit"
    STRATEGY = "strategy"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    REVIEW = "review"
    DECISION = "decision"
    SUPERVISION = "supervision"
    CLOSURE = "closure"
    OTHER = "other"


#: Records that judge risk or next steps, where history should be weighed.
ANALYTICAL_TYPES = frozenset(
    {
        RecordType.ASSESSMENT,
        RecordType.PLAN,
        RecordType.REVIEW,
        RecordType.DECISION,
        RecordType.STRATEGY,
        RecordType.SUPERVISION,
        RecordType.CLOSURE,
    }
)


@dataclass(frozen=True, slots=True)
class Note:
    """One case record, as read from the input."""

    case_id: str
    note_id: str
    date: dt.date
    type: RecordType
    text: str
    author: str = ""
    order: int = 0
    """Position in the input, to keep same-day records in input order."""


@dataclass(frozen=True, slots=True)
class Case:
    """A case's records, ordered by date and then input order."""

    case_id: str
    notes: tuple[Note, ...]

    @classmethod
    def of(cls, case_id: str, notes: Iterable[Note]) -> Case:
        """Build a case, putting its records in chronological order."""
        return cls(case_id, tuple(sorted(notes, key=lambda n: (n.date, n.order))))

    def before(self, note: Note) -> tuple[Note, ...]:
        """The records that precede `note` in the case's chronology."""
        return self.notes[: self.notes.index(note)]


def group_cases(notes: Iterable[Note]) -> list[Case]:
    """Group records into cases, in order of each case's first appearance."""
    by_case: dict[str, list[Note]] = {}
    for note in notes:
        by_case.setdefault(note.case_id, []).append(note)
    return [Case.of(case_id, case_notes) for case_id, case_notes in by_case.items()]
