"""AuditorApp: the review app, built from an injected database session and settings by `build_app`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES
from textual.widgets import HelpPanel

from auditor.settings import Settings
from auditor.store.review import Clock, utc_now
from auditor.tui.commands import CaseCommands
from auditor.tui.messages import OpenCase
from auditor.tui.screens.case_screen import CaseScreen
from auditor.tui.screens.dismiss_modal import DismissModal
from auditor.tui.screens.grade_modal import GradeModal
from auditor.tui.screens.note_modal import NoteModal
from auditor.tui.screens.queue_screen import QueueScreen
from auditor.tui.screens.rule_health_screen import RuleHealthScreen
from auditor.tui.session import ReviewSession
from auditor.tui.theme import AUDITOR_THEME
from auditor.tui.widgets.case_table import CaseTable


class AuditorApp(App[None]):
    """The auditor's review workspace over one audit database."""

    CSS_PATH = "auditor.tcss"
    TITLE = "casenote-auditor review"
    COMMANDS = App.COMMANDS | {CaseCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit (every decision is already saved)"),
        Binding("question_mark,f1", "toggle_help", "Help", id="app.help", tooltip="Show or hide keys and help"),
    ]

    def __init__(self, session: ReviewSession, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.queue = QueueScreen(session)
        self.register_theme(AUDITOR_THEME)
        self.theme = settings.theme
        self.set_keymap(settings.keymap)
        self.sub_title = session.db_path.name

    def get_default_screen(self) -> Screen:
        """The queue is the app's base screen."""
        return self.queue

    async def on_open_case(self, message: OpenCase) -> None:
        """Open a case (from the queue or the palette) over the queue."""
        while len(self.screen_stack) > 1:
            if isinstance(self.screen, CaseScreen):
                self.queue.refresh_case(self.screen.case_id)
            await self.pop_screen()
        self.push_screen(CaseScreen(self.session, message.case_id), self.queue_case_closed)

    def queue_case_closed(self, case_id: str | None) -> None:
        """Redraw the case's row in the queue when its screen closes."""
        if case_id is not None:
            self.queue.refresh_case(case_id)

    def action_toggle_help(self) -> None:
        """Show or hide the key and help panel."""
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, and the rule health table."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Rule health", "Precision and volume per rule", self.queue.action_rule_health)

    def on_unmount(self) -> None:
        """Close the database (everything is already committed)."""
        self.session.close()


BINDING_OWNERS = (AuditorApp, QueueScreen, CaseTable, CaseScreen, DismissModal, GradeModal, NoteModal, RuleHealthScreen)
"""Every class that declares bindings the config's keymap may remap."""


def binding_ids() -> list[str]:
    """The ids of every remappable binding, for checking the config's keymap."""
    ids = {b.id for owner in BINDING_OWNERS for b in Binding.make_bindings(owner.BINDINGS) if isinstance(b, Binding)}
    return sorted(i for i in ids if i)


def settings_problems(settings: Settings) -> list[str]:
    """What in the settings the app cannot use: unknown binding ids or themes."""
    problems = []
    known = set(binding_ids())
    for binding_id in settings.keymap:
        if binding_id not in known:
            problems.append(f"keymap: unknown binding id {binding_id!r} (known: {', '.join(sorted(known))})")
    themes = set(BUILTIN_THEMES) | {AUDITOR_THEME.name}
    if settings.theme not in themes:
        problems.append(f"theme: unknown theme {settings.theme!r} (known: {', '.join(sorted(themes))})")
    return problems


def build_app(db_path: Path, settings: Settings, clock: Clock = utc_now) -> AuditorApp:
    """The app over an existing database: what `auditor review`, the tests and the benchmark all run."""
    return AuditorApp(ReviewSession.open(db_path, settings.reviewer, clock), settings)
