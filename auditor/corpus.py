"""A labelled corpus: records with record-level labels and evidence passages."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from auditor.readers import InputProblem, read_records
from auditor.records import Case, Note, group_cases

RECORDS_FILE = "records.jsonl"
LABELS_FILE = "labels.jsonl"


class CorpusError(ValueError):
    """A corpus that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class LabelledCorpus:
    """Cases and, for each labelled record, its categories and evidence excerpts."""

    cases: list[Case]
    labels: dict[str, frozenset[str]]
    evidence: dict[str, list[tuple[str, str]]]
    fingerprint: str

    @property
    def notes(self) -> list[tuple[Case, Note]]:
        """Every labelled record with its case, in case order."""
        return [(case, note) for case in self.cases for note in case.notes if note.note_id in self.labels]


def load_corpus(folder: Path) -> LabelledCorpus:
    """Read `records.jsonl` and `labels.jsonl` from a corpus folder."""
    records, labels_path = folder / RECORDS_FILE, folder / LABELS_FILE
    for path in (records, labels_path):
        if not path.is_file():
            raise CorpusError(f"{path}: not found (a corpus folder holds {RECORDS_FILE} and {LABELS_FILE})")
    notes = []
    for item in read_records([str(records)]):
        if isinstance(item, InputProblem):
            if item.fatal:
                raise CorpusError(str(item))
            continue
        notes.append(item)
    labels, evidence = _read_labels(labels_path)
    digest = hashlib.sha256(records.read_bytes() + b"\0" + labels_path.read_bytes()).hexdigest()
    return LabelledCorpus(group_cases(notes), labels, evidence, digest)


def _read_labels(path: Path) -> tuple[dict[str, frozenset[str]], dict[str, list[tuple[str, str]]]]:
    labels: dict[str, frozenset[str]] = {}
    evidence: dict[str, list[tuple[str, str]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            note_id = str(item["note_id"])
            labels[note_id] = frozenset(item["labels"])
            evidence[note_id] = [(e["category"], e["excerpt"]) for e in item.get("evidence", [])]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise CorpusError(f"{path}:{number}: expected note_id, labels and evidence") from None
    return labels, evidence
