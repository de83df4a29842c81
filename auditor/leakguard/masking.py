"""Mask identifiers in a text for reports and exports: "NHS 943 476 5919" becomes "NHS [NHS NUMBER]"."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.findings import LEAK_CATEGORY, Finding
from auditor.leakguard.match import DATE_OF_BIRTH, EMAIL, NAME, NHS_NUMBER, NI_NUMBER, PHONE, POSTCODE, Match
from auditor.leakguard.scan import find_identifiers

PLACEHOLDERS = {
    NHS_NUMBER: "[NHS NUMBER]",
    NI_NUMBER: "[NI NUMBER]",
    POSTCODE: "[POSTCODE]",
    PHONE: "[PHONE]",
    EMAIL: "[EMAIL]",
    DATE_OF_BIRTH: "[DATE OF BIRTH]",
    NAME: "[NAME]",
}
"""What each kind of identifier is replaced with."""

SOURCE_PREFIX = "leakguard:"
"""A leak-guard finding's source is `leakguard:<kind>`."""

_UNKNOWN = "[IDENTIFIER]"


def mask(text: str, spans: Iterable[Match | Finding] | None = None) -> str:
    """Replace each identifier span in `text` with a placeholder naming its kind.

    Args:
        text: the text the spans index into, normally a record's text.
        spans: leak-guard matches, or findings (only `identifier` findings are masked, so a
            report can pass all of a record's findings); None finds the identifiers in `text`
            itself, which also masks an excerpt of any other finding.

    Returns:
        The text with every span replaced, e.g. "DOB [DATE OF BIRTH]"; overlapping spans are
        masked once, with the kind of the first.
    """
    found = find_identifiers(text) if spans is None else spans
    pieces: list[tuple[int, int, str]] = []
    for span in found:
        kind = _kind_of(span)
        if kind is not None:
            pieces.append((max(0, span.start), min(len(text), span.end), PLACEHOLDERS.get(kind, _UNKNOWN)))
    out: list[str] = []
    position = 0
    for start, end, placeholder in sorted(pieces):
        if start < position:  # overlaps a span already masked: widen that one, under its placeholder
            position = max(position, end)
            continue
        out += [text[position:start], placeholder]
        position = end
    out.append(text[position:])
    return "".join(out)


def _kind_of(span: Match | Finding) -> str | None:
    """The identifier kind of a match or a leak-guard finding; None for any other finding."""
    if isinstance(span, Match):
        return span.kind
    if span.category != LEAK_CATEGORY:
        return None
    sources = [s.removeprefix(SOURCE_PREFIX) for s in span.sources if s.startswith(SOURCE_PREFIX)]
    return sources[0] if sources else ""
