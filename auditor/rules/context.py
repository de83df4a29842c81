"""ConText-style context of a trigger: negated, hypothetical, sceptical, and whose words."""

from __future__ import annotations

from dataclasses import dataclass

import re2

from auditor.rules.lexicon import Lexicon
from auditor.rules.patterns import OPTIONS, alternation
from auditor.text import Span

WORKER = "worker"


@dataclass(frozen=True, slots=True)
class Context:
    """What surrounds one trigger; each attribute holds the cue that set it, or ''."""

    negation: str = ""
    hypothetical: str = ""
    sceptical: str = ""
    source: str = WORKER
    source_cue: str = ""

    def describe(self) -> str:
        """A short phrase for a finding's explanation, e.g. `reported by parent ("Mum said")`."""
        parts = []
        if self.source != WORKER:
            parts.append(f'reported by {self.source} ("{self.source_cue}")')
        for name in ("negation", "hypothetical", "sceptical"):
            cue = getattr(self, name)
            if cue:
                parts.append(f'{name} ("{cue}")')
        return "; ".join(parts) or "stated as the worker's own view"


@dataclass(frozen=True, slots=True)
class _Cue:
    before: re2._Regexp | None
    after: re2._Regexp | None
    scope: int


def _compile(patterns: tuple[str, ...]) -> re2._Regexp | None:
    return re2.compile(alternation(patterns), OPTIONS) if patterns else None


def _words(text: str) -> int:
    return len(text.split())


class ContextDetector:
    """Finds the context cues around a trigger inside its sentence.

    A cue before the trigger counts when it stands in the same clause (no terminator such
    as "but" or "however" between them) and within the cue's scope in words; likewise a
    cue after it. A terminator that is itself a cue ("although") still counts.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self._terminators = _compile(lexicon.terminators)
        self._cues = {
            name: _Cue(_compile(spec.before), _compile(spec.after), spec.scope) for name, spec in lexicon.cues.items()
        }

    def assess(self, text: str, sentence: Span, trigger: Span, wanted: frozenset[str] | None = None) -> Context:
        """The context of the trigger at `trigger`, which lies inside `sentence`.

        Args:
            text: the record's text.
            sentence: the span of the trigger's sentence.
            trigger: the trigger's span.
            wanted: the attributes to look for ("negation", "hypothetical", "sceptical",
                "source"); None for all. Rules ask only for what their policy uses.
        """
        before, after = self._clause(text, sentence, trigger)
        found = {
            name: self._cue_text(cue, before, after)
            for name, cue in self._cues.items()
            if wanted is None or name.split(":")[0] in wanted
        }
        source, source_cue = WORKER, ""
        for name, cue_text in found.items():
            if name.startswith("source:") and cue_text:
                source, source_cue = name.removeprefix("source:"), cue_text
                break
        return Context(
            negation=found.get("negation", ""),
            hypothetical=found.get("hypothetical", ""),
            sceptical=found.get("sceptical", ""),
            source=source,
            source_cue=source_cue,
        )

    def _clause(self, text: str, sentence: Span, trigger: Span) -> tuple[str, str]:
        """The text of the trigger's clause before and after it, terminators included."""
        start, end = sentence[0], sentence[1]
        head = text[start : trigger[0]]
        tail = text[trigger[1] : end]
        if self._terminators is not None:
            last = None
            for match in self._terminators.finditer(head):
                last = match
            if last is not None:
                head = head[last.start() :]
            first = self._terminators.search(tail)
            if first is not None:
                tail = tail[: first.end()]
        return head, tail

    @staticmethod
    def _cue_text(cue: _Cue, before: str, after: str) -> str:
        if cue.before is not None:
            nearest = None
            for match in cue.before.finditer(before):
                nearest = match
            if nearest is not None and _words(before[nearest.end() :]) <= cue.scope:
                return nearest.group(0)
        if cue.after is not None:
            match = cue.after.search(after)
            if match is not None and _words(after[: match.start()]) <= cue.scope:
                return match.group(0)
        return ""
