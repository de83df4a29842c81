"""Reviewing findings in the database: the paged queue, a case's detail, and append-only decisions and grades.

Everything the review app reads or writes goes through these plain functions over a
`sqlite3.Connection`, so they are tested and benchmarked without a terminal.

The queue reads `review_queue` (schema migration 2), one row per case with open findings whose
counts triggers keep current, and pages it by keyset: each page starts strictly after the last
row's (sort key, case id), by an index, so the 2,000th page costs what the first does.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from auditor.store.database import BUSY_TIMEOUT_MS

PAGE_SIZE = 100
"""Queue rows per page: a screenful or two, so a page is read in a few milliseconds."""

SEVERITIES = ("low", "medium", "high")
"""Severity names by rank (the findings table stores both)."""

DISMISS_REASONS = (
    "Not an issue in this context",
    "Evidence is recorded elsewhere in the record",
    "Covered by another record on the case",
    "Rule misread the text (negation, quotation, hypothetical)",
    "Duplicate of another finding",
)
"""The short list a dismissal reason is chosen from; any other reason may be typed."""


class ReviewError(Exception):
    """A decision or grade that cannot be recorded (unknown finding or case, bad value)."""


class QueryCancelled(Exception):
    """A query stopped because its `cancelled` event was set."""


class Verdict(StrEnum):
    """What a reviewer can decide about one finding."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    UNSURE = "unsure"


class Grade(StrEnum):
    """The four-point scale a case is graded on."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def label(self) -> str:
        """The grade as an auditor writes it."""
        return self.value.replace("_", " ").capitalize()


class QueueOrder(StrEnum):
    """How the queue is ranked."""

    SEVERITY = "severity"
    """Highest severity first, then most open findings."""
    UNCERTAINTY = "uncertainty"
    """Scores nearest the 0.5 decision threshold first: where a reviewer's verdict teaches most."""


class ReviewStatus(StrEnum):
    """Which cases the queue shows by how far their review has got."""

    TO_REVIEW = "to_review"
    """Some open finding is still undecided (the default: the queue shrinks as work is done)."""
    UNREVIEWED = "unreviewed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ANY = "any"


_STATUS_SQL = {
    ReviewStatus.TO_REVIEW: "q.progress < 2",
    ReviewStatus.UNREVIEWED: "q.progress = 0",
    ReviewStatus.IN_PROGRESS: "q.progress = 1",
    ReviewStatus.DONE: "q.progress = 2",
    ReviewStatus.ANY: "1",
}
_ORDER_COLUMN = {QueueOrder.SEVERITY: "severity_key", QueueOrder.UNCERTAINTY: "uncertainty_key"}


@dataclass(frozen=True)
class QueueFilter:
    """What narrows the queue; every field is optional and they combine with AND."""

    category: str | None = None
    """Cases with an open finding of this category."""
    severity: str | None = None
    """Cases whose highest open severity is at least this."""
    status: ReviewStatus = ReviewStatus.TO_REVIEW
    record_type: str | None = None
    """Cases with a record of this type (within the date range, if one is given)."""
    date_from: str | None = None
    """Cases with a record dated on or after this ISO date."""
    date_to: str | None = None
    """Cases with a record dated on or before this ISO date."""
    search: str = ""
    """Text in the case id or in any of the case's records (case-insensitive)."""

    def __post_init__(self) -> None:
        if self.severity is not None and self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {self.severity!r}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


@dataclass(frozen=True)
class QueueKey:
    """A position in the queue: the page after it starts strictly after this row."""

    sort_key: int
    case_id: str


@dataclass(frozen=True)
class QueueRow:
    """One case as the queue lists it."""

    case_id: str
    top_severity: str
    open_findings: int
    decided: int
    categories: tuple[tuple[str, int], ...]
    """Open findings by category, most first."""
    records: int
    last_date: str
    grade: Grade | None
    key: QueueKey


@dataclass(frozen=True)
class QueuePage:
    """A page of the queue and where the next one starts (None: this was the last)."""

    rows: tuple[QueueRow, ...]
    next_key: QueueKey | None


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


