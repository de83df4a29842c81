"""Screenshots of the queue, a case with its evidence highlighted, and help, at a fixed terminal size."""

from __future__ import annotations

SIZE = (110, 32)


async def loaded(pilot) -> None:
    """Let the queue's first page arrive before the keys are pressed."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_queue(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=loaded)


def test_case_screen_with_highlighted_evidence(make_app, snap_compare):
    # the second finding is current: its evidence is underlined over its category colour
    assert snap_compare(make_app(), press=["enter", "j"], terminal_size=SIZE, run_before=loaded)


def test_case_screen_after_decisions(make_app, snap_compare):
    assert snap_compare(make_app(), press=["enter", "c", "s"], terminal_size=SIZE, run_before=loaded)


def test_help_panel(make_app, snap_compare):
    assert snap_compare(make_app(), press=["enter", "question_mark"], terminal_size=SIZE, run_before=loaded)


def test_dismiss_dialog(make_app, snap_compare):
    assert snap_compare(make_app(), press=["enter", "d"], terminal_size=SIZE, run_before=loaded)
