"""The classifier: a record model and a passage model per category, joined by a calibrator.

Two views of a record, because each misses what the other sees:
- the **record model** reads the whole record (does it give reasons anywhere? does it weigh
  the case's history anywhere?);
- the **passage model** reads one sentence and the next, learnt from the labelled evidence
  excerpts (this claim, unsupported by what follows), and its strongest passage is the
  record's evidence. It also reads the whole record, as a block of its own, so that one model
  weighs a sentence against the rest of its record: "Case closed." after a paragraph of
  reasons is not the bare decision that "Young carers' assessment not needed." is at the end
  of a record whose reasons are all about something else.
Per category a **combiner**, a logistic regression over the two models' log-odds, turns them
into one calibrated probability. It is fitted on out-of-fold scores (folds grouped by case), so
it learns how far to trust each model on records neither has seen.

Each category's models are fitted only on the records it can apply to. `missing_history` can
only apply to an analytical record in a case that already holds history, so its models learn
from those records alone what weighing the history looks like, instead of mostly learning to
tell contacts and first records apart from the rest (which case-level logic already knows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from auditor.history import can_miss_history
from auditor.model.features import RANDOM_STATE, ModelInput, build_vectorizer
from auditor.model.passages import OFFSETS, UNKNOWN, Passage, passage_targets, passages
from auditor.records import Case, Note
from auditor.text import is_itemised

RECORD_C = 16.0
"""Inverse regularisation of the record models: leave-writer-out cross-validation (folds holding
out whole corpus parts) rose slightly from 1 to 16, then levelled."""
PASSAGE_C = 64.0
"""The same for the passage models, which read far fewer words per row: grouped cross-validation
rose slightly from 4 to 64, then levelled."""

PASSAGE_RECORD_WEIGHT = 0.7
"""How much the whole record's features count in a passage's row, beside its own sentences.
Reading the record raised grouped cross-validation for `unclear_rationale` from 0.842 to 0.859
(0.857 to 0.859 for weights 0.4 to 1.0); the other categories held."""


def applies(category: str, case: Case, note: Note) -> bool:
    """Whether `category` can apply to `note` at all, given its case."""
    return can_miss_history(case, note) if category == "missing_history" else True


def applicability(categories: Sequence[str], pairs: Sequence[tuple[Case, Note]]) -> np.ndarray:
    """A records x categories boolean matrix of `applies`."""
    return np.array([[applies(c, case, note) for c in categories] for case, note in pairs], dtype=bool).reshape(
        len(pairs), len(categories)
    )


def build_features() -> Pipeline:
    """Hashed word n-grams, then TF-IDF."""
    return Pipeline([("hash", build_vectorizer()), ("tfidf", TfidfTransformer(sublinear_tf=True))])


def build_linear_model(regularisation: float) -> LogisticRegression:
    """A class-balanced logistic regression (`regularisation` is its `C`): a record or passage model."""
    return LogisticRegression(
        C=regularisation, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=RANDOM_STATE
    )


def build_combiner() -> LogisticRegression:
    """The combiner: a logistic regression over a handful of columns, solved to full precision.

    With the default tolerance, L-BFGS could stop an iteration earlier or later depending on
    rounding in the BLAS underneath, which moved a probability lying next to a threshold from
    one side to the other between two runs of `auditor train`: the committed figures did not
    always rebuild exactly. At this tolerance every run reaches the same optimum.
    """
    return LogisticRegression(C=1.0, tol=1e-10, max_iter=1000, random_state=RANDOM_STATE)


@dataclass
class LabelledRecords:
    """What the classifier learns from: inputs, labels, evidence, cases, applicability."""

    inputs: Sequence[ModelInput]
    y: np.ndarray
    evidence: Sequence[Sequence[tuple[str, str]]]
    groups: np.ndarray
    applicable: np.ndarray

    def subset(self, rows: np.ndarray) -> LabelledRecords:
        """The records at `rows`."""
        return LabelledRecords(
            [self.inputs[i] for i in rows], self.y[rows], [self.evidence[i] for i in rows], self.groups[rows],
            self.applicable[rows],
        )  # fmt: skip


@dataclass
class CategoryModel:
    """One category's record model, passage model and the combiner that calibrates them."""

    record: LogisticRegression
    passage: LogisticRegression
    combiner: LogisticRegression | None = None