@dataclass(frozen=True)
class Undone:
    """What `undo_last` took back."""

    decision_id: int
    fingerprint: str
    case_id: str
    verdict: Verdict


def utc_now() -> str:
    """The current time as the decisions table stores it (UTC, ISO 8601, seconds)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Clock = Callable[[], str]


# --- connections and cancellation ---------------------------------------------------------------


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection for a background thread (the writer keeps its own)."""
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    db.row_factory = sqlite3.Row
    return db


@contextmanager
def _interruptible(db: sqlite3.Connection, cancelled: threading.Event | None) -> Iterator[None]:
    """Abort the statements run inside as soon as `cancelled` is set."""
    if cancelled is None:
        yield
        return
    if cancelled.is_set():
        raise QueryCancelled
    # Checked every thousand virtual-machine steps: a cancelled search stops within a millisecond.
    db.set_progress_handler(lambda: 1 if cancelled.is_set() else 0, 1_000)
    try:
        yield
    except sqlite3.OperationalError as error:
        if cancelled.is_set():
            raise QueryCancelled from error
        raise
    finally:
        db.set_progress_handler(None, 0)


# --- the queue ----------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(filters: QueueFilter) -> tuple[list[str], list[object]]:
    """SQL conditions on `review_queue q` for the filters, and their parameters."""
    clauses = ["q.open_findings > 0", _STATUS_SQL[filters.status]]
    params: list[object] = []
    if filters.severity:
        clauses.append("q.top_rank >= ?")
        params.append(SEVERITIES.index(filters.severity))
    if filters.category:
        clauses.append(
            "EXISTS (SELECT 1 FROM findings f WHERE f.case_id = q.case_id AND f.status = 'open' AND f.category = ?)"
        )
        params.append(filters.category)
    record_conditions = []
    for column, op, value in (
        ("type", "=", filters.record_type),
        ("date", ">=", filters.date_from),
        ("date", "<=", filters.date_to and f"{filters.date_to}\uffff"),  # a datetime on the last day counts
    ):
        if value:
            record_conditions.append(f"r.{column} {op} ?")
            params.append(value)
    if record_conditions:
        clauses.append(
            f"EXISTS (SELECT 1 FROM records r WHERE r.case_id = q.case_id AND {' AND '.join(record_conditions)})"
        )
    if filters.search.strip():
        pattern = _like(filters.search.strip())
        clauses.append(
            "(q.case_id LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM records r WHERE r.case_id = q.case_id"
            " AND r.text LIKE ? ESCAPE '\\'))"
        )
        params += [pattern, pattern]
    return clauses, params


def queue_page(
    db: sqlite3.Connection,
    filters: QueueFilter = QueueFilter(),
    order: QueueOrder = QueueOrder.SEVERITY,
    after: QueueKey | None = None,
    limit: int = PAGE_SIZE,
    cancelled: threading.Event | None = None,
) -> QueuePage:
    """One page of the queue, starting strictly after `after` (the first page when None).

    Args:
        db: the audit database.
        filters: what narrows the queue.
        order: how it is ranked.
        after: the `next_key` of the previous page.
        limit: rows per page.
        cancelled: set it (from another thread) to abandon the query.

    Returns:
        The rows and the key the next page starts after.

    Raises:
        QueryCancelled: `cancelled` was set while the query ran.
    """
    column = _ORDER_COLUMN[order]
    clauses, params = _where(filters)
    if after is not None:
        clauses.append(f"(q.{column}, q.case_id) > (?, ?)")
        params += [after.sort_key, after.case_id]
    sql = (
        f"SELECT q.case_id, q.open_findings, q.decided, q.top_rank, q.{column} AS sort_key FROM review_queue q "
        f"WHERE {' AND '.join(clauses)} ORDER BY q.{column}, q.case_id LIMIT ?"
    )
    with _interruptible(db, cancelled):
        found = db.execute(sql, (*params, limit + 1)).fetchall()
        rows = _queue_rows(db, found[:limit])
    more = len(found) > limit
    return QueuePage(rows, rows[-1].key if more and rows else None)


