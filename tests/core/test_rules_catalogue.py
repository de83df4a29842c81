"""The bundled rules as a catalogue: what each flags and what it leaves alone."""

from __future__ import annotations

import pytest

from auditor.rules.engine import RuleSet
from tests.conftest import make_case, make_note


def rule_ids(rules: RuleSet, text: str, kind: str = "assessment", earlier: tuple[tuple[str, str, str], ...] = ()):
    import datetime as dt

    notes = [make_note(t, k, dt.date.fromisoformat(d), note_id=f"e{i}", order=i) for i, (k, d, t) in enumerate(earlier)]
    notes.append(make_note(text, kind, note_id="target", order=len(notes)))
    case = make_case(*notes)
    return sorted({s.removeprefix("rule:") for f in rules.audit(case) if f.note_id == "target" for s in f.sources})


def assert_findings(rules: RuleSet, text: str, *expected: str, kind: str = "assessment", earlier=()):
    assert rule_ids(rules, text, kind, earlier) == sorted(expected)


OPTIMISM = [
    (
        "Mum assured me that Mr X has moved out and will not be coming back.",
        "visit",
        ["optimism.ParentAssurance"],
    ),
    (
        "Mum assured me that Mr X has moved out. Police confirm no call-outs since May.",
        "visit",
        [],
    ),
    ("Although Mother says she has ended it with Mr X, he was seen at the flat on Tuesday.", "visit", []),
    ("Parents are engaging really well with all services.", "review", ["optimism.EngagementAsChange"]),
    ("Father is not engaging with the drug service.", "review", []),
    ("Dad has turned things around and the children are thriving.", "review", ["optimism.SweepingPositive"]),
    ("Child A said things are better now that Dad doesn't live here.", "visit", []),
    ("It is hoped that Mum will sustain the changes.", "plan", ["optimism.HopefulPrediction"]),
    ("It was just a verbal argument, nothing physical.", "assessment", ["optimism.Minimising"]),
    # counter-evidence backs the claim it follows, not the one before it
    (
        "School confirm Child A's attendance is 96%. Mum says she has finished with Mr X for good.",
        "visit",
        ["optimism.ParentAssurance"],
    ),
    # frequency words inside a parent's own claim are not evidence for it
    (
        "Mum says she takes her lithium every day, and I have no reason to doubt her.",
        "visit",
        ["optimism.HopefulPrediction", "optimism.ParentAssurance", "optimism.WorkerReassured"],
    ),
]


@pytest.mark.parametrize(("text", "kind", "expected"), OPTIMISM)
def test_optimism_catalogue(rules, text, kind, expected):
    assert_findings(rules, text, *expected, kind=kind)


RATIONALE = [
    ("Discussed with TM. Threshold not met. NFA.", "contact", ["unclear_rationale.ThresholdOutcome"]),
    ("Information only: notification of a house move. No action needed.", "contact", []),
    (
        "NFA. School confirm attendance is 97% and the DSL reports no concerns since March; Mother agrees "
        "and the referrer was informed on 2/5.",
        "contact",
        [],
    ),
    ("Case to close.", "supervision", ["unclear_rationale.ClosureOrStepDown"]),
    ("The rationale for closing this case is not recorded; please add it.", "supervision", []),
    (
        "Contact to move to unsupervised from next week.",
        "decision",
        [
            "unclear_rationale.AgreedChange",
            "unclear_rationale.CareDecision",
            "unclear_rationale.DecisionRecordWithoutReasons",
        ],
    ),
    # a management decision record is itself the decision: a bare one is flagged whatever it says
    (
        "Agree with the allocated worker's recommendation.",
        "decision",
        ["unclear_rationale.DecisionRecordWithoutReasons"],
    ),
    # "<reason>, so <decision>": the clause before the decision is its reason
    (
        "The home has fitted door alarms and she has come back within the hour each time, so no strategy needed.",
        "supervision",
        [],
    ),
    ("No strategy needed.", "supervision", ["unclear_rationale.ThresholdOutcome"]),
    # a decision at the end of a record full of what was seen and said carries its reasons
    (
        "Visit with HV. Baby B was feeding well and has moved from the 9th to the 25th centile over six weeks. "
        "The home was warm, with a made-up cot, and Mother showed me the feeding chart she keeps for the HV. "
        "Father was at work; Mother said he does the night feeds and the HV has seen him do one. "
        "Child A (6) showed me her bedroom and talked about her new school friends.\n\nNFA.",
        "visit",
        [],
    ),
]


@pytest.mark.parametrize(("text", "kind", "expected"), RATIONALE)
def test_rationale_catalogue(rules, text, kind, expected):
    assert_findings(rules, text, *expected, kind=kind)


HISTORY_EARLIER = (
    ("referral", "2021-02-01", "Referral from school about Child A's hygiene."),
    ("closure", "2021-09-01", "CIN plan ended and case closed."),
    ("referral", "2024-05-20", "Re-referral from HV about Baby B's weight."),
)


def test_no_previous_involvement_contradicts_history(rules):
    text = "There is no previous involvement with this family."
    assert_findings(rules, text, "missing_history.NoPreviousInvolvementClaimed", earlier=HISTORY_EARLIER)


def test_no_previous_involvement_is_fine_for_a_new_family(rules):
    earlier = (("referral", "2024-05-20", "Referral from HV about Baby B's weight."),)
    assert_findings(rules, "There is no previous involvement with this family.", earlier=earlier)


def test_assessment_that_ignores_history_is_flagged(rules):
    text = (
        "Mother presented as calm and the home was tidy. Child A was seen and appeared happy. "
        "The risk is assessed as low and the recommendation is to close the case."
    )
    ids = rule_ids(rules, text, earlier=HISTORY_EARLIER)
    assert "missing_history.HistoryNotWeighed" in ids


def test_assessment_that_weighs_history_is_not_flagged(rules):
    text = (
        "This is the second referral since 2021 about Child A's hygiene; the previous CIN plan closed after "
        "a short improvement. The risk is assessed as medium and a CIN plan is recommended."
    )
    assert "missing_history.HistoryNotWeighed" not in rule_ids(rules, text, earlier=HISTORY_EARLIER)
