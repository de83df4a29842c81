"""Passages: the sentence-sized pieces of a record that the passage model reads and points to.

A passage is one sentence read together with the sentence after it, because the evidence that
turns a claim from optimism into an observation, or a decision into a reasoned one, usually
follows it ("Mother says she has stopped drinking. Her tests since May are clear."). The first
sentence is the passage's evidence: what a finding quotes and what training labels it by.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from auditor.text import Span, sentence_spans

PRECEDING_SENTENCES = 0
FOLLOWING_SENTENCES = 1

OFFSETS = (0, *range(1, FOLLOWING_SENTENCES + 1), *range(-1, -PRECEDING_SENTENCES - 1, -1))
"""Where a passage's sentences sit relative to its evidence sentence: itself, then those after,
then those before. The passage model gives each position its own block of features."""

UNKNOWN = -1
"""Passage target for a sentence of a labelled record that is not its evidence: it may or may
not show the failure, so the passage model neither learns it as a positive nor as a negative."""


@dataclass(frozen=True)
class Passage:
    """One sentence (`evidence`) and what the model reads of it (`reading`: it and the next)."""

    evidence: Span
    reading: Span
    sentences: range
    """The indices of the record's sentences that `reading` covers."""


def passages(text: str) -> list[Passage]:
    """The record's passages, one per sentence (the whole text if it has no sentences)."""
    spans = sentence_spans(text) or [(0, len(text))]
    result = []
    for i, span in enumerate(spans):
        first, last = max(0, i - PRECEDING_SENTENCES), min(len(spans) - 1, i + FOLLOWING_SENTENCES)
        result.append(Passage(span, (spans[first][0], spans[last][1]), range(first, last + 1)))
    return result


def passage_targets(
    text: str, record_labels: Sequence[int], evidence: Sequence[tuple[str, str]], categories: Sequence[str]
) -> np.ndarray:
    """What the passage model learns from one record: a passages x categories target matrix.

    1 where the passage's sentence holds labelled evidence of the category, 0 where the record
    has no such label, `UNKNOWN` for a labelled record's other sentences.

    Args:
        text: the record's text.
        record_labels: 1 or 0 per category, the record-level labels.
        evidence: (category, excerpt) pairs; an excerpt not found in the text is ignored.
        categories: the order of `record_labels` and of the result's columns.
    """
    pieces = passages(text)
    targets = np.zeros((len(pieces), len(categories)), dtype=int)
    for j, category in enumerate(categories):
        if not record_labels[j]:
            continue
        targets[:, j] = UNKNOWN
        for kind, excerpt in evidence:
            start = text.find(excerpt) if kind == category and excerpt else -1
            if start < 0:
                continue
            end = start + len(excerpt)
            for i, piece in enumerate(pieces):
                if piece.evidence[0] < end and start < piece.evidence[1]:
                    targets[i, j] = 1
    return targets
