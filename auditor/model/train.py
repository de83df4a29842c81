"""Fit the classifier on a labelled corpus: split by case, tune thresholds, measure, refit."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import GroupKFold, GroupShuffleSplit

from auditor import __version__
from auditor.corpus import CorpusError, LabelledCorpus
from auditor.evaluation import Metrics
from auditor.findings import CORE_CATEGORIES
from auditor.model.classifier import BaseScores, CaseClassifier, LabelledRecords, applicability
from auditor.model.features import RANDOM_STATE, ModelInput, model_input
from auditor.rules.engine import RuleSet

TEST_FRACTION = 0.2
FOLDS = 5
TRAINING_JOBS = 2
"""Processes running base fits (the folds' and the final one) at once: two nearly halve training on
two cores, and each holds one fit's matrices (several hundred MiB at the corpus's size), so more
would cost memory first."""
_ALONE_GRID = np.round(np.arange(0.30, 0.96, 0.025), 3)
_WITH_RULE_GRID = np.round(np.arange(0.0, 0.51, 0.025), 3)


@dataclass
class TrainingData:
    """One row per record: model input, labels, evidence, case, rule hits, weight, which categories apply."""

    inputs: list[ModelInput] = field(default_factory=list)
    labels: list[list[int]] = field(default_factory=list)
    evidence: list[list[tuple[str, str]]] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    rule_hits: list[list[int]] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    applicable: list[list[bool]] = field(default_factory=list)

    @property
    def width(self) -> int:
        """How many categories each row is labelled for."""
        return len(self.labels[0]) if self.labels else 0

    def records(self) -> LabelledRecords:
        """What the classifier fits on."""
        return LabelledRecords(
            self.inputs,
            np.array(self.labels, dtype=int).reshape(len(self.labels), self.width),
            self.evidence,
            np.array(self.groups),
            np.array(self.applicable, dtype=bool).reshape(len(self.applicable), self.width),
        )

    def hits(self) -> np.ndarray:
        """The rules' verdicts, records x categories."""
        return np.array(self.rule_hits, dtype=int).reshape(len(self.rule_hits), self.width)


def training_data(corpus: LabelledCorpus, rules: RuleSet, categories: Sequence[str]) -> TrainingData:
    """One row per labelled record, with the rules' verdicts alongside for threshold tuning."""
    data = TrainingData()
    for case in corpus.cases:
        flagged = {(f.note_id, f.category) for f in rules.audit(case)}
        labelled = [note for note in case.notes if note.note_id in corpus.labels]
        for note, applicable in zip(labelled, applicability(categories, [(case, n) for n in labelled]), strict=True):
            truth = corpus.labels[note.note_id]
            data.inputs.append(model_input(case, note))
            data.labels.append([int(c in truth) for c in categories])
            data.evidence.append(list(corpus.evidence.get(note.note_id, [])))
            data.groups.append(case.case_id)
            data.rule_hits.append([int((note.note_id, c) in flagged) for c in categories])
            data.weights.append(1.0)
            data.applicable.append([bool(a) for a in applicable])
    return data


def decide(probability: np.ndarray, rule_hit: np.ndarray, alone: float, with_rule: float) -> np.ndarray:
    """The `both` decision: a rule hit the model supports, or the model's own strong call."""
    return ((rule_hit == 1) & (probability >= with_rule)) | (probability >= alone)


def metrics_of(predicted: Iterable[bool], actual: Iterable[int]) -> Metrics:
    """Counts for a column of predictions against a column of labels."""
    pairs = list(zip(predicted, actual, strict=True))
    return Metrics(
        tp=sum(1 for p, a in pairs if p and a),
        fp=sum(1 for p, a in pairs if p and not a),
        fn=sum(1 for p, a in pairs if a and not p),
    )


