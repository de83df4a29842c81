"""Command palette provider: "go to case" by id, from anywhere in the app."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from auditor.store.review import case_ids_matching
from auditor.tui.messages import OpenCase

if TYPE_CHECKING:
    from auditor.tui.app import AuditorApp

_PREAMBLE = re.compile(r"^\s*(go\s*to\s*)?(case\s*)?", re.IGNORECASE)


class CaseCommands(Provider):
    """Offers "Go to case <id>" for the case ids that start with what was typed."""

    async def search(self, query: str) -> Hits:
        """Case ids starting with the query (after any "go to case")."""
        app = cast("AuditorApp", self.app)
        prefix = _PREAMBLE.sub("", query).strip()
        if not prefix:
            return
        matcher = self.matcher(prefix)
        for case_id in case_ids_matching(app.session.db, prefix):
            text = f"Go to case {case_id}"
            yield Hit(
                max(matcher.match(case_id), 0.5),
                matcher.highlight(text),
                partial(app.post_message, OpenCase(case_id)),
                text=text,
                help="Open the case's records and findings",
            )

    async def discover(self) -> Hits:
        """Remind the reviewer the palette can open cases."""
        yield DiscoveryHit("Go to case…", self._hint, help="Type the start of a case id")

    def _hint(self) -> None:
        self.app.notify("Open the palette (ctrl+p) and type the start of a case id.")
