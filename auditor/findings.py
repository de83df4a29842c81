"""Findings: what the audit reports about a record, with its evidence span."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

CORE_CATEGORIES = ("missing_history", "unclear_rationale", "optimism")
"""The recording-quality categories every pack and the model speak about."""

LEAK_CATEGORY = "identifier"
"""The leak guard: residual personal identifiers, not a recording-quality finding."""

KNOWN_CATEGORIES = (*CORE_CATEGORIES, LEAK_CATEGORY)


class Severity(StrEnum):
    """How much a finding matters to an auditor."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low, 2 for high: for sorting and for taking the higher of two."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


def fingerprint(case_id: str, note_id: str, category: str, excerpt: str) -> str:
    """A stable id for a finding: same record, category and evidence give the same id.

    The evidence text is normalised for whitespace and case, so re-wrapping a record
    does not lose the reviewer decisions attached to its findings.
    """
    evidence = " ".join(excerpt.split()).lower()
    key = "\x1f".join((case_id, note_id, category, evidence))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged passage of one record, in SPEC.md's findings schema."""

    case_id: str
    note_id: str
    category: str
    score: float
    severity: Severity
    sources: tuple[str, ...]
    start: int
    end: int
    excerpt: str
    message: str
    explanation: str
    fingerprint: str = field(default="")

    def __post_init__(self) -> None:
        if not self.fingerprint:
            fp = fingerprint(self.case_id, self.note_id, self.category, self.excerpt)
            object.__setattr__(self, "fingerprint", fp)

    def to_dict(self) -> dict[str, Any]:
        """The finding as the JSON object SPEC.md fixes."""
        return {
            "case_id": self.case_id,
            "note_id": self.note_id,
            "category": self.category,
            "score": round(self.score, 4),
            "severity": self.severity.value,
            "sources": list(self.sources),
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "message": self.message,
            "explanation": self.explanation,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """Read back a finding written by `to_dict`."""
        return cls(
            case_id=data["case_id"],
            note_id=data["note_id"],
            category=data["category"],
            score=float(data["score"]),
            severity=Severity(data["severity"]),
            sources=tuple(data["sources"]),
            start=int(data["start"]),
            end=int(data["end"]),
            excerpt=data["excerpt"],
            message=data["message"],
            explanation=data["explanation"],
            fingerprint=data.get("fingerprint", ""),
        )
