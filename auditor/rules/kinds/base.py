"""What every rule kind shares: its identity, the record it looks at, and its hits."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, NamedTuple, TypeVar

import re2

from auditor.findings import Severity
from auditor.history import prior_involvement
from auditor.records import Case, Note, RecordType
from auditor.rules.context import Context, ContextDetector
from auditor.rules.spec import SpecReader
from auditor.rules.yamlfile import Where
from auditor.text import Span, index_of_span, paragraph_spans, sentence_spans, window

T = TypeVar("T")

COMMON_KEYS = (
    "kind",
    "severity",
    "message",
    "guidance",
    "types",
    "examples",
    "description",
    "confidence",
    "enabled",
)


@dataclass(frozen=True)
class RuleInfo:
    """A rule's identity and the words an auditor sees."""

    id: str
    category: str
    kind: str
    severity: Severity
    message: str
    guidance: str
    types: frozenset[RecordType] | None
    confidence: float
    path: str
    description: str = ""

    def applies_to(self, note: Note) -> bool:
        """True when the rule looks at records of this note's type."""
        return self.types is None or note.type in self.types


class Hit(NamedTuple):
    """Evidence a rule found: a span of the record, how serious, and why."""

    start: int
    end: int
    severity: Severity
    explanation: str


@dataclass
class Target:
    """One record being audited, with what rules need to know about it, computed once."""

    note: Note
    case: Case
    context: ContextDetector
    _prior: dict[tuple[int, str], tuple[Note, ...]] = field(default_factory=dict)
    _memo: dict[object, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The record's text."""
        return self.note.text

    @cached_property
    def sentences(self) -> list[Span]:
        """The record's sentence spans."""
        return sentence_spans(self.note.text) or [(0, len(self.note.text))]

    @cached_property
    def paragraphs(self) -> list[Span]:
        """The record's paragraph spans."""
        return paragraph_spans(self.note.text) or [(0, len(self.note.text))]

    def prior(self, gap_days: int, scope: str) -> tuple[Note, ...]:
        """The case's earlier records that count as history for this one."""
        key = (gap_days, scope)
        if key not in self._prior:
            self._prior[key] = prior_involvement(self.case, self.note, gap_days, scope)
        return self._prior[key]

    def sentence_at(self, offset: int) -> tuple[int, Span]:
        """The index and span of the sentence holding `offset`."""
        index = index_of_span(self.sentences, offset)
        return index, self.sentences[index]

    def context_of(self, sentence: Span, trigger: Span, wanted: frozenset[str] | None = None) -> Context:
        """The ConText attributes of a trigger in its sentence (only the `wanted` ones)."""
        return self.context.assess(self.note.text, sentence, trigger, wanted)

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        """`compute()` once per record for `key`: rules sharing a check share its result."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


WINDOW_RECORD = "record"
WINDOW_PARAGRAPH = "paragraph"


@dataclass(frozen=True)
class WindowedPatterns:
    """Patterns searched in a window around a trigger: sentences either side, or more."""

    regex: re2._Regexp
    window: int | str | tuple[int, int] = 1
    """Sentences either side, `(before, after)` sentences, or "paragraph" / "record"."""

    @classmethod
    def read(
        cls,
        spec: SpecReader,
        where: Where,
        default_window: int | str = 1,
        extra_keys: tuple[str, ...] = (),
    ) -> WindowedPatterns | None:
        """Read `{patterns: [...], window: N|paragraph|record}` or a bare list of patterns."""
        value = spec.get(where)
        if value is None:
            return None
        if isinstance(value, list | str):
            regex = spec.regex(where, required=True)
            assert regex is not None
            return cls(regex, default_window)
        spec.check_keys(where, ("patterns", "window", *extra_keys), required=("patterns",))
        regex = spec.regex((*where, "patterns"), required=True)
        assert regex is not None
        raw = spec.get((*where, "window"), default_window)
        if isinstance(raw, dict):
            # {before: 0, after: 1}: evidence usually follows the claim it backs
            at = (*where, "window")
            spec.check_keys(at, ("before", "after"))
            raw = (spec.whole((*at, "before"), 1, 0, 50), spec.whole((*at, "after"), 1, 0, 50))
        elif raw not in (WINDOW_RECORD, WINDOW_PARAGRAPH):
            raw = spec.whole((*where, "window"), 1, 0, 50)
        return cls(regex, raw)

    def span(self, target: Target, sentence_index: int) -> Span:
        """The text span this clause searches, around sentence `sentence_index`."""
        if self.window == WINDOW_RECORD:
            return 0, len(target.text)
        if self.window == WINDOW_PARAGRAPH:
            offset = target.sentences[sentence_index][0]
            return target.paragraphs[index_of_span(target.paragraphs, offset)]
        if isinstance(self.window, tuple):
            return window(target.sentences, sentence_index, *self.window)
        return window(target.sentences, sentence_index, int(self.window))

    def find(self, target: Target, sentence_index: int, skip: Span | None = None) -> str:
        """The first match in the window that is not just the trigger (`skip`), or ''."""
        start, end = self.span(target, sentence_index)
        for match in self.regex.finditer(target.text, start, end):
            if skip is None or not (skip[0] <= match.start() and match.end() <= skip[1]):
                return match.group(0)
        return ""


class Rule(ABC):
    """A compiled rule of one kind. Subclasses read their own keys and find hits."""

    KIND: ClassVar[str]
    KEYS: ClassVar[tuple[str, ...]]

    def __init__(self, info: RuleInfo) -> None:
        self.info = info

    @property
    def prefilter(self) -> str | None:
        """The trigger pattern for the shared RE2 set, or None if the rule always runs."""
        return None

    @classmethod
    @abstractmethod
    def read(cls, info: RuleInfo, spec: SpecReader) -> Rule:
        """Validate and compile the kind's own keys."""

    @abstractmethod
    def hits(self, target: Target) -> list[Hit]:
        """The evidence this rule finds in one record."""


def quote(text: str, limit: int = 60) -> str:
    """A trigger or cue as quoted in an explanation, shortened and on one line."""
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'
