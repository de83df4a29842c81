"""The queue: ranking, filters, search, order, paging, rule health and "go to case", driven by keys."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable, Select

from auditor.findings import Finding, Severity
from auditor.store.database import connect
from auditor.store.findings_sync import sync_case_findings
from auditor.store.review import PAGE_SIZE
from auditor.tui.screens.case_screen import CaseScreen
from auditor.tui.screens.rule_health_screen import RuleHealthScreen


def table_ids(app) -> list[str]:
    table = app.queue.table
    return [str(key.value) for key in table.rows]


async def test_queue_lists_cases_with_open_findings_highest_severity_first(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        # RV-001: 4 findings, two high; RV-002: 2 findings, one high; RV-003 has none
        assert table_ids(app) == ["RV-001", "RV-002"]
        assert "2 cases" in str(app.queue.status_line.render())
        assert app.queue.table.get_row("RV-001")[4] == "0/4"


async def test_search_by_record_text(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("slash", *"drug service", "enter")
        await settle(pilot)
        assert table_ids(app) == ["RV-002"]
        assert app.queue.table.has_focus


async def test_search_by_case_id_after_a_pause_in_typing(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("slash", *"rv-001")
        await pilot.pause(0.5)  # the search runs once typing stops
        await settle(pilot)
        assert table_ids(app) == ["RV-001"]


async def test_filter_by_category_with_the_keyboard(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("f")  # the category filter
        assert app.focused.id == "category"
        options = [value for _, value in app.screen.query_one("#category", Select)._options]
        await pilot.press("enter", *["down"] * options.index("missing_history"), "enter")
        await settle(pilot)
        assert app.screen.query_one("#category", Select).value == "missing_history"
        assert table_ids(app) == ["RV-001"]


async def test_filters_by_record_type_and_dates(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen.query_one("#record-type", Select).value = "visit"
        await settle(pilot)
        assert table_ids(app) == ["RV-002"]
        app.screen.query_one("#record-type", Select).clear()
        await pilot.click("#date-from")
        await pilot.press(*"2023-01-01")
        await settle(pilot)
        assert table_ids(app) == ["RV-001"]
        await pilot.press("backspace")  # not a date for now: the last good filter stays
        await settle(pilot)
        assert table_ids(app) == ["RV-001"]
        await pilot.press(*["backspace"] * 9)  # cleared: no date filter
        await settle(pilot)
        assert table_ids(app) == ["RV-001", "RV-002"]


async def test_order_switches_to_uncertainty(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "uncertain first" in str(app.queue.status_line.render())
        assert sorted(table_ids(app)) == ["RV-001", "RV-002"]


async def test_rows_load_a_page_at_a_time_as_the_cursor_moves_down(make_app, db_path, settle):
    db = connect(db_path)
    for n in range(PAGE_SIZE * 2 + 30):
        case_id = f"BULK-{n:04d}"
        db.execute("INSERT INTO cases (case_id, content_hash, records) VALUES (?, 'h', 1)", (case_id,))
        finding = Finding(case_id, f"{case_id}-N1", "optimism", 0.6, Severity.LOW, ("rule:x",), 0, 1, "x", "m", "e")
        sync_case_findings(db, case_id, [finding], 1)
    db.close()
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.queue.table.row_count == PAGE_SIZE
        await pilot.press("ctrl+end")  # to the last loaded row: the next page is read
        await settle(pilot)
        assert app.queue.table.row_count == PAGE_SIZE * 2
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert app.queue.table.row_count == PAGE_SIZE * 2 + 32
        assert "232 cases" in str(app.queue.status_line.render())


async def test_rule_health_shows_precision_per_rule(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("enter", "c", "d", "enter", "escape", "r")
        await settle(pilot)
        assert isinstance(app.screen, RuleHealthScreen)
        rows = {
            row[0]: row for row in (app.screen.query_one("#health-table", DataTable).get_row_at(i) for i in range(3))
        }
        # RV-001's first finding (optimism) confirmed, its second (missing history) dismissed
        assert rows["optimism.PromiseAsAssurance"][1:] == [3, 1, 0, 0, "100%"]
        assert rows["missing_history.NoPreviousInvolvementPhrase"][1:] == [1, 0, 1, 0, "0%"]
        assert rows["unclear_rationale.NoFurtherActionBare"][5] == "–"
        await pilot.press("escape")
        assert app.screen is app.queue


async def test_palette_goes_to_a_case(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"rv-002")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == "RV-002"


async def test_a_busy_writer_does_not_stop_the_queue_from_reading(make_app, db_path, settle):
    blocker = sqlite3.connect(db_path)
    blocker.execute("BEGIN IMMEDIATE")  # the overnight batch mid-chunk
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        assert table_ids(app) == ["RV-001", "RV-002"]
    blocker.rollback()
