"""Turn one record's raw fields (from any reader) into a validated `Note`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from auditor.readers.problems import RecordError
from auditor.records import Note, RecordType

REQUIRED_FIELDS = ("case_id", "note_id", "date", "type", "text")
OPTIONAL_FIELDS = ("author",)
KNOWN_FIELDS = frozenset((*REQUIRED_FIELDS, *OPTIONAL_FIELDS))
_TYPES = {t.value for t in RecordType}


def parse_date(value: object, today: dt.date) -> dt.date:
    """Read an ISO date or datetime; refuse impossible and future dates."""
    if not isinstance(value, str):
        raise RecordError(f"field 'date': expected a string YYYY-MM-DD, got {_kind(value)}")
    text = value.strip()
    try:
        date = dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
        if date is not None and len(text) > 10:
            dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        date = None
    if date is None:
        raise RecordError("field 'date': not a valid date (expected YYYY-MM-DD)")
    if date > today:
        raise RecordError(f"field 'date': {date.isoformat()} is in the future")
    return date


def _identifier(fields: Mapping[str, object], name: str) -> str:
    value = fields.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError(f"field '{name}': expected a string, got {_kind(value)}")
    text = str(value).strip()
    if not text:
        raise RecordError(f"field '{name}' is empty")
    if "\x00" in text:
        raise RecordError(f"field '{name}' contains NUL bytes")
    return text


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def build_note(fields: Mapping[str, object], order: int, today: dt.date) -> tuple[Note, list[str]]:
    """Validate one record's fields.

    Returns:
        The note and a list of warnings (for instance an unknown record type, read as
        `other`).

    Raises:
        RecordError: a required field is missing or unusable; the message names the
            field and never quotes the record's text.
    """
    missing = [name for name in REQUIRED_FIELDS if name not in fields or fields[name] is None]
    if missing:
        raise RecordError("missing field" + ("s " if len(missing) > 1 else " ") + ", ".join(missing))
    case_id = _identifier(fields, "case_id")
    note_id = _identifier(fields, "note_id")
    date = parse_date(fields["date"], today)
    text = fields["text"]
    if not isinstance(text, str):
        raise RecordError(f"field 'text': expected a string, got {_kind(text)}")
    if "\x00" in text:
        raise RecordError("field 'text' contains NUL bytes (binary data?)")
    if not text.strip():
        raise RecordError("field 'text' is empty")
    raw_type = fields["type"]
    if not isinstance(raw_type, str):
        raise RecordError(f"field 'type': expected a string, got {_kind(raw_type)}")
    warnings = []
    type_name = raw_type.strip().lower()
    if type_name not in _TYPES:
        warnings.append(f"field 'type': unknown record type {raw_type[:40]!r}, read as 'other'")
        type_name = RecordType.OTHER.value
    author = fields.get("author") or ""
    if not isinstance(author, str | int):
        raise RecordError(f"field 'author': expected a string, got {_kind(author)}")
    note = Note(case_id, note_id, date, RecordType(type_name), text, str(author), order)
    return note, warnings
