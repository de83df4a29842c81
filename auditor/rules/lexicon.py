"""The rule pack's shared vocabulary: named term lists for `{@name}` and ConText cues."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.rules.patterns import PatternError, alternation, check_pattern

LEXICON_FILE = "_lexicon.yaml"
CONTEXT_ATTRIBUTES = ("negation", "hypothetical", "sceptical")
SOURCES = ("parent", "child", "agency")
"""Whose words a statement is; a statement with no such cue is the worker's own."""


@dataclass(frozen=True)
class CueSpec:
    """Patterns that set one context attribute, before or after a trigger."""

    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    scope: int = 6
    """How many words may stand between the cue and the trigger."""


@dataclass(frozen=True)
class Lexicon:
    """Expanded term alternations and the ConText cue lists, all macro-expanded."""

    terms: dict[str, str] = field(default_factory=dict)
    terminators: tuple[str, ...] = ()
    cues: dict[str, CueSpec] = field(default_factory=dict)


class LexiconError(ValueError):
    """A problem in the lexicon file, with the path of the key inside it."""

    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def _patterns(value: Any, where: tuple[str | int, ...], terms: Mapping[str, str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise LexiconError(where, "expected a list of patterns")
    out = []
    for index, item in enumerate(value):
        try:
            out.append(check_pattern(item, terms, index))
        except PatternError as error:
            raise LexiconError((*where, index), str(error)) from None
    return tuple(out)


def _cue_spec(value: Any, where: tuple[str | int, ...], terms: Mapping[str, str]) -> CueSpec:
    if not isinstance(value, dict):
        raise LexiconError(where, "expected a mapping with before, after and scope")
    unknown = set(value) - {"before", "after", "scope"}
    if unknown:
        raise LexiconError(where, f"unknown key '{sorted(unknown)[0]}' (expected before, after, scope)")
    scope = value.get("scope", 6)
    if not isinstance(scope, int) or scope < 0:
        raise LexiconError((*where, "scope"), "scope must be a whole number of words")
    return CueSpec(
        before=_patterns(value.get("before", []), (*where, "before"), terms),
        after=_patterns(value.get("after", []), (*where, "after"), terms),
        scope=scope,
    )


def build_lexicon(data: Any, base: Lexicon | None = None) -> Lexicon:
    """Build a lexicon from a `_lexicon.yaml` document, on top of `base` (earlier packs)."""
    if data is None:
        return base or Lexicon()
    if not isinstance(data, dict):
        raise LexiconError((), "expected a mapping with 'terms' and 'context'")
    unknown = set(data) - {"terms", "context", "description"}
    if unknown:
        raise LexiconError((), f"unknown key '{sorted(unknown)[0]}' (expected terms, context)")
    terms = dict(base.terms) if base else {}
    raw_terms = data.get("terms", {}) or {}
    if not isinstance(raw_terms, dict):
        raise LexiconError(("terms",), "expected a mapping of name: [patterns]")
    for name, patterns in raw_terms.items():
        expanded = _patterns(patterns, ("terms", name), terms)
        terms[name] = f"(?:{alternation(expanded)})"
    cues = dict(base.cues) if base else {}
    terminators = base.terminators if base else ()
    context = data.get("context", {}) or {}
    if not isinstance(context, dict):
        raise LexiconError(("context",), "expected a mapping")
    known = {"terminators", *CONTEXT_ATTRIBUTES, "sources"}
    for key, value in context.items():
        where: tuple[str | int, ...] = ("context", key)
        if key not in known:
            raise LexiconError(where, f"unknown context key '{key}' (expected {', '.join(sorted(known))})")
        if key == "terminators":
            terminators = _patterns(value, where, terms)
        elif key == "sources":
            if not isinstance(value, dict) or set(value) - set(SOURCES):
                raise LexiconError(where, f"expected a mapping with keys {', '.join(SOURCES)}")
            for source, spec in value.items():
                cues[f"source:{source}"] = _cue_spec(spec, (*where, source), terms)
        else:
            cues[key] = _cue_spec(value, where, terms)
    return Lexicon(terms, terminators, cues)
