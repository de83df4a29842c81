"""The figures of the morning report, read from the database (counts and ids, never record text)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from auditor.store.exports import rule_health_rows

TOP_CASES = 25


def _one(db: sqlite3.Connection, sql: str, *params: object) -> Any:
    return db.execute(sql, params).fetchone()[0]


def build_summary(db: sqlite3.Connection) -> dict[str, Any]:
    """Everything the report shows, as plain JSON-able data."""
    run = db.execute("SELECT * FROM runs WHERE status = 'done' ORDER BY run_id DESC LIMIT 1").fetchone()
    run_id = run["run_id"] if run else 0
    previous = _one(db, "SELECT max(run_id) FROM runs WHERE status = 'done' AND run_id < ?", run_id) or 0
    by_category: dict[str, dict[str, int]] = {}
    for row in db.execute(
        "SELECT category, severity, count(*) n FROM findings WHERE status = 'open' GROUP BY category, severity"
    ):
        by_category.setdefault(row["category"], {"low": 0, "medium": 0, "high": 0})[row["severity"]] = row["n"]
    return {
        "run": dict(run) if run else {},
        "totals": {
            "records": _one(db, "SELECT count(*) FROM records"),
            "cases": _one(db, "SELECT count(*) FROM cases"),
            "open_findings": _one(db, "SELECT count(*) FROM findings WHERE status = 'open'"),
            "cases_with_findings": _one(db, "SELECT count(DISTINCT case_id) FROM findings WHERE status = 'open'"),
            "new_since_last_run": _one(
                db, "SELECT count(*) FROM findings WHERE status = 'open' AND first_run > ?", previous
            ),
            "resolved_this_run": _one(db, "SELECT count(*) FROM findings WHERE resolved_run = ?", run_id),
        },
        "by_category": by_category,
        "new_by_category": {
            row["category"]: row["n"]
            for row in db.execute(
                "SELECT category, count(*) n FROM findings WHERE status = 'open' AND first_run > ? GROUP BY category",
                (previous,),
            )
        },
        "by_month": [
            dict(row)
            for row in db.execute(
                """SELECT substr(r.date, 1, 7) month, f.category, count(*) n FROM findings f
                   JOIN records r ON r.note_id = f.note_id WHERE f.status = 'open'
                   GROUP BY month, f.category ORDER BY month"""
            )
        ],
        "top_cases": _top_cases(db),
        "rules": _rule_counts(db),
        "review": _review_progress(db),
    }


def _top_cases(db: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = db.execute(
        """SELECT f.case_id,
                  sum(f.severity = 'high') high, sum(f.severity = 'medium') medium, sum(f.severity = 'low') low,
                  sum(f.category = 'missing_history') missing_history,
                  sum(f.category = 'unclear_rationale') unclear_rationale,
                  sum(f.category = 'optimism') optimism,
                  count(*) findings, max(f.score) top_score,
                  sum(c.verdict IS NOT NULL) reviewed
           FROM findings f LEFT JOIN current_decisions c ON c.fingerprint = f.fingerprint
           WHERE f.status = 'open' GROUP BY f.case_id
           ORDER BY high DESC, findings DESC, top_score DESC, f.case_id LIMIT ?""",
        (TOP_CASES,),
    )
    return [dict(row) for row in rows]


def _rule_counts(db: sqlite3.Connection) -> list[dict[str, Any]]:
    health = {row["rule"]: row for row in rule_health_rows(db)}
    return sorted(health.values(), key=lambda r: (-r["findings"], r["rule"]))


def _review_progress(db: sqlite3.Connection) -> dict[str, int]:
    counts = {"confirmed": 0, "dismissed": 0, "unsure": 0}
    for row in db.execute(
        """SELECT c.verdict, count(*) n FROM findings f JOIN current_decisions c ON c.fingerprint = f.fingerprint
           WHERE f.status = 'open' GROUP BY c.verdict"""
    ):
        if row["verdict"] in counts:
            counts[row["verdict"]] = row["n"]
    total = _one(db, "SELECT count(*) FROM findings WHERE status = 'open'")
    counts["undecided"] = total - sum(counts.values())
    counts["cases_graded"] = _one(db, "SELECT count(DISTINCT case_id) FROM grades")
    return counts


def summary_json(summary: dict[str, Any]) -> str:
    """The summary as indented JSON."""
    return json.dumps(summary, indent=2, sort_keys=True, default=str) + "\n"
