"""`auditor export --db FILE [--decisions]`: findings or reviewer decisions, as JSONL or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor.commands.common import EXIT_OK, UsageError
from auditor.output import FIELDS, private_file, write_rows
from auditor.store.database import DatabaseError, connect
from auditor.store.exports import DECISION_FIELDS, decision_rows, finding_rows, rule_health_rows

RULE_HEALTH_FIELDS = ("rule", "findings", "confirmed", "dismissed", "unsure", "precision")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `export`."""
    parser = subparsers.add_parser("export", help="export findings or reviewer decisions from a database")
    parser.add_argument("--db", type=Path, required=True, metavar="FILE")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--decisions", action="store_true", help="every reviewer decision, in order")
    what.add_argument("--rule-health", action="store_true", help="per-rule volume and precision from decisions")
    parser.add_argument("--all", action="store_true", help="include resolved findings")
    parser.add_argument(
        "--show-identifiers",
        action="store_true",
        help="do not mask residual identifiers (NHS numbers, names, ...) in excerpts",
    )
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write here (readable by you only)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the chosen rows."""
    try:
        db = connect(args.db, create=False)
    except DatabaseError as error:
        raise UsageError(str(error)) from None
    if args.decisions:
        rows, fields = decision_rows(db), DECISION_FIELDS
    elif args.rule_health:
        rows, fields = rule_health_rows(db), RULE_HEALTH_FIELDS
    else:
        rows, fields = finding_rows(db, include_resolved=args.all, mask_identifiers=not args.show_identifiers), FIELDS
    if args.output:
        with private_file(args.output) as stream:
            write_rows(rows, args.format, stream, fields)
    else:
        write_rows(rows, args.format, sys.stdout, fields)
    db.close()
    return EXIT_OK
