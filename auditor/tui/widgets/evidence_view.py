"""EvidenceView: a record's full text with every finding's evidence highlighted in its category's colour."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from auditor.store.review import FindingView, RecordView
from auditor.tui.labels import CATEGORY_COMPONENTS, category_component


class EvidenceView(VerticalScroll):
    """Shows one record; scrolls so the current finding's evidence is in view."""

    HELP = """
## Record

The full text of the record chosen in the chronology. Each finding's evidence is highlighted
in its category's colour; the current finding's evidence is also **bold and underlined**, and
the view scrolls to it.
"""

    COMPONENT_CLASSES = CATEGORY_COMPONENTS | {"evidence--current", "evidence--title"}

    def compose(self) -> ComposeResult:
        """The record's title line and text."""
        yield Static(id="evidence-title")
        yield Static(id="evidence-text")

    def show_record(self, record: RecordView, findings: tuple[FindingView, ...], current: FindingView | None) -> None:
        """Show a record with its findings' evidence highlighted and `current`'s evidence in view."""
        title = f"{record.date[:10]} · {record.type} · {record.author or 'no author'} · {record.note_id}"
        self.query_one("#evidence-title", Static).update(
            Content.styled(title, self.get_visual_style("evidence--title"))
        )
        self.query_one("#evidence-text", Static).update(self._highlighted(record.text, findings, current))
        if current is not None and current.note_id == record.note_id:
            self.call_after_refresh(self._scroll_to_offset, record.text, current.start)
        else:
            self.scroll_home(animate=False)

    def _highlighted(self, text: str, findings: tuple[FindingView, ...], current: FindingView | None) -> Content:
        content = Content(text)
        # Wider spans first, so a short span inside a long one still shows its own colour on top.
        for finding in sorted(findings, key=lambda f: f.start - f.end):
            start, end = max(0, finding.start), min(len(text), finding.end)
            if start < end:
                content = content.stylize(
                    self.get_visual_style(category_component(finding.category), partial=True), start, end
                )
        if current is not None and 0 <= current.start < current.end <= len(text):
            # Drawn last, in its own colour, so overlapping evidence never hides the current finding's.
            for component in (category_component(current.category), "evidence--current"):
                content = content.stylize(self.get_visual_style(component, partial=True), current.start, current.end)
        return content

    def _scroll_to_offset(self, text: str, offset: int) -> None:
        """Scroll so the line holding character `offset` sits a few lines from the top."""
        width = self.query_one("#evidence-text", Static).content_region.width or self.size.width
        if width <= 0:
            return
        # Greedy wrapping of the text before the offset breaks every earlier line where the
        # whole text does, so its line count is the evidence's line.
        line = sum(len(Content(part).wrap(width)) for part in text[:offset].split("\n")) - 1
        title_height = self.query_one("#evidence-title", Static).outer_size.height
        self.scroll_to(y=max(0, title_height + line - 2), animate=False)
