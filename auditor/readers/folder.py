"""Read a folder of text files laid out as CASE_ID/YYYY-MM-DD_type[_N].txt."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from auditor.readers.problems import InputProblem
from auditor.readers.raw import RawRecord, looks_binary

_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})_(?P<type>[A-Za-z]+)(?:_(?P<n>\d+))?\.txt$")


def read_folder(root: Path) -> Iterator[RawRecord | InputProblem]:
    """Yield a record per well-named file; report stray files and folders by path."""
    for case_dir in sorted(root.iterdir()):
        if case_dir.name.startswith("."):
            continue
        if not case_dir.is_dir():
            yield InputProblem(str(case_dir), None, "stray file: expected CASE_ID folders only")
            continue
        for item in sorted(case_dir.iterdir()):
            yield from _read_note_file(root, case_dir.name, item)


def _read_note_file(root: Path, case_id: str, item: Path) -> Iterator[RawRecord | InputProblem]:
    if item.name.startswith("."):
        return
    match = _NAME.match(item.name)
    if not item.is_file() or match is None:
        yield InputProblem(str(item), None, "stray file: expected YYYY-MM-DD_type.txt")
        return
    data = item.read_bytes()
    if looks_binary(data):
        yield InputProblem(str(item), None, "looks like a binary file, not text")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        yield InputProblem(str(item), line, "not valid UTF-8")
        return
    note_id = item.relative_to(root).as_posix()
    fields: dict[str, object] = {
        "case_id": case_id,
        "note_id": note_id,
        "date": match["date"],
        "type": match["type"],
        "text": text,
    }
    yield RawRecord(str(item), None, fields)
