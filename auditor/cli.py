"""The `auditor` command line: parse, dispatch to a subcommand, map errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from auditor import __version__
from auditor.commands import (
    audit_cmd,
    batch_cmd,
    evaluate_cmd,
    export_cmd,
    locate_cmd,
    review_cmd,
    rules_cmd,
    train_cmd,
)
from auditor.commands.common import EXIT_USAGE, UsageError

SUBCOMMANDS = (audit_cmd, batch_cmd, review_cmd, export_cmd, rules_cmd, evaluate_cmd, train_cmd, locate_cmd)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="Audit the quality of recording in children's social care case records.",
    )
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; bad usage or bad input exits 2 with a message, never a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"auditor: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
