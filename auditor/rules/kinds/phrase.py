"""`phrase` rules: trigger patterns, weighed by context, counter-evidence and co-occurrence."""

from __future__ import annotations

import re2

from auditor.findings import Severity
from auditor.rules.kinds.base import COMMON_KEYS, Hit, RuleInfo, Target, WindowedPatterns, quote
from auditor.rules.kinds.contextual import ContextPolicy, TriggeredRule
from auditor.rules.spec import SpecReader


class Escalation:
    """Raise a hit's severity when a pattern (e.g. domestic abuse) is near it."""

    def __init__(self, patterns: WindowedPatterns, severity: Severity) -> None:
        self.patterns = patterns
        self.severity = severity

    @classmethod
    def read(cls, spec: SpecReader) -> Escalation | None:
        """Read `escalate: {patterns, window, to}`."""
        if spec.get(("escalate",)) is None:
            return None
        patterns = WindowedPatterns.read(spec, ("escalate",), "record", extra_keys=("to",))
        if patterns is None or not isinstance(spec.get(("escalate",)), dict):
            raise spec.error(("escalate",), "'escalate' must be a mapping with patterns and to")
        severity = Severity(spec.choice(("escalate", "to"), [s.value for s in Severity]))
        return cls(patterns, severity)


class PhraseRule(TriggeredRule):
    """Flags a sentence whose trigger stands in the right context with no counter-evidence."""

    KIND = "phrase"
    KEYS = (*COMMON_KEYS, "triggers", "unless", "requires", "context", "escalate")

    def __init__(
        self,
        info: RuleInfo,
        triggers: re2._Regexp,
        policy: ContextPolicy,
        unless: WindowedPatterns | None,
        requires: WindowedPatterns | None,
        escalate: Escalation | None,
    ) -> None:
        super().__init__(info, triggers, policy, unless)
        self.requires = requires
        self.escalate = escalate

    @classmethod
    def read(cls, info: RuleInfo, spec: SpecReader) -> PhraseRule:
        """Compile triggers, context policy and the optional clauses."""
        triggers, policy, unless = cls.read_triggers(spec, unless_window=1)
        return cls(info, triggers, policy, unless, WindowedPatterns.read(spec, ("requires",)), Escalation.read(spec))

    def hits(self, target: Target) -> list[Hit]:
        """One hit per sentence holding an accepted trigger."""
        found: list[Hit] = []
        last_sentence = -1
        for match in self.triggers.finditer(target.text):
            index, sentence = target.sentence_at(match.start())
            if index == last_sentence:
                continue
            explanation = self._weigh(target, index, sentence, match.span(), match.group(0))
            if explanation is None:
                continue
            last_sentence = index
            severity = self.info.severity
            if self.escalate and (cue := self.escalate.patterns.find(target, index)):
                severity = max(severity, self.escalate.severity, key=lambda s: s.rank)
                explanation += f"; severity raised by {quote(cue)} nearby"
            found.append(Hit(sentence[0], sentence[1], severity, explanation))
        return found

    def _weigh(
        self, target: Target, index: int, sentence: tuple[int, int], span: tuple[int, int], trigger: str
    ) -> str | None:
        context = target.context_of(sentence, span, self.policy.wanted)
        if not self.policy.allows(context):
            return None
        parts = [f"trigger {quote(trigger)}", context.describe()]
        if self.requires:
            needed = self.requires.find(target, index, skip=span)
            if not needed:
                return None
            parts.append(f"with {quote(needed)}")
        if self.unless:
            if self.unless.find(target, index, skip=span):
                return None
            parts.append(f"no counter-evidence within {_window_words(self.unless.window)}")
        return "; ".join(parts)


def _window_words(window: int | str | tuple[int, int]) -> str:
    if isinstance(window, str):
        return f"the {window}"
    if isinstance(window, tuple):
        before, after = window
        return f"the sentence, {_sentences(before)} before and {_sentences(after)} after"
    return "the sentence" if window == 0 else f"{_sentences(window)} either side"


def _sentences(count: int) -> str:
    return f"{count} sentence{'s' if count != 1 else ''}"
