"""Context policy shared by trigger-based kinds: which negated, hypothetical or reported hits count."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.rules.context import WORKER, Context
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
