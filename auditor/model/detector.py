"""The classifier as a detector: record probabilities, evidence passages, strongest features."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils import murmurhash3_32

from auditor import resources
from auditor.findings import Finding, Severity
from auditor.model.artefact import LoadedModel, ModelError, load_model
from auditor.model.classifier import CaseClassifier, applicability
from auditor.model.features import META_PREFIX, model_input
from auditor.records import Case, Note
from auditor.text import Span

MODEL_SOURCE = "model"
MESSAGES = {
    "missing_history": ("The model reads this as not weighing the case's history. Was the history considered?"),
    "unclear_rationale": "The model reads this as a decision without reasons. Can the reader tell why?",
    "optimism": "The model reads this as optimism without supporting evidence. What evidence supports it?",
}


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds for one category, tuned by cross-validation at training time."""

    alone: float
    """The probability at which the model flags a record by itself."""
    with_rule: float
    """The probability the model must give for a rule's hit to be kept under `--engine both`."""


class ModelDetector:
    """Scores records with the fitted pipeline and explains its scores by linear weights."""

    def __init__(self, loaded: LoadedModel) -> None:
        try:
            self.classifier = CaseClassifier.from_state(loaded.state)
        except ValueError:
            message = f"{loaded.path}: not a casenote-auditor classifier; retrain with `auditor train`"
            raise ModelError(message) from None
        self.metadata = loaded.metadata
        self.categories: list[str] = list(loaded.metadata["categories"])
        self.thresholds = {c: Thresholds(**loaded.metadata["thresholds"][c]) for c in self.categories}
        self.version = f"{loaded.metadata.get('name', 'model')}@{loaded.metadata['artefact']['sha256'][:12]}"
        hasher = self.classifier.passage_features.named_steps["hash"]
        self._analyzer = hasher.build_analyzer()
        self._n_features = hasher.n_features
        self._weights = {category: self.classifier.passage_weights(category) for category in self.categories}

    def probabilities(self, case: Case) -> dict[str, dict[str, float]]:
        """Calibrated probability of each category for each record of the case."""
        return self.probabilities_of([case])

    def probabilities_of(self, cases: list[Case]) -> dict[str, dict[str, float]]:
        """`probabilities` for many cases in one call: the pipeline's overhead is per call.

        A category that cannot apply to a record (missing_history on a contact, or in a case
        with no history yet) scores 0: that part is decided with the case in view.
        """
        pairs = [(case, note) for case in cases for note in case.notes]
        if not pairs:
            return {}
        inputs = [model_input(case, note) for case, note in pairs]
        matrix = self.classifier.predict_proba(inputs, applicability(self.categories, pairs))
        return {
            note.note_id: dict(zip(self.categories, (float(p) for p in row), strict=True))
            for (_, note), row in zip(pairs, matrix, strict=True)
        }

    def audit(self, case: Case, probabilities: dict[str, dict[str, float]] | None = None) -> list[Finding]:
        """Findings from the model alone: records at or above each category's threshold."""
        findings = []
        probabilities = probabilities if probabilities is not None else self.probabilities(case)
        for note in case.notes:
            for category, probability in probabilities[note.note_id].items():
                if probability >= self.thresholds[category].alone:
                    findings.append(self.finding(case, note, category, probability))
        return findings

    def finding(self, case: Case, note: Note, category: str, probability: float, span: Span | None = None) -> Finding:
        """A model finding on `note`, its evidence the strongest passage's sentence (or `span`)."""
        start, end = span or self.best_passage(case, note, category)
        return Finding(
            case_id=note.case_id,
            note_id=note.note_id,
            category=category,
            score=probability,
            severity=Severity.HIGH if probability >= 0.85 else Severity.MEDIUM,
            sources=(MODEL_SOURCE,),
            start=start,
            end=end,
            excerpt=note.text[start:end],
            message=MESSAGES.get(category, "The model flags this passage for review."),
            explanation=self.explain(note.text[start:end], category, probability),
        )

    def explain(self, passage: str, category: str, probability: float) -> str:
        """The model's probability and its strongest features in `passage`."""
        features = self.strongest_features(passage, category)
        listed = ", ".join(f'"{term}" {weight:+.2f}' for term, weight in features) or "no strong words"
        return f"model {self.version}: p={probability:.2f}; strongest features in this passage: {listed}"

    def strongest_features(self, passage: str, category: str, top: int = 4) -> list[tuple[str, float]]:
        """The n-grams of `passage` that push hardest towards `category`."""
        weights = self._weights[category]
        scored = {}
        for term in self._analyzer(passage):
            if term.startswith(META_PREFIX) or all(word in ENGLISH_STOP_WORDS for word in term.split()):
                continue  # context tokens and function words explain nothing to an auditor
            weight = float(weights[abs(murmurhash3_32(term, seed=0)) % self._n_features])
            if weight > 0:
                scored[term] = weight
        return sorted(scored.items(), key=lambda item: -item[1])[:top]

    def best_passage(self, case: Case, note: Note, category: str) -> Span:
        """The sentence the passage model finds most telling of `category` (read with the next one)."""
        scored = self.classifier.passage_scores(model_input(case, note), category)
        return max(scored, key=lambda item: item[1])[0].evidence


def default_model_path() -> Path:
    """The bundled model folder."""
    return resources.models_dir()


def load_detector(path: Path | None) -> ModelDetector:
    """Load, verify and wrap a model artefact (the bundled one by default)."""
    return ModelDetector(load_model(path or default_model_path()))
