"""A rule's own `examples`: records it must flag and records it must pass."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.records import Case, Note, RecordType
from auditor.rules.spec import SpecReader

EXAMPLE_DATE = dt.date(2024, 6, 3)
DEFAULT_DAYS_BEFORE = 400
"""Earlier example records default to a previous episode, over a year before."""

_RECORD_TYPES = [t.value for t in RecordType]


@dataclass(frozen=True)
class Example:
    """One example record (with its case's earlier records) and what the rule must do."""

    expect_flag: bool
    case: Case
    line: int | None

    @property
    def note(self) -> Note:
        """The record the example is about: the last of its case."""
        return self.case.notes[-1]


def read_examples(spec: SpecReader, default_type: RecordType) -> list[Example]:
    """Validate `examples: {flag: [...], pass: [...]}`; each item a text or a mapping."""
    if spec.get(("examples",)) is None:
        raise spec.error((), "missing required key 'examples' (records it must flag and pass)")
    spec.check_keys(("examples",), ("flag", "pass"), required=("flag", "pass"))
    examples = []
    for expectation in ("flag", "pass"):
        items = spec.get(("examples", expectation))
        if not isinstance(items, list) or not items:
            raise spec.error(("examples", expectation), f"'{expectation}' must be a non-empty list")
        for index in range(len(items)):
            where = ("examples", expectation, index)
            case = _example_case(spec, where, default_type, f"{expectation}-{index + 1}")
            examples.append(Example(expectation == "flag", case, spec.document.line_of(where)))
    return examples


def _example_case(spec: SpecReader, where: tuple[str | int, ...], default_type: RecordType, name: str) -> Case:
    item = spec.get(where)
    if isinstance(item, str):
        return Case.of(name, [_note(name, "note", EXAMPLE_DATE, default_type, item, 0)])
    if not isinstance(item, dict):
        raise spec.error(where, "an example is a text or a mapping with text, type, earlier")
    spec.check_keys(where, ("text", "type", "earlier"), required=("text",))
    text = spec.text((*where, "text"))
    note_type = RecordType(spec.choice((*where, "type"), _RECORD_TYPES, default_type.value))
    notes = []
    earlier = spec.get((*where, "earlier"), [])
    if not isinstance(earlier, list):
        raise spec.error((*where, "earlier"), "'earlier' must be a list of records")
    for index in range(len(earlier)):
        notes.append(_earlier_note(spec, (*where, "earlier", index), name, index))
    notes.append(_note(name, "note", EXAMPLE_DATE, note_type, text, len(notes)))
    return Case.of(name, notes)


def _earlier_note(spec: SpecReader, where: tuple[str | int, ...], name: str, index: int) -> Note:
    item = spec.get(where)
    if isinstance(item, str):
        days, note_type, text = DEFAULT_DAYS_BEFORE + index, RecordType.REFERRAL, item
    elif isinstance(item, dict):
        spec.check_keys(where, ("text", "type", "days_before"), required=("text",))
        text = spec.text((*where, "text"))
        note_type = RecordType(spec.choice((*where, "type"), _RECORD_TYPES, "referral"))
        days = spec.whole((*where, "days_before"), DEFAULT_DAYS_BEFORE + index, 0, 20000)
    else:
        raise spec.error(where, "an earlier record is a text or a mapping with text, type, days_before")
    return _note(name, f"earlier-{index + 1}", EXAMPLE_DATE - dt.timedelta(days=days), note_type, text, index)


def _note(case_id: str, note_id: str, date: dt.date, note_type: RecordType, text: str, order: int) -> Note:
    return Note(case_id, f"{case_id}/{note_id}", date, note_type, text, "example", order)
