"""FindingDetail: the current finding's message, explanation, score, sources and decision."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from auditor.store.review import FindingView
from auditor.tui.labels import category_label, verdict_label


class FindingDetail(Static):
    """Everything about the current finding that the list line leaves out."""

    def show_finding(self, finding: FindingView | None) -> None:
        """Describe a finding, or say there is none."""
        if finding is None:
            self.update("No open findings on this case.")
            return
        decision = verdict_label(finding.verdict)
        if finding.verdict is not None:
            decision += f" by {finding.decided_by}" + (f": {finding.reason}" if finding.reason else "")
        lines = [
            Content.from_markup("[b]$message[/b]", message=finding.message),
            Content.from_markup(
                "[dim]$category · $severity · score $score · $sources[/dim]",
                category=category_label(finding.category),
                severity=finding.severity,
                score=f"{finding.score:.2f}",
                sources=", ".join(finding.sources),
            ),
            Content(f"Why: {finding.explanation}"),
            Content(f"Decision: {decision}"),
        ]
        if finding.note:
            lines.append(Content(f"Note: {finding.note}"))
        self.update(Content("\n").join(lines))
