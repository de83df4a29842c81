"""The review queue: one row per case with open findings, paged by keyset.

The queue reads `review_queue` (schema migration 2), one row per case whose counts triggers
keep current, and pages it by keyset: each page starts strictly after the last row's (sort key,
case id), by an index, so the 2,000th page costs what the first does.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from auditor.store.review.common import SEVERITIES, Grade, _interruptible

PAGE_SIZE = 100
"""Queue rows per page: a screenful or two, so a page is read in a few milliseconds."""


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
