"""`decision` rules: a recorded decision needs specific reasons somewhere in its record."""

from __future__ import annotations

import re
from dataclasses import dataclass

import re2

from auditor.rules.kinds.base import COMMON_KEYS, Hit, RuleInfo, Target, WindowedPatterns, quote
from auditor.rules.kinds.contextual import ContextPolicy, TriggeredRule
from auditor.rules.spec import SpecReader
from auditor.text import index_of_span

_REASON_KEYS = (
    "strong", "evidence", "connectives", "vague", "consequences", "need", "min_words", "same_day", "content_words"
)  # fmt: skip
_CLAUSE_END = re.compile(r"[.;:!?\n]|\bbut\b|\bhowever\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@dataclass(frozen=True)
class ReasonSpec:
    """What counts as a reason, and how much reason a decision needs.

    `strong` anchors (analysis, weighing, contingency, the family's agreement, a named
    record) count 2 anywhere in the record; `evidence` (facts such as "school confirm
    attendance is 97%") counts 2 only in the decision's own paragraph, because facts
    described elsewhere are not reasons unless the record links them to the decision; a
    connective ("because", "given that") counts 2 when at least `min_words` words follow
    it in its clause and they are not `vague` ("the concerns", "no longer a role"). With
    `content_words` set, every that many words the record holds outside its decision
    sentences count 1: a decision closing a record full of what was seen and said is
    rarely unexplained, while a bare one rarely sits in a long record. A `consequences`
    connective ("so", "therefore") between a decision and the clause before it in its own
    sentence makes that clause a reason too: "she always comes back, so no strategy needed".
    """

    strong: re2._Regexp | None
    evidence: re2._Regexp | None
    connectives: re2._Regexp | None
    vague: re2._Regexp | None
    consequences: re2._Regexp | None = None
    need: int = 2
    min_words: int = 4
    same_day: bool = False
    content_words: int = 0

    @classmethod
    def read(cls, spec: SpecReader) -> ReasonSpec:
        """Read the `reasons` mapping."""
        where = ("reasons",)
        spec.check_keys(where, _REASON_KEYS)
        return cls(
            strong=spec.regex((*where, "strong")),
            evidence=spec.regex((*where, "evidence")),
            connectives=spec.regex((*where, "connectives")),
            vague=spec.regex((*where, "vague")),
            consequences=spec.regex((*where, "consequences")),
            need=spec.whole((*where, "need"), 2, 1, 20),
            min_words=spec.whole((*where, "min_words"), 4, 1, 30),
            same_day=spec.flag((*where, "same_day"), False),
            content_words=spec.whole((*where, "content_words"), 0, 0, 1000),
        )

    @property
    def key(self) -> tuple[object, ...]:
        """What the weighing depends on: equal keys weigh a record identically."""
        regexes = (self.strong, self.evidence, self.connectives, self.vague, self.consequences)
        return (
            *(r.pattern if r is not None else None for r in regexes),
            self.min_words,
            self.same_day,
            self.content_words,
        )

    def weigh(
        self, texts: list[str], skip: list[tuple[int, int]], local: tuple[int, int] | None = None
    ) -> tuple[int, list[str]]:
        """Score the reasons in `texts` (the record first; `skip` spans of it are ignored).

        Args:
            texts: the record's text, then any same-day records of the case.
            skip: spans of the record to ignore (the decision triggers themselves).
            local: the span of the record where `evidence` counts (the decision's paragraph).
        """
        score, found = 0, []
        for number, text in enumerate(texts):
            spans = skip if number == 0 else []
            regions = [(self.strong, 0, len(text))]
            if number == 0 and local is not None:
                regions.append((self.evidence, *local))
            for regex, start, end in regions:
                for match in regex.finditer(text, start, end) if regex else ():
                    if not _inside(match.span(), spans):
                        score += 2
                        found.append(quote(match.group(0), 40))
            score, found = self._connectives(text, spans, score, found)
        return score, found

    def leading_reason(self, text: str, sentence_start: int, decision_start: int) -> str:
        """The clause before a decision that a consequence connective ties to it, or ''."""
        last = None
        for match in self.consequences.finditer(text, sentence_start, decision_start) if self.consequences else ():
            last = match
        if last is None:
            return ""
        clause = re.split(r"[;:]", text[sentence_start : last.start()])[-1]
        if len(_WORD.findall(clause)) < self.min_words or (self.vague and self.vague.search(clause)):
            return ""
        return clause.strip()

    def content_points(self, text: str, decisions: list[tuple[int, int]]) -> int:
        """Points for the words of `text` outside the `decisions` sentences."""
        if not self.content_words:
            return 0
        words = len(_WORD.findall(text)) - sum(len(_WORD.findall(text[s:e])) for s, e in decisions)
        return max(0, words) // self.content_words

    def _connectives(
        self, text: str, skip: list[tuple[int, int]], score: int, found: list[str]
    ) -> tuple[int, list[str]]:
        for match in self.connectives.finditer(text) if self.connectives else ():
            if _inside(match.span(), skip):
                continue
            end = _CLAUSE_END.search(text, match.end())
            clause = text[match.end() : end.start() if end else len(text)]
            if len(_WORD.findall(clause)) < self.min_words:
                continue
            if self.vague and self.vague.search(clause):
                continue
            score += 2
            found.append(quote(match.group(0) + clause, 40))
        return score, found


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


class DecisionRule(TriggeredRule):
    """Flags a decision whose record holds too little specific reasoning."""

    KIND = "decision"
    KEYS = (*COMMON_KEYS, "triggers", "unless", "context", "reasons")

    def __init__(
        self,
        info: RuleInfo,
        triggers: re2._Regexp,
        policy: ContextPolicy,
        unless: WindowedPatterns | None,
        reasons: ReasonSpec,
    ) -> None:
        super().__init__(info, triggers, policy, unless)
        self.reasons = reasons

    @classmethod
    def read(cls, info: RuleInfo, spec: SpecReader) -> DecisionRule:
        """Compile the decision triggers and the reason scoring."""
        triggers, policy, unless = cls.read_triggers(spec, unless_window="record")
        if spec.get(("reasons",)) is None:
            raise spec.error((), "missing required key 'reasons'")
        return cls(info, triggers, policy, unless, ReasonSpec.read(spec))

    def hits(self, target: Target) -> list[Hit]:
        """A hit on the first accepted decision sentence when reasons fall short."""
        decisions = []
        for match in self.triggers.finditer(target.text):
            index, sentence = target.sentence_at(match.start())
            context = target.context_of(sentence, match.span(), self.policy.wanted)
            if not self.policy.allows(context):
                continue
            if self.unless and self.unless.find(target, index, skip=match.span()):
                return []  # e.g. a manager's comment about a missing rationale
            decisions.append((match, sentence))
        if not decisions:
            return []
        skip = [m.span() for m, _ in decisions]
        local = target.paragraphs[index_of_span(target.paragraphs, decisions[0][1][0])]
        key = (self.reasons.key, tuple(skip), local)  # rules with the same reason patterns share the weighing
        score, found = target.memo(key, lambda: self.reasons.weigh(self._texts(target), skip, local))
        score += self.reasons.content_points(target.text, sorted({sentence for _, sentence in decisions}))
        for match, sentence in decisions:
            if leading := self.reasons.leading_reason(target.text, sentence[0], match.start()):
                score += 2
                found = [*found, quote(leading, 40)]
        if score >= self.reasons.need:
            return []
        match, sentence = decisions[0]
        reasons = ", ".join(found[:4]) if found else "none"
        explanation = (
            f"decision {quote(match.group(0))}; specific reasons found: {reasons} "
            f"(weight {score} of {self.reasons.need} needed)"
        )
        return [Hit(sentence[0], sentence[1], self.info.severity, explanation)]

    def _texts(self, target: Target) -> list[str]:
        texts = [target.text]
        if self.reasons.same_day:
            texts += [n.text for n in target.case.notes if n.date == target.note.date and n is not target.note]
        return texts
