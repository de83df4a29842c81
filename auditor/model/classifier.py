"""The classifier: shared text features, then one calibrated linear model per category.

Each category's model is fitted only on the records it can apply to. `missing_history` can
only apply to an analytical record in a case that already holds history, so its model learns
from those records alone what weighing the history looks like, instead of mostly learning to
tell contacts and first records apart from the rest (which case-level logic already knows).
Other categories apply to every record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from auditor.history import can_miss_history
from auditor.model.features import RANDOM_STATE, build_vectorizer
from auditor.records import Case, Note

C = 16.0
"""Inverse regularisation of each category's logistic regression: leave-writer-out
cross-validation (folds holding out whole corpus parts) rose slightly from 1 to 16, then levelled."""


def applies(category: str, case: Case, note: Note) -> bool:
    """Whether `category` can apply to `note` at all, given its case."""
    return can_miss_history(case, note) if category == "missing_history" else True


def applicability(categories: Sequence[str], pairs: Sequence[tuple[Case, Note]]) -> np.ndarray:
    """A records x categories boolean matrix of `applies`."""
    return np.array([[applies(c, case, note) for c in categories] for case, note in pairs], dtype=bool).reshape(
        len(pairs), len(categories)
    )


def build_features() -> Pipeline:
    """Hashed word n-grams, then TF-IDF: shared by every category's model."""
    return Pipeline([("hash", build_vectorizer()), ("tfidf", TfidfTransformer(sublinear_tf=True))])


def build_category_model() -> CalibratedClassifierCV:
    """A class-balanced logistic regression with sigmoid-calibrated probabilities."""
    classifier = LogisticRegression(
        C=C, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=RANDOM_STATE
    )
    return CalibratedClassifierCV(classifier, method="sigmoid", cv=3, ensemble=False)


@dataclass
class CaseClassifier:
    """Features plus one model per category; persisted as a plain dict of scikit-learn objects."""

    categories: list[str]
    features: Pipeline
    models: dict[str, CalibratedClassifierCV]

    @classmethod
    def fit(
        cls, texts: Sequence[str], y: np.ndarray, categories: Sequence[str], applicable: np.ndarray
    ) -> CaseClassifier:
        """Fit the features on every record and each category's model on the records it applies to."""
        features = build_features()
        matrix = features.fit_transform(list(texts))
        models = {}
        for j, category in enumerate(categories):
            rows = applicable[:, j]
            models[category] = build_category_model().fit(matrix[rows], y[rows, j])
        return cls(list(categories), features, models)

    def predict_proba(self, texts: Sequence[str], applicable: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, records x categories; 0 where a category cannot apply."""
        matrix = self.features.transform(list(texts))
        result = np.zeros((len(texts), len(self.categories)))
        for j, category in enumerate(self.categories):
            rows = np.flatnonzero(applicable[:, j])
            if rows.size:
                result[rows, j] = self.models[category].predict_proba(matrix[rows])[:, 1]
        return result

    def weights(self, category: str) -> np.ndarray:
        """Per hashed feature, how far it pushes `category` (TF-IDF weight times coefficient)."""
        idf = self.features.named_steps["tfidf"].idf_
        return idf * self.models[category].calibrated_classifiers_[0].estimator.coef_[0]

    def to_state(self) -> dict[str, Any]:
        """What the artefact stores."""
        return {"categories": list(self.categories), "features": self.features, "models": dict(self.models)}

    @classmethod
    def from_state(cls, state: Any) -> CaseClassifier:
        """Rebuild from `to_state`'s dict (as loaded from an artefact)."""
        if not isinstance(state, dict) or set(state) != {"categories", "features", "models"}:
            raise ValueError("not a casenote-auditor classifier")
        return cls(list(state["categories"]), state["features"], dict(state["models"]))
