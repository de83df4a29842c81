"""Save and load the model: checksum and versions verified before anything is deserialised.

The classifier is stored with skops, which rebuilds only an allow-list of scikit-learn types
instead of running arbitrary pickled code; its metadata JSON beside it records versions,
categories, thresholds, scores and a SHA-256 of the artefact, all checked first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sklearn

MODEL_FORMAT = "casenote-auditor-model/6"  # 6: the passage model also reads its whole record
_FORMAT_FAMILY = "casenote-auditor-model/"
ARTEFACT_SUFFIX = ".skops"
METADATA_SUFFIX = ".json"

# The only non-default types the artefact may contain; anything else is refused.
ALLOWED_TYPES = frozenset(
    {
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
    }
)


class ModelError(Exception):
    """A model file that must not be used; the message says what to do instead."""


@dataclass(frozen=True)
class LoadedModel:
    """The fitted classifier's stored state and its metadata."""

    state: Any
    metadata: dict[str, Any]
    path: Path


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sklearn_series(version: str) -> str:
    return ".".join(version.split(".")[:2])


def save_model(state: Any, metadata: dict[str, Any], artefact: Path) -> Path:
    """Write the classifier's state and its metadata (with checksum) beside it; return the metadata path."""
    import skops.io as sio  # noqa: PLC0415 - only training and loading need skops

    artefact.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(state, artefact)
    untrusted = set(sio.get_untrusted_types(file=artefact))
    if untrusted - ALLOWED_TYPES:
        raise ModelError(f"the classifier uses types not on the allow-list: {sorted(untrusted - ALLOWED_TYPES)}")
    metadata = {
        **metadata,
        "format": MODEL_FORMAT,
        "sklearn_version": sklearn.__version__,
        "artefact": {"file": artefact.name, "sha256": sha256_of(artefact), "bytes": artefact.stat().st_size},
    }
    meta_path = artefact.with_suffix(METADATA_SUFFIX)
    meta_path.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta_path


def resolve(path: Path) -> tuple[Path, Path]:
    """The artefact and metadata paths for a model given as either file or its folder."""
    if path.is_dir():
        candidates = sorted(path.glob(f"*{ARTEFACT_SUFFIX}"))
        if not candidates:
            raise ModelError(f"{path}: no {ARTEFACT_SUFFIX} model in this folder; train one with `auditor train`")
        path = candidates[-1]
    if path.suffix == METADATA_SUFFIX:
        path = path.with_suffix(ARTEFACT_SUFFIX)
    return path, path.with_suffix(METADATA_SUFFIX)


def read_metadata(meta_path: Path) -> dict[str, Any]:
    """The metadata of a model, refusing files that are missing or not ours."""
    if not meta_path.is_file():
        raise ModelError(
            f"{meta_path}: model metadata is missing; a model is only loaded with the metadata "
            "written beside it by `auditor train`"
        )
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ModelError(f"{meta_path}: model metadata is not valid JSON; retrain with `auditor train`") from None
    if not isinstance(metadata, dict) or not str(metadata.get("format", "")).startswith(_FORMAT_FAMILY):
        raise ModelError(f"{meta_path}: not a casenote-auditor model ({MODEL_FORMAT})")
    if metadata["format"] != MODEL_FORMAT:
        raise ModelError(
            f"{meta_path}: model format {metadata['format']}, but this version of casenote-auditor reads "
            f"{MODEL_FORMAT}; retrain with `auditor train`"
        )
    return metadata


def verify(artefact: Path, metadata: dict[str, Any]) -> None:
    """Check versions and checksum; raise `ModelError` before anything is deserialised."""
    trained = str(metadata.get("sklearn_version", "?"))
    if _sklearn_series(trained) != _sklearn_series(sklearn.__version__):
        raise ModelError(
            f"{artefact}: trained with scikit-learn {trained} but {sklearn.__version__} is installed; "
            "install the matching version or retrain with `auditor train`"
        )
    expected = metadata.get("artefact", {})
    if not artefact.is_file():
        raise ModelError(f"{artefact}: model file not found")
    if artefact.stat().st_size != expected.get("bytes") or sha256_of(artefact) != expected.get("sha256"):
        raise ModelError(
            f"{artefact}: checksum does not match its metadata, so the file was changed or replaced; "
            "it was not loaded. Restore it from the release or retrain with `auditor train`"
        )


def load_model(path: Path) -> LoadedModel:
    """Verify then load a model artefact.

    Raises:
        ModelError: missing or foreign metadata, version mismatch, checksum mismatch, or
            types outside the allow-list, each with what to do about it.
    """
    import skops.io as sio  # noqa: PLC0415

    artefact, meta_path = resolve(path)
    metadata = read_metadata(meta_path)
    verify(artefact, metadata)
    try:
        untrusted = set(sio.get_untrusted_types(file=artefact))
        if untrusted - ALLOWED_TYPES:
            raise ModelError(f"{artefact}: contains types that are not allowed: {sorted(untrusted - ALLOWED_TYPES)}")
        state = sio.load(artefact, trusted=sorted(untrusted))
    except ModelError:
        raise
    except Exception as error:  # skops raises many types on a damaged file
        raise ModelError(f"{artefact}: cannot be read ({type(error).__name__}); retrain with `auditor train`") from None
    return LoadedModel(state, metadata, artefact)
