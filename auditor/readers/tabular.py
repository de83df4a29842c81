"""Read CSV exports: header row, any common delimiter, columns mapped to record fields."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from auditor.readers.fields import KNOWN_FIELDS, REQUIRED_FIELDS
from auditor.readers.problems import InputProblem
from auditor.readers.raw import BINARY_SNIFF_BYTES, RawRecord, looks_binary

_DELIMITERS = ",;\t|"


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(
    stream: BinaryIO, path: str, mapping: Mapping[str, str] | None = None
) -> Iterator[RawRecord | InputProblem]:
    """Yield each row's fields (renamed by `mapping`: field -> column), or a problem.

    Quoted newlines are allowed; the line reported is the line the row starts on.
    """
    head = stream.read(BINARY_SNIFF_BYTES)
    if looks_binary(head):
        yield InputProblem(path, None, "looks like a binary file, not CSV")
        return
    data = head + stream.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        yield InputProblem(path, line, "not valid UTF-8; the file was not read")
        return
    if not text.strip():
        yield InputProblem(path, None, "no records in file", fatal=False)
        return
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(header_line))
    header = [name.strip() for name in next(reader)]
    columns = {field: (mapping or {}).get(field, field) for field in KNOWN_FIELDS}
    absent = [f"'{columns[f]}'" for f in REQUIRED_FIELDS if columns[f] not in header]
    if absent:
        yield InputProblem(path, 1, f"missing column {', '.join(absent)} in the header row")
        return
    index = {field: header.index(col) for field, col in columns.items() if col in header}
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield InputProblem(path, line, f"expected {len(header)} columns, got {len(row)}")
            continue
        yield RawRecord(path, line, {field: row[i] for field, i in index.items()})
