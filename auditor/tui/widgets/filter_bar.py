"""FilterBar: search and filters above the queue; posts `FiltersChanged` when they settle."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Input, Select

from auditor.findings import KNOWN_CATEGORIES
from auditor.records import RecordType
from auditor.store.review import SEVERITIES, QueueFilter, ReviewStatus
from auditor.tui.labels import category_label
from auditor.tui.messages import FiltersChanged

STATUS_LABELS = {
    ReviewStatus.TO_REVIEW: "To review",
    ReviewStatus.UNREVIEWED: "Not started",
    ReviewStatus.IN_PROGRESS: "In progress",
    ReviewStatus.DONE: "Done",
    ReviewStatus.ANY: "Any status",
}
SEARCH_DELAY = 0.3
"""Seconds of no typing before a search runs: one query per pause, not per key."""


def _is_date(text: str) -> bool:
    if not text:
        return True
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _date_input(placeholder: str, id: str) -> Input:  # noqa: A002 - matches Textual's keyword
    return Input(
        placeholder=placeholder,
        id=id,
        compact=True,
        max_length=10,
        validators=[Function(_is_date, "a date as YYYY-MM-DD")],
        tooltip="Cases with a record on or after / before this date (YYYY-MM-DD)",
    )


class FilterBar(Widget):
    """Search box and filters; every change becomes one `QueueFilter`."""

    HELP = """
## Filters

Narrow the queue. Filters combine: a case must pass them all.

- **Search**: text in the case id or in any of the case's records.
- **Category** / **Severity**: an open finding of that category; highest severity at least that.
- **Status**: how far the case's review has got (*To review* hides finished cases).
- **Record type** and **From** / **To**: a record of that type, dated in that range.

`escape` returns to the queue.
"""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name for it
        super().__init__(id=id)
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """The search row, then the filter row."""
        with Horizontal(id="search-row"):
            yield Input(placeholder="Search case id or record text  (/)", id="search", compact=True)
            yield Select(
                [(label, status) for status, label in STATUS_LABELS.items()],
                value=ReviewStatus.TO_REVIEW, allow_blank=False, id="status", compact=True,
            )  # fmt: skip
        with Horizontal(id="filter-row"):
            yield Select(self._category_options(KNOWN_CATEGORIES), prompt="Category", id="category", compact=True)
            yield Select(
                [(f"{s} +" if s != "high" else s, s) for s in SEVERITIES],
                prompt="Severity",
                id="severity",
                compact=True,
            )
            yield Select([(t.value, t.value) for t in RecordType], prompt="Record type", id="record-type", compact=True)
            yield _date_input("From", "date-from")
            yield _date_input("To", "date-to")

    @staticmethod
    def _category_options(categories: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
        return [(category_label(c), c) for c in categories]

    def set_categories(self, categories: list[str]) -> None:
        """Offer the categories the database holds (a rule pack may add its own)."""
        select = self.query_one("#category", Select)
        current = select.selection
        select.set_options(self._category_options(sorted(set(categories) | set(KNOWN_CATEGORIES))))
        if current is not None:
            select.value = current

    @property
    def filters(self) -> QueueFilter:
        """The filters as set now (dates that do not parse are left out)."""

        def text(selector: str) -> str:
            return self.query_one(selector, Input).value.strip()

        def choice(selector: str) -> str | None:
            value = self.query_one(selector, Select).selection
            return None if value is None else str(value)

        date_from, date_to = text("#date-from"), text("#date-to")
        return QueueFilter(
            category=choice("#category"),
            severity=choice("#severity"),
            status=ReviewStatus(choice("#status") or ReviewStatus.TO_REVIEW),
            record_type=choice("#record-type"),
            date_from=date_from if date_from and _is_date(date_from) else None,
            date_to=date_to if date_to and _is_date(date_to) else None,
            search=text("#search"),
        )

    def _changed(self) -> None:
        self.post_message(FiltersChanged(self.filters))

    def on_select_changed(self, event: Select.Changed) -> None:
        """A filter was chosen."""
        event.stop()
        self._changed()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing: search after a pause; dates once they parse (or are cleared)."""
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        if event.input.id == "search":
            self._search_timer = self.set_timer(SEARCH_DELAY, self._changed)
        elif _is_date(event.value.strip()):
            self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter applies the search at once (the screen then moves to the table)."""
        if self._search_timer is not None:
            self._search_timer.stop()
        self._changed()
