"""The classifier: trained in-session, verified before loading, merged with the rules."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.audit import Auditor
from auditor.corpus import CorpusError, load_corpus
from auditor.model.artefact import ModelError, load_model
from auditor.model.detector import load_detector
from auditor.model.train import train
from tests.conftest import make_case, make_note


def copy_model(source: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target_dir / source.name)
    shutil.copy(source.with_suffix(".json"), target_dir / source.with_suffix(".json").name)
    return target_dir / source.name


def test_model_flags_optimism_and_explains_with_features(tiny_model):
    case = make_case(make_note("Mum is engaging really well and it is hoped this will continue.", "review"))
    findings = [f for f in tiny_model.audit(case) if f.category == "optimism"]
    assert findings, "the tiny model should flag obvious optimism"
    assert findings[0].sources == ("model",)
    assert "strongest features" in findings[0].explanation
    assert 0.0 <= findings[0].score <= 1.0


def test_model_evidence_is_the_sentence_its_passage_model_finds_most_telling(tiny_model):
    text = "Visited the family at home on Tuesday afternoon. Mum is engaging really well and it is hoped this will continue."
    findings = [f for f in tiny_model.audit(make_case(make_note(text, "review"))) if f.category == "optimism"]
    assert [f.excerpt for f in findings] == ["Mum is engaging really well and it is hoped this will continue."]


def test_passage_scores_match_the_model_fitted_on_passage_and_record_columns(tiny_model):
    from scipy import sparse

    from auditor.model.classifier import PASSAGE_RECORD_WEIGHT, _passage_probabilities
    from auditor.model.features import model_input

    classifier = tiny_model.classifier
    case = make_case(make_note("Home visit. Mum is engaging really well. Case closed.", "closure"))
    item = model_input(case, case.notes[0])
    records = classifier.record_features.transform([item.whole()])
    pieces, owner = classifier._passages([item])
    fitted_on = sparse.hstack([pieces, PASSAGE_RECORD_WEIGHT * records[owner]]).tocsr()
    for model in (m.passage for m in classifier.models.values()):
        expected = model.predict_proba(fitted_on)[:, 1]
        assert _passage_probabilities(model, pieces, records, owner) == pytest.approx(expected)


def test_bundled_model_reads_a_closing_line_against_the_rest_of_its_record():
    from auditor.model.features import model_input

    classifier = load_detector(None).classifier
    bare = "CIN closure.\n\nCase closed."
    reasoned = (
        "CIN closure.\n\nReasons: hair strand tests in March and August are clear, attendance has been 97% since "
        "September, and Child A told me home is calm now; the plan's aims are met and evidenced.\n\nCase closed."
    )

    def closing_line_score(text: str) -> float:
        case = make_case(make_note(text, "closure"))
        return classifier.passage_scores(model_input(case, case.notes[0]), "unclear_rationale")[-1][1]

    assert closing_line_score(reasoned) < closing_line_score(bare) - 0.3


def test_missing_history_needs_earlier_records(tiny_model):
    import datetime as dt

    text = "This is a new referral and the family are not known to social care."
    alone = make_case(make_note(text, "assessment"))
    assert tiny_model.probabilities(alone)["n1"]["missing_history"] == 0.0
    with_history = make_case(
        make_note("Referral from school re hygiene.", "referral", dt.date(2021, 1, 5), note_id="old"),
        make_note("Referral from HV re weight.", "referral", dt.date(2024, 5, 20), note_id="new", order=1),
        make_note(text, "assessment", note_id="n1", order=2),
    )
    assert tiny_model.probabilities(with_history)["n1"]["missing_history"] > 0.0


def test_missing_history_model_tells_weighed_history_from_ignored_history(tiny_model):
    import datetime as dt

    def probability(text: str) -> float:
        case = make_case(
            make_note("Referral from school re hygiene.", "referral", dt.date(2021, 1, 5), note_id="old"),
            make_note("Referral from HV re weight.", "referral", dt.date(2024, 5, 20), note_id="new", order=1),
            make_note(text, "assessment", note_id="n1", order=2),
        )
        return tiny_model.probabilities(case)["n1"]["missing_history"]

    ignored = probability("The family want a fresh start and past concerns are not relevant.")
    weighed = probability("This is the third referral since 2021 and the pattern of neglect is repeating.")
    assert ignored > 0.5 > weighed


def test_training_refuses_too_few_records_that_could_miss_history(tmp_path, rules):
    source = Path(__file__).parents[1] / "data" / "tiny_corpus"
    keep = [json.loads(line) for line in (source / "records.jsonl").read_text().splitlines()]
    keep = [r for r in keep if r["type"] != "assessment"]  # no analytical record left to miss history
    ids = {r["note_id"] for r in keep}
    labels = [json.loads(line) for line in (source / "labels.jsonl").read_text().splitlines()]
    (tmp_path / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in keep))
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in labels if r["note_id"] in ids))
    with pytest.raises(CorpusError, match="missing_history: 0 labelled and 0 unlabelled records it can apply to"):
        train(load_corpus(tmp_path), rules)


def test_both_engine_gives_one_finding_per_evidence_naming_both_sources(rules, tiny_model):
    case = make_case(make_note("Dad has turned a corner and is fully committed to change.", "review"))
    findings = Auditor(rules, tiny_model).audit_case(case)
    optimism = [f for f in findings if f.category == "optimism"]
    assert len(optimism) == 1
    assert optimism[0].sources[-1] == "model" and optimism[0].sources[0].startswith("rule:optimism.")
    assert "trigger" in optimism[0].explanation and "strongest features" in optimism[0].explanation
    # two rules on one sentence, both supported by the model: the model's part is said once
    assert len(optimism[0].sources) >= 3
    assert optimism[0].explanation.count("strongest features") == 1


def test_loading_takes_under_a_second(tiny_model_path):
    start = time.perf_counter()
    load_model(tiny_model_path)
    assert time.perf_counter() - start < 1.0


def test_flipped_byte_is_refused(tiny_model_path, tmp_path):
    path = copy_model(tiny_model_path, tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="checksum does not match"):
        load_model(path)


def test_crafted_pickle_is_refused_before_loading(tiny_model_path, tmp_path):
    path = copy_model(tiny_model_path, tmp_path)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (Path.touch, (marker,))

    path.write_bytes(pickle.dumps(Exploit()))
    with pytest.raises(ModelError, match="checksum"):
        load_model(path)
    assert not marker.exists()


def test_different_file_with_forged_checksum_is_refused_by_type_check(tiny_model_path, tmp_path):
    import hashlib

    path = copy_model(tiny_model_path, tmp_path)
    path.write_bytes(b"not a model at all")
    meta = json.loads(path.with_suffix(".json").read_text())
    meta["artefact"].update(sha256=hashlib.sha256(b"not a model at all").hexdigest(), bytes=18)
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="cannot be read"):
        load_model(path)


def test_missing_metadata_is_refused(tiny_model_path, tmp_path):
    path = copy_model(tiny_model_path, tmp_path)
    path.with_suffix(".json").unlink()
    with pytest.raises(ModelError, match="metadata is missing"):
        load_model(path)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sklearn_version", "0.24.2", "trained with scikit-learn 0.24.2"),
        ("format", "casenote-auditor-model/3", "model format casenote-auditor-model/3.*retrain with `auditor train`"),
    ],
    ids=["other scikit-learn version", "older model format"],
)
def test_a_model_from_another_version_is_refused_before_loading(tiny_model_path, tmp_path, field, value, message):
    path = copy_model(tiny_model_path, tmp_path)
    meta = json.loads(path.with_suffix(".json").read_text())
    meta[field] = value
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=message):
        load_model(path)


def test_cli_refuses_a_tampered_model_with_exit_2(tiny_model_path, tmp_path):
    path = copy_model(tiny_model_path, tmp_path)
    path.write_bytes(path.read_bytes() + b"x")
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", "--model", str(path), "--format", "jsonl"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "checksum does not match" in result.stderr and "Traceback" not in result.stderr


def test_bundled_model_loads_and_matches_its_metadata():
    detector = load_detector(None)
    assert set(detector.categories) == {"missing_history", "unclear_rationale", "optimism"}
    for thresholds in detector.thresholds.values():
        assert 0.0 <= thresholds.with_rule <= thresholds.alone <= 1.0


STRATEGY_DECISIONS = (
    "Strategy discussion 14/03. Chair TM2; DC; school DSL; SW5.\n\nDecisions:\n"
    "1. s47 enquiry, joint with police: Child A has a fingertip bruise on her cheek and says Dad grabbed her face.\n"
    "2. CP medical this afternoon, to date the bruise and check for others.\n"
    "3. Child A to be seen alone at school first, as she is more open there.\n"
    "4. {sibling}\n"
    "5. Dad asked to stay with his brother while the enquiry runs; he has agreed."
)


@pytest.mark.parametrize(
    ("bare", "reasoned"),
    [
        ("Brother (4) will not be seen or spoken to.",
         "Brother (4) to be seen at nursery tomorrow, as he was in the room when it happened."),
        ("No ABE interview for Child A at this stage.",
         "No ABE interview for Child A yet, because she has asked to talk to her teacher first and police agree a "
         "short delay will not lose evidence."),
    ],
)  # fmt: skip
def test_bundled_model_finds_the_one_bare_decision_among_numbered_reasoned_ones(rules, bare, reasoned):
    auditor = Auditor(rules, load_detector(None))

    def unclear(item: str) -> list[str]:
        case = make_case(make_note(STRATEGY_DECISIONS.format(sibling=item), "strategy"))
        return [f.excerpt for f in auditor.audit_case(case) if f.category == "unclear_rationale"]

    assert unclear(bare) == [f"4. {bare}"]
    assert unclear(reasoned) == []


def test_train_folds_in_reviewer_decisions(tmp_path, rules):
    from auditor.batch.runner import BatchOptions, run_batch
    from auditor.batch.worker import AuditConfig
    from auditor.corpus import load_corpus
    from auditor.model.reviews import review_rows
    from auditor.model.train import train
    from auditor.store.database import connect
    from tests.conftest import DATA

    db = tmp_path / "audit.db"
    run_batch(
        db, BatchOptions(inputs=(str(DATA / "tiny_corpus" / "records.jsonl"),), config=AuditConfig(engine="rules"))
    )
    with connect(db) as conn:
        findings = conn.execute("SELECT fingerprint, case_id, category FROM findings").fetchall()
        for number, (fingerprint, case_id, _category) in enumerate(findings):
            verdict = "confirmed" if number % 2 == 0 else "dismissed"
            conn.execute(
                "INSERT INTO decisions (fingerprint, case_id, verdict, reviewer, decided_at) VALUES (?, ?, ?, 'qa', 't')",
                (fingerprint, case_id, verdict),
            )
    rows = review_rows(db)
    assert rows.inputs and len(rows.inputs) == len(rows.labels) == len(rows.weights)
    assert any(any(label) for label in rows.labels) and any(not any(label) for label in rows.labels)
    result = train(load_corpus(DATA / "tiny_corpus"), rules, extra=rows)
    assert result.metadata["corpus"]["review_rows"] == len(rows.inputs)


def test_evaluate_reports_each_engine_and_calibration(tiny_model_path):
    from tests.conftest import DATA

    corpus = DATA / "tiny_corpus"
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "evaluate", str(corpus / "records.jsonl"), str(corpus / "labels.jsonl"),
         "--compare", "--model", str(tiny_model_path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    for heading in ("engine: rules", "engine: model", "engine: both", "model calibration", "Brier"):
        assert heading in result.stdout
    assert "optimism" in result.stdout and "F1" in result.stdout


@pytest.mark.slow
def test_committed_model_rebuilds_from_committed_corpus_with_the_same_figures(tmp_path):
    from auditor import resources

    committed = json.loads((resources.models_dir() / "casenote.json").read_text())
    output = tmp_path / "rebuilt.skops"
    subprocess.run(
        [sys.executable, "-m", "auditor", "train", str(resources.models_dir() / "corpus"), "--output", str(output)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rebuilt = json.loads(output.with_suffix(".json").read_text())
    assert rebuilt["corpus"]["fingerprint"] == committed["corpus"]["fingerprint"]
    assert rebuilt["thresholds"] == committed["thresholds"]
    assert rebuilt["scores"] == committed["scores"]
