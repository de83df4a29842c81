"""Run every identifier scanner over a text and keep one match per stretch of text."""

from __future__ import annotations

from auditor.leakguard.dates import dates_of_birth
from auditor.leakguard.match import Match
from auditor.leakguard.names import name_fields, titled_names
from auditor.leakguard.numbers import emails, nhs_numbers, ni_numbers, phone_numbers, postcodes

# Earlier scanners win ties: an email's local part must not also read as a name, nor a
# labelled NHS number as a phone number.
_SCANNERS = (emails, nhs_numbers, ni_numbers, phone_numbers, postcodes, dates_of_birth, name_fields, titled_names)


def find_identifiers(text: str) -> list[Match]:
    """Every residual identifier in `text`, in order, none overlapping another.

    Args:
        text: a record's text.

    Returns:
        The matches ordered by position; where two overlap, the longer (or, at equal length,
        the one from the more specific scanner) is kept.
    """
    found = [match for scanner in _SCANNERS for match in scanner(text)]
    ordered = sorted(enumerate(found), key=lambda item: (item[1].start, item[1].start - item[1].end, item[0]))
    kept: list[Match] = []
    for _, match in ordered:
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept
