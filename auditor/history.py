"""What a case already holds before a record: the history a record should weigh."""

from __future__ import annotations

import datetime as dt
import re

from auditor.records import ANALYTICAL_TYPES, Case, Note, RecordType

#: Records that open a piece of work: the current episode starts at the latest of these.
EPISODE_OPENERS = frozenset({RecordType.REFERRAL, RecordType.CONTACT})

DEFAULT_EPISODE_GAP_DAYS = 30
"""Records this many days before the current episode's opening are its history."""


def episode_start(case: Case, note: Note) -> dt.date:
    """The date the piece of work that `note` belongs to began.

    That is the latest referral or contact on or before the note; a case with none
    starts at its first record.
    """
    start = case.notes[0].date
    for earlier in case.notes:
        if earlier.date > note.date:
            break
        if earlier.type in EPISODE_OPENERS:
            start = earlier.date
        if earlier is note:
            break
    return start


RECORDS, EPISODES = "records", "episodes"
"""What counts as history: any older record, or only records from earlier episodes."""


def prior_involvement(
    case: Case, note: Note, gap_days: int = DEFAULT_EPISODE_GAP_DAYS, scope: str = RECORDS
) -> tuple[Note, ...]:
    """Earlier records that are history for `note`.

    With scope `records`: anything at least `gap_days` older than the record, except the
    referral or contact that opened the current piece of work (an assessment that says "no
    previous involvement" about that is right); an earlier incident, conference, plan or
    assessment counts, whether or not the case was closed in between. With scope `episodes`:
    only records from before the current episode began (its opening referral or contact,
    less `gap_days`).
    """
    start = episode_start(case, note)
    if scope == EPISODES:
        cutoff = start - dt.timedelta(days=gap_days)
        return tuple(earlier for earlier in case.before(note) if earlier.date < cutoff)
    cutoff = note.date - dt.timedelta(days=gap_days)
    return tuple(
        earlier
        for earlier in case.before(note)
        if earlier.date < cutoff and not (earlier.type in EPISODE_OPENERS and earlier.date >= start)
    )


def can_miss_history(case: Case, note: Note) -> bool:
    """Whether `note` could miss history: an analytical record in a case that holds some."""
    return note.type in ANALYTICAL_TYPES and bool(prior_involvement(case, note))


_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b")


def mentions_earlier_date(text: str, before: dt.date) -> str:
    """The first year or date in `text` that falls before `before`, or ''."""
    for match in _YEAR.finditer(text):
        if int(match.group(1)) < before.year:
            return match.group(0)
    for match in _NUMERIC_DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        try:
            if dt.date(year, month, day) < before:
                return match.group(0)
        except ValueError:
            continue
    return ""
