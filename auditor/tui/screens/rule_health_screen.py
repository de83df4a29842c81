"""RuleHealthScreen: per-rule volume and precision from reviewers' decisions."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, LoadingIndicator

from auditor.store.exports import rule_health_rows
from auditor.tui.session import ReviewSession

COLUMNS = ("Rule", "Open", "Confirmed", "Dismissed", "Unsure", "Precision")


class RuleHealthScreen(ModalScreen[None]):
    """A table of rules, least precise first: where rule authors should look."""

    BINDINGS = [Binding("escape,r", "close", "Close", id="health.close", tooltip="Back to the queue")]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        """A title, then the table (with a spinner until it is read)."""
        with Vertical(id="health-dialog", classes="dialog"):
            yield Label("Rule health: precision = confirmed / (confirmed + dismissed)", classes="dialog-title")
            yield LoadingIndicator()
            yield DataTable(id="health-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Read the figures in a thread: it reads every finding."""
        self.query_one(DataTable).add_columns(*COLUMNS)
        self.load()

    @work(thread=True, exclusive=True, group="rule-health")
    def load(self) -> None:
        """Compute the rows with the core function the export uses."""
        db = self.session.reader()
        try:
            rows = rule_health_rows(db)
        finally:
            db.close()
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one(DataTable)
        for row in rows:
            precision = "–" if row["precision"] is None else f"{row['precision']:.0%}"
            table.add_row(row["rule"], row["findings"], row["confirmed"], row["dismissed"], row["unsure"], precision)
        self.query_one(LoadingIndicator).display = False
        table.focus()

    def action_close(self) -> None:
        """Back to the queue."""
        self.dismiss(None)
