"""`auditor locate config|data`: print where the config file or the data folder is."""

from __future__ import annotations

import argparse

from auditor.commands.common import EXIT_OK
from auditor.settings import config_file, data_folder


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `locate`."""
    parser = subparsers.add_parser("locate", help="print the path of the config file or the data folder")
    parser.add_argument("what", choices=("config", "data"), help="config: the config file; data: the data folder")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the path (it need not exist yet)."""
    print(config_file() if args.what == "config" else data_folder())
    return EXIT_OK
