"""`auditor evaluate RECORDS LABELS`: record-level precision, recall and F1 per category."""

from __future__ import annotations

import argparse
from pathlib import Path

from auditor.audit import ENGINES
from auditor.commands.common import (
    EXIT_OK,
    InputReport,
    UsageError,
    add_detector_options,
    build_auditor,
    iter_notes,
)
from auditor.evaluation import (
    LabelsError,
    calibration,
    flagged_records,
    format_calibration,
    format_metrics,
    read_labels,
    score,
)
from auditor.findings import CORE_CATEGORIES
from auditor.records import group_cases


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `evaluate`."""
    parser = subparsers.add_parser("evaluate", help="precision, recall and F1 against labels")
    parser.add_argument("records", help="labelled records (JSON Lines, CSV or folder)")
    parser.add_argument("labels", type=Path, help='labels, one {"note_id", "labels"} per line')
    add_detector_options(parser)
    parser.add_argument("--compare", action="store_true", help="report rules alone, model alone and both")
    parser.set_defaults(run=run, input_format=None, map=[], mapping=None, strict=False)


def run(args: argparse.Namespace) -> int:
    """Audit the labelled records with each engine asked for and print the metrics."""
    try:
        labels = read_labels(args.labels)
    except LabelsError as error:
        raise UsageError(str(error)) from None
    args.inputs = [args.records]
    cases = group_cases(iter_notes(args, InputReport()))
    labelled = sum(1 for case in cases for note in case.notes if note.note_id in labels)
    categories = [c for c in CORE_CATEGORIES if any(c in v for v in labels.values())] or list(CORE_CATEGORIES)
    print(f"{labelled} labelled records in {len(cases)} cases")
    for engine in ENGINES if args.compare else (args.engine,):
        auditor = build_auditor(args, engine)
        findings = [f for case in cases for f in auditor.audit_case(case)]
        print(format_metrics(f"engine: {engine}", score(flagged_records(findings), labels, categories)))
        if auditor.model is not None and (engine == "model" or not args.compare):
            probabilities = auditor.model.probabilities_of(cases)
            print(format_calibration(calibration(probabilities, labels, auditor.model.categories)))
    return EXIT_OK