def queue_count(db: sqlite3.Connection, filters: QueueFilter, cancelled: threading.Event | None = None) -> int:
    """How many cases the filters leave in the queue."""
    clauses, params = _where(filters)
    with _interruptible(db, cancelled):
        return int(
            db.execute(f"SELECT count(*) FROM review_queue q WHERE {' AND '.join(clauses)}", params).fetchone()[0]
        )


def queue_rows_for(
    db: sqlite3.Connection, case_ids: Sequence[str], filters: QueueFilter, order: QueueOrder = QueueOrder.SEVERITY
) -> dict[str, QueueRow]:
    """The queue rows of these cases that still pass the filters (to refresh rows in place)."""
    if not case_ids:
        return {}
    column = _ORDER_COLUMN[order]
    clauses, params = _where(filters)
    marks = ",".join("?" * len(case_ids))
    found = db.execute(
        f"SELECT q.case_id, q.open_findings, q.decided, q.top_rank, q.{column} AS sort_key FROM review_queue q "
        f"WHERE q.case_id IN ({marks}) AND {' AND '.join(clauses)}",
        (*case_ids, *params),
    ).fetchall()
    return {row.case_id: row for row in _queue_rows(db, found)}


def _queue_rows(db: sqlite3.Connection, found: Sequence[sqlite3.Row]) -> tuple[QueueRow, ...]:
    """Queue rows for a page of `review_queue` rows, with each case's category counts and grade."""
    ids = [row["case_id"] for row in found]
    if not ids:
        return ()
    marks = ",".join("?" * len(ids))
    categories: dict[str, list[tuple[str, int]]] = {}
    for row in db.execute(
        f"SELECT case_id, category, count(*) AS n FROM findings WHERE status = 'open' AND case_id IN ({marks}) "
        "GROUP BY case_id, category ORDER BY n DESC, category",
        ids,
    ):
        categories.setdefault(row["case_id"], []).append((row["category"], row["n"]))
    cases = {
        row["case_id"]: (row["records"], row["last_date"] or "")
        for row in db.execute(f"SELECT case_id, records, last_date FROM cases WHERE case_id IN ({marks})", ids)
    }
    grades = _latest_grades(db, ids)
    return tuple(
        QueueRow(
            case_id=row["case_id"],
            top_severity=SEVERITIES[row["top_rank"]] if row["top_rank"] is not None else "",
            open_findings=row["open_findings"],
            decided=row["decided"],
            categories=tuple(categories.get(row["case_id"], ())),
            records=cases.get(row["case_id"], (0, ""))[0],
            last_date=cases.get(row["case_id"], (0, ""))[1],
            grade=grades.get(row["case_id"]),
            key=QueueKey(row["sort_key"], row["case_id"]),
        )
        for row in found
    )


def _latest_grades(db: sqlite3.Connection, case_ids: Sequence[str]) -> dict[str, Grade]:
    marks = ",".join("?" * len(case_ids))
    return {
        row["case_id"]: Grade(row["grade"])
        for row in db.execute(
            f"SELECT case_id, grade FROM grades WHERE grade_id IN "
            f"(SELECT max(grade_id) FROM grades WHERE case_id IN ({marks}) GROUP BY case_id)",
            case_ids,
        )
    }


def queue_categories(db: sqlite3.Connection, cancelled: threading.Event | None = None) -> list[str]:
    """The categories that have open findings, for the category filter."""
    with _interruptible(db, cancelled):
        return [row[0] for row in db.execute("SELECT DISTINCT category FROM findings ORDER BY category")]


def case_ids_matching(db: sqlite3.Connection, text: str, limit: int = 20) -> list[str]:
    """Case ids starting with `text` (as typed, or upper-cased), in id order: for "go to case"."""
    found: list[str] = []
    for prefix in dict.fromkeys((text.strip(), text.strip().upper())):
        rows = db.execute(
            "SELECT case_id FROM cases WHERE case_id >= ? AND case_id < ? ORDER BY case_id LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        found += [row[0] for row in rows if row[0] not in found]
    return sorted(found)[:limit]


# --- one case -----------------------------------------------------------------------------------


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
