"""QueueScreen: the cases to review, ranked and filtered, read a page at a time by thread workers."""

from __future__ import annotations

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Select, Static
from textual.worker import get_current_worker

from auditor.store.review import (
    QueryCancelled,
    QueueFilter,
    QueueKey,
    QueueOrder,
    queue_categories,
    queue_count,
    queue_page,
    queue_rows_for,
)
from auditor.tui.messages import FiltersChanged, MoreRowsWanted, PageLoaded, QueueCounted
from auditor.tui.session import ReviewSession
from auditor.tui.widgets.case_table import CaseTable
from auditor.tui.widgets.filter_bar import FilterBar

ORDER_LABELS = {QueueOrder.SEVERITY: "severity first", QueueOrder.UNCERTAINTY: "uncertain first"}


class QueueScreen(Screen[None]):
    """Filters above, the case table below, a status line saying what is shown."""

    BINDINGS = [
        Binding("o", "toggle_order", "Order", id="queue.order", tooltip="Severity first / uncertainty first"),
        Binding("slash", "focus_search", "Search", id="queue.search", tooltip="Search case ids and record text"),
        Binding("f", "focus_filters", "Filters", id="queue.filters", show=False, tooltip="Move to the filters"),
        Binding("escape", "focus_table", "Queue", id="queue.table", show=False, tooltip="Back to the case table"),
        Binding("r", "rule_health", "Rule health", id="queue.rule_health", tooltip="Precision and volume per rule"),
    ]

    order: reactive[QueueOrder] = reactive(QueueOrder.SEVERITY, init=False)
    """How the queue is ranked."""
    filters: reactive[QueueFilter] = reactive(QueueFilter, init=False)
    """What narrows the queue."""

    table = getters.query_one("#cases", CaseTable)
    filter_bar = getters.query_one(FilterBar)
    status_line = getters.query_one("#queue-status", Static)

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self._generation = 0
        self._next_key: QueueKey | None = None
        self._loading = False
        self._count: int | None = None

    def compose(self) -> ComposeResult:
        """Header, filters, table, status line, footer."""
        yield Header()
        yield FilterBar(id="filters")
        yield CaseTable(id="cases")
        yield Static(id="queue-status")
        yield Footer()

    def on_mount(self) -> None:
        """Start reading the first page and the filter options."""
        self.table.focus()
        self.reload()
        self.load_categories()

    # --- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Start over from the first page of the current query."""
        self._generation += 1
        self._next_key = None
        self._count = None
        self._loading = True
        self.load_page(self._generation, self.filters, self.order, None)
        self.count_cases(self._generation, self.filters)
        self._show_status()

    @work(thread=True, exclusive=True, group="queue-page")
    def load_page(self, generation: int, filters: QueueFilter, order: QueueOrder, after: QueueKey | None) -> None:
        """Read one page in a thread; a newer query cancels it."""
        worker = get_current_worker()
        db = self.session.reader()
        try:
            page = queue_page(db, filters, order, after, cancelled=worker.cancelled_event)
        except QueryCancelled:
            return
        finally:
            db.close()
        self.post_message(PageLoaded(generation, page, first=after is None))

    @work(thread=True, exclusive=True, group="queue-count")
    def count_cases(self, generation: int, filters: QueueFilter) -> None:
        """Count the matching cases in a thread (it can take longer than a page)."""
        worker = get_current_worker()
        db = self.session.reader()
        try:
            count = queue_count(db, filters, cancelled=worker.cancelled_event)
        except QueryCancelled:
            return
        finally:
            db.close()
        self.post_message(QueueCounted(generation, count))

    @work(thread=True, group="queue-options")
    def load_categories(self) -> None:
        """Read which categories the database holds, for the category filter."""
        db = self.session.reader()
        try:
            categories = queue_categories(db)
        finally:
            db.close()
        self.app.call_from_thread(self.filter_bar.set_categories, categories)

    def on_page_loaded(self, message: PageLoaded) -> None:
        """Show a page, unless a newer query has replaced the one it answers."""
        if message.generation != self._generation:
            return
        if message.first:
            self.table.clear()
        self.table.add_page(message.page.rows)
        self._next_key = message.page.next_key
        self._loading = False
        self._show_status()
        self.table.refresh_bindings()

    def on_queue_counted(self, message: QueueCounted) -> None:
        """Show how many cases match."""
        if message.generation == self._generation:
            self._count = message.count
            self._show_status()

    def on_more_rows_wanted(self, message: MoreRowsWanted) -> None:
        """Read the next page, once, if there is one."""
        message.stop()
        if self._loading or self._next_key is None:
            return
        self._loading = True
        self.load_page(self._generation, self.filters, self.order, self._next_key)

    def _show_status(self) -> None:
        count = "…" if self._count is None else f"{self._count:,}"
        loaded = self.table.row_count
        more = " · loading" if self._loading else ""
        self.status_line.update(f"{count} cases · {loaded:,} loaded · {ORDER_LABELS[self.order]}{more}")

    # --- filters and order ---------------------------------------------------------------------

    def on_filters_changed(self, message: FiltersChanged) -> None:
        """New filters: a new query."""
        self.filters = message.filters

    def watch_filters(self) -> None:
        """Re-query when the filters change."""
        if self.is_mounted:
            self.reload()

    def watch_order(self) -> None:
        """Re-query when the order changes."""
        if self.is_mounted:
            self.reload()

    def action_toggle_order(self) -> None:
        """Switch between severity first and uncertainty first."""
        self.order = QueueOrder.UNCERTAINTY if self.order is QueueOrder.SEVERITY else QueueOrder.SEVERITY

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#search", Input).focus()

    def action_focus_filters(self) -> None:
        """Move to the first filter."""
        self.query_one("#category", Select).focus()

    def action_focus_table(self) -> None:
        """Back to the table from the filters."""
        self.table.focus()

    def action_rule_health(self) -> None:
        """Show per-rule precision and volume."""
        from auditor.tui.screens.rule_health_screen import RuleHealthScreen  # noqa: PLC0415 - rarely opened

        self.app.push_screen(RuleHealthScreen(self.session))

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    # --- after a case was reviewed -------------------------------------------------------------

    def refresh_case(self, case_id: str) -> None:
        """Redraw a reviewed case's row, or drop it when it no longer passes the filters."""
        if case_id not in self.table.rows:
            return
        rows = queue_rows_for(self.session.db, [case_id], self.filters, self.order)
        if case_id in rows:
            self.table.update_case(rows[case_id])
        else:
            self.table.remove_row(case_id)
            if self._count:
                self._count -= 1
        self._show_status()
