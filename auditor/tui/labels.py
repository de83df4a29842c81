"""Short labels and component-class names for categories, severities and verdicts, shared by the widgets."""

from __future__ import annotations

from auditor.findings import KNOWN_CATEGORIES
from auditor.store.review import SEVERITIES, Verdict

_CATEGORY_LABELS = {
    "missing_history": ("History", "HIS"),
    "unclear_rationale": ("Rationale", "RAT"),
    "optimism": ("Optimism", "OPT"),
    "identifier": ("Identifier", "IDN"),
}

CATEGORY_COMPONENTS = frozenset({f"category--{c.replace('_', '-')}" for c in KNOWN_CATEGORIES} | {"category--other"})
"""Component classes a widget declares to colour categories from auditor.tcss."""
SEVERITY_COMPONENTS = frozenset(f"severity--{s}" for s in SEVERITIES)

VERDICT_MARKS = {
    Verdict.CONFIRMED: "✔",
    Verdict.DISMISSED: "✘",
    Verdict.UNSURE: "?",
    None: "·",
}
"""One-cell marks for the finding list: decided findings stand out from undecided ones."""


def category_label(category: str) -> str:
    """A category as the auditor reads it: "History" for missing_history."""
    return _CATEGORY_LABELS.get(category, (category.replace("_", " ").capitalize(), ""))[0]


def category_abbrev(category: str) -> str:
    """A three-letter category for tight columns."""
    return _CATEGORY_LABELS.get(category, ("", category[:3].upper()))[1]


def category_component(category: str) -> str:
    """The component class that colours a category (pack categories share one colour)."""
    name = f"category--{category.replace('_', '-')}"
    return name if name in CATEGORY_COMPONENTS else "category--other"


def verdict_label(verdict: Verdict | None) -> str:
    """A verdict with its mark: "✔ confirmed", or "· undecided"."""
    return f"{VERDICT_MARKS[verdict]} {verdict.value if verdict else 'undecided'}"
