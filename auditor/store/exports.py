"""Read findings, decisions and rule health out of the database as plain rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from auditor.leakguard import mask
from auditor.store.findings_sync import finding_from_row

DECISION_FIELDS = (
    "decision_id", "fingerprint", "case_id", "note_id", "category", "rules", "verdict", "reason", "note",
    "reviewer", "decided_at", "rules_version", "model_version",
)  # fmt: skip


def finding_rows(
    db: sqlite3.Connection, include_resolved: bool = False, mask_identifiers: bool = False
) -> Iterator[dict[str, Any]]:
    """Findings in SPEC.md's schema, open ones (or all), in a stable order.

    With `mask_identifiers`, any residual identifier in an excerpt is replaced by a
    placeholder such as "[NHS NUMBER]", so an export does not spread it further.
    """
    where = "" if include_resolved else "WHERE status = 'open'"
    cursor = db.execute(f"SELECT * FROM findings {where} ORDER BY case_id, note_id, start, category, fingerprint")
    for row in cursor:
        item = finding_from_row(row).to_dict()
        if mask_identifiers:
            item["excerpt"] = mask(item["excerpt"])
        if include_resolved:
            item["status"] = row["status"]
        yield item


def decision_rows(db: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every reviewer decision in the order it was made, with its finding's record and rules."""
    cursor = db.execute(
        """SELECT d.*, f.note_id, f.category, f.sources FROM decisions d
           LEFT JOIN findings f ON f.fingerprint = d.fingerprint ORDER BY d.decision_id"""
    )
    for row in cursor:
        item = {k: row[k] for k in row.keys() if k != "sources"}  # noqa: SIM118 - sqlite3.Row has no __iter__ of keys
        sources = json.loads(row["sources"]) if row["sources"] else []
        item["rules"] = [s.removeprefix("rule:") for s in sources if s.startswith("rule:")]
        yield item


def rule_health_rows(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Per rule (and the model): open findings, and confirmed/dismissed counts from current decisions."""
    stats: dict[str, dict[str, Any]] = {}
    cursor = db.execute(
        """SELECT f.sources, f.status, c.verdict FROM findings f
           LEFT JOIN current_decisions c ON c.fingerprint = f.fingerprint"""
    )
    for row in cursor:
        for source in json.loads(row["sources"]):
            name = source.removeprefix("rule:")
            entry = stats.setdefault(name, {"rule": name, "findings": 0, "confirmed": 0, "dismissed": 0, "unsure": 0})
            entry["findings"] += row["status"] == "open"
            if row["verdict"] in ("confirmed", "dismissed", "unsure"):
                entry[row["verdict"]] += 1
    rows = []
    for entry in stats.values():
        decided = entry["confirmed"] + entry["dismissed"]
        entry["precision"] = round(entry["confirmed"] / decided, 3) if decided else None
        rows.append(entry)
    return sorted(rows, key=lambda e: (e["precision"] if e["precision"] is not None else 2, -e["findings"]))
