"""Parallel worker side: build the auditor once per process, then audit chunks of cases.

This lives in an importable module (not a closure) so loky and dask workers can import it,
and the rules and model are loaded once per process, not once per task.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor import resources
from auditor.audit import Auditor
from auditor.findings import Finding
from auditor.records import Case


@dataclass(frozen=True)
class AuditConfig:
    """What a worker needs to build the same auditor as the main process."""

    engine: str
    rules_dirs: tuple[str, ...] = ()
    model_path: str | None = None

    def build(self) -> Auditor:
        """Load the rules and model this configuration names."""
        from auditor.model.detector import load_detector  # noqa: PLC0415
        from auditor.rules.engine import RuleSet  # noqa: PLC0415

        rules = None
        if self.engine in ("rules", "both"):
            dirs = [Path(d) for d in self.rules_dirs] or [resources.rules_dir()]
            rules = RuleSet.load(dirs)
        model = None
        if self.engine in ("model", "both"):
            model = load_detector(Path(self.model_path) if self.model_path else None)
        return Auditor(rules, model)


_AUDITORS: dict[AuditConfig, Auditor] = {}


def auditor_for(config: AuditConfig) -> Auditor:
    """The process's auditor for `config`, built on first use."""
    if config not in _AUDITORS:
        _AUDITORS[config] = config.build()
    return _AUDITORS[config]


def audit_chunk(config: AuditConfig, cases: list[Case]) -> list[tuple[str, list[Finding]]]:
    """Audit each case of a chunk; return its findings by case id."""
    return auditor_for(config).audit_cases(cases)


def audit_numbered_chunk(
    number: int, config: AuditConfig, cases: list[Case]
) -> tuple[int, list[tuple[str, list[Finding]]]]:
    """`audit_chunk`, tagged with the chunk's number so unordered results can be matched."""
    return number, audit_chunk(config, cases)
