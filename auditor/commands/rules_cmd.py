"""`auditor rules list|check|test [DIR...]`: inspect, validate and self-test rule packs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor import resources
from auditor.commands.common import EXIT_OK, EXIT_USAGE
from auditor.rules.engine import RuleSet
from auditor.rules.loader import RuleSetError
from auditor.rules.selftest import run_examples


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `rules` and its actions."""
    parser = subparsers.add_parser("rules", help="list, check or test rule packs")
    parser.add_argument("action", choices=("list", "check", "test"))
    parser.add_argument(
        "dirs", nargs="*", type=Path, metavar="DIR", help="rule pack directories (default: the bundled rules)"
    )
    parser.set_defaults(run=run)


def _load(dirs: list[Path]) -> RuleSet | None:
    try:
        return RuleSet.load(dirs or [resources.rules_dir()])
    except RuleSetError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    """Do the chosen action; exit 2 when the pack has problems or an example fails."""
    rules = _load(args.dirs)
    if rules is None:
        return EXIT_USAGE
    if args.action == "check":
        print(f"{len(rules)} rules OK")
        return EXIT_OK
    if args.action == "list":
        for loaded in rules.loaded:
            info = loaded.rule.info
            types = ",".join(sorted(t.value for t in info.types)) if info.types else "all"
            print(f"{info.id:<48} {info.kind:<9} {info.severity.value:<7} {types}")
        return EXIT_OK
    return _test(rules)


def _test(rules: RuleSet) -> int:
    scores = run_examples(rules)
    print(f"{'rule':<48} {'TP':>3} {'FP':>3} {'FN':>3} {'TN':>3}")
    for score in scores:
        mark = "" if score.passed else "  FAIL"
        print(f"{score.rule_id:<48} {score.tp:>3} {score.fp:>3} {score.fn:>3} {score.tn:>3}{mark}")
    failures = [line for score in scores for line in score.failures]
    for line in failures:
        print(line, file=sys.stderr)
    total = sum(s.tp + s.tn for s in scores), sum(s.fp + s.fn for s in scores)
    print(f"{total[0]} passed, {total[1]} failed")
    return EXIT_USAGE if failures else EXIT_OK
