"""Rule patterns: word edges where authors expect them, nowhere else."""

from __future__ import annotations

import pytest

from auditor.rules.patterns import compile_patterns


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("NFA", "NFA.", True),
        ("NFA", "UNFAIR", False),
        # each alternative gets its own edges: the % branch may be followed by punctuation
        (r"attendance \d+ ?%|centile", "Child A attendance 91%, Child B 96%", True),
        (r"attendance \d+ ?%|centile", "several centiles", False),
        # a class escape at the end is not a literal word end
        (r"outcome:\s*\w", "Outcome: EH", True),
        # a | inside a group or a class does not split the pattern
        (r"no (?:new|further) concerns", "no further concerns", True),
        (r"no (?:new|further) concerns", "no further concernsx", False),
        (r"a[|]b", "a|b", True),
    ],
)
def test_word_edges(pattern, text, matches):
    assert bool(compile_patterns([pattern], {}).search(text)) is matches
