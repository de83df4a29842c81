"""Messages the review app's widgets, screens and workers send one another."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from auditor.store.review import QueueFilter, QueuePage


@dataclass
class OpenCase(Message):
    """Open this case on the case screen (enter or a click in the queue, or the palette)."""

    case_id: str


@dataclass
class MoreRowsWanted(Message):
    """The queue's cursor or scroll is near the last loaded row: load the next page."""


@dataclass
class FiltersChanged(Message):
    """The queue's filters or search changed."""

    filters: QueueFilter


@dataclass
class PageLoaded(Message):
    """A worker read a page of the queue."""

    generation: int
    """Which query it answers: pages of a query since replaced are dropped."""
    page: QueuePage
    first: bool
    """The first page of its query (the table is replaced rather than extended)."""


@dataclass
class QueueCounted(Message):
    """A worker counted the cases the filters leave."""

    generation: int
    count: int

    def can_replace(self, message: Message) -> bool:
        """Only the latest count matters."""
        return isinstance(message, QueueCounted)


@dataclass
class RecordChosen(Message):
    """A record was highlighted in the chronology."""

    note_id: str


@dataclass
class FindingChosen(Message):
    """A finding was highlighted in the finding list."""

    fingerprint: str
