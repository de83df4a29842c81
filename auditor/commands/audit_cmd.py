"""`auditor audit`: audit records and print or write findings (no database)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from auditor.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    InputReport,
    add_detector_options,
    add_input_options,
    build_auditor,
    iter_notes,
    write_rejects,
)
from auditor.output import FORMATS, default_format, private_file, write_findings
from auditor.records import group_cases


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `audit`."""
    parser = subparsers.add_parser("audit", help="audit records and print findings")
    add_input_options(parser)
    add_detector_options(parser)
    parser.add_argument("--format", choices=FORMATS, help="table (default on a terminal), jsonl or csv")
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write findings here (created readable by you only)"
    )
    parser.add_argument("--fail-on-findings", action="store_true", help="exit 1 when there are findings")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read every input, audit each case, and write the findings."""
    auditor = build_auditor(args)
    report = InputReport()
    cases = group_cases(iter_notes(args, report))
    findings = [finding for case in cases for finding in auditor.audit_case(case)]
    fmt = args.format or default_format(args.output, sys.stdout.isatty())
    if args.output:
        with private_file(args.output) as stream:
            write_findings(findings, fmt, stream)
    else:
        write_findings(findings, fmt, sys.stdout)
    write_rejects(args, report)
    records = sum(len(case.notes) for case in cases)
    by_category = Counter(f.category for f in findings)
    summary = ", ".join(f"{n} {c}" for c, n in sorted(by_category.items())) or "none"
    print(
        f"auditor: {records} records in {len(cases)} cases audited; "
        f"{len(findings)} findings ({summary}); {report.skipped} skipped",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if findings and args.fail_on_findings else EXIT_OK
