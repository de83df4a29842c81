"""`auditor batch INPUT... --db FILE`: the overnight run, with a morning report."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from auditor import resources
from auditor.batch.progress import ProgressReporter
from auditor.batch.runner import BatchOptions, run_batch
from auditor.batch.worker import AuditConfig
from auditor.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_detector_options,
    column_mapping,
    input_paths,
)
from auditor.model.artefact import ModelError
from auditor.readers import INPUT_FORMATS, InputProblem
from auditor.rules.loader import RuleSetError
from auditor.store.database import DatabaseError

log = logging.getLogger("auditor.batch")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `batch`."""
    parser = subparsers.add_parser("batch", help="overnight audit into a database, with a morning report")
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="records (default: the bundled sample)")
    parser.add_argument("--db", type=Path, required=True, metavar="FILE", help="the audit database")
    parser.add_argument("--input-format", choices=INPUT_FORMATS)
    parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    parser.add_argument("--mapping", type=Path, metavar="FILE")
    add_detector_options(parser)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: all cores)")
    parser.add_argument("--backend", choices=("loky", "dask"), default="loky")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (with --backend dask)")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="where the morning report goes (default: beside the database)",
    )
    parser.add_argument("--no-report", action="store_true", help="skip the morning report")
    parser.add_argument("--strict", action="store_true", help="any bad record is fatal (exit 2)")
    parser.add_argument(
        "--refuse-identifiable",
        action="store_true",
        help="stop with exit 2, before any report is written, if records carry identifiers",
    )
    parser.add_argument("--fail-on-findings", action="store_true", help="exit 1 when open findings exist")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the batch, show progress, write the report."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.scheduler and args.backend != "dask":
        raise UsageError("--scheduler needs --backend dask")
    config = AuditConfig(
        engine=args.engine,
        rules_dirs=tuple(str(d) for d in args.rules or ()),
        model_path=str(args.model) if args.model else None,
    )
    inputs = input_paths(args) if args.inputs else [str(resources.sample_records())]
    options = BatchOptions(
        inputs=tuple(inputs), config=config, input_format=args.input_format, mapping=column_mapping(args),
        jobs=args.jobs, backend=args.backend, scheduler=args.scheduler,
    )  # fmt: skip
    cancelled = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: cancelled.set())

    def on_problem(problem: InputProblem) -> None:
        print(f"auditor: {problem}", file=sys.stderr)
        if args.strict and problem.fatal:
            cancelled.set()

    reporter = ProgressReporter()
    try:
        result = run_batch(args.db, options, progress=reporter, cancelled=cancelled, on_problem=on_problem)
    except (RuleSetError, ModelError, DatabaseError) as error:
        raise UsageError(str(error)) from None
    finally:
        reporter.finish()
    if args.strict and result.skipped:
        raise UsageError(f"{result.skipped} bad record(s) and --strict: the run stopped before finishing")
    log.info(
        "run %d %s: %d records in %d cases, %d cases audited, %d new findings, %d resolved, %d skipped",
        result.run_id, "finished" if result.completed else "stopped (resumable)", result.records, result.cases,
        result.cases_audited, result.findings_new, result.findings_resolved, result.skipped,
    )  # fmt: skip
    if result.completed and args.refuse_identifiable:
        identifiable = _open_findings(args.db, "identifier")
        if identifiable:
            raise UsageError(
                f"{identifiable} residual identifier(s) found in records that should be anonymised; "
                f"no report was written (see `auditor export --db {args.db}`)"
            )
    if result.completed and not args.no_report:
        from auditor.report.writer import write_report  # noqa: PLC0415

        folder = args.report or args.db.resolve().parent / f"{args.db.stem}-report"
        paths = write_report(args.db, folder, result.problems)
        log.info("morning report: %s", paths[0])
    if not result.completed:
        return 130
    return EXIT_FINDINGS if args.fail_on_findings and _open_findings(args.db) else EXIT_OK


def _open_findings(db_path: Path, category: str | None = None) -> int:
    from auditor.store.database import connect  # noqa: PLC0415

    where, params = ("AND category = ?", (category,)) if category else ("", ())
    with connect(db_path, create=False) as db:
        return int(db.execute(f"SELECT count(*) FROM findings WHERE status = 'open' {where}", params).fetchone()[0])
