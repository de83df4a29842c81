"""One case as the review app shows it: its records, findings with their decisions, and grade."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from auditor.store.review.common import Grade, Verdict


@dataclass(frozen=True)
class RecordView:
    """One record of a case, for its chronology and full text."""

    note_id: str
    date: str
    type: str
    author: str
    text: str


@dataclass(frozen=True)
class FindingView:
    """One open finding with the reviewer's current decision on it."""

    fingerprint: str
    note_id: str
    category: str
    score: float
    severity: str
    sources: tuple[str, ...]
    start: int
    end: int
    excerpt: str
    message: str
    explanation: str
    verdict: Verdict | None = None
    """The current decision (None: undecided, or the last decision was undone)."""
    reason: str = ""
    note: str = ""
    """The latest free-text note on the finding."""
    decided_by: str = ""


@dataclass(frozen=True)
class GradeView:
    """The latest grade given to a case."""

    grade: Grade
    comment: str
    reviewer: str
    graded_at: str


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case screen shows: records by date, open findings in record order, the grade."""

    case_id: str
    records: tuple[RecordView, ...]
    findings: tuple[FindingView, ...]
    grade: GradeView | None

    def record(self, note_id: str) -> RecordView | None:
        """The record with this id, if the case holds it."""
        return next((r for r in self.records if r.note_id == note_id), None)

    def findings_in(self, note_id: str) -> tuple[FindingView, ...]:
        """The open findings on one record."""
        return tuple(f for f in self.findings if f.note_id == note_id)


def case_detail(db: sqlite3.Connection, case_id: str) -> CaseDetail | None:
    """The case's records (by date), its open findings (in record order) with current decisions, and grade."""
    records = tuple(
        RecordView(row["note_id"], row["date"], row["type"], row["author"], row["text"])
        for row in db.execute(
            "SELECT note_id, date, type, author, text FROM records WHERE case_id = ? ORDER BY date, ord", (case_id,)
        )
    )
    if not records:
        return None
    position = {record.note_id: index for index, record in enumerate(records)}
    state = _decision_state(db, case_id)
    findings = [
        _finding_view(row, state.get(row["fingerprint"], {}))
        for row in db.execute("SELECT * FROM findings WHERE case_id = ? AND status = 'open'", (case_id,))
    ]
    findings.sort(key=lambda f: (position.get(f.note_id, len(records)), f.start, f.end, f.category))
    return CaseDetail(case_id, records, tuple(findings), latest_grade(db, case_id))


def _decision_state(db: sqlite3.Connection, case_id: str) -> dict[str, dict[str, str]]:
    """Per fingerprint: the current verdict (with reason and reviewer) and the latest note."""
    state: dict[str, dict[str, str]] = {}
    for row in db.execute("SELECT * FROM decisions WHERE case_id = ? ORDER BY decision_id", (case_id,)):
        entry = state.setdefault(row["fingerprint"], {})
        if row["verdict"] == "note":
            entry["note"] = row["note"]
        elif row["verdict"] == "undone":
            for key in ("verdict", "reason", "decided_by"):
                entry.pop(key, None)
        else:
            entry.update(verdict=row["verdict"], reason=row["reason"], decided_by=row["reviewer"])
    return state


def _finding_view(row: sqlite3.Row, state: dict[str, str]) -> FindingView:
    verdict = state.get("verdict")
    return FindingView(
        fingerprint=row["fingerprint"],
        note_id=row["note_id"],
        category=row["category"],
        score=row["score"],
        severity=row["severity"],
        sources=tuple(json.loads(row["sources"])),
        start=row["start"],
        end=row["end"],
        excerpt=row["excerpt"],
        message=row["message"],
        explanation=row["explanation"],
        verdict=Verdict(verdict) if verdict else None,
        reason=state.get("reason", ""),
        note=state.get("note", ""),
        decided_by=state.get("decided_by", ""),
    )


def latest_grade(db: sqlite3.Connection, case_id: str) -> GradeView | None:
    """The most recent grade given to the case, if any."""
    row = db.execute("SELECT * FROM grades WHERE case_id = ? ORDER BY grade_id DESC LIMIT 1", (case_id,)).fetchone()
    if row is None:
        return None
    return GradeView(Grade(row["grade"]), row["comment"], row["reviewer"], row["graded_at"])


# --- decisions and grades (append-only) ---------------------------------------------------------
