"""Reviewing findings in the database: the paged queue, a case's detail, and append-only decisions and grades.

Everything the review app reads or writes goes through these plain functions over a
`sqlite3.Connection`, so they are tested and benchmarked without a terminal. One module per job:
`queue` (paged case list), `case_view` (one case), `decisions` (every write), `common`.
"""

from auditor.store.review.case_view import CaseDetail, FindingView, GradeView, RecordView, case_detail, latest_grade
from auditor.store.review.common import (
    SEVERITIES,
    Clock,
    Grade,
    QueryCancelled,
    ReviewError,
    Verdict,
    open_reader,
    utc_now,
)
from auditor.store.review.decisions import (
    DISMISS_REASONS,
    Undone,
    add_note,
    record_decision,
    record_grade,
    run_versions,
    undo_last,
)
from auditor.store.review.queue import (
    PAGE_SIZE,
    QueueFilter,
    QueueKey,
    QueueOrder,
    QueuePage,
    QueueRow,
    ReviewStatus,
    case_ids_matching,
    queue_categories,
    queue_count,
    queue_page,
    queue_rows_for,
)

__all__ = [
    "DISMISS_REASONS", "PAGE_SIZE", "SEVERITIES", "CaseDetail", "Clock", "FindingView", "Grade", "GradeView",
    "QueryCancelled", "QueueFilter", "QueueKey", "QueueOrder", "QueuePage", "QueueRow", "RecordView",
    "ReviewError", "ReviewStatus", "Undone", "Verdict", "add_note", "case_detail", "case_ids_matching",
    "latest_grade", "open_reader", "queue_categories", "queue_count", "queue_page", "queue_rows_for",
    "record_decision", "record_grade", "run_versions", "undo_last", "utc_now",
]  # fmt: skip
