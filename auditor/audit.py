"""The single audit entry point: a case in, merged and evidenced findings out.

How rules and model combine under `--engine both`, per record and category:
- a rule hit is kept when the model gives it at least the category's `with_rule`
  probability (a low bar tuned by cross-validation), and then names both sources, with
  score 1 - (1 - rule) * (1 - model);
- the model alone flags a record at or above the category's `alone` threshold, with
  its calibrated probability as the score and its strongest passage as evidence;
- categories the model does not know (a rule pack's own) pass through from the rules.

The leak guard (residual identifiers) runs beside whichever engine is chosen.
"""

from __future__ import annotations

import dataclasses

from auditor.findings import Finding
from auditor.leakguard import IdentifierDetector
from auditor.merge import EXPLANATION_JOINER, merge_findings
from auditor.model.detector import MODEL_SOURCE, ModelDetector
from auditor.records import Case
from auditor.rules.engine import RuleSet

ENGINES = ("rules", "model", "both")


class Auditor:
    """Runs the rules, the model or both over a case and merges findings per evidence."""

    def __init__(
        self, rules: RuleSet | None = None, model: ModelDetector | None = None, leak_guard: bool = True
    ) -> None:
        if rules is None and model is None:
            raise ValueError("an auditor needs rules, a model, or both")
        self.rules = rules
        self.model = model
        self.guard = IdentifierDetector() if leak_guard else None

    @property
    def versions(self) -> dict[str, str]:
        """What produced the findings: the rule set's and model's versions."""
        versions = {}
        if self.rules is not None:
            versions["rules"] = self.rules.version
        if self.model is not None:
            versions["model"] = self.model.version
        return versions

    def audit_cases(self, cases: list[Case]) -> list[tuple[str, list[Finding]]]:
        """`audit_case` for many cases, scoring all their records with the model in one call."""
        probabilities = self.model.probabilities_of(cases) if self.model is not None else None
        return [(case.case_id, self.audit_case(case, probabilities)) for case in cases]

    def audit_case(self, case: Case, probabilities: dict[str, dict[str, float]] | None = None) -> list[Finding]:
        """All findings for one case, one per record, category and piece of evidence.

        Args:
            case: the case, its records in order.
            probabilities: the model's scores for its records, if already computed.
        """
        if self.model is not None and probabilities is None:
            probabilities = self.model.probabilities(case)
        if self.rules is None:
            assert self.model is not None
            findings = self.model.audit(case, probabilities)
        elif self.model is None:
            findings = self.rules.audit(case)
        else:
            assert probabilities is not None
            findings = self._combine(case, self.rules.audit(case), probabilities)
        if self.guard is not None:
            findings += self.guard.audit(case)
        if not findings:
            return []
        return merge_findings(findings, {note.note_id: note.text for note in case.notes})

    def _combine(
        self, case: Case, rule_findings: list[Finding], probabilities: dict[str, dict[str, float]]
    ) -> list[Finding]:
        assert self.model is not None
        model = self.model
        kept: list[Finding] = []
        covered: set[tuple[str, str]] = set()
        for finding in rule_findings:
            if finding.category not in model.thresholds:
                kept.append(finding)
                continue
            probability = probabilities[finding.note_id][finding.category]
            if probability < model.thresholds[finding.category].with_rule:
                continue
            covered.add((finding.note_id, finding.category))
            kept.append(_with_model(finding, probability, model))
        for note in case.notes:
            for category, probability in probabilities[note.note_id].items():
                alone = model.thresholds[category].alone
                if probability >= alone and (note.note_id, category) not in covered:
                    kept.append(model.finding(case, note, category, probability))
        return kept


def _with_model(finding: Finding, probability: float, model: ModelDetector) -> Finding:
    """A rule finding the model agrees with: both sources, combined score and explanation."""
    return dataclasses.replace(
        finding,
        sources=(*finding.sources, MODEL_SOURCE),
        score=1 - (1 - finding.score) * (1 - probability),
        explanation=EXPLANATION_JOINER.join(
            (finding.explanation, model.explain(finding.excerpt, finding.category, probability))
        ),
    )
