"""Compile rule patterns on RE2, a linear-time engine, so no pattern can hang a run."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import re2

MAX_PATTERN_LENGTH = 4000
"""Longer patterns are refused: they are a mistake, and RE2 memory grows with size."""

_MACRO = re.compile(r"\{@([a-z_][a-z0-9_]*)\}")


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says why in a rule author's terms."""


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print to stderr, garbling a terminal screen
    options.case_sensitive = False
    options.max_mem = 32 << 20
    return options


OPTIONS = _options()

_UNSUPPORTED = (
    (re.compile(r"\(\?[=!]|\(\?<[=!]"), "lookaround is not supported (use an `unless` clause)"),
    (re.compile(r"\\[1-9]"), "back-references are not supported"),
    (re.compile(r"\(\?>"), "atomic groups are not supported"),
    (re.compile(r"[*+?}][+]"), "possessive quantifiers are not supported"),
)


def expand_macros(pattern: str, terms: Mapping[str, str]) -> str:
    """Replace each `{@name}` with the lexicon's alternation for `name`."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in terms:
            known = ", ".join(sorted(terms)) or "none"
            raise PatternError(f"unknown lexicon term {{@{name}}} (known: {known})")
        return terms[name]

    return _MACRO.sub(replace, pattern)


def with_word_edges(pattern: str) -> str:
    r"""Add word boundaries where each alternative starts or ends with a word character.

    Rule authors write `NFA`, not a word-bounded `NFA`; without this, `NFA` would match
    inside other words. Edges go on each top-level alternative, so in `attendance \d+%|centile`
    the `%` branch needs no word after it while `centile` cannot match inside "centiles".
    """
    return "|".join(_edged(branch) for branch in _top_level_branches(pattern.strip()))


def _edged(branch: str) -> str:
    start = r"\b" if branch[:1].isalnum() else ""
    # an escape such as `\w` or `\d` ends in a letter but is a class, not a literal word end
    end = r"\b" if branch[-1:].isalnum() and not _ends_in_escape(branch) else ""
    return f"{start}(?:{branch}){end}" if start or end else f"(?:{branch})"


def _top_level_branches(pattern: str) -> list[str]:
    """`pattern` split at the `|`s outside any group or character class."""
    branches, depth, escaped, start = [], 0, False, 0
    class_opened = -1  # index of the `[` of the class we are in, or -1
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif class_opened >= 0:
            # a `]` straight after `[` or `[^` is a literal member, not the end
            first = class_opened + (2 if pattern[class_opened + 1 : class_opened + 2] == "^" else 1)
            if char == "]" and index > first:
                class_opened = -1
        elif char == "[":
            class_opened = index
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:index])
            start = index + 1
    branches.append(pattern[start:])
    return branches


def _ends_in_escape(pattern: str) -> bool:
    backslashes = len(pattern[:-1]) - len(pattern[:-1].rstrip("\\"))
    return backslashes % 2 == 1


def alternation(patterns: Iterable[str]) -> str:
    """One pattern matching any of `patterns`, each with its word edges."""
    return "|".join(f"(?:{with_word_edges(p)})" for p in patterns)


def compile_patterns(patterns: Sequence[str], terms: Mapping[str, str]) -> re2._Regexp:
    """Check and compile a list of patterns into one case-insensitive RE2 regex.

    Raises:
        PatternError: naming the first bad pattern and what is wrong with it.
    """
    return compile_checked([check_pattern(p, terms, i) for i, p in enumerate(patterns)])


def compile_checked(expanded: Sequence[str]) -> re2._Regexp:
    """Compile patterns already checked and expanded by `check_pattern` into one regex."""
    return _compile(alternation(expanded))


def check_pattern(pattern: object, terms: Mapping[str, str], index: int = 0) -> str:
    """Validate one pattern and expand its macros; raise `PatternError` if it is bad."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError(f"pattern {index + 1} is not a non-empty string")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"pattern {index + 1} is longer than {MAX_PATTERN_LENGTH} characters")
    for detector, reason in _UNSUPPORTED:
        if detector.search(pattern):
            raise PatternError(f"pattern {index + 1}: {reason}")
    expanded = expand_macros(pattern, terms)
    try:
        _compile(expanded)
    except PatternError as error:
        raise PatternError(f"pattern {index + 1}: {error}") from None
    return expanded


def _compile(pattern: str) -> re2._Regexp:
    try:
        return re2.compile(pattern, OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid pattern"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None


class Prefilter:
    """One RE2 set over every rule's triggers: which rules can match a text, in one pass."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._set = re2.Set.SearchSet(OPTIONS)
        for pattern in patterns:
            self._set.Add(pattern)
        self._set.Compile()
        self._count = len(patterns)

    def matching(self, text: str) -> list[int]:
        """Indexes of the patterns that match somewhere in `text`.

        When the set's DFA runs out of memory on a pathological text, RE2 gives up rather
        than slow down; then every pattern is a candidate and each runs on its own.
        """
        if not self._count:
            return []
        matched = self._set.Match(text)
        return list(range(self._count)) if matched is None else matched
