"""Read case records from JSON Lines, CSV or a folder into validated `Note`s, streaming."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import BinaryIO

from auditor.readers.fields import KNOWN_FIELDS, build_note
from auditor.readers.folder import read_folder
from auditor.readers.jsonl import read_jsonl
from auditor.readers.problems import InputProblem, RecordError
from auditor.readers.raw import RawRecord
from auditor.readers.tabular import read_csv
from auditor.records import Note

__all__ = ["INPUT_FORMATS", "InputProblem", "read_records", "detect_format"]

INPUT_FORMATS = ("jsonl", "csv", "folder")
STDIN = "-"


def detect_format(source: str, chosen: str | None = None) -> str:
    """The input format: as chosen, else from the path (folder, `.csv`, else JSON Lines)."""
    if chosen:
        return chosen
    if source != STDIN and Path(source).is_dir():
        return "folder"
    return "csv" if source.lower().endswith(".csv") else "jsonl"


def _open(source: str) -> BinaryIO | nullcontext[BinaryIO]:
    if source == STDIN:
        return nullcontext(sys.stdin.buffer)
    return open(source, "rb")  # noqa: SIM115 - closed by the caller's `with`


def _raw_records(
    source: str, input_format: str | None, mapping: Mapping[str, str] | None
) -> Iterator[RawRecord | InputProblem]:
    fmt = detect_format(source, input_format)
    name = "<stdin>" if source == STDIN else source
    if source != STDIN and not Path(source).exists():
        yield InputProblem(name, None, "no such file or folder")
        return
    if fmt == "folder":
        yield from read_folder(Path(source))
        return
    if source != STDIN and Path(source).is_dir():
        yield InputProblem(name, None, f"is a folder, but --input-format is {fmt}")
        return
    with _open(source) as stream:
        if fmt == "csv":
            yield from read_csv(stream, name, mapping)
        else:
            yield from read_jsonl(stream, name)


class _Deduplicator:
    """Remembers each note id's text digest, to refuse a second, different record."""

    def __init__(self) -> None:
        self._seen: dict[str, bytes] = {}

    def check(self, note: Note) -> str | None:
        digest = hashlib.blake2b(note.text.encode("utf-8"), digest_size=8).digest()
        previous = self._seen.setdefault(note.note_id, digest)
        if previous is digest:
            return None
        if previous == digest:
            return "duplicate of an earlier record with the same note_id and text; ignored"
        return "note_id already used by an earlier record with different text"


def read_records(
    sources: Iterable[str],
    input_format: str | None = None,
    mapping: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    dedupe: bool = True,
) -> Iterator[Note | InputProblem]:
    """Read and validate records from every source, in input order.

    Every bad record becomes an `InputProblem` naming file, line and problem, and
    reading goes on, so every good record is still yielded. With `dedupe`, a repeated
    note id is caught here (in memory); the batch turns this off and lets its staging
    database catch repeats on disk instead.
    """
    today = today or dt.date.today()
    deduplicator = _Deduplicator() if dedupe else None
    order = 0
    for source in sources:
        unknown_reported = False
        for item in _raw_records(source, input_format, mapping):
            if isinstance(item, InputProblem):
                yield item
                continue
            extra = sorted(set(item.fields) - KNOWN_FIELDS)
            if extra and not unknown_reported:
                unknown_reported = True
                yield InputProblem(item.path, item.line, f"ignoring unknown fields: {', '.join(extra)}", fatal=False)
            try:
                note, warnings = build_note(item.fields, order, today)
            except RecordError as error:
                yield InputProblem(item.path, item.line, str(error), note_id=_id_of(item))
                continue
            duplicate = deduplicator.check(note) if deduplicator else None
            if duplicate:
                yield InputProblem(item.path, item.line, duplicate, note_id=note.note_id)
                continue
            for warning in warnings:
                yield InputProblem(item.path, item.line, warning, fatal=False, note_id=note.note_id)
            order += 1
            yield note


def _id_of(item: RawRecord) -> str:
    value = item.fields.get("note_id")
    return str(value)[:200] if isinstance(value, str | int) else ""
