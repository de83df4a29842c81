"""GradeModal: grade a case on the four-point scale, with a comment."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList

from auditor.store.review import Grade


@dataclass(frozen=True)
class GradeChoice:
    """A grade and the comment given with it."""

    grade: Grade
    comment: str


class GradeModal(ModalScreen[GradeChoice | None]):
    """Choose a grade (enter), write a comment (enter saves); escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="grade.cancel", tooltip="Close without grading")]

    def __init__(self, grade: Grade = Grade.GOOD, comment: str = "") -> None:
        super().__init__()
        self.initial = grade
        self.comment = comment

    def compose(self) -> ComposeResult:
        """The scale, then the comment box."""
        with Vertical(id="grade-dialog", classes="dialog"):
            yield Label("Grade this case", classes="dialog-title")
            yield OptionList(*(grade.label for grade in Grade), id="grade-scale")
            yield Input(value=self.comment, placeholder="Comment (enter saves)", id="grade-comment")

    def on_mount(self) -> None:
        """Start on the case's current grade."""
        self.query_one("#grade-scale", OptionList).highlighted = list(Grade).index(self.initial)

    @on(OptionList.OptionSelected, "#grade-scale")
    def _chosen(self) -> None:
        self.query_one("#grade-comment", Input).focus()

    @on(Input.Submitted, "#grade-comment")
    def _saved(self, event: Input.Submitted) -> None:
        index = self.query_one("#grade-scale", OptionList).highlighted
        grade = list(Grade)[index if index is not None else list(Grade).index(self.initial)]
        self.dismiss(GradeChoice(grade, event.value.strip()))

    def action_cancel(self) -> None:
        """Close without grading."""
        self.dismiss(None)
