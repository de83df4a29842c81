"""`auditor train CORPUS`: fit the classifier and write the artefact with its metadata."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from auditor import resources
from auditor.commands.common import EXIT_OK, UsageError, load_rules
from auditor.corpus import CorpusError, load_corpus
from auditor.model.artefact import ARTEFACT_SUFFIX, save_model
from auditor.model.train import train


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `train`."""
    parser = subparsers.add_parser("train", help="fit the classifier on a labelled corpus")
    parser.add_argument("corpus", type=Path, help="folder with records.jsonl and labels.jsonl")
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help=f"artefact to write (default: models/casenote{ARTEFACT_SUFFIX})",
    )
    parser.add_argument(
        "--rules",
        action="append",
        type=Path,
        metavar="DIR",
        help="rule packs the both-engine thresholds are tuned against",
    )
    parser.add_argument(
        "--with-reviews",
        type=Path,
        metavar="DB",
        help="also learn from reviewers' confirmed and dismissed findings in this database",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Train, print the held-out figures, and save the artefact."""
    try:
        corpus = load_corpus(args.corpus)
    except CorpusError as error:
        raise UsageError(str(error)) from None
    rules = load_rules(args.rules)
    extra = None
    if args.with_reviews:
        from auditor.model.reviews import review_rows  # noqa: PLC0415

        extra = review_rows(args.with_reviews)
    try:
        result = train(corpus, rules, extra=extra)
    except CorpusError as error:
        raise UsageError(f"{args.corpus}: {error}") from None
    output = args.output or resources.models_dir() / f"casenote{ARTEFACT_SUFFIX}"
    meta_path = save_model(result.classifier.to_state(), result.metadata, output)
    corpus_info = result.metadata["corpus"]
    print(f"trained on {corpus_info['records']} records in {corpus_info['cases']} cases")
    scores = result.metadata["scores"]
    print(_format_scores("held-out test split (by case)", scores["test"], scores["test_thresholds"]))
    print(_format_scores("shipped: grouped 5-fold CV", scores["cv"], result.metadata["thresholds"]))
    print(f"wrote {output} and {meta_path}")
    return EXIT_OK


def _format_scores(title: str, report: dict, thresholds: dict) -> str:
    lines = [f"{title:<30} {'category':<18} {'rules':>6} {'model':>6} {'both':>6} {'brier':>6}"]
    for category, row in report.items():
        f1 = [row[e]["f1"] for e in ("rules", "model", "both")]
        lines.append(
            f"{'':<30} {category:<18} {f1[0]:>6.3f} {f1[1]:>6.3f} {f1[2]:>6.3f} {row['brier']:>6.3f}"
            f"  thresholds {json.dumps(thresholds[category])}"
        )
    return "\n".join(lines)
