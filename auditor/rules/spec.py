"""Strict reading of one rule file's keys: types, choices, patterns, with file lines."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

import re2

from auditor.rules.lexicon import Lexicon
from auditor.rules.patterns import PatternError, check_pattern, compile_checked
from auditor.rules.yamlfile import Where, YamlDocument


class RuleError(ValueError):
    """One problem in a rule file, located by line."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a close match exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class SpecReader:
    """Reads typed values out of a rule's YAML mapping, raising `RuleError` with lines."""

    def __init__(self, document: YamlDocument, lexicon: Lexicon) -> None:
        self.document = document
        self.lexicon = lexicon

    def error(self, where: Where, message: str) -> RuleError:
        """A `RuleError` at the line of `where`."""
        return RuleError(self.document.line_of(where), message)

    def get(self, where: Where, default: Any = None) -> Any:
        """The value at `where` (a path of keys and indexes), or `default`."""
        value: Any = self.document.data
        for step in where:
            if (
                isinstance(value, dict)
                and isinstance(step, str)
                and step in value
                or isinstance(value, list)
                and isinstance(step, int)
                and step < len(value)
            ):
                value = value[step]
            else:
                return default
        return value

    def check_keys(self, where: Where, allowed: Iterable[str], required: Iterable[str] = ()) -> None:
        """Refuse unknown keys (with a suggestion) and report missing required ones."""
        value = self.get(where)
        if not isinstance(value, dict):
            raise self.error(where, f"'{_name(where)}' must be a mapping")
        allowed = list(allowed)
        for key in value:
            if key not in allowed:
                raise self.error((*where, key), f"unknown key '{key}'{did_you_mean(key, allowed)}")
        for key in required:
            if key not in value:
                raise self.error(where, f"missing required key '{key}'")

    def text(self, where: Where, default: str | None = None) -> str:
        """A non-empty string."""
        value = self.get(where, default)
        if value is None:
            raise self.error(where[:-1], f"missing required key '{_name(where)}'")
        if not isinstance(value, str) or not value.strip():
            raise self.error(where, f"'{_name(where)}' must be a non-empty string")
        return value.strip()

    def choice(self, where: Where, choices: Iterable[str], default: str | None = None) -> str:
        """One of `choices`."""
        choices = list(choices)
        value = self.get(where, default)
        if value is None:
            raise self.error(where[:-1], f"missing required key '{_name(where)}'")
        if value not in choices:
            hint = did_you_mean(str(value), choices)
            raise self.error(where, f"'{_name(where)}' must be one of {', '.join(choices)}{hint}")
        return str(value)

    def number(self, where: Where, default: float, low: float, high: float) -> float:
        """A number in [low, high]."""
        value = self.get(where, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise self.error(where, f"'{_name(where)}' must be a number from {low} to {high}")
        return float(value)

    def whole(self, where: Where, default: int, low: int, high: int) -> int:
        """A whole number in [low, high]."""
        value = self.get(where, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(where, f"'{_name(where)}' must be a whole number from {low} to {high}")
        return value

    def flag(self, where: Where, default: bool) -> bool:
        """A boolean."""
        value = self.get(where, default)
        if not isinstance(value, bool):
            raise self.error(where, f"'{_name(where)}' must be true or false")
        return value

    def pattern_list(self, where: Where, required: bool = False) -> list[str]:
        """A list of patterns, each checked and macro-expanded."""
        value = self.get(where)
        if value is None:
            if required:
                raise self.error(where[:-1], f"missing required key '{_name(where)}'")
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise self.error(where, f"'{_name(where)}' must be a list of patterns")
        expanded = []
        for index, item in enumerate(value):
            try:
                expanded.append(check_pattern(item, self.lexicon.terms, index))
            except PatternError as error:
                raise self.error((*where, index), f"bad pattern in '{_name(where)}': {error}") from None
        return expanded

    def regex(self, where: Where, required: bool = False) -> re2._Regexp | None:
        """A compiled alternation of the pattern list at `where`, or None when absent."""
        patterns = self.pattern_list(where, required)
        if not patterns:
            return None
        try:
            return compile_checked(patterns)
        except PatternError as error:
            raise self.error(where, f"'{_name(where)}' does not compile: {error}") from None


def _name(where: Where) -> str:
    return str(where[-1]) if where else "rule"


def as_mapping(value: Any) -> Mapping[str, Any]:
    """`value` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}
