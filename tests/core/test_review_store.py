"""The review store: keyset-paged queue, filters, case detail, append-only decisions, undo, grades."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from auditor.findings import Finding, Severity
from auditor.store.database import connect
from auditor.store.findings_sync import sync_case_findings
from auditor.store.review import (
    Grade,
    QueryCancelled,
    QueueFilter,
    QueueOrder,
    ReviewError,
    ReviewStatus,
    Verdict,
    add_note,
    case_detail,
    case_ids_matching,
    latest_grade,
    queue_count,
    queue_page,
    queue_rows_for,
    record_decision,
    record_grade,
    undo_last,
)
from auditor.store.schema import MIGRATIONS

CLOCK = lambda: "2024-07-01T09:00:00Z"  # noqa: E731


def add_case(
    db: sqlite3.Connection, case_id: str, findings: list[tuple], records: list[tuple] | None = None, run_id: int = 1
) -> list[Finding]:
    """A case as the batch writes it. findings: (category, severity, score, note index); records: (date, type)."""
    records = records or [("2024-01-05", "referral"), ("2024-02-10", "assessment")]
    for index, (date, kind) in enumerate(records):
        db.execute(
            "INSERT INTO records (note_id, case_id, date, type, author, ord, text, last_run) VALUES (?, ?, ?, ?, 'SW1', ?, ?, ?)",
            (
                f"{case_id}-N{index}",
                case_id,
                date,
                kind,
                index,
                f"Record {index} of {case_id}: mother promised to stop drinking.",
                run_id,
            ),
        )
    db.execute(
        "INSERT INTO cases (case_id, content_hash, records, first_date, last_date, last_run) VALUES (?, 'h', ?, ?, ?, ?)",
        (case_id, len(records), records[0][0], records[-1][0], run_id),
    )
    made = [
        Finding(
            case_id,
            f"{case_id}-N{note}",
            category,
            score,
            Severity(severity),
            (f"rule:{category}.R{i}",),
            0,
            6,
            f"Record{i}",
            f"message {i}",
            f"explanation {i}",
        )
        for i, (category, severity, score, note) in enumerate(findings)
    ]
    sync_case_findings(db, case_id, made, run_id)
    return made


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    conn = connect(tmp_path / "review.db")
    conn.execute(
        "INSERT INTO runs (run_id, started, status, config_key, engine, rules_version, model_version, inputs) "
        "VALUES (1, 't', 'done', 'k', 'both', 'rules@1', 'model@1', '[]')"
    )
    return conn


@pytest.fixture
def cases(db: sqlite3.Connection) -> dict[str, list[Finding]]:
    return {
        "C-LOW": add_case(db, "C-LOW", [("optimism", "low", 0.9, 0)]),
        "C-HIGH1": add_case(db, "C-HIGH1", [("optimism", "high", 0.95, 1), ("missing_history", "medium", 0.8, 1)]),
        "C-HIGH3": add_case(
            db,
            "C-HIGH3",
            [("unclear_rationale", "high", 0.7, 0)] * 1
            + [("optimism", "high", 0.6, 1), ("identifier", "low", 0.99, 0)],
        ),
        "C-MED": add_case(db, "C-MED", [("missing_history", "medium", 0.52, 0)], records=[("2020-03-01", "closure")]),
        "C-NONE": add_case(db, "C-NONE", []),
    }


def ids(page) -> list[str]:
    return [row.case_id for row in page.rows]


# --- ordering and paging -------------------------------------------------------------------------


def test_severity_order_puts_highest_severity_then_most_findings_first(db, cases):
    assert ids(queue_page(db)) == ["C-HIGH3", "C-HIGH1", "C-MED", "C-LOW"]


def test_uncertainty_order_puts_scores_nearest_the_threshold_first(db, cases):
    # C-MED 0.52 (0.02 away), C-HIGH3 0.6 (0.1), C-HIGH1 0.8 (0.3), C-LOW 0.9 (0.4)
    assert ids(queue_page(db, order=QueueOrder.UNCERTAINTY)) == ["C-MED", "C-HIGH3", "C-HIGH1", "C-LOW"]


@pytest.mark.parametrize("order", list(QueueOrder))
def test_keyset_pages_cover_the_queue_once_in_order(db, order):
    for n in range(23):
        add_case(db, f"P-{n:02d}", [("optimism", ["low", "medium", "high"][n % 3], 0.5 + n / 100, 0)] * (1 + n % 4))
    everything = ids(queue_page(db, order=order, limit=1000))
    seen, after = [], None
    while True:
        page = queue_page(db, order=order, after=after, limit=5)
        seen += ids(page)
        if page.next_key is None:
            break
        after = page.next_key
    assert seen == everything and len(everything) == 23


def test_queue_pages_read_by_index_never_by_offset(db, cases):
    page = queue_page(db, limit=2)
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT case_id FROM review_queue q WHERE q.open_findings > 0 AND q.progress < 2 "
        "AND (q.severity_key, q.case_id) > (?, ?) ORDER BY q.severity_key, q.case_id LIMIT 3",
        (page.next_key.sort_key, page.next_key.case_id),
    ).fetchall()
    assert "USING INDEX review_queue_severity" in " ".join(row[3] for row in plan)
    assert "TEMP B-TREE" not in " ".join(row[3] for row in plan)


def test_queue_row_has_counts_by_category_top_severity_and_progress(db, cases):
    row = queue_rows_for(db, ["C-HIGH3"], QueueFilter())["C-HIGH3"]
    assert row.top_severity == "high"
    assert row.open_findings == 3 and row.decided == 0
    assert dict(row.categories) == {"unclear_rationale": 1, "optimism": 1, "identifier": 1}
    assert row.records == 2 and row.last_date == "2024-02-10"


def test_case_without_open_findings_is_not_queued(db, cases):
    assert "C-NONE" not in ids(queue_page(db, QueueFilter(status=ReviewStatus.ANY)))


# --- filters and search --------------------------------------------------------------------------

FILTERS = [
    (QueueFilter(category="identifier"), ["C-HIGH3"]),
    (QueueFilter(category="missing_history"), ["C-HIGH1", "C-MED"]),
    (QueueFilter(severity="high"), ["C-HIGH3", "C-HIGH1"]),
    (QueueFilter(severity="medium"), ["C-HIGH3", "C-HIGH1", "C-MED"]),
    (QueueFilter(record_type="closure"), ["C-MED"]),
    (QueueFilter(date_from="2024-02-01"), ["C-HIGH3", "C-HIGH1", "C-LOW"]),
    (QueueFilter(date_to="2020-12-31"), ["C-MED"]),
    (
        QueueFilter(record_type="referral", date_from="2024-01-01", date_to="2024-01-31"),
        ["C-HIGH3", "C-HIGH1", "C-LOW"],
    ),
    (QueueFilter(record_type="referral", date_from="2024-02-01"), []),
    (QueueFilter(search="high1"), ["C-HIGH1"]),
    (QueueFilter(search="of C-MED"), ["C-MED"]),
    (QueueFilter(search="PROMISED TO STOP"), ["C-HIGH3", "C-HIGH1", "C-MED", "C-LOW"]),
    (QueueFilter(search="100%_"), []),
    (QueueFilter(category="optimism", severity="high"), ["C-HIGH3", "C-HIGH1"]),
]


@pytest.mark.parametrize(("filters", "expected"), FILTERS)
def test_filters(db, cases, filters, expected):
    assert ids(queue_page(db, filters)) == expected
    assert queue_count(db, filters) == len(expected)


def test_review_status_filters_follow_decisions(db, cases):
    first, second = cases["C-HIGH1"]
    record_decision(db, first.fingerprint, Verdict.CONFIRMED, "ann", clock=CLOCK)
    record_decision(db, cases["C-LOW"][0].fingerprint, Verdict.DISMISSED, "ann", reason="r", clock=CLOCK)

    def status(s):
        return ids(queue_page(db, QueueFilter(status=s)))

    assert status(ReviewStatus.IN_PROGRESS) == ["C-HIGH1"]
    assert status(ReviewStatus.DONE) == ["C-LOW"]
    assert status(ReviewStatus.UNREVIEWED) == ["C-HIGH3", "C-MED"]
    assert status(ReviewStatus.TO_REVIEW) == ["C-HIGH3", "C-HIGH1", "C-MED"]
    assert status(ReviewStatus.ANY) == ["C-HIGH3", "C-HIGH1", "C-MED", "C-LOW"]


def test_bad_filter_values_are_refused():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        QueueFilter(date_from="last week")
    with pytest.raises(ValueError, match="severity"):
        QueueFilter(severity="critical")


class CancelledAfter(threading.Event):
    """An event that reads as set from its n-th look: a cancel arriving mid-query."""

    def __init__(self, looks: int) -> None:
        super().__init__()
        self.looks = looks

    def is_set(self) -> bool:
        self.looks -= 1
        return self.looks < 0


def test_a_query_cancelled_midway_stops_and_the_connection_stays_usable(db, cases):
    for n in range(300):
        add_case(db, f"S-{n:03d}", [("optimism", "low", 0.7, 0)])
    with pytest.raises(QueryCancelled):
        queue_count(db, QueueFilter(search="no such text anywhere"), cancelled=CancelledAfter(2))
    with pytest.raises(QueryCancelled):
        queue_page(db, cancelled=CancelledAfter(0))
    assert queue_count(db, QueueFilter(search="no such text anywhere"), cancelled=threading.Event()) == 0


def test_go_to_case_matches_id_prefixes_in_any_case(db, cases):
    assert case_ids_matching(db, "c-high") == ["C-HIGH1", "C-HIGH3"]
    assert case_ids_matching(db, "C-M") == ["C-MED"]
    assert case_ids_matching(db, "zzz") == []


# --- the queue follows the batch ------------------------------------------------------------------


def test_queue_is_recounted_when_the_batch_resolves_or_rescores_findings(db, cases):
    finding = cases["C-HIGH3"][0]  # the high unclear_rationale one
    record_decision(db, finding.fingerprint, Verdict.CONFIRMED, "ann", clock=CLOCK)
    assert queue_rows_for(db, ["C-HIGH3"], QueueFilter())["C-HIGH3"].decided == 1
    # tomorrow's run no longer produces it: resolved, and the decision no longer counts
    sync_case_findings(db, "C-HIGH3", cases["C-HIGH3"][1:], 2)
    row = queue_rows_for(db, ["C-HIGH3"], QueueFilter())["C-HIGH3"]
    assert (row.open_findings, row.decided, row.top_severity) == (2, 0, "high")
    # the day after it is back: its decision carries over with its fingerprint
    sync_case_findings(db, "C-HIGH3", cases["C-HIGH3"], 3)
    row = queue_rows_for(db, ["C-HIGH3"], QueueFilter())["C-HIGH3"]
    assert (row.open_findings, row.decided) == (3, 1)
    # everything resolved: the case leaves the queue
    sync_case_findings(db, "C-HIGH3", [], 4)
    assert "C-HIGH3" not in ids(queue_page(db, QueueFilter(status=ReviewStatus.ANY)))


def test_migration_fills_the_queue_of_a_database_written_before_it(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("PRAGMA application_id = 1128355140")
    for statement in MIGRATIONS[1]:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(
        "INSERT INTO runs (started, status, config_key, engine, inputs) VALUES ('t', 'done', 'k', 'rules', '[]')"
    )
    old.row_factory = sqlite3.Row
    made = add_case(old, "OLD-1", [("optimism", "high", 0.7, 0), ("optimism", "low", 0.6, 1)])
    old.execute(
        "INSERT INTO decisions (fingerprint, case_id, verdict, reviewer, decided_at) VALUES (?, 'OLD-1', 'confirmed', 'ann', 't')",
        (made[0].fingerprint,),
    )
    old.close()
    db = connect(path, create=False)
    [row] = queue_page(db, QueueFilter(status=ReviewStatus.ANY)).rows
    assert (row.case_id, row.open_findings, row.decided, row.top_severity) == ("OLD-1", 2, 1, "high")


# --- one case -----------------------------------------------------------------------------------


def test_case_detail_orders_records_by_date_and_findings_by_record(db, cases):
    case = case_detail(db, "C-HIGH3")
    assert [r.note_id for r in case.records] == ["C-HIGH3-N0", "C-HIGH3-N1"]
    assert [f.note_id for f in case.findings] == ["C-HIGH3-N0", "C-HIGH3-N0", "C-HIGH3-N1"]
    assert all(f.verdict is None for f in case.findings)
    assert case.findings_in("C-HIGH3-N1")[0].category == "optimism"
    assert case_detail(db, "NO-SUCH") is None


# --- decisions ----------------------------------------------------------------------------------


def test_decision_is_written_at_once_with_reviewer_time_and_versions(db, cases, tmp_path):
    finding = cases["C-LOW"][0]
    record_decision(db, finding.fingerprint, Verdict.DISMISSED, "ann", reason="Duplicate", note="seen", clock=CLOCK)
    # another connection sees it straight away: nothing waits for a commit or a clean exit
    other = sqlite3.connect(tmp_path / "review.db")
    row = other.execute(
        "SELECT fingerprint, case_id, verdict, reason, note, reviewer, decided_at, rules_version, model_version FROM decisions"
    ).fetchone()
    assert row == (
        finding.fingerprint,
        "C-LOW",
        "dismissed",
        "Duplicate",
        "seen",
        "ann",
        "2024-07-01T09:00:00Z",
        "rules@1",
        "model@1",
    )
    detail = case_detail(db, "C-LOW").findings[0]
    assert (detail.verdict, detail.reason, detail.decided_by) == (Verdict.DISMISSED, "Duplicate", "ann")


def test_unknown_finding_or_verdict_is_refused(db, cases):
    with pytest.raises(ReviewError, match="no finding"):
        record_decision(db, "nope", Verdict.CONFIRMED, "ann")
    with pytest.raises(ReviewError, match="verdict"):
        record_decision(db, cases["C-LOW"][0].fingerprint, "maybe", "ann")


def test_undo_appends_and_never_deletes(db, cases):
    a, b = cases["C-HIGH1"]
    record_decision(db, a.fingerprint, Verdict.CONFIRMED, "ann", clock=CLOCK)
    record_decision(db, b.fingerprint, Verdict.UNSURE, "ann", clock=CLOCK)
    undone = undo_last(db, "ann", clock=CLOCK)
    assert (undone.fingerprint, undone.verdict) == (b.fingerprint, Verdict.UNSURE)
    assert undo_last(db, "ann", clock=CLOCK).fingerprint == a.fingerprint
    assert undo_last(db, "ann", clock=CLOCK) is None
    history = [(r["fingerprint"], r["verdict"]) for r in db.execute("SELECT * FROM decisions ORDER BY decision_id")]
    assert history == [
        (a.fingerprint, "confirmed"),
        (b.fingerprint, "unsure"),
        (b.fingerprint, "undone"),
        (a.fingerprint, "undone"),
    ]
    assert [f.verdict for f in case_detail(db, "C-HIGH1").findings] == [None, None]
    assert queue_rows_for(db, ["C-HIGH1"], QueueFilter())["C-HIGH1"].decided == 0


def test_undo_is_per_reviewer_and_skips_decisions_someone_has_replaced(db, cases):
    finding = cases["C-LOW"][0]
    record_decision(db, finding.fingerprint, Verdict.CONFIRMED, "ann", clock=CLOCK)
    record_decision(db, finding.fingerprint, Verdict.DISMISSED, "bob", reason="r", clock=CLOCK)
    assert undo_last(db, "ann", clock=CLOCK) is None  # bob's verdict stands
    assert undo_last(db, "bob", case_id="C-HIGH1", clock=CLOCK) is None  # scoped to another case
    assert undo_last(db, "bob", case_id="C-LOW", clock=CLOCK).verdict == Verdict.DISMISSED


def test_notes_do_not_change_the_verdict(db, cases):
    finding = cases["C-LOW"][0]
    record_decision(db, finding.fingerprint, Verdict.CONFIRMED, "ann", clock=CLOCK)
    add_note(db, finding.fingerprint, "check the school's report", "ann", clock=CLOCK)
    detail = case_detail(db, "C-LOW").findings[0]
    assert (detail.verdict, detail.note) == (Verdict.CONFIRMED, "check the school's report")
    assert undo_last(db, "ann", clock=CLOCK).verdict == Verdict.CONFIRMED  # undo skips the note
    with pytest.raises(ReviewError):
        add_note(db, finding.fingerprint, "  ", "ann")


def test_decisions_cannot_be_edited_or_deleted(db, cases):
    record_decision(db, cases["C-LOW"][0].fingerprint, Verdict.CONFIRMED, "ann", clock=CLOCK)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE decisions SET verdict = 'dismissed'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM decisions")


# --- grades -------------------------------------------------------------------------------------


def test_latest_grade_wins_and_every_grade_is_kept(db, cases):
    assert latest_grade(db, "C-MED") is None
    record_grade(db, "C-MED", Grade.GOOD, "ann", "clear plan", clock=CLOCK)
    record_grade(db, "C-MED", "requires_improvement", "bob", "no child's voice", clock=CLOCK)
    grade = latest_grade(db, "C-MED")
    assert (grade.grade, grade.comment, grade.reviewer) == (Grade.REQUIRES_IMPROVEMENT, "no child's voice", "bob")
    assert grade.grade.label == "Requires improvement"
    assert db.execute("SELECT count(*) FROM grades").fetchone()[0] == 2
    assert queue_rows_for(db, ["C-MED"], QueueFilter())["C-MED"].grade == Grade.REQUIRES_IMPROVEMENT


def test_grade_must_be_on_the_scale_and_for_a_known_case(db, cases):
    with pytest.raises(ReviewError, match="grade"):
        record_grade(db, "C-MED", "excellent", "ann")
    with pytest.raises(ReviewError, match="no case"):
        record_grade(db, "NOPE", Grade.GOOD, "ann")
