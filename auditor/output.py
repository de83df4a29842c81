"""Write findings as JSON Lines, CSV, or a table a person can read in a terminal."""

from __future__ import annotations

import csv
import json
import os
import shutil
import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from auditor.findings import Finding

FORMATS = ("table", "jsonl", "csv")
FIELDS = (
    "case_id", "note_id", "category", "score", "severity", "sources", "start", "end",
    "excerpt", "message", "explanation", "fingerprint",
)  # fmt: skip


@contextmanager
def private_file(path: Path) -> Iterator[IO[str]]:
    """Open `path` for writing, created readable and writable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its mode otherwise
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
        yield stream


def default_format(output: Path | None, is_terminal: bool) -> str:
    """Table on a terminal; otherwise from the output file's ending, else JSON Lines."""
    if output is not None:
        return "csv" if output.suffix.lower() == ".csv" else "jsonl"
    return "table" if is_terminal else "jsonl"


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, stream: IO[str], fields: tuple[str, ...]) -> int:
    """Write dictionaries as JSON Lines or CSV; return how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=list(fields), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (";".join(v) if isinstance(v, list) else v) for k, v in row.items()})
            count += 1
        return count
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_findings(findings: Iterable[Finding], fmt: str, stream: IO[str]) -> int:
    """Write findings in SPEC.md's schema (`jsonl`, `csv`) or as a `table`."""
    if fmt == "table":
        return write_table(findings, stream)
    return write_rows((f.to_dict() for f in findings), fmt, stream, FIELDS)


def write_table(findings: Iterable[Finding], stream: IO[str]) -> int:
    """A readable listing grouped by record: category, severity, evidence and why."""
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    count = 0
    current = None
    for finding in findings:
        if (finding.case_id, finding.note_id) != current:
            current = (finding.case_id, finding.note_id)
            stream.write(f"\n{finding.case_id} / {finding.note_id}\n")
        count += 1
        sources = ", ".join(finding.sources)
        stream.write(f"  {finding.category:<18} {finding.severity.value:<6} {finding.score:.2f}  [{sources}]\n")
        for label, body in (
            ("evidence", f"“{' '.join(finding.excerpt.split())}”"),
            ("prompt", finding.message),
            ("why", finding.explanation),
        ):
            wrapped = textwrap.wrap(body, width - 14) or [""]
            stream.write(f"    {label:<9} {wrapped[0]}\n")
            for line in wrapped[1:]:
                stream.write(f"              {line}\n")
    return count
