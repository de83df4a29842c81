"""What the leak guard reports: the kind of identifier found and where it is in the text."""

from __future__ import annotations

from dataclasses import dataclass

import re2

from auditor.rules.patterns import OPTIONS

NHS_NUMBER = "nhs_number"
NI_NUMBER = "ni_number"
POSTCODE = "postcode"
PHONE = "phone"
EMAIL = "email"
DATE_OF_BIRTH = "date_of_birth"
NAME = "name"

KINDS = (NHS_NUMBER, NI_NUMBER, POSTCODE, PHONE, EMAIL, DATE_OF_BIRTH, NAME)
"""Every kind of identifier the leak guard looks for; `leakguard:<kind>` names a finding's source."""


@dataclass(frozen=True, slots=True)
class Match:
    """One residual identifier: its kind, its character span in the text, and the check that matched."""

    kind: str
    start: int
    end: int
    explanation: str


def compile_fixed(pattern: str) -> re2._Regexp:
    """Compile one of the leak guard's own patterns on RE2, linear in the length of any record.

    The shared options are case-insensitive, as rule authors expect; patterns where case carries
    meaning (postcodes, surnames, NI numbers) switch it back on with `(?-i)`.
    """
    return re2.compile(pattern, OPTIONS)


def isolated(text: str, start: int, end: int) -> bool:
    """Whether a run of digits stands on its own, not as one group of a longer grouped number.

    A word boundary alone would let "0161 234 567 8901" yield an NHS-shaped "234 567 8901".
    """
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return not (
        (len(before) == 2 and before[0].isdigit() and before[1] in " -")
        or (len(after) == 2 and after[1].isdigit() and after[0] in " -")
    )
