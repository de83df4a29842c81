"""Read JSON Lines records, one object per line, from a file or standard input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from auditor.readers.problems import InputProblem
from auditor.readers.raw import BINARY_SNIFF_BYTES, RawRecord, looks_binary


def read_jsonl(stream: BinaryIO, path: str) -> Iterator[RawRecord | InputProblem]:
    """Yield each line's object, or a problem naming the line; never stop at a bad line."""
    peek = getattr(stream, "peek", None)
    if peek is not None and looks_binary(peek(BINARY_SNIFF_BYTES)):
        yield InputProblem(path, None, "looks like a binary file, not JSON Lines")
        return
    saw_any = False
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark from Windows tools
        if not raw.strip():
            continue
        saw_any = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield InputProblem(path, number, f"not valid UTF-8 (byte {error.start + 1} of the line)")
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputProblem(path, number, f"invalid JSON: {error.msg} at column {error.colno}")
            continue
        if not isinstance(value, dict):
            yield InputProblem(path, number, f"expected a JSON object, got {type(value).__name__}")
            continue
        yield RawRecord(path, number, value)
    if not saw_any:
        yield InputProblem(path, None, "no records in file", fatal=False)
