"""CaseTable: the queue of cases, one row per case, extended a page at a time as the cursor nears its end."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.style import Style
from textual.widgets import DataTable

from auditor.store.review import QueueRow
from auditor.tui.labels import CATEGORY_COMPONENTS, SEVERITY_COMPONENTS, category_abbrev, category_component
from auditor.tui.messages import MoreRowsWanted, OpenCase

COLUMNS = (
    ("case", "Case", 14),
    ("severity", "Severity", 8),
    ("findings", "Open", 4),
    ("categories", "By category", 23),
    ("progress", "Reviewed", 8),
    ("grade", "Grade", 20),
    ("last", "Last record", 11),
)
"""Key, heading and width: fixed widths, so adding a page never re-measures every row."""


class CaseTable(DataTable[object]):
    """The cases in queue order; asks for the next page before the cursor reaches the last row."""

    HELP = """
## Case queue

Cases ranked by what needs an auditor most: highest **severity** first, or the findings the
tool is least sure about (**uncertainty**: scores nearest 0.5). `o` switches between them.

- **By category**: open findings per category (HIS history, RAT rationale, OPT optimism, IDN identifier).
- **Reviewed**: findings decided of those open.

`enter` (or a second click) opens the highlighted case. Rows load a page at a time as you move down.
"""

    BINDINGS = [
        Binding("enter", "open_case", "Open", id="queue.open", tooltip="Open the highlighted case"),
    ]

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | CATEGORY_COMPONENTS | SEVERITY_COMPONENTS

    LOAD_AHEAD = 25
    """Ask for the next page when the cursor is this close to the last loaded row."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Lay out the columns."""
        for key, label, width in COLUMNS:
            self.add_column(label, width=width, key=key)

    @property
    def highlighted_case(self) -> str | None:
        """The case under the cursor, if any row is loaded."""
        if not self.row_count:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)

    def add_page(self, rows: tuple[QueueRow, ...]) -> None:
        """Append a page of rows below those loaded."""
        for row in rows:
            if row.case_id not in self.rows:
                self.add_row(*self._cells(row), key=row.case_id)

    def update_case(self, row: QueueRow) -> None:
        """Redraw one case's row (after it was reviewed) without moving the cursor."""
        for (key, _, _), value in zip(COLUMNS, self._cells(row), strict=True):
            self.update_cell(row.case_id, key, value)

    def _cells(self, row: QueueRow) -> list[Content | str]:
        severity = Content.styled(row.top_severity, self._foreground(f"severity--{row.top_severity}"))
        parts: list[Content | str] = []
        for category, count in row.categories:
            parts += [
                Content.styled(f"{category_abbrev(category)} {count}", self._foreground(category_component(category))),
                " ",
            ]
        progress = f"{row.decided}/{row.open_findings}"
        return [
            row.case_id,
            severity,
            str(row.open_findings),
            Content.assemble(*parts[:-1]),
            progress,
            row.grade.label if row.grade else "",
            row.last_date,
        ]

    def _foreground(self, component: str) -> Style:
        """Only the colour and weight a component sets, so the row's cursor and stripes show through."""
        styles = self.get_component_styles(component)
        return Style(foreground=styles.color, bold=bool(styles.text_style.bold) or None)

    def action_open_case(self) -> None:
        """Open the highlighted case."""
        if (case_id := self.highlighted_case) is not None:
            self.post_message(OpenCase(case_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim "Open" while the table is empty."""
        if action == "open_case":
            return self.row_count > 0 or None
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the highlighted row opens it, like enter."""
        event.stop()
        self.post_message(OpenCase(str(event.row_key.value)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Ask for more rows before the cursor runs out of them."""
        if event.cursor_row >= self.row_count - self.LOAD_AHEAD:
            self.post_message(MoreRowsWanted())

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Scrolling with the wheel near the end asks for more rows too."""
        super().watch_scroll_y(old, new)
        if new >= self.max_scroll_y - self.LOAD_AHEAD:
            self.post_message(MoreRowsWanted())
