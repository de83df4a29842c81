"""What trigger-based kinds share: the triggers, the context policy and counter-evidence."""

from __future__ import annotations

from dataclasses import dataclass

import re2

from auditor.rules.context import WORKER, Context
from auditor.rules.kinds.base import Rule, RuleInfo, WindowedPatterns
from auditor.rules.lexicon import SOURCES
from auditor.rules.spec import SpecReader
from auditor.rules.yamlfile import Where

SKIP, ONLY, IGNORE = "skip", "only", "ignore"
ATTRIBUTES = ("negation", "hypothetical", "sceptical")
ALL_SOURCES = (WORKER, *SOURCES)


@dataclass(frozen=True)
class ContextPolicy:
    """For each attribute: skip hits that have it, keep only those, or ignore it."""

    negation: str = SKIP
    hypothetical: str = IGNORE
    sceptical: str = IGNORE
    sources: frozenset[str] = frozenset(ALL_SOURCES)

    @classmethod
    def read(cls, spec: SpecReader, where: Where, defaults: ContextPolicy | None = None) -> ContextPolicy:
        """Read `context: {negation: skip, hypothetical: ignore, sceptical: skip, sources: [...]}`."""
        base = defaults or cls()
        if spec.get(where) is None:
            return base
        spec.check_keys(where, (*ATTRIBUTES, "sources"))
        values = {name: spec.choice((*where, name), (SKIP, ONLY, IGNORE), getattr(base, name)) for name in ATTRIBUTES}
        sources = spec.get((*where, "sources"), sorted(base.sources))
        if not isinstance(sources, list) or not sources:
            raise spec.error((*where, "sources"), f"'sources' must be a list from {', '.join(ALL_SOURCES)}")
        for index, source in enumerate(sources):
            if source not in ALL_SOURCES:
                choices = ", ".join(ALL_SOURCES)
                raise spec.error((*where, "sources", index), f"unknown source '{source}' (expected {choices})")
        return cls(sources=frozenset(sources), **values)

    @property
    def wanted(self) -> frozenset[str]:
        """The context attributes this policy needs looked up."""
        needed = {name for name in ATTRIBUTES if getattr(self, name) != IGNORE}
        if self.sources != frozenset(ALL_SOURCES):
            needed.add("source")
        return frozenset(needed)

    def allows(self, context: Context) -> bool:
        """True when a hit in this context should be reported."""
        for name in ATTRIBUTES:
            present = bool(getattr(context, name))
            rule = getattr(self, name)
            if (rule == SKIP and present) or (rule == ONLY and not present):
                return False
        return context.source in self.sources


class TriggeredRule(Rule):
    """A rule that fires on trigger patterns, weighed by their context and counter-evidence."""

    def __init__(
        self, info: RuleInfo, triggers: re2._Regexp, policy: ContextPolicy, unless: WindowedPatterns | None
    ) -> None:
        super().__init__(info)
        self.triggers = triggers
        self.policy = policy
        self.unless = unless

    @property
    def prefilter(self) -> str | None:
        """The trigger alternation: the rule runs only on records where it can match."""
        return self.triggers.pattern

    @staticmethod
    def read_triggers(
        spec: SpecReader, unless_window: int | str
    ) -> tuple[re2._Regexp, ContextPolicy, WindowedPatterns | None]:
        """Compile `triggers`, `context` and `unless`, the keys every triggered kind has."""
        triggers = spec.regex(("triggers",), required=True)
        assert triggers is not None
        policy = ContextPolicy.read(spec, ("context",))
        return triggers, policy, WindowedPatterns.read(spec, ("unless",), default_window=unless_window)
