"""The database schema, as numbered migrations: version N's statements bring N-1 to N."""

from __future__ import annotations

APPLICATION_ID = 0x43415544  # "CAUD": marks a file as a casenote-auditor database
SCHEMA_VERSION = 2


def _decided_count(case_id: str) -> str:
    """SQL for how many of a case's open findings have a verdict in force (not undone)."""
    return f"""(
        SELECT count(*) FROM findings f WHERE f.case_id = {case_id} AND f.status = 'open' AND (
            SELECT d.verdict FROM decisions d WHERE d.fingerprint = f.fingerprint
            AND d.verdict IN ('confirmed', 'dismissed', 'unsure', 'undone')
            ORDER BY d.decision_id DESC LIMIT 1
        ) IN ('confirmed', 'dismissed', 'unsure')
    )"""


MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
            config_key TEXT NOT NULL,
            engine TEXT NOT NULL,
            rules_version TEXT,
            model_version TEXT,
            inputs TEXT NOT NULL,
            records_seen INTEGER DEFAULT 0,
            records_skipped INTEGER DEFAULT 0,
            cases_seen INTEGER DEFAULT 0,
            cases_audited INTEGER DEFAULT 0,
            findings_new INTEGER DEFAULT 0,
            findings_resolved INTEGER DEFAULT 0
        )""",
        """CREATE TABLE records (
            note_id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL,
            date TEXT NOT NULL,
            type TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            ord INTEGER NOT NULL,
            text TEXT NOT NULL,
            last_run INTEGER
        )""",
        "CREATE INDEX records_case ON records (case_id, date, ord)",
        """CREATE TABLE cases (
            case_id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            audit_key TEXT,
            records INTEGER NOT NULL,
            first_date TEXT,
            last_date TEXT,
            last_run INTEGER
        )""",
        """CREATE TABLE findings (
            fingerprint TEXT PRIMARY KEY,
            case_id TEXT NOT NULL,
            note_id TEXT NOT NULL,
            category TEXT NOT NULL,
            score REAL NOT NULL,
            severity TEXT NOT NULL,
            severity_rank INTEGER NOT NULL,
            sources TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            excerpt TEXT NOT NULL,
            message TEXT NOT NULL,
            explanation TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
            first_run INTEGER NOT NULL,
            last_run INTEGER NOT NULL,
            resolved_run INTEGER
        )""",
        "CREATE INDEX findings_case ON findings (case_id, status)",
        "CREATE INDEX findings_queue ON findings (status, severity_rank, score)",
        """CREATE TABLE decisions (
            decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
            fingerprint TEXT NOT NULL,
            case_id TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed', 'unsure', 'undone', 'note')),
            reason TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            rules_version TEXT,
            model_version TEXT
        )""",
        "CREATE INDEX decisions_fingerprint ON decisions (fingerprint, decision_id)",
        "CREATE INDEX decisions_case ON decisions (case_id, decision_id)",
        """CREATE TABLE grades (
            grade_id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id TEXT NOT NULL,
            grade TEXT NOT NULL CHECK (grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
            comment TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            graded_at TEXT NOT NULL
        )""",
        "CREATE INDEX grades_case ON grades (case_id, grade_id)",
        # Append-only: a decision or grade, once written, is never changed or deleted.
        """CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
           BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
        """CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
           BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
        """CREATE TRIGGER grades_append_only_update BEFORE UPDATE ON grades
           BEGIN SELECT RAISE(ABORT, 'grades are append-only'); END""",
        """CREATE TRIGGER grades_append_only_delete BEFORE DELETE ON grades
           BEGIN SELECT RAISE(ABORT, 'grades are append-only'); END""",
        """CREATE VIEW current_decisions AS
           SELECT d.* FROM decisions d
           WHERE d.decision_id = (
               SELECT max(decision_id) FROM decisions x
               WHERE x.fingerprint = d.fingerprint AND x.verdict IN ('confirmed', 'dismissed', 'unsure', 'undone')
           )""",
    ],
    # 2: the review queue. One row per case with open findings, kept current by triggers so the
    # review app can page through 100,000 cases by an index instead of aggregating a million
    # findings on every page; indexes for the queue's filters and for undo.
    2: [
        """CREATE TABLE review_queue (
            case_id TEXT PRIMARY KEY,
            open_findings INTEGER NOT NULL DEFAULT 0,
            decided INTEGER NOT NULL DEFAULT 0,
            top_rank INTEGER,
            margin REAL,
            severity_key INTEGER GENERATED ALWAYS AS ((2 - top_rank) * 1000000 - min(open_findings, 999999)) VIRTUAL,
            uncertainty_key INTEGER GENERATED ALWAYS AS
                (CAST(round(margin * 10000) AS INTEGER) * 10 + (2 - top_rank)) VIRTUAL,
            progress INTEGER GENERATED ALWAYS AS
                (CASE WHEN decided = 0 THEN 0 WHEN decided < open_findings THEN 1 ELSE 2 END) VIRTUAL
        )""",
        "CREATE INDEX review_queue_severity ON review_queue (severity_key, case_id) WHERE open_findings > 0",
        "CREATE INDEX review_queue_uncertainty ON review_queue (uncertainty_key, case_id) WHERE open_findings > 0",
        # Record type and date filters probe one case's records without reading their text.
        "CREATE INDEX records_case_type ON records (case_id, type, date)",
        "CREATE INDEX decisions_reviewer ON decisions (reviewer, decision_id)",
        # A new open finding only adds to its case's counts: cheap enough for the batch's inserts.
        """CREATE TRIGGER review_queue_finding_insert AFTER INSERT ON findings WHEN NEW.status = 'open'
           BEGIN
               INSERT INTO review_queue (case_id, open_findings, top_rank, margin)
               VALUES (NEW.case_id, 1, NEW.severity_rank, abs(NEW.score - 0.5))
               ON CONFLICT (case_id) DO UPDATE SET
                   open_findings = open_findings + 1,
                   top_rank = max(coalesce(top_rank, -1), excluded.top_rank),
                   margin = min(coalesce(margin, 1.0), excluded.margin);
           END""",
        # A finding resolved, reopened or rescored: recount its case from its open findings.
        f"""CREATE TRIGGER review_queue_finding_update AFTER UPDATE OF status, score, severity_rank ON findings
           WHEN OLD.status IS NOT NEW.status OR OLD.score IS NOT NEW.score
                OR OLD.severity_rank IS NOT NEW.severity_rank
           BEGIN
               INSERT INTO review_queue (case_id) VALUES (NEW.case_id) ON CONFLICT (case_id) DO NOTHING;
               UPDATE review_queue SET (open_findings, top_rank, margin) = (
                   SELECT count(*), max(severity_rank), min(abs(score - 0.5)) FROM findings
                   WHERE case_id = NEW.case_id AND status = 'open'
               ), decided = {_decided_count("NEW.case_id")} WHERE case_id = NEW.case_id;
           END""",
        f"""CREATE TRIGGER review_queue_decision AFTER INSERT ON decisions WHEN NEW.verdict <> 'note'
           BEGIN
               UPDATE review_queue SET decided = {_decided_count("NEW.case_id")} WHERE case_id = NEW.case_id;
           END""",
        # Databases written before the queue existed: fill it once from what they hold.
        """INSERT INTO review_queue (case_id, open_findings, top_rank, margin)
           SELECT case_id, count(*), max(severity_rank), min(abs(score - 0.5)) FROM findings
           WHERE status = 'open' GROUP BY case_id""",
        f"""UPDATE review_queue SET decided = {_decided_count("review_queue.case_id")}
           WHERE case_id IN (SELECT case_id FROM decisions)""",
    ],
}
