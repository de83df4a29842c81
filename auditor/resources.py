"""Where the bundled rules, model and sample records are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries the repository's top-level rules/ and models/ inside the package, as
# auditor/_bundled/ (see pyproject.toml); a source checkout has them beside the package.
_BUNDLED = _PACKAGE / "_bundled"
_CHECKOUT = _PACKAGE.parent


def _bundled(name: str) -> Path:
    installed = _BUNDLED / name
    return installed if installed.exists() else _CHECKOUT / name


def rules_dir() -> Path:
    """The bundled rule pack."""
    return _bundled("rules")


def models_dir() -> Path:
    """The folder of the bundled model artefacts."""
    return _bundled("models")


def sample_records() -> Path:
    """The bundled sample case records (JSON Lines)."""
    return _PACKAGE / "sample" / "records.jsonl"


def sample_labels() -> Path:
    """The labels of the bundled sample records."""
    return _PACKAGE / "sample" / "labels.jsonl"
