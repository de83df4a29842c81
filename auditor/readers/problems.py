"""Problems found in input: where (file and line) and what, never the record's text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputProblem:
    """A record, line or file that could not be read as it stands.

    `fatal` problems mean the record was skipped; the others are warnings about a
    record that was still audited (an unknown type read as `other`, say).
    """

    path: str
    line: int | None
    message: str
    fatal: bool = True
    note_id: str = ""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        kind = "skipped" if self.fatal else "warning"
        return f"{where}: {kind}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """The problem as a row of the rejects file."""
        return {
            "path": self.path,
            "line": self.line,
            "note_id": self.note_id,
            "skipped": self.fatal,
            "problem": self.message,
        }


class RecordError(ValueError):
    """A record's fields do not make a valid record; the message names the field."""
