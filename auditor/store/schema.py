"""The database schema, as numbered migrations: version N's statements bring N-1 to N."""

from __future__ import annotations

APPLICATION_ID = 0x43415544  # "CAUD": marks a file as a casenote-auditor database
SCHEMA_VERSION = 1

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
}
