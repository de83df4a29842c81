"""Load rule packs: one rule per YAML file, id from its path, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.findings import KNOWN_CATEGORIES, Severity
from auditor.records import RecordType
from auditor.rules.examples import Example, read_examples
from auditor.rules.kinds import KINDS, Rule, RuleInfo
from auditor.rules.lexicon import LEXICON_FILE, Lexicon, LexiconError, build_lexicon
from auditor.rules.spec import RuleError, SpecReader, did_you_mean
from auditor.rules.yamlfile import YamlProblem, load_yaml

PACK_FILE = "_pack.yaml"
_TYPES = [t.value for t in RecordType]
_DEFAULT_CONFIDENCE = {Severity.LOW: 0.55, Severity.MEDIUM: 0.65, Severity.HIGH: 0.75}


@dataclass(frozen=True)
class RuleProblem:
    """A problem in a rule pack, located by file and line."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class RuleSetError(Exception):
    """A rule pack with problems: nothing may run on a half-read rule set."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the rules")
        self.problems = list(problems)


@dataclass(frozen=True)
class LoadedRule:
    """A compiled rule with its examples and the file it came from."""

    rule: Rule
    examples: tuple[Example, ...]


def rule_files(directory: Path) -> Iterable[Path]:
    """Every rule file in a pack: `CATEGORY/RuleName.yaml`, skipping `_` files."""
    for path in sorted(directory.rglob("*.y*ml")):
        relative = path.relative_to(directory)
        if relative.name.startswith("_") or any(part.startswith(".") for part in relative.parts):
            continue
        yield path


def load_pack_lexicon(directories: Sequence[Path], problems: list[RuleProblem]) -> tuple[Lexicon, set[str]]:
    """The combined lexicon and extra categories of all packs, later packs on top."""
    lexicon = Lexicon()
    categories = set(KNOWN_CATEGORIES)
    for directory in directories:
        path = directory / LEXICON_FILE
        if path.exists():
            try:
                document = load_yaml(path)
                lexicon = build_lexicon(document.data, lexicon)
            except YamlProblem as error:
                problems.append(RuleProblem(str(path), error.line, error.message))
            except LexiconError as error:
                problems.append(RuleProblem(str(path), document.line_of(error.where), error.message))
        categories |= _pack_categories(directory / PACK_FILE, problems)
    return lexicon, categories


def _pack_categories(path: Path, problems: list[RuleProblem]) -> set[str]:
    if not path.exists():
        return set()
    try:
        data = load_yaml(path).data or {}
    except YamlProblem as error:
        problems.append(RuleProblem(str(path), error.line, error.message))
        return set()
    extra = data.get("categories", []) if isinstance(data, dict) else None
    if not isinstance(extra, list) or not all(isinstance(c, str) and c.isidentifier() for c in extra):
        problems.append(RuleProblem(str(path), None, "'categories' must be a list of names"))
        return set()
    return set(extra)


def load_rule_file(path: Path, directory: Path, lexicon: Lexicon, categories: set[str]) -> LoadedRule:
    """Compile one rule file, raising `RuleError` (with a line) on its first problem."""
    relative = path.relative_to(directory)
    if len(relative.parts) != 2 or path.suffix != ".yaml":
        raise RuleError(None, "a rule file must be CATEGORY/RuleName.yaml, one folder deep")
    category, name = relative.parts[0], path.stem
    if category not in categories:
        raise RuleError(None, f"unknown category '{category}'{did_you_mean(category, categories)}")
    try:
        document = load_yaml(path)
    except YamlProblem as error:
        raise RuleError(error.line, error.message) from None
    spec = SpecReader(document, lexicon)
    if not isinstance(document.data, dict):
        raise RuleError(document.line_of(()), "a rule file must hold a mapping")
    kind_name = spec.choice(("kind",), sorted(KINDS))
    kind = KINDS[kind_name]
    spec.check_keys((), kind.KEYS, required=("kind", "severity", "message", "guidance", "examples"))
    info = _read_info(spec, f"{category}.{name}", category, kind_name, str(path))
    if not spec.flag(("enabled",), True):
        raise _Disabled()
    rule = kind.read(info, spec)
    default_type = sorted(info.types)[0] if info.types else RecordType.ASSESSMENT
    return LoadedRule(rule, tuple(read_examples(spec, default_type)))


class _Disabled(Exception):
    """A rule switched off with `enabled: false`."""


def _read_info(spec: SpecReader, rule_id: str, category: str, kind: str, path: str) -> RuleInfo:
    severity = Severity(spec.choice(("severity",), [s.value for s in Severity]))
    types = spec.get(("types",))
    type_set = None
    if types is not None:
        if not isinstance(types, list) or not types:
            raise spec.error(("types",), "'types' must be a list of record types")
        type_set = frozenset(RecordType(spec.choice(("types", i), _TYPES)) for i in range(len(types)))
    return RuleInfo(
        id=rule_id,
        category=category,
        kind=kind,
        severity=severity,
        message=spec.text(("message",)),
        guidance=spec.text(("guidance",)),
        types=type_set,
        confidence=spec.number(("confidence",), _DEFAULT_CONFIDENCE[severity], 0.0, 1.0),
        path=path,
        description=str(spec.get(("description",), "") or ""),
    )


def load_rules(directories: Sequence[Path]) -> tuple[list[LoadedRule], Lexicon]:
    """Load and compile every rule in `directories`; later directories override by id.

    Raises:
        RuleSetError: listing every problem found, with file and line.
    """
    problems: list[RuleProblem] = []
    for directory in directories:
        if not directory.is_dir():
            problems.append(RuleProblem(str(directory), None, "rules directory not found"))
    if problems:
        raise RuleSetError(problems)
    lexicon, categories = load_pack_lexicon(directories, problems)
    loaded: dict[str, LoadedRule | None] = {}
    for directory in directories:
        for path in rule_files(directory):
            rule_id = ".".join(path.relative_to(directory).with_suffix("").parts)
            try:
                loaded[rule_id] = load_rule_file(path, directory, lexicon, categories)
            except _Disabled:
                loaded[rule_id] = None
            except RuleError as error:
                problems.append(RuleProblem(str(path), error.line, error.message))
    if problems:
        raise RuleSetError(problems)
    return [rule for rule in loaded.values() if rule is not None], lexicon