def tune_thresholds(
    probabilities: np.ndarray, hits: np.ndarray, y: np.ndarray, categories: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Per category, the (alone, with_rule) pair that maximises out-of-fold F1."""
    thresholds = {}
    for j, category in enumerate(categories):
        p, hit, truth = probabilities[:, j], hits[:, j] == 1, y[:, j] == 1
        # every grid point at once: shape (alone, with_rule, records)
        supported = (hit & (p >= _WITH_RULE_GRID[:, None]))[None, :, :]
        flagged = supported | (p >= _ALONE_GRID[:, None])[:, None, :]
        tp = (flagged & truth).sum(axis=2)
        fp = (flagged & ~truth).sum(axis=2)
        fn = (~flagged & truth).sum(axis=2)
        f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
        a, w = np.unravel_index(int(np.argmax(f1)), f1.shape)
        thresholds[category] = {"alone": float(_ALONE_GRID[a]), "with_rule": float(_WITH_RULE_GRID[w])}
    return thresholds


def evaluate_split(
    probabilities: np.ndarray, hits: np.ndarray, y: np.ndarray, categories: Sequence[str], thresholds: dict
) -> dict[str, Any]:
    """Rules alone, model alone and both on one split, with the Brier score of the model."""
    report: dict[str, Any] = {}
    for j, category in enumerate(categories):
        t = thresholds[category]
        engines = {
            "rules": metrics_of(hits[:, j] == 1, y[:, j]),
            "model": metrics_of(probabilities[:, j] >= t["alone"], y[:, j]),
            "both": metrics_of(decide(probabilities[:, j], hits[:, j], t["alone"], t["with_rule"]), y[:, j]),
        }
        report[category] = {
            name: {"precision": round(m.precision, 3), "recall": round(m.recall, 3), "f1": round(m.f1, 3)}
            for name, m in engines.items()
        }
        report[category]["brier"] = round(float(np.mean((probabilities[:, j] - y[:, j]) ** 2)), 4)
        report[category]["positives"] = int(y[:, j].sum())
    return report


@dataclass
class TrainingResult:
    """The final classifier and the metadata that goes beside it."""

    classifier: CaseClassifier
    metadata: dict[str, Any]


@dataclass
class FittedClassifier:
    """A classifier fitted on every row, with out-of-fold probabilities for those rows."""

    classifier: CaseClassifier
    out_of_fold: np.ndarray
    """Each row's calibrated probabilities from base models fitted without its case."""


def fit_classifier(records: LabelledRecords, categories: Sequence[str], folds: int = FOLDS) -> FittedClassifier:
    """Fit the classifier on every row, and score every row out of fold, in one pass of base fits.

    The base models (record and passage) are fitted once per case-grouped fold and once on every
    row: these fits are independent, and are most of `auditor train`'s time, so they run in
    `TRAINING_JOBS` processes at once. Each combiner is then fitted on the folds' scores, the
    stacking that scikit-learn's `StackingClassifier` does, and applied to those same scores to
    give the out-of-fold probabilities that thresholds are tuned on. The combiner has six
    coefficients per category, fitted on thousands of records, so scoring its own training rows
    flatters it by too little to measure; fitting one per fold instead, as before, took four
    times as long.
    """
    splits = list(GroupKFold(n_splits=min(folds, len(set(records.groups)))).split(records.y, groups=records.groups))
    everything = np.arange(len(records.y))
    fitted = Parallel(n_jobs=TRAINING_JOBS)(
        delayed(_fit_and_score)(records, fit_rows, score_rows, categories)
        for fit_rows, score_rows in [*splits, (everything, everything[:0])]
    )
    scores = BaseScores.empty(records.y.shape)
    *fold_scores, classifier = fitted
    for (_, score_rows), part in zip(splits, fold_scores, strict=True):
        scores.fill(score_rows, part)
    classifier.fit_combiners(scores, records.y, records.applicable)
    return FittedClassifier(classifier, classifier.calibrate(scores, records.applicable))


def _fit_and_score(
    records: LabelledRecords, fit_rows: np.ndarray, score_rows: np.ndarray, categories: Sequence[str]
) -> BaseScores | CaseClassifier:
    """One base fit on `fit_rows`: its base scores for `score_rows`, or with none to score, the fit.

    A fold's model is not returned, so that it is not copied back from its worker process for nothing.
    """
    model = CaseClassifier.fit_base(records.subset(fit_rows), categories)
    if not len(score_rows):
        return model
    scored = records.subset(score_rows)
    return model.base_scores(scored.inputs, scored.applicable)


@dataclass
class SplitFigures:
    """One split by case: the test part's figures, the thresholds tuned without it, its size."""

    report: dict[str, Any]
    thresholds: dict[str, dict[str, float]]
    test_cases: int


def split_by_case(
    records: LabelledRecords, hits: np.ndarray, categories: Sequence[str], random_state: int = RANDOM_STATE
) -> SplitFigures:
    """Hold out a fifth of the cases, tune thresholds by cross-validation on the rest, score the fifth.

    `auditor train` reports the split drawn with `RANDOM_STATE`; other draws show how far that
    one figure depends on which cases fell into the test part.
    """
    y, groups = records.y, records.groups
    split = GroupShuffleSplit(n_splits=1, test_size=TEST_FRACTION, random_state=random_state)
    train_idx, test_idx = next(split.split(y, y, groups))
    held_out = fit_classifier(records.subset(train_idx), categories)
    thresholds = tune_thresholds(held_out.out_of_fold, hits[train_idx], y[train_idx], categories)
    test = records.subset(test_idx)
    probabilities = held_out.classifier.predict_proba(test.inputs, test.applicable)
    report = evaluate_split(probabilities, hits[test_idx], y[test_idx], categories, thresholds)
    return SplitFigures(report, thresholds, len(set(groups[test_idx])))


def train(
    corpus: LabelledCorpus,
    rules: RuleSet,
    categories: Sequence[str] = CORE_CATEGORIES,
    extra: TrainingData | None = None,
) -> TrainingResult:
    """Measure on a split by case, then tune thresholds on the whole corpus and refit on it.

    The test figures are honest: thresholds tuned by cross-validation on the training part only,
    then applied to cases never seen. The shipped thresholds are tuned the same way on every
    record (out-of-fold probabilities over the whole corpus), which is steadier than tuning on
    four fifths of it.

    Args:
        corpus: the labelled records.
        rules: the rule set whose hits the `both` thresholds are tuned against.
        categories: the categories the model learns.
        extra: more rows (e.g. reviewers' decisions), used for fitting, never for testing.

    Returns:
        The classifier fitted on every row, and its metadata (thresholds, scores, corpus).
    """
    data = training_data(corpus, rules, categories)
    records, hits = data.records(), data.hits()
    y, groups = records.y, records.groups
    _check_enough(y, groups, records.applicable, categories)
    split = split_by_case(records, hits, categories)
    final = fit_classifier(_with_extra(records, extra), categories)
    # extra rows come after the corpus's: thresholds and figures are the corpus's alone
    oof_all = final.out_of_fold[: len(y)]
    thresholds = tune_thresholds(oof_all, hits, y, categories)
    scores = {
        "test": split.report,
        "test_thresholds": split.thresholds,
        "cv": evaluate_split(oof_all, hits, y, categories, thresholds),
    }
    metadata = {
        "name": "casenote",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "auditor_version": __version__,
        "code_revision": _code_revision(),
        "categories": list(categories),
        "thresholds": thresholds,
        "rules_version": rules.version,
        "corpus": {
            "fingerprint": corpus.fingerprint,
            "records": len(y),
            "cases": len(set(groups)),
            "positives": {c: int(y[:, j].sum()) for j, c in enumerate(categories)},
            "review_rows": len(extra.inputs) if extra else 0,
        },
        "split": {
            "test_fraction": TEST_FRACTION,
            "test_cases": split.test_cases,
            "random_state": RANDOM_STATE,
        },
        "scores": scores,
    }
    return TrainingResult(final.classifier, metadata)


MIN_POSITIVES = 10


def _check_enough(y: np.ndarray, groups: np.ndarray, applicable: np.ndarray, categories: Sequence[str]) -> None:
    """Refuse a corpus too small to split by case and cross-validate.

    Each category is counted among the records it can apply to (missing_history: analytical
    records in cases that already hold history), since its model learns from those alone.
    """
    if len(y) == 0 or len(set(groups)) < 2 * FOLDS:
        raise CorpusError(f"the corpus needs at least {2 * FOLDS} labelled cases to split by case")
    for j, category in enumerate(categories):
        rows = applicable[:, j]
        positives = int(y[rows, j].sum())
        negatives = int(rows.sum()) - positives
        if positives < MIN_POSITIVES or negatives < MIN_POSITIVES:
            raise CorpusError(
                f"category {category}: {positives} labelled and {negatives} unlabelled records it can apply to; "
                f"training needs at least {MIN_POSITIVES} of each"
            )


def _with_extra(records: LabelledRecords, extra: TrainingData | None) -> LabelledRecords:
    """The corpus rows plus any extra rows, each repeated by its (whole-number) weight.

    Repeated rows are the simplest weighting that every step of the pipeline honours; repeats
    share their case, so the combiner's folds keep them together.
    """
    if extra is None or not extra.inputs:
        return records
    repeats = np.array([i for i, w in enumerate(extra.weights) for _ in range(max(1, round(w)))], dtype=int)
    more = extra.records().subset(repeats)
    return LabelledRecords(
        [*records.inputs, *more.inputs],
        np.vstack([records.y, more.y]),
        [*records.evidence, *more.evidence],
        np.concatenate([records.groups, more.groups]),
        np.vstack([records.applicable, more.applicable]),
    )


def _code_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=Path(__file__).parent, check=False,
        )  # fmt: skip
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"
