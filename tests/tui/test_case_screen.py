"""The case screen: open, confirm, dismiss with a reason, unsure, undo, note, grade, keys; checked in the database."""

from __future__ import annotations

import sqlite3

import pytest

from auditor.store.review import DISMISS_REASONS, Grade, case_detail
from auditor.tui.messages import OpenCase
from auditor.tui.screens.case_screen import CaseScreen
from auditor.tui.screens.dismiss_modal import DismissModal

REVIEWER, FROZEN_NOW = "tester", "2024-07-01T09:00:00Z"  # as conftest's make_app builds the app


def decisions(db_path) -> list[tuple]:
    db = sqlite3.connect(db_path)
    rows = db.execute(
        "SELECT fingerprint, case_id, verdict, reason, note, reviewer, decided_at, rules_version FROM decisions ORDER BY decision_id"
    ).fetchall()
    db.close()
    return rows


def findings(db_path, case_id: str) -> list[str]:
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    case = case_detail(db, case_id)
    db.close()
    return [f.fingerprint for f in case.findings]


async def open_first_case(pilot, settle) -> CaseScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseScreen)
    return pilot.app.screen


async def test_enter_opens_the_highlighted_case_on_its_first_finding(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_first_case(pilot, settle)
        assert screen.case_id == "RV-001"
        first = findings(db_path, "RV-001")[0]
        assert screen.current == first
        assert screen.shown_record == "RV-001-N2"
        assert "Mother promised to keep Father away" in str(screen.query_one("#evidence-text").render())


async def test_c_confirms_and_moves_to_the_next_undecided_finding(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_first_case(pilot, settle)
        first, second, *_ = findings(db_path, "RV-001")
        await pilot.press("c")
        [decision] = decisions(db_path)
        assert decision[:7] == (first, "RV-001", "confirmed", "", "", REVIEWER, FROZEN_NOW)
        assert decision[7].startswith("rules@")  # the rules version of the run that found it
        assert screen.current == second


async def test_d_dismisses_with_a_reason_from_the_list(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await open_first_case(pilot, settle)
        first = findings(db_path, "RV-001")[0]
        await pilot.press("d")
        assert isinstance(app.screen, DismissModal)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert [(d[0], d[2], d[3]) for d in decisions(db_path)] == [(first, "dismissed", DISMISS_REASONS[1])]


async def test_d_dismisses_with_a_typed_reason(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await open_first_case(pilot, settle)
        await pilot.press("d", "tab", *"parent's promise was tested", "enter")
        await settle(pilot)
        assert [(d[2], d[3]) for d in decisions(db_path)] == [("dismissed", "parent's promise was tested")]


async def test_cancelling_a_dismissal_writes_nothing(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await open_first_case(pilot, settle)
        await pilot.press("d", "escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert decisions(db_path) == []


async def test_u_undoes_by_appending_and_returns_to_the_finding(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_first_case(pilot, settle)
        first = findings(db_path, "RV-001")[0]
        await pilot.press("c", "s", "u")
        await settle(pilot)
        verdicts = [d[2] for d in decisions(db_path)]
        assert verdicts == ["confirmed", "unsure", "undone"]
        await pilot.press("u")
        await settle(pilot)
        assert [d[2] for d in decisions(db_path)] == ["confirmed", "unsure", "undone", "undone"]
        assert screen.current == first
        assert all(f.verdict is None for f in screen.case.findings)


async def test_n_adds_a_note_without_deciding(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_first_case(pilot, settle)
        await pilot.press("n", *"ask the school", "enter")
        await settle(pilot)
        assert [(d[2], d[4]) for d in decisions(db_path)] == [("note", "ask the school")]
        assert screen.case.findings[0].note == "ask the school" and screen.case.findings[0].verdict is None


async def test_g_grades_the_case_with_a_comment(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_first_case(pilot, settle)
        await pilot.press("g", "down", "enter", *"no child's voice", "enter")
        await settle(pilot)
        db = sqlite3.connect(db_path)
        assert db.execute("SELECT case_id, grade, comment, reviewer, graded_at FROM grades").fetchall() == [
            ("RV-001", "requires_improvement", "no child's voice", REVIEWER, FROZEN_NOW)
        ]
        assert screen.case.grade.grade == Grade.REQUIRES_IMPROVEMENT
        assert "Requires improvement" in str(screen.summary.render())


async def test_keys_move_between_findings_and_records(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_first_case(pilot, settle)
        ids = findings(db_path, "RV-001")
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert screen.current == ids[3] and screen.shown_record == "RV-001-N3"
        await pilot.press("k")
        await settle(pilot)
        assert screen.current == ids[2] and screen.shown_record == "RV-001-N2"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.shown_record == "RV-001-N1"  # a record without findings: the current finding stays
        assert screen.current == ids[2]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert screen.shown_record == "RV-001-N3" and screen.current == ids[3]


async def test_finishing_a_case_takes_it_out_of_the_queue(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.case_id == "RV-002"
        await pilot.press("c", "c", "escape")
        await settle(pilot)
        assert app.screen is app.queue
        assert [str(k.value) for k in app.queue.table.rows] == ["RV-001"]


async def test_a_case_in_progress_stays_with_its_progress_redrawn(make_app, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await open_first_case(pilot, settle)
        await pilot.press("c", "escape")
        await settle(pilot)
        assert app.queue.table.get_row("RV-001")[4] == "1/4"


async def test_decisions_are_dimmed_on_a_case_without_findings(make_app, db_path, settle):
    app = make_app()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.post_message(OpenCase("RV-003"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.current is None
        assert screen.check_action("decide", ("confirmed",)) is None
        await pilot.press("c", "d", "s")
        await settle(pilot)
        assert decisions(db_path) == []
        assert "No open findings" in str(screen.finding_detail.render())


async def test_keymap_from_the_config_remaps_keys(make_app, db_path, settle):
    app = make_app(keymap={"case.confirm": "y"})
    async with app.run_test() as pilot:
        await open_first_case(pilot, settle)
        await pilot.press("c")
        assert decisions(db_path) == []
        await pilot.press("y")
        assert [d[2] for d in decisions(db_path)] == ["confirmed"]


@pytest.mark.parametrize("where", ["queue", "case"])
async def test_q_quits_and_nothing_is_lost(make_app, db_path, settle, where):
    app = make_app()
    async with app.run_test() as pilot:
        await open_first_case(pilot, settle)
        await pilot.press("c")
        if where == "queue":
            await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert [d[2] for d in decisions(db_path)] == ["confirmed"]