@dataclass
class BaseScores:
    """What the combiners read, records x categories: both models' probabilities, and each record's layout."""

    record: np.ndarray
    passage: np.ndarray
    itemised: np.ndarray

    def combiner_inputs(self, column: int, rows: np.ndarray) -> np.ndarray:
        """One category's combiner input for the records at `rows` (a boolean mask)."""
        return _combiner_inputs(self.record[rows, column], self.passage[rows, column], self.itemised[rows])

    @classmethod
    def empty(cls, shape: tuple[int, int]) -> BaseScores:
        """All zeros, to be filled in fold by fold."""
        return cls(np.zeros(shape), np.zeros(shape), np.zeros(shape[0]))

    def fill(self, rows: np.ndarray, part: BaseScores) -> None:
        """Put `part`'s scores at `rows`."""
        self.record[rows], self.passage[rows], self.itemised[rows] = part.record, part.passage, part.itemised


@dataclass
class CaseClassifier:
    """Features plus one `CategoryModel` per category; persisted as a dict of scikit-learn objects."""

    categories: list[str]
    record_features: Pipeline
    passage_features: Pipeline
    models: dict[str, CategoryModel]

    @classmethod
    def fit_base(cls, data: LabelledRecords, categories: Sequence[str]) -> CaseClassifier:
        """Features, record models and passage models, without combiners (see `fit_combiners`)."""
        record_features, passage_features = build_features(), build_features()
        records = record_features.fit_transform([item.whole() for item in data.inputs])
        # passages are built from per-sentence hashed counts, so the two steps run apart
        counts, owner = _passage_counts(passage_features, data.inputs)
        own = passage_features.named_steps["tfidf"].fit_transform(counts)
        pieces = sparse.hstack([own, PASSAGE_RECORD_WEIGHT * records[owner]]).tocsr()
        target = np.vstack(
            [passage_targets(item.text, data.y[i], data.evidence[i], categories) for i, item in enumerate(data.inputs)]
        )
        models = {}
        for j, category in enumerate(categories):
            rows = data.applicable[:, j]
            useful = data.applicable[owner, j] & (target[:, j] != UNKNOWN)
            models[category] = CategoryModel(
                record=build_linear_model(RECORD_C).fit(records[rows], data.y[rows, j]),
                passage=build_linear_model(PASSAGE_C).fit(pieces[useful], target[useful, j]),
            )
        return cls(list(categories), record_features, passage_features, models)

    def base_scores(self, inputs: Sequence[ModelInput], applicable: np.ndarray) -> BaseScores:
        """The record models' probabilities and each record's strongest passage probability."""
        records = self.record_features.transform([item.whole() for item in inputs])
        pieces, owner = self._passages(inputs)
        record_scores, passage_scores = np.zeros(applicable.shape), np.zeros(applicable.shape)
        for j, category in enumerate(self.categories):
            model = self.models[category]
            record_scores[:, j] = model.record.predict_proba(records)[:, 1]
            np.maximum.at(passage_scores[:, j], owner, _passage_probabilities(model.passage, pieces, records, owner))
        return BaseScores(record_scores * applicable, passage_scores * applicable, _itemised(inputs))

    def fit_combiners(self, scores: BaseScores, y: np.ndarray, applicable: np.ndarray) -> None:
        """Fit each category's combiner on base scores from models that never saw the records' cases."""
        for j, category in enumerate(self.categories):
            rows = applicable[:, j]
            combiner = build_combiner()
            combiner.fit(scores.combiner_inputs(j, rows), y[rows, j])
            self.models[category].combiner = combiner

    def calibrate(self, scores: BaseScores, applicable: np.ndarray) -> np.ndarray:
        """The combiners' probabilities, records x categories; 0 where a category cannot apply."""
        result = np.zeros(applicable.shape)
        for j, category in enumerate(self.categories):
            rows = applicable[:, j]
            combiner = self.models[category].combiner
            assert combiner is not None, "fit_combiners first"
            if rows.any():
                result[rows, j] = combiner.predict_proba(scores.combiner_inputs(j, rows))[:, 1]
        return result

    def _passages(self, inputs: Sequence[ModelInput]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The passages' own features (without the record block) and the record each belongs to."""
        counts, owner = _passage_counts(self.passage_features, inputs)
        return self.passage_features.named_steps["tfidf"].transform(counts), owner

    def predict_proba(self, inputs: Sequence[ModelInput], applicable: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, records x categories; 0 where a category cannot apply."""
        if not len(inputs):
            return np.zeros((0, len(self.categories)))
        return self.calibrate(self.base_scores(inputs, applicable), applicable)

    def passage_scores(self, item: ModelInput, category: str) -> list[tuple[Passage, float]]:
        """Each passage of one record with the passage model's probability for `category`."""
        records = self.record_features.transform([item.whole()])
        pieces, owner = self._passages([item])
        scores = _passage_probabilities(self.models[category].passage, pieces, records, owner)
        return list(zip(passages(item.text), scores, strict=True))

    def passage_weights(self, category: str) -> np.ndarray:
        """Per hashed feature, how far it pushes a passage towards `category` (IDF times coefficient).

        Only the first block of passage columns: the evidence sentence's own words.
        """
        own = self.passage_features.named_steps["hash"].n_features
        idf = self.passage_features.named_steps["tfidf"].idf_[:own]
        return idf * self.models[category].passage.coef_[0][:own]

    def to_state(self) -> dict[str, Any]:
        """What the artefact stores."""
        return {
            "categories": list(self.categories),
            "record_features": self.record_features,
            "passage_features": self.passage_features,
            "models": {
                category: {"record": m.record, "passage": m.passage, "combiner": m.combiner}
                for category, m in self.models.items()
            },
        }

    @classmethod
    def from_state(cls, state: Any) -> CaseClassifier:
        """Rebuild from `to_state`'s dict (as loaded from an artefact)."""
        if not isinstance(state, dict) or set(state) != {"categories", "record_features", "passage_features", "models"}:
            raise ValueError("not a casenote-auditor classifier")
        models = {category: CategoryModel(**parts) for category, parts in state["models"].items()}
        return cls(list(state["categories"]), state["record_features"], state["passage_features"], models)


def _passage_counts(features: Pipeline, inputs: Sequence[ModelInput]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Hashed n-gram counts of every passage of every record, and the record each belongs to.

    A passage's columns come in one block per sentence position (`OFFSETS`): its own sentence
    with its record's context tokens, then the sentence after it. Kept apart, they let the model
    tell "a decision with its reason in it" from "a decision, then a reason for something else",
    which one bag of words cannot. Each sentence is hashed once and its counts are placed into
    every passage that reads it.
    """
    sentences: list[str] = []
    owner: list[int] = []
    placements: dict[int, tuple[list[int], list[int]]] = {offset: ([], []) for offset in OFFSETS}
    for i, item in enumerate(inputs):
        pieces = passages(item.text)
        first = len(sentences)
        sentences += [item.text[start:end] for start, end in (piece.evidence for piece in pieces)]
        for k, piece in enumerate(pieces):
            for index in piece.sentences:
                rows, columns = placements[index - k]
                rows.append(len(owner))
                columns.append(first + index)
            owner.append(i)
    hasher = features.named_steps["hash"]
    hashed = hasher.transform(sentences)
    shape = (len(owner), len(sentences))
    blocks = [sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape) @ hashed
              for rows, columns in placements.values()]  # fmt: skip
    blocks[0] += sparse.csr_matrix(hasher.transform([item.context for item in inputs]))[owner]
    return sparse.hstack(blocks).tocsr(), np.array(owner, dtype=int)


def _passage_probabilities(
    model: LogisticRegression, pieces: sparse.csr_matrix, records: sparse.csr_matrix, owner: np.ndarray
) -> np.ndarray:
    """A passage model's probabilities, given the passages' own features and their records' features.

    The model was fitted on each passage's own columns followed by its record's, weighted by
    `PASSAGE_RECORD_WEIGHT`. The record's part of the score is the same for every passage of a
    record, so it is computed once per record rather than copied into every passage's row.
    """
    coefficients = model.coef_[0]
    width = pieces.shape[1]
    record_part = PASSAGE_RECORD_WEIGHT * (records @ coefficients[width:])
    return expit(pieces @ coefficients[:width] + record_part[owner] + model.intercept_[0])


def _itemised(inputs: Sequence[ModelInput]) -> np.ndarray:
    """1.0 for each record laid out as a list of items, else 0.0."""
    return np.array([is_itemised(item.text) for item in inputs], dtype=float)


def _combiner_inputs(record: np.ndarray, passage: np.ndarray, itemised: np.ndarray) -> np.ndarray:
    """The combiner's input: both log-odds, whether the record is itemised, and that flag times each.

    Probabilities are clipped away from 0 and 1 before taking log-odds.

    In a list of separate items (a strategy discussion's numbered decisions, an "Agreed:" list)
    each item stands alone, so one bare item is a bare decision however well the others are
    reasoned: there the combiner learns to trust the passage model more and the record model
    less (grouped cross-validation, `unclear_rationale` 0.835 → 0.842).
    """
    both = np.clip(np.column_stack([record, passage]), 1e-4, 1 - 1e-4)
    log_odds = np.log(both / (1 - both))
    flag = itemised[:, None]
    return np.hstack([log_odds, flag, flag * log_odds])
