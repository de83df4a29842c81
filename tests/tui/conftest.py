"""Fixtures for the review app: a database audited from a fixed JSONL, and the app built as the CLI builds it."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from auditor.batch.runner import BatchOptions, run_batch
from auditor.batch.worker import AuditConfig
from auditor.settings import Settings
from auditor.tui.app import AuditorApp, build_app

DATA = Path(__file__).parent.parent / "data"
FROZEN_NOW = "2024-07-01T09:00:00Z"
REVIEWER = "tester"


@pytest.fixture(scope="session")
def audited_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed records audited once per session with the tests' own small rule pack.

    Its own rules, so the bundled rules can be tuned without moving these tests' findings.
    """
    path = tmp_path_factory.mktemp("audited") / "review.db"
    config = AuditConfig(engine="rules", rules_dirs=(str(DATA / "review_rules"),))
    run_batch(path, BatchOptions(inputs=(str(DATA / "review_records.jsonl"),), config=config, jobs=1))
    return path


@pytest.fixture
def db_path(audited_db: Path, tmp_path: Path) -> Path:
    """A private copy of the audited database for one test to write to."""
    path = tmp_path / "review.db"
    shutil.copy(audited_db, path)
    return path


@pytest.fixture
def make_app(db_path: Path, tmp_path: Path) -> Callable[..., AuditorApp]:
    """Build the app the way `auditor review` does, with a fixed reviewer and a frozen clock."""

    def make(**settings: object) -> AuditorApp:
        values = {"reviewer": REVIEWER, "data_dir": tmp_path / "data", **settings}
        return build_app(db_path, Settings(**values), clock=lambda: FROZEN_NOW)  # type: ignore[arg-type]

    return make


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make screenshots depend on timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


async def _settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def settle() -> Callable[[Pilot], Awaitable[None]]:
    """Wait for workers and the screen to finish what the last key started."""
    return _settle
