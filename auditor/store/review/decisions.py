"""Append-only decisions, notes, undo and grades: every write the review app makes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from auditor.store.review.common import Clock, Grade, ReviewError, Verdict, utc_now

DISMISS_REASONS = (
    "Not an issue in this context",
    "Evidence is recorded elsewhere in the record",
    "Covered by another record on the case",
    "Rule misread the text (negation, quotation, hypothetical)",
    "Duplicate of another finding",
)
"""The short list a dismissal reason is chosen from; any other reason may be typed."""


@dataclass(frozen=True)
class Undone:
    """What `undo_last` took back."""

    decision_id: int
    fingerprint: str
    case_id: str
    verdict: Verdict


def run_versions(db: sqlite3.Connection, run_id: int | None = None) -> tuple[str | None, str | None]:
    """The rules and model versions of a run (default: the latest finished run, else the latest)."""
    if run_id is not None:
        row = db.execute("SELECT rules_version, model_version FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is not None:
            return row[0], row[1]
    row = db.execute(
        "SELECT rules_version, model_version FROM runs ORDER BY status = 'done' DESC, run_id DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _insert_decision(
    db: sqlite3.Connection, fingerprint: str, verdict: str, reviewer: str, reason: str, note: str, clock: Clock
) -> int:
    finding = db.execute("SELECT case_id, last_run FROM findings WHERE fingerprint = ?", (fingerprint,)).fetchone()
    if finding is None:
        raise ReviewError(f"no finding with fingerprint {fingerprint!r}")
    # The versions of the run that last produced the finding: what the reviewer actually judged.
    rules_version, model_version = run_versions(db, finding["last_run"])
    cursor = db.execute(
        """INSERT INTO decisions (fingerprint, case_id, verdict, reason, note, reviewer, decided_at,
           rules_version, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (fingerprint, finding["case_id"], verdict, reason, note, reviewer, clock(), rules_version, model_version),
    )
    return int(cursor.lastrowid or 0)


def record_decision(
    db: sqlite3.Connection,
    fingerprint: str,
    verdict: Verdict | str,
    reviewer: str,
    reason: str = "",
    note: str = "",
    clock: Clock = utc_now,
) -> int:
    """Append a verdict on a finding; it is committed when this returns.

    Args:
        db: the audit database (autocommit, as `connect` opens it).
        fingerprint: the finding decided.
        verdict: confirmed, dismissed or unsure.
        reviewer: who decided.
        reason: why (a dismissal's reason).
        note: free text kept with the decision.
        clock: the time source (tests freeze it).

    Returns:
        The new decision's id.

    Raises:
        ReviewError: no such finding, or not a verdict.
    """
    try:
        verdict = Verdict(verdict)
    except ValueError:
        raise ReviewError(f"verdict must be one of {', '.join(Verdict)}, not {verdict!r}") from None
    return _insert_decision(db, fingerprint, verdict.value, reviewer, reason.strip(), note.strip(), clock)


def add_note(db: sqlite3.Connection, fingerprint: str, note: str, reviewer: str, clock: Clock = utc_now) -> int:
    """Append a free-text note on a finding (it does not change the verdict)."""
    if not note.strip():
        raise ReviewError("a note needs some text")
    return _insert_decision(db, fingerprint, "note", reviewer, "", note.strip(), clock)


def undo_last(
    db: sqlite3.Connection, reviewer: str, case_id: str | None = None, clock: Clock = utc_now
) -> Undone | None:
    """Take back the reviewer's most recent verdict that is still in force, by appending an 'undone'.

    Nothing is deleted: the history shows the verdict and its undoing. A verdict someone has since
    replaced is not in force and is skipped; calling again undoes the one before.

    Args:
        db: the audit database.
        reviewer: whose decision to undo.
        case_id: only consider decisions on this case.
        clock: the time source.

    Returns:
        What was undone, or None when there is nothing left to undo.
    """
    scope = "AND d.case_id = ?" if case_id is not None else ""
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute(
            f"""SELECT d.decision_id, d.fingerprint, d.case_id, d.verdict FROM decisions d
                WHERE d.reviewer = ? AND d.verdict IN ('confirmed', 'dismissed', 'unsure') {scope}
                AND d.decision_id = (SELECT max(x.decision_id) FROM decisions x WHERE x.fingerprint = d.fingerprint
                                     AND x.verdict IN ('confirmed', 'dismissed', 'unsure', 'undone'))
                ORDER BY d.decision_id DESC LIMIT 1""",
            (reviewer, case_id) if case_id is not None else (reviewer,),
        ).fetchone()
        if row is None:
            db.execute("COMMIT")
            return None
        note = f"undoes decision {row['decision_id']} ({row['verdict']})"
        _insert_decision(db, row["fingerprint"], "undone", reviewer, "", note, clock)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return Undone(row["decision_id"], row["fingerprint"], row["case_id"], Verdict(row["verdict"]))


def record_grade(
    db: sqlite3.Connection, case_id: str, grade: Grade | str, reviewer: str, comment: str = "", clock: Clock = utc_now
) -> int:
    """Append a grade for the case; the latest grade is the case's grade.

    Raises:
        ReviewError: no such case, or not a grade on the scale.
    """
    try:
        grade = Grade(grade)
    except ValueError:
        raise ReviewError(f"grade must be one of {', '.join(Grade)}, not {grade!r}") from None
    if db.execute("SELECT 1 FROM cases WHERE case_id = ?", (case_id,)).fetchone() is None:
        raise ReviewError(f"no case {case_id!r}")
    cursor = db.execute(
        "INSERT INTO grades (case_id, grade, comment, reviewer, graded_at) VALUES (?, ?, ?, ?, ?)",
        (case_id, grade.value, comment.strip(), reviewer, clock()),
    )
    return int(cursor.lastrowid or 0)
