"""What every format reader yields: raw fields with their location, or a problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record's fields as read, before validation, and where they came from."""

    path: str
    line: int | None
    fields: dict[str, object]


BINARY_SNIFF_BYTES = 8192


def looks_binary(head: bytes) -> bool:
    """True for content that is not text: NUL bytes near the start of a text file are rare."""
    return b"\x00" in head[:BINARY_SNIFF_BYTES]
