"""`auditor review [--db FILE]`: the Textual review app (imported only when this command runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor import resources
from auditor.commands.common import EXIT_OK, UsageError
from auditor.settings import Settings, SettingsError, load_settings
from auditor.store.database import DatabaseError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `review`."""
    parser = subparsers.add_parser("review", help="review findings in the terminal: confirm, dismiss, grade")
    parser.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="the audit database (default: the config's database, else the bundled sample audited on first use)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Open the app over the chosen database."""
    try:
        settings = load_settings()
    except SettingsError as error:
        raise UsageError(str(error)) from None
    db_path = args.db or settings.database
    if db_path is None:
        db_path = ensure_sample_database(settings)
    elif not Path(db_path).exists():
        raise UsageError(f"{db_path}: no such database; run `auditor batch --db {db_path}` first")
    from auditor.tui.app import build_app, settings_problems  # noqa: PLC0415 - `auditor batch` must not load Textual

    problems = settings_problems(settings)
    if problems:
        raise UsageError("; ".join(problems))
    try:
        app = build_app(Path(db_path), settings)
    except DatabaseError as error:
        raise UsageError(str(error)) from None
    app.run()
    return EXIT_OK


def ensure_sample_database(settings: Settings) -> Path:
    """The bundled sample audited into the data folder, on first use (the model too, when it loads)."""
    from auditor.batch.runner import BatchOptions, run_batch  # noqa: PLC0415 - only on first use
    from auditor.batch.worker import AuditConfig  # noqa: PLC0415
    from auditor.model.artefact import ModelError  # noqa: PLC0415

    path = settings.sample_database
    if path.exists():
        return path
    print(f"auditor: auditing the bundled sample records into {path} (first run only)", file=sys.stderr)
    inputs = (str(resources.sample_records()),)
    try:
        run_batch(path, BatchOptions(inputs=inputs, config=AuditConfig(engine="both"), jobs=1))
    except ModelError as error:
        print(f"auditor: the model is not available ({error}); auditing with the rules only", file=sys.stderr)
        run_batch(path, BatchOptions(inputs=inputs, config=AuditConfig(engine="rules"), jobs=1))
    return path
