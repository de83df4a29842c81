"""Dates of birth: a date only counts when a birth label stands right before it."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.leakguard.match import DATE_OF_BIRTH, Match, compile_fixed

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}{_ORDINAL}[ \t]+(?:of[ \t]+)?{_MONTH},?(?:[ \t]+\d{{4}})?"
    rf"|{_MONTH}[ \t]+\d{{1,2}}{_ORDINAL},?(?:[ \t]+\d{{4}})?)\b"
)
# Case notes are full of visit, meeting and incident dates; only a birth label makes one a
# date of birth. "Unborn" does not count (no word boundary before "born"), nor "EDD".
_LABEL = r"(?:\bd\.?[ \t]?o\.?[ \t]?b\b\.?|\bdate[ \t]+of[ \t]+birth\b|\bbirth[ \t]?date\b|\bborn\b)"
# Between label and date: at most a few words ("born at home on"), never a digit, a line break
# or the end of a sentence, so "born at 39 weeks. Seen on 12/03/24" stays a visit date.
_DOB = compile_fixed(rf"({_LABEL})[^\d\n.;!?]{{0,16}}?({_DATE})")


def dates_of_birth(text: str) -> Iterator[Match]:
    """Dates after "DOB", "d.o.b.", "date of birth" or "born (on)"; the span is the date alone."""
    for found in _DOB.finditer(text):
        label = " ".join(found.group(1).split())
        yield Match(DATE_OF_BIRTH, *found.span(2), f'date of birth: a date right after "{label}"')
