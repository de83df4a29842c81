"""ReviewSession: the database, reviewer and clock a running app works with, injected into its screens."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from auditor.store.database import connect
from auditor.store.review import Clock, open_reader, utc_now


@dataclass
class ReviewSession:
    """What the screens share: one writing connection (UI thread only) and how to open readers."""

    db_path: Path
    db: sqlite3.Connection
    """The writer; decisions are single autocommitted inserts, written the moment a key is pressed."""
    reviewer: str
    clock: Clock = utc_now
    """The time source decisions are stamped with (tests freeze it)."""

    @classmethod
    def open(cls, db_path: Path, reviewer: str, clock: Clock = utc_now) -> ReviewSession:
        """Open the database for reviewing (it must exist)."""
        db = connect(db_path, create=False)
        # FULL: a decision survives a power cut as well as a crash; decisions are rare, so it costs nothing.
        db.execute("PRAGMA synchronous = FULL")
        return cls(Path(db_path), db, reviewer, clock)

    def reader(self) -> sqlite3.Connection:
        """A read-only connection for a worker thread; the worker closes it."""
        return open_reader(self.db_path)

    def close(self) -> None:
        """Close the writer."""
        self.db.close()
