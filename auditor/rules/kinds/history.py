"""`history` rules: case-level checks of a record against the history its case holds."""

from __future__ import annotations

import re2

from auditor.findings import Severity
from auditor.history import DEFAULT_EPISODE_GAP_DAYS, EPISODES, RECORDS, episode_start, mentions_earlier_date
from auditor.records import Note
from auditor.rules.kinds.base import COMMON_KEYS, Hit, Rule, RuleInfo, Target, WindowedPatterns, quote
from auditor.rules.kinds.contextual import IGNORE, ContextPolicy
from auditor.rules.spec import SpecReader

ABSENT, CONTRADICTED = "absent", "contradicted"


class HistoryRule(Rule):
    """Flags an analytical record that ignores (`absent`) or denies (`contradicted`) history."""

    KIND = "history"
    KEYS = (
        *COMMON_KEYS,
        "mode",
        "prior",
        "markers",
        "earlier_dates",
        "judgement",
        "min_words",
        "triggers",
        "unless",
        "context",
    )

    def __init__(self, info: RuleInfo, spec: SpecReader) -> None:
        super().__init__(info)
        self.mode = spec.choice(("mode",), (ABSENT, CONTRADICTED))
        if spec.get(("prior",)) is not None:
            spec.check_keys(("prior",), ("gap_days", "min", "scope"))
        self.gap_days = spec.whole(("prior", "gap_days"), DEFAULT_EPISODE_GAP_DAYS, 0, 3650)
        self.scope = spec.choice(("prior", "scope"), (RECORDS, EPISODES), RECORDS)
        self.min_prior = spec.whole(("prior", "min"), 1, 1, 100)
        self.unless = WindowedPatterns.read(spec, ("unless",), default_window=1)
        # In mode absent, `unless` is searched in the whole record.
        self.markers: re2._Regexp | None = None
        self.triggers: re2._Regexp | None = None
        if self.mode == ABSENT:
            self.markers = spec.regex(("markers",), required=True)
            self.earlier_dates = spec.flag(("earlier_dates",), True)
            self.judgement = spec.regex(("judgement",))
            self.min_words = spec.whole(("min_words",), 0, 0, 10000)
            for key in ("triggers", "context"):
                if spec.get((key,)) is not None:
                    raise spec.error((key,), f"'{key}' belongs to mode: contradicted")
        else:
            self.triggers = spec.regex(("triggers",), required=True)
            self.policy = ContextPolicy.read(spec, ("context",), ContextPolicy(negation=IGNORE))
            for key in ("markers", "judgement", "min_words", "earlier_dates"):
                if spec.get((key,)) is not None:
                    raise spec.error((key,), f"'{key}' belongs to mode: absent")

    @classmethod
    def read(cls, info: RuleInfo, spec: SpecReader) -> HistoryRule:
        """Compile the mode's patterns and the definition of prior involvement."""
        return cls(info, spec)

    @property
    def prefilter(self) -> str | None:
        """Contradictions need their trigger; absence is checked on every analytical record."""
        return self.triggers.pattern if self.triggers is not None else None

    def hits(self, target: Target) -> list[Hit]:
        """A hit when the case holds history and this record ignores or denies it."""
        prior = target.prior(self.gap_days, self.scope)
        if len(prior) < self.min_prior:
            return []
        if self.mode == ABSENT:
            return self._absent(target, prior)
        return self._contradicted(target, prior)

    def _absent(self, target: Target, prior: tuple[Note, ...]) -> list[Hit]:
        text = target.text
        if len(text.split()) < self.min_words:
            return []
        assert self.markers is not None
        if self.markers.search(text):
            return []
        start = episode_start(target.case, target.note)
        if self.earlier_dates and mentions_earlier_date(text, start):
            return []
        sentence = target.sentences[0]
        if self.judgement is not None:
            match = self.judgement.search(text)
            if match is None:
                return []
            sentence = target.sentence_at(match.start())[1]
        if self.unless and self.unless.regex.search(text):
            return []
        explanation = f"{_summary(prior)}; this record names none of it (no history markers or earlier dates)"
        return [Hit(sentence[0], sentence[1], self._severity(prior), explanation)]

    def _contradicted(self, target: Target, prior: tuple[Note, ...]) -> list[Hit]:
        assert self.triggers is not None
        for match in self.triggers.finditer(target.text):
            index, sentence = target.sentence_at(match.start())
            if not self.policy.allows(target.context_of(sentence, match.span(), self.policy.wanted)):
                continue
            if self.unless and self.unless.find(target, index, skip=match.span()):
                continue
            explanation = f"says {quote(match.group(0))}, but {_summary(prior)}"
            return [Hit(sentence[0], sentence[1], self._severity(prior), explanation)]
        return []

    def _severity(self, prior: tuple[Note, ...]) -> Severity:
        openers = sum(1 for n in prior if n.type.value in ("referral", "contact"))
        if openers >= 3 and self.info.severity is not Severity.HIGH:
            return Severity.HIGH  # repeat referrals: the pattern is what start-again misses
        return self.info.severity


def _summary(prior: tuple[Note, ...]) -> str:
    first = prior[0]
    return (
        f"the case holds {len(prior)} earlier record{'s' if len(prior) > 1 else ''} "
        f"(earliest {first.date.isoformat()}, {first.type.value})"
    )
