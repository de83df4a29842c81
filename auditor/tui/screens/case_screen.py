"""CaseScreen: one case's chronology, record text with highlighted evidence, findings and decisions."""

from __future__ import annotations

from typing import TypeVar

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from auditor.store.review import (
    CaseDetail,
    FindingView,
    Grade,
    Verdict,
    add_note,
    case_detail,
    record_decision,
    record_grade,
    undo_last,
)
from auditor.tui.labels import category_label
from auditor.tui.messages import FindingChosen, RecordChosen
from auditor.tui.screens.dismiss_modal import DismissModal
from auditor.tui.screens.grade_modal import GradeChoice, GradeModal
from auditor.tui.screens.note_modal import NoteModal
from auditor.tui.session import ReviewSession
from auditor.tui.widgets.chronology import Chronology
from auditor.tui.widgets.evidence_view import EvidenceView
from auditor.tui.widgets.finding_detail import FindingDetail
from auditor.tui.widgets.finding_list import FindingList

W = TypeVar("W", bound=Widget)
_FINDING = Binding.Group("Finding")
_RECORD = Binding.Group("Record")


def _titled(widget: W, title: str) -> W:
    widget.border_title = title
    return widget


class CaseScreen(Screen[str]):
    """Review one case; returns its id to the queue when closed, so the queue can redraw its row."""

    BINDINGS = [
        Binding("c", "decide('confirmed')", "Confirm", id="case.confirm", tooltip="Confirm the current finding"),
        Binding(
            "d", "dismiss_finding", "Dismiss", id="case.dismiss", tooltip="Dismiss the current finding, with a reason"
        ),
        Binding(
            "s", "decide('unsure')", "Unsure", id="case.unsure", show=False, tooltip="Mark the current finding unsure"
        ),
        Binding("u", "undo", "Undo", id="case.undo", tooltip="Undo your last decision on this case"),
        Binding("n", "note", "Note", id="case.note", show=False, tooltip="Add a note to the current finding"),
        Binding("g", "grade", "Grade", id="case.grade", tooltip="Grade the case"),
        Binding("j", "move_finding(1)", "Next", id="case.next_finding", show=False, group=_FINDING),
        Binding("k", "move_finding(-1)", "Previous", id="case.previous_finding", show=False, group=_FINDING),
        Binding("right_square_bracket", "move_record(1)", "Next", id="case.next_record", show=False, group=_RECORD),
        Binding(
            "left_square_bracket", "move_record(-1)", "Previous", id="case.previous_record", show=False, group=_RECORD
        ),
        Binding("escape", "back", "Queue", id="case.back", tooltip="Back to the queue"),
    ]

    current: reactive[str | None] = reactive(None, bindings=True, init=False)
    """The fingerprint of the finding decisions apply to."""
    shown_record: reactive[str | None] = reactive(None, init=False)
    """The note id of the record whose text is shown."""

    summary = getters.query_one("#case-summary", Static)
    chronology = getters.query_one(Chronology)
    evidence = getters.query_one(EvidenceView)
    finding_list = getters.query_one(FindingList)
    finding_detail = getters.query_one(FindingDetail)

    def __init__(self, session: ReviewSession, case_id: str) -> None:
        super().__init__()
        self.session = session
        self.case_id = case_id
        self.case: CaseDetail | None = None

    def compose(self) -> ComposeResult:
        """Summary, then chronology beside the record, then findings and the current one's detail."""
        yield Header()
        yield Static(id="case-summary")
        with Horizontal(id="case-body"):
            yield _titled(Chronology(id="chronology"), "Chronology")
            yield _titled(EvidenceView(id="evidence"), "Record")
        yield _titled(FindingList(id="findings"), "Findings  (c confirm · d dismiss · s unsure · n note)")
        yield FindingDetail(id="finding-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Load the case and start on its first undecided finding."""
        self.sub_title = f"Case {self.case_id}"
        self._reload()
        if self.case is None:
            self.notify(f"No case {self.case_id!r} in this database", severity="error")
            return
        self.chronology.show_case(self.case)
        first = self._next_undecided(None) or (self.case.findings[0].fingerprint if self.case.findings else None)
        if first is None:
            self.shown_record = self.case.records[0].note_id
            self.finding_detail.show_finding(None)
        else:
            self.finding_list.select_finding(first)
            self.current = first
        self.finding_list.focus()

    # --- showing -------------------------------------------------------------------------------

    def _reload(self) -> None:
        """Read the case again (after a decision) and redraw what depends on decisions."""
        self.case = case_detail(self.session.db, self.case_id)
        if self.case is None:
            return
        self.finding_list.show_findings(self.case.findings)
        self._show_summary()

    def _show_summary(self) -> None:
        assert self.case is not None
        decided = sum(f.verdict is not None for f in self.case.findings)
        grade = self.case.grade.grade.label if self.case.grade else "not graded"
        self.summary.update(
            f"{len(self.case.records)} records · {len(self.case.findings)} open findings · "
            f"{decided} decided · grade: {grade}"
        )

    def _finding(self, fingerprint: str | None) -> FindingView | None:
        if self.case is None or fingerprint is None:
            return None
        return next((f for f in self.case.findings if f.fingerprint == fingerprint), None)

    def watch_current(self, fingerprint: str | None) -> None:
        """Show the current finding, its record and its evidence."""
        finding = self._finding(fingerprint)
        self.finding_detail.show_finding(finding)
        if finding is not None:
            if self.shown_record == finding.note_id:
                self._show_record()
            else:
                self.shown_record = finding.note_id

    def watch_shown_record(self, note_id: str | None) -> None:
        """Show a record and keep the chronology's highlight on it."""
        if note_id is not None:
            self.chronology.select_record(note_id)
            self._show_record()

    def _show_record(self) -> None:
        if self.case is None or self.shown_record is None:
            return
        record = self.case.record(self.shown_record)
        if record is not None:
            self.evidence.show_record(record, self.case.findings_in(record.note_id), self._finding(self.current))

    def on_finding_chosen(self, message: FindingChosen) -> None:
        """A finding was highlighted in the list."""
        self.current = message.fingerprint

    def on_record_chosen(self, message: RecordChosen) -> None:
        """A record was highlighted: show it, and make its first finding current."""
        assert self.case is not None
        on_record = self.case.findings_in(message.note_id)
        if on_record:
            self.finding_list.select_finding(on_record[0].fingerprint)
        self.shown_record = message.note_id

    # --- moving --------------------------------------------------------------------------------

    def action_move_finding(self, step: int) -> None:
        """Next or previous finding, from anywhere on the screen."""
        if self.case is None or not self.case.findings:
            return
        ids = [f.fingerprint for f in self.case.findings]
        index = ids.index(self.current) if self.current in ids else -step
        self.finding_list.select_finding(ids[(index + step) % len(ids)])

    def action_move_record(self, step: int) -> None:
        """Next or previous record in the chronology."""
        if self.case is None:
            return
        ids = [r.note_id for r in self.case.records]
        index = ids.index(self.shown_record) if self.shown_record in ids else 0
        target = ids[max(0, min(len(ids) - 1, index + step))]
        self.chronology.highlighted = ids.index(target)

    def _next_undecided(self, after: str | None) -> str | None:
        """The first undecided finding after `after` (wrapping round), if any is left."""
        assert self.case is not None
        findings = list(self.case.findings)
        ids = [f.fingerprint for f in findings]
        start = ids.index(after) + 1 if after in ids else 0
        for finding in findings[start:] + findings[:start]:
            if finding.verdict is None:
                return finding.fingerprint
        return None

    # --- deciding ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the finding decisions when there is no current finding."""
        if action in ("decide", "dismiss_finding", "note", "move_finding"):
            return self.current is not None or None
        return True

    def action_decide(self, verdict: str, reason: str = "") -> None:
        """Record a verdict on the current finding, then move on to the next undecided one."""
        if self.current is None:
            return
        decided = self.current
        record_decision(
            self.session.db, decided, verdict, self.session.reviewer, reason=reason, clock=self.session.clock
        )
        self._reload()
        following = self._next_undecided(decided)
        if following is None:
            self.notify("Every finding on this case is decided. Press g to grade it.", title="Case reviewed")
            following = decided
        self.finding_list.select_finding(following)
        self.current = following
        self._show_record()
        self.finding_detail.show_finding(self._finding(self.current))

    def action_dismiss_finding(self) -> None:
        """Ask for a reason, then dismiss the current finding."""
        finding = self._finding(self.current)
        if finding is None:
            return

        def dismissed(reason: str | None) -> None:
            if reason is not None:
                self.action_decide(Verdict.DISMISSED.value, reason)

        self.app.push_screen(DismissModal(finding.message), dismissed)

    def action_undo(self) -> None:
        """Undo this reviewer's last decision on the case and go back to that finding."""
        undone = undo_last(self.session.db, self.session.reviewer, self.case_id, clock=self.session.clock)
        if undone is None:
            self.notify("Nothing of yours to undo on this case.")
            return
        self._reload()
        self.finding_list.select_finding(undone.fingerprint)
        self.current = undone.fingerprint
        self._show_record()
        self.finding_detail.show_finding(self._finding(self.current))
        finding = self._finding(undone.fingerprint)
        what = category_label(finding.category) if finding else "finding"
        self.notify(f"Undid {undone.verdict.value} on a {what} finding.")

    def action_note(self) -> None:
        """Add a free-text note to the current finding."""
        finding = self._finding(self.current)
        if finding is None:
            return

        def noted(text: str | None) -> None:
            if text:
                add_note(self.session.db, finding.fingerprint, text, self.session.reviewer, clock=self.session.clock)
                self._reload()
                self.finding_detail.show_finding(self._finding(self.current))

        self.app.push_screen(NoteModal(finding.note), noted)

    def action_grade(self) -> None:
        """Grade the case on the four-point scale, with a comment."""
        current = self.case.grade if self.case else None

        def graded(choice: GradeChoice | None) -> None:
            if choice is not None:
                record_grade(
                    self.session.db,
                    self.case_id,
                    choice.grade,
                    self.session.reviewer,
                    choice.comment,
                    self.session.clock,
                )
                self._reload()
                self.notify(f"Graded {choice.grade.label}.")

        self.app.push_screen(
            GradeModal(current.grade if current else Grade.GOOD, current.comment if current else ""), graded
        )

    def action_back(self) -> None:
        """Back to the queue."""
        self.dismiss(self.case_id)
