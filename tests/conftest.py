"""Shared fixtures: the bundled rules, a tiny model trained at session start, record helpers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from auditor import resources
from auditor.corpus import load_corpus
from auditor.model.artefact import save_model
from auditor.model.detector import ModelDetector, load_detector
from auditor.model.train import train
from auditor.records import Case, Note, RecordType
from auditor.rules.engine import RuleSet

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return RuleSet.load([resources.rules_dir()])


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory, rules: RuleSet) -> Path:
    """A small model trained on the tests' own synthetic corpus, so no artefact is needed."""
    corpus = load_corpus(DATA / "tiny_corpus")
    result = train(corpus, rules)
    path = tmp_path_factory.mktemp("model") / "tiny.skops"
    save_model(result.classifier.to_state(), result.metadata, path)
    return path


@pytest.fixture(scope="session")
def tiny_model(tiny_model_path: Path) -> ModelDetector:
    return load_detector(tiny_model_path)


def make_note(
    text: str,
    kind: str = "assessment",
    date: dt.date = dt.date(2024, 6, 3),
    note_id: str = "n1",
    case_id: str = "c1",
    order: int = 0,
) -> Note:
    return Note(case_id, note_id, date, RecordType(kind), text, "SW1", order)


def make_case(*notes: Note) -> Case:
    return Case.of(notes[0].case_id, notes)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
