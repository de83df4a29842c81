"""Write one case's audit result: new findings open, unchanged ones carry over, gone ones resolve.

Findings are keyed by fingerprint, so a finding seen again tomorrow keeps its row (and every
reviewer decision attached to it); a finding no longer produced is marked resolved, never deleted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from auditor.findings import Finding


@dataclass
class SyncCounts:
    """What writing a case changed."""

    new: int = 0
    resolved: int = 0


def sync_case_findings(db: sqlite3.Connection, case_id: str, findings: Sequence[Finding], run_id: int) -> SyncCounts:
    """Bring the case's findings in the database in line with `findings` (inside the caller's transaction)."""
    counts = SyncCounts()
    current = {f.fingerprint: f for f in findings}
    existing = {
        row["fingerprint"]: row["status"]
        for row in db.execute("SELECT fingerprint, status FROM findings WHERE case_id = ?", (case_id,))
    }
    for fingerprint, status in existing.items():
        if fingerprint not in current and status == "open":
            db.execute(
                "UPDATE findings SET status = 'resolved', resolved_run = ? WHERE fingerprint = ?",
                (run_id, fingerprint),
            )
            counts.resolved += 1
    for finding in current.values():
        values = (
            finding.score, finding.severity.value, finding.severity.rank, json.dumps(list(finding.sources)),
            finding.start, finding.end, finding.excerpt, finding.message, finding.explanation,
        )  # fmt: skip
        if finding.fingerprint in existing:
            db.execute(
                """UPDATE findings SET score = ?, severity = ?, severity_rank = ?, sources = ?, start = ?,
                   "end" = ?, excerpt = ?, message = ?, explanation = ?, status = 'open', last_run = ?,
                   resolved_run = NULL WHERE fingerprint = ?""",
                (*values, run_id, finding.fingerprint),
            )
        else:
            db.execute(
                """INSERT INTO findings (fingerprint, case_id, note_id, category, score, severity,
                   severity_rank, sources, start, "end", excerpt, message, explanation, status,
                   first_run, last_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)""",
                (
                    finding.fingerprint,
                    finding.case_id,
                    finding.note_id,
                    finding.category,
                    *values,
                    run_id,
                    run_id,
                ),
            )
            counts.new += 1
    return counts


def finding_from_row(row: sqlite3.Row) -> Finding:
    """A stored finding as the `Finding` it was written from."""
    return Finding.from_dict({**dict(row), "sources": json.loads(row["sources"])})
