"""The leak guard as a detector: each residual identifier becomes an `identifier` finding."""

from __future__ import annotations

from auditor.findings import LEAK_CATEGORY, Finding, Severity
from auditor.leakguard.masking import SOURCE_PREFIX
from auditor.leakguard.match import DATE_OF_BIRTH, EMAIL, NAME, NHS_NUMBER, NI_NUMBER, PHONE, POSTCODE
from auditor.leakguard.scan import find_identifiers
from auditor.records import Case

_WHAT = {
    NHS_NUMBER: "an NHS number",
    NI_NUMBER: "a National Insurance number",
    POSTCODE: "a full postcode",
    PHONE: "a phone number",
    EMAIL: "an email address",
    DATE_OF_BIRTH: "a date of birth",
    NAME: "a person's name",
}

# How sure each check is. Checksummed and tightly shaped identifiers rarely match anything
# else; a capitalised word after a title is sometimes a pseudonym or an organisation.
_SCORES = {
    NHS_NUMBER: 0.95,
    NI_NUMBER: 0.95,
    EMAIL: 0.95,
    PHONE: 0.9,
    POSTCODE: 0.85,
    DATE_OF_BIRTH: 0.9,
    NAME: 0.75,
}

# A postcode covers a street, not a person, and a titled surname may be a pseudonym: medium.
# The rest point at one person.
_SEVERITIES = {POSTCODE: Severity.MEDIUM, NAME: Severity.MEDIUM}


class IdentifierDetector:
    """Flags residual personal identifiers in every record of a case."""

    def audit(self, case: Case) -> list[Finding]:
        """One `identifier` finding per identifier found, with the identifier as its evidence.

        Args:
            case: the case whose records are checked.

        Returns:
            The findings, by record and then position in the record's text.
        """
        findings = []
        for note in case.notes:
            for match in find_identifiers(note.text):
                findings.append(
                    Finding(
                        case_id=note.case_id,
                        note_id=note.note_id,
                        category=LEAK_CATEGORY,
                        score=_SCORES[match.kind],
                        severity=_SEVERITIES.get(match.kind, Severity.HIGH),
                        sources=(f"{SOURCE_PREFIX}{match.kind}",),
                        start=match.start,
                        end=match.end,
                        excerpt=note.text[match.start : match.end],
                        message=(
                            f"This looks like {_WHAT[match.kind]} in a record that should be anonymised: "
                            "check it and redact it or replace it with a placeholder."
                        ),
                        explanation=f"leakguard:{match.kind}: {match.explanation}",
                    )
                )
        return findings
