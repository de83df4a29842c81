"""Split record text into sentences and paragraphs, as character spans."""

from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int]

# A sentence ends at . ! ? (with closing quotes or brackets) before white space, or at a
# line break. Abbreviations common in case notes do not end a sentence.
_BOUNDARY = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s)|\n")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "e.g",
        "eg",
        "i.e",
        "ie",
        "etc",
        "approx",
        "cf",
        "vs",
        "prof",
        "sgt",
        "pc",
        "dc",
        "insp",
        "ref",
        "tel",
    ]
)
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")
# A list item's number or letter ("3.", "2.1.", "b)", "(iv)") belongs to the item it opens.
_LIST_MARKER = re.compile(r"\s*\(?(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[ivxIVX]{1,4})[.)]\s*")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
# A line that opens a list item: a number or a bullet at the start of a line (not a letter, so
# prose starting "A. said" is not taken for a list).
_ITEM_LINE = re.compile(r"(?m)^\s*(?:\(?\d{1,2}[.)]|[-•*–])\s")


def sentence_spans(text: str) -> list[Span]:
    """Character spans of the sentences in `text`, trimmed of surrounding space."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group() != "\n" and (
            _ends_with_abbreviation(text, start, end) or _LIST_MARKER.fullmatch(text, start, end)
        ):
            continue
        _append_trimmed(text, start, end, spans)
        start = end
    _append_trimmed(text, start, len(text), spans)
    return spans


def _ends_with_abbreviation(text: str, start: int, end: int) -> bool:
    tail = text[max(start, end - 12) : end].rstrip("\"'’”)]!?")
    match = _LAST_WORD.search(tail)
    return bool(match) and match.group(1).lower().rstrip(".") in _ABBREVIATIONS


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def is_itemised(text: str) -> bool:
    """Whether the text is laid out as a list: two or more lines opening with a number or bullet."""
    return len(_ITEM_LINE.findall(text)) >= 2


def paragraph_spans(text: str) -> list[Span]:
    """Character spans of the paragraphs (blocks separated by a blank line)."""
    spans: list[Span] = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        _append_trimmed(text, start, match.start(), spans)
        start = match.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def index_of_span(spans: Sequence[Span], offset: int) -> int:
    """The index of the span holding `offset` (or the last span starting before it)."""
    low, high = 0, len(spans) - 1
    found = 0
    while low <= high:
        middle = (low + high) // 2
        if spans[middle][0] <= offset:
            found, low = middle, middle + 1
        else:
            high = middle - 1
    return found


def window(spans: Sequence[Span], index: int, size: int, after: int | None = None) -> Span:
    """The span from `size` sentences before sentence `index` to `after` (default `size`) after it."""
    first = spans[max(0, index - size)]
    last = spans[min(len(spans) - 1, index + (size if after is None else after))]
    return first[0], last[1]
