"""Stage the night's records in a side database, so any input order streams out case by case.

Memory stays flat however large the input: records go to disk as they are read, and cases
come back one at a time in (case, date, input order) order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from auditor.readers import InputProblem, read_records
from auditor.records import Case, Note, RecordType

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS incoming (
    note_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, date TEXT NOT NULL, type TEXT NOT NULL,
    author TEXT NOT NULL, text TEXT NOT NULL, ord INTEGER NOT NULL, digest BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS problems (path TEXT, line INTEGER, note_id TEXT, message TEXT, fatal INTEGER);
"""
BATCH_ROWS = 5000


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


class Staging:
    """The side database of one run's input (deleted when the run completes)."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        if path.exists() and not self._is_complete_for(key):
            path.unlink()
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)

    def _is_complete_for(self, key: str) -> bool:
        try:
            with sqlite3.connect(self.path) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
            return row is not None and row[0] == key
        except sqlite3.DatabaseError:
            return False

    @property
    def complete(self) -> bool:
        """True when every input has been read into the staging database."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        return row is not None and row[0] == self.key

    def ingest(
        self,
        sources: Iterable[str],
        input_format: str | None,
        mapping: dict[str, str],
        on_problem: Callable[[InputProblem], None],
    ) -> None:
        """Read every record into the staging table; report each problem as it is found."""
        today = dt.date.today()
        rows: list[tuple] = []
        self.db.execute("BEGIN")
        for item in read_records(sources, input_format, mapping, today, dedupe=False):
            if isinstance(item, InputProblem):
                self._problem(item, on_problem)
                continue
            rows.append(_row(item))
            if len(rows) >= BATCH_ROWS:
                self._insert(rows, on_problem)
                rows = []
        self._insert(rows, on_problem)
        self.db.execute("CREATE INDEX IF NOT EXISTS incoming_case ON incoming (case_id, date, ord)")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', ?)", (self.key,))
        self.db.execute("COMMIT")

    def _insert(self, rows: list[tuple], on_problem: Callable[[InputProblem], None]) -> None:
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO incoming VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if self.db.total_changes - before == len(rows):
            return
        for row in rows:  # some note ids were already staged: say which, and whether they differ
            stored = self.db.execute("SELECT ord, digest FROM incoming WHERE note_id = ?", (row[0],)).fetchone()
            if stored and stored[0] != row[6]:
                same = stored[1] == row[7]
                message = (
                    "duplicate of an earlier record with the same note_id and text; ignored"
                    if same
                    else "note_id already used by an earlier record with different text"
                )
                self._problem(InputProblem("<input>", None, message, note_id=row[0]), on_problem)

    def _problem(self, problem: InputProblem, on_problem: Callable[[InputProblem], None]) -> None:
        self.db.execute(
            "INSERT INTO problems VALUES (?, ?, ?, ?, ?)",
            (problem.path, problem.line, problem.note_id, problem.message, int(problem.fatal)),
        )
        on_problem(problem)

    def problems(self) -> list[InputProblem]:
        """Every problem found while staging (also after a resumed run)."""
        return [
            InputProblem(path, line, message, bool(fatal), note_id or "")
            for path, line, note_id, message, fatal in self.db.execute("SELECT * FROM problems ORDER BY rowid")
        ]

    def counts(self) -> tuple[int, int]:
        """Records and cases staged."""
        return self.db.execute("SELECT count(*), count(DISTINCT case_id) FROM incoming").fetchone()

    def cases(self) -> Iterator[Case]:
        """Every staged case, one at a time, in case id order."""
        cursor = self.db.execute(
            "SELECT case_id, note_id, date, type, text, author, ord FROM incoming ORDER BY case_id, date, ord"
        )
        current: list[Note] = []
        for case_id, note_id, date, kind, text, author, order in cursor:
            if current and current[0].case_id != case_id:
                yield Case(current[0].case_id, tuple(current))
                current = []
            current.append(Note(case_id, note_id, dt.date.fromisoformat(date), RecordType(kind), text, author, order))
        if current:
            yield Case(current[0].case_id, tuple(current))

    def close(self, delete: bool) -> None:
        """Close the staging database, deleting it once the run is complete."""
        self.db.close()
        if delete:
            self.path.unlink(missing_ok=True)


def _row(note: Note) -> tuple:
    return (
        note.note_id, note.case_id, note.date.isoformat(), note.type.value, note.author, note.text,
        note.order, _digest(note.text),
    )  # fmt: skip


def case_content_hash(case: Case) -> str:
    """A digest of everything about a case's records that an audit reads."""
    digest = hashlib.sha256()
    for note in case.notes:
        for part in (note.note_id, note.date.isoformat(), note.type.value, note.author, note.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x1f")
    return digest.hexdigest()
