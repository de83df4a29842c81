"""Run a loaded rule set over a case: prefilter once, then each candidate rule."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from auditor.findings import Finding
from auditor.records import Case
from auditor.rules.context import ContextDetector
from auditor.rules.kinds import Rule, Target
from auditor.rules.lexicon import Lexicon
from auditor.rules.loader import LoadedRule, load_rules
from auditor.rules.patterns import Prefilter


class RuleSet:
    """Compiled rules ready to run, with one RE2 set to skip rules that cannot match."""

    def __init__(self, loaded: Sequence[LoadedRule], lexicon: Lexicon) -> None:
        self.loaded = list(loaded)
        self.rules: list[Rule] = [item.rule for item in loaded]
        self.context = ContextDetector(lexicon)
        self._always = [rule for rule in self.rules if rule.prefilter is None]
        self._filtered = [rule for rule in self.rules if rule.prefilter is not None]
        self._prefilter = Prefilter([rule.prefilter or "" for rule in self._filtered])
        self.version = _version(loaded, lexicon)

    @classmethod
    def load(cls, directories: Sequence[Path]) -> RuleSet:
        """Load and compile rule packs (raises `RuleSetError` listing every problem)."""
        loaded, lexicon = load_rules(directories)
        return cls(loaded, lexicon)

    def __len__(self) -> int:
        return len(self.rules)

    def by_id(self, rule_id: str) -> Rule:
        """The rule with this id."""
        return next(rule for rule in self.rules if rule.info.id == rule_id)

    def audit(self, case: Case, only: Sequence[Rule] | None = None) -> list[Finding]:
        """Every rule finding in the case's records (one finding per rule and evidence)."""
        findings = []
        for note in case.notes:
            target = Target(note, case, self.context)
            candidates = only if only is not None else self._candidates(note.text)
            for rule in candidates:
                if not rule.info.applies_to(note):
                    continue
                for hit in rule.hits(target):
                    findings.append(
                        Finding(
                            case_id=note.case_id,
                            note_id=note.note_id,
                            category=rule.info.category,
                            score=rule.info.confidence,
                            severity=hit.severity,
                            sources=(f"rule:{rule.info.id}",),
                            start=hit.start,
                            end=hit.end,
                            excerpt=note.text[hit.start : hit.end],
                            message=rule.info.message,
                            explanation=f"{rule.info.id}: {hit.explanation}",
                        )
                    )
        return findings

    def _candidates(self, text: str) -> list[Rule]:
        matched = self._prefilter.matching(text)
        return self._always + [self._filtered[i] for i in sorted(matched)]


def _version(loaded: Sequence[LoadedRule], lexicon: Lexicon) -> str:
    """A digest of every rule file and the lexicon: changes whenever any rule changes."""
    digest = hashlib.sha256(repr(lexicon).encode())
    for item in sorted(loaded, key=lambda i: i.rule.info.id):
        digest.update(item.rule.info.id.encode())
        digest.update(Path(item.rule.info.path).read_bytes())
    return f"rules@{digest.hexdigest()[:12]}"
