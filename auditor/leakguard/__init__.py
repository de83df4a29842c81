"""The leak guard: residual personal identifiers in records that should have been anonymised."""

from auditor.leakguard.detector import IdentifierDetector
from auditor.leakguard.masking import PLACEHOLDERS, SOURCE_PREFIX, mask
from auditor.leakguard.match import KINDS, Match
from auditor.leakguard.numbers import nhs_number_is_valid
from auditor.leakguard.scan import find_identifiers

__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "SOURCE_PREFIX",
    "IdentifierDetector",
    "Match",
    "find_identifiers",
    "mask",
    "nhs_number_is_valid",
]
