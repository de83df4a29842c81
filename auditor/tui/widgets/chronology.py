"""Chronology: a case's records by date, with type, author and how many findings each holds."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from auditor.store.review import CaseDetail
from auditor.tui.messages import RecordChosen


class Chronology(OptionList):
    """The case's records in date order; highlighting one shows its text."""

    HELP = """
## Chronology

The case's records in date order: date, type, author, and `●n` for the open findings on it.
Move with `up`/`down` (or `[` and `]` from anywhere); the record's text opens on the right
with every finding's evidence highlighted in its category's colour.
"""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | {"chronology--flagged"}

    def show_case(self, case: CaseDetail) -> None:
        """List the case's records."""
        flagged = self.get_visual_style("chronology--flagged", partial=True)
        options = []
        for record in case.records:
            count = len(case.findings_in(record.note_id))
            line = Content(f"{record.date[:10]}  {record.type:<11} {record.author[:12]:<12}")
            if count:
                line = Content.assemble(line, " ", Content.styled(f"●{count}", flagged))
            options.append(Option(line, id=record.note_id))
        self.set_options(options)

    def select_record(self, note_id: str) -> None:
        """Move the highlight to a record (without announcing it again)."""
        index = self.get_option_index(note_id)
        if self.highlighted != index:
            with self.prevent(OptionList.OptionHighlighted):
                self.highlighted = index

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Tell the screen which record to show."""
        event.stop()
        if event.option.id is not None:
            self.post_message(RecordChosen(event.option.id))
