"""Options and loading shared by several subcommands: inputs, rules, model, engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from auditor import resources
from auditor.audit import ENGINES, Auditor
from auditor.model.artefact import ModelError
from auditor.model.detector import ModelDetector, load_detector
from auditor.output import private_file, write_rows
from auditor.readers import INPUT_FORMATS, InputProblem, read_records
from auditor.records import Note
from auditor.rules.engine import RuleSet
from auditor.rules.loader import RuleSetError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad usage or bad input that stops the command with exit code 2 and a message."""


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """INPUT..., --input-format, --map, --mapping, --strict, --rejects."""
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="JSON Lines or CSV file, a folder, or - for standard input (default: the bundled sample records)",
    )
    parser.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help="read every input as this format (default: from the file ending)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="CSV column for a record field (repeatable)",
    )
    parser.add_argument("--mapping", type=Path, metavar="FILE", help="YAML file mapping record fields to CSV columns")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="any bad record is fatal (exit 2) instead of reported and skipped",
    )
    parser.add_argument(
        "--rejects", type=Path, metavar="FILE", help="write every skipped record and why, as JSON Lines"
    )


def add_detector_options(parser: argparse.ArgumentParser, engine: bool = True) -> None:
    """--rules DIR (repeatable), --model PATH and --engine."""
    parser.add_argument(
        "--rules",
        action="append",
        type=Path,
        metavar="DIR",
        help="rule pack directory (repeatable; later ones override rules of the same id; default: the bundled rules)",
    )
    parser.add_argument("--model", type=Path, metavar="PATH", help="model artefact (default: the bundled model)")
    if engine:
        parser.add_argument("--engine", choices=ENGINES, default="both", help="which detectors run (default: both)")


def column_mapping(args: argparse.Namespace) -> dict[str, str]:
    """The CSV field-to-column mapping from --mapping and --map (which wins)."""
    mapping: dict[str, str] = {}
    if args.mapping:
        try:
            data = yaml.safe_load(args.mapping.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise UsageError(f"{args.mapping}: cannot read column mapping: {error}") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise UsageError(f"{args.mapping}: expected a YAML mapping of field: column")
        mapping.update({str(k): v for k, v in data.items()})
    for item in args.map:
        field_name, sep, column = item.partition("=")
        if not sep or not field_name or not column:
            raise UsageError(f"--map {item!r}: expected FIELD=COLUMN")
        mapping[field_name.strip()] = column.strip()
    return mapping


@dataclass
class InputReport:
    """What reading the inputs skipped or warned about."""

    problems: list[InputProblem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """How many records (or files) were skipped."""
        return sum(1 for p in self.problems if p.fatal)


def input_paths(args: argparse.Namespace) -> list[str]:
    """The inputs named, or the bundled sample."""
    return list(args.inputs) or [str(resources.sample_records())]


def iter_notes(args: argparse.Namespace, report: InputReport) -> Iterator[Note]:
    """Read the command's inputs, printing each problem to stderr as it is found."""
    mapping = column_mapping(args)
    for item in read_records(input_paths(args), args.input_format, mapping):
        if isinstance(item, InputProblem):
            report.problems.append(item)
            print(f"auditor: {item}", file=sys.stderr)
            if args.strict and item.fatal:
                raise UsageError("stopping: --strict makes any bad record fatal")
            continue
        yield item


def load_rules(directories: Sequence[Path] | None) -> RuleSet:
    """The rule set from --rules (or the bundled pack); a broken pack is a usage error."""
    try:
        return RuleSet.load(list(directories) if directories else [resources.rules_dir()])
    except RuleSetError as error:
        for problem in error.problems:
            print(f"auditor: {problem}", file=sys.stderr)
        raise UsageError(f"{len(error.problems)} problem(s) in the rules: nothing was run") from None


def load_model(path: Path | None) -> ModelDetector:
    """The model from --model (or the bundled one); a refused artefact is a usage error."""
    try:
        return load_detector(path)
    except ModelError as error:
        raise UsageError(str(error)) from None


def build_auditor(args: argparse.Namespace, engine: str | None = None) -> Auditor:
    """The detectors the command asked for, each loaded once."""
    engine = engine or getattr(args, "engine", "both")
    rules = load_rules(args.rules) if engine in ("rules", "both") else None
    model = load_model(args.model) if engine in ("model", "both") else None
    return Auditor(rules, model)


def write_rejects(args: argparse.Namespace, report: InputReport) -> None:
    """Write the --rejects file: one JSON object per skipped record or file."""
    if not getattr(args, "rejects", None):
        return
    with private_file(args.rejects) as stream:
        write_rows((p.to_dict() for p in report.problems), "jsonl", stream, ())
