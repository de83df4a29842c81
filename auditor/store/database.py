"""Open the audit database safely: ours or refused, owner-only, WAL, migrated to the current schema."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from auditor.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another (the batch, the review app) before giving up."""

_SQLITE_MAGIC = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database file that cannot be used; the message says why and what to do."""


def _check_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a database file")
    with path.open("rb") as stream:
        header = stream.read(100)
    if not header.startswith(_SQLITE_MAGIC):
        raise DatabaseError(f"{path}: not a SQLite database (left untouched); give a new file name with --db")


def _create_private(path: Path) -> None:
    """Create an empty file readable and writable by its owner only."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)  # a new data folder: its owner's only
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def connect(path: Path, create: bool = True) -> sqlite3.Connection:
    """Open (or create) the audit database and bring its schema up to date.

    Raises:
        DatabaseError: the file is not ours, is corrupt, or is newer than this version.
    """
    path = Path(path)
    _check_file(path)
    if not path.exists():
        if not create:
            raise DatabaseError(f"{path}: no such database; run `auditor batch --db {path}` first")
        _create_private(path)
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_ours(connection, path)  # before anything writes to the file
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        _migrate(connection, path)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path}: the database cannot be read ({error}); it was left untouched") from None
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.chmod(sidecar, 0o600)
    return connection


def _check_ours(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's database, reading through SQLite (a crash may leave the header in the WAL)."""
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    has_tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if application_id != APPLICATION_ID and (application_id != 0 or has_tables):
        raise DatabaseError(
            f"{path}: a SQLite database from another program (left untouched); give a new file name with --db"
        )
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"{path}: written by a newer casenote-auditor (schema {version}); upgrade to read it")


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[target]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {target}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
