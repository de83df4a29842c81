"""The single audit entry point: a case in, merged and evidenced findings out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from auditor.findings import Finding
from auditor.merge import merge_findings
from auditor.records import Case

ENGINES = ("rules", "model", "both")


class Detector(Protocol):
    """Anything that finds evidence in a case: the rule set, the classifier."""

    def audit(self, case: Case) -> list[Finding]:
        """Findings for the case's records."""
        ...


class Auditor:
    """Runs the chosen detectors over a case and merges their findings per evidence."""

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self.detectors = list(detectors)

    def audit_case(self, case: Case) -> list[Finding]:
        """All findings for one case, one per record, category and piece of evidence."""
        findings = [f for detector in self.detectors for f in detector.audit(case)]
        if not findings:
            return []
        return merge_findings(findings, {note.note_id: note.text for note in case.notes})
