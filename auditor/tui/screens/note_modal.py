"""NoteModal: a free-text note on a finding."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class NoteModal(ModalScreen[str | None]):
    """Returns the note typed, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without a note")]

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        """A title and one line to type in."""
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label("Note on this finding (enter saves)", classes="dialog-title")
            yield Input(value=self.note, placeholder="What should the next reader know?", id="note-text")

    @on(Input.Submitted, "#note-text")
    def _saved(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
