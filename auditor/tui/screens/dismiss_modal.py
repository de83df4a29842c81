"""DismissModal: choose why a finding is dismissed from a short list, or type a reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from auditor.store.review import DISMISS_REASONS


class DismissModal(ModalScreen[str | None]):
    """Returns the reason chosen or typed, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dismiss.cancel", tooltip="Keep the finding undecided")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.finding_message = message

    def compose(self) -> ComposeResult:
        """The finding, the reasons, a box for another reason."""
        with Vertical(id="dismiss-dialog", classes="dialog"):
            yield Label("Dismiss finding", classes="dialog-title")
            yield Label(self.finding_message, classes="dialog-subject")
            yield OptionList(*DISMISS_REASONS, id="dismiss-reasons")
            yield Input(placeholder="…or type another reason and press enter", id="dismiss-other")

    @on(OptionList.OptionSelected, "#dismiss-reasons")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(DISMISS_REASONS[event.option_index])

    @on(Input.Submitted, "#dismiss-other")
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without dismissing."""
        self.dismiss(None)
