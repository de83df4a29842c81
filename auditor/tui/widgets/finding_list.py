"""FindingList: a case's open findings, in record order, each with its verdict mark."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from auditor.store.review import FindingView
from auditor.tui.labels import (
    CATEGORY_COMPONENTS,
    SEVERITY_COMPONENTS,
    VERDICT_MARKS,
    category_abbrev,
    category_component,
)
from auditor.tui.messages import FindingChosen


class FindingList(OptionList):
    """One line per finding: verdict mark, category, severity, score and message."""

    HELP = """
## Findings

Each open finding on the case, in record order: its decision (`✔` confirmed, `✘` dismissed,
`?` unsure, `·` undecided), category, severity, score and the prompt for the auditor.

Decide the highlighted finding with `c` confirm, `d` dismiss (with a reason), `s` unsure;
`u` undoes your last decision, `n` adds a note. After a decision the cursor moves on to the
next undecided finding. `j`/`k` move between findings from anywhere on the screen.
"""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | CATEGORY_COMPONENTS | SEVERITY_COMPONENTS | {"finding--decided"}

    def show_findings(self, findings: tuple[FindingView, ...]) -> None:
        """List the findings, keeping the highlight where it was when possible."""
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options([Option(self._prompt(f), id=f.fingerprint) for f in findings])
            ids = [f.fingerprint for f in findings]
            if highlighted in ids:
                self.highlighted = ids.index(highlighted)

    def _prompt(self, finding: FindingView) -> Content:
        mark = VERDICT_MARKS[finding.verdict]
        category = Content.styled(
            f"{category_abbrev(finding.category):<3}",
            self.get_visual_style(category_component(finding.category), partial=True),
        )
        severity = Content.styled(
            f"{finding.severity:<6}", self.get_visual_style(f"severity--{finding.severity}", partial=True)
        )
        line = Content.assemble(f"{mark} ", category, " ", severity, f" {finding.score:.2f}  ", finding.message)
        if finding.verdict is not None:
            line = line.stylize(self.get_visual_style("finding--decided", partial=True), 0, 1)
        return line

    def select_finding(self, fingerprint: str) -> None:
        """Move the highlight to a finding; the screen hears of it as for a key press."""
        self.highlighted = self.get_option_index(fingerprint)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Tell the screen which finding is current."""
        event.stop()
        if event.option.id is not None:
            self.post_message(FindingChosen(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a finding keeps it current (decisions have their own keys)."""
        event.stop()
