"""Shared by the review store: errors, verdicts and grades, the clock, and cancellable reads."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from auditor.store.database import BUSY_TIMEOUT_MS

SEVERITIES = ("low", "medium", "high")
"""Severity names by rank (the findings table stores both)."""


class ReviewError(Exception):
    """A decision or grade that cannot be recorded (unknown finding or case, bad value)."""


class QueryCancelled(Exception):
    """A query stopped because its `cancelled` event was set."""


class Verdict(StrEnum):
    """What a reviewer can decide about one finding."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    UNSURE = "unsure"


class Grade(StrEnum):
    """The four-point scale a case is graded on."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def label(self) -> str:
        """The grade as an auditor writes it."""
        return self.value.replace("_", " ").capitalize()


def utc_now() -> str:
    """The current time as the decisions table stores it (UTC, ISO 8601, seconds)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Clock = Callable[[], str]


# --- connections and cancellation ---------------------------------------------------------------


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection for a background thread (the writer keeps its own)."""
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    db.row_factory = sqlite3.Row
    return db


@contextmanager
def _interruptible(db: sqlite3.Connection, cancelled: threading.Event | None) -> Iterator[None]:
    """Abort the statements run inside as soon as `cancelled` is set."""
    if cancelled is None:
        yield
        return
    if cancelled.is_set():
        raise QueryCancelled
    # Checked every thousand virtual-machine steps: a cancelled search stops within a millisecond.
    db.set_progress_handler(lambda: 1 if cancelled.is_set() else 0, 1_000)
    try:
        yield
    except sqlite3.OperationalError as error:
        if cancelled.is_set():
            raise QueryCancelled from error
        raise
    finally:
        db.set_progress_handler(None, 0)


# --- the queue ----------------------------------------------------------------------------------
