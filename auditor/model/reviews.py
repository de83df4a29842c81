"""Turn reviewers' decisions in an audit database into labelled training rows.

A record counts once every open finding on it has been confirmed or dismissed: its labels are
the confirmed categories, and the categories the tool did not flag there (or that were
dismissed) count as absent, because an auditor read the record and agreed with nothing else.
A confirmed finding's excerpt is that label's evidence passage.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from auditor.findings import CORE_CATEGORIES
from auditor.model.classifier import applies
from auditor.model.features import model_input
from auditor.model.train import TrainingData
from auditor.records import Case, Note, RecordType
from auditor.store.database import connect

REVIEW_WEIGHT = 2.0
"""A reviewer's decision counts twice: it is a judgement on exactly what the tool showed."""


def review_rows(db_path: Path, weight: float = REVIEW_WEIGHT) -> TrainingData:
    """Training rows from every fully reviewed record in the database."""
    data = TrainingData()
    with connect(db_path, create=False) as db:
        verdicts: dict[str, dict[str, set[str]]] = {}
        evidence: dict[str, list[tuple[str, str]]] = {}
        for row in db.execute(
            """SELECT f.note_id, f.category, f.excerpt, c.verdict FROM findings f
               LEFT JOIN current_decisions c ON c.fingerprint = f.fingerprint WHERE f.status = 'open'"""
        ):
            verdicts.setdefault(row["note_id"], {}).setdefault(row["category"], set()).add(row["verdict"] or "")
            if row["verdict"] == "confirmed":
                evidence.setdefault(row["note_id"], []).append((row["category"], row["excerpt"]))
        reviewed = {
            note_id: {c for c, v in cats.items() if "confirmed" in v}
            for note_id, cats in verdicts.items()
            if all(v <= {"confirmed", "dismissed"} for v in cats.values())
        }
        for case in _cases(db, {_case_of(db, n) for n in reviewed}):
            for note in case.notes:
                if note.note_id in reviewed:
                    data.inputs.append(model_input(case, note))
                    data.labels.append([int(c in reviewed[note.note_id]) for c in CORE_CATEGORIES])
                    data.evidence.append(evidence.get(note.note_id, []))
                    data.groups.append(case.case_id)
                    data.rule_hits.append([0] * len(CORE_CATEGORIES))
                    data.weights.append(weight)
                    data.applicable.append([applies(c, case, note) for c in CORE_CATEGORIES])
    return data


def _case_of(db, note_id: str) -> str:  # noqa: ANN001 - sqlite3.Connection
    return db.execute("SELECT case_id FROM records WHERE note_id = ?", (note_id,)).fetchone()[0]


def _cases(db, case_ids: set[str]) -> list[Case]:  # noqa: ANN001 - sqlite3.Connection
    cases = []
    for case_id in sorted(case_ids):
        notes = [
            Note(
                r["case_id"],
                r["note_id"],
                dt.date.fromisoformat(r["date"]),
                RecordType(r["type"]),
                r["text"],
                r["author"],
                r["ord"],
            )  # fmt: skip
            for r in db.execute("SELECT * FROM records WHERE case_id = ? ORDER BY date, ord", (case_id,))
        ]
        cases.append(Case(case_id, tuple(notes)))
    return cases
