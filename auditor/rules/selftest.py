"""Run every rule's own examples: what it must flag and what it must pass."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.rules.engine import RuleSet


@dataclass
class ExampleScore:
    """How one rule did on its examples, with the lines of those it got wrong."""

    rule_id: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every example behaved as declared."""
        return not self.fp and not self.fn


def run_examples(rules: RuleSet) -> list[ExampleScore]:
    """Score each rule on its own examples, each example run with that rule alone."""
    scores = []
    for loaded in rules.loaded:
        score = ExampleScore(loaded.rule.info.id)
        for example in loaded.examples:
            findings = rules.audit(example.case, only=[loaded.rule])
            flagged = any(f.note_id == example.note.note_id for f in findings)
            where = f"{loaded.rule.info.path}:{example.line}"
            if example.expect_flag and flagged:
                score.tp += 1
            elif example.expect_flag:
                score.fn += 1
                score.failures.append(f"{where}: expected a flag, got none")
            elif flagged:
                score.fp += 1
                score.failures.append(f"{where}: expected no flag, got one")
            else:
                score.tn += 1
        scores.append(score)
    return scores
