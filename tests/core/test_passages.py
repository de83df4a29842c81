"""Passages: what the passage model reads, and what it learns from the labelled evidence."""

from __future__ import annotations

from auditor.model.passages import UNKNOWN, passage_targets, passages

CATEGORIES = ["unclear_rationale", "optimism"]
TEXT = "Home visit today. Mother says she has stopped drinking. Her tests since May are clear. Case to close."


def test_each_passage_reads_its_sentence_and_the_next():
    pieces = passages(TEXT)
    assert [TEXT[slice(*p.evidence)] for p in pieces] == [
        "Home visit today.",
        "Mother says she has stopped drinking.",
        "Her tests since May are clear.",
        "Case to close.",
    ]
    assert TEXT[slice(*pieces[1].reading)] == "Mother says she has stopped drinking. Her tests since May are clear."
    assert TEXT[slice(*pieces[-1].reading)] == "Case to close."
    assert [list(p.sentences) for p in pieces] == [[0, 1], [1, 2], [2, 3], [3]]


def test_a_record_without_sentences_is_one_passage():
    assert [p.evidence for p in passages("NFA")] == [(0, 3)]
    assert [p.evidence for p in passages("")] == [(0, 0)]


def test_evidence_sentence_is_positive_other_sentences_of_a_labelled_record_are_unknown():
    targets = passage_targets(TEXT, [1, 0], [("unclear_rationale", "Case to close.")], CATEGORIES)
    assert targets[:, 0].tolist() == [UNKNOWN, UNKNOWN, UNKNOWN, 1]
    assert targets[:, 1].tolist() == [0, 0, 0, 0], "a record without the label teaches only negatives"


def test_an_excerpt_spanning_two_sentences_marks_both_and_a_missing_excerpt_marks_none():
    spanning = passage_targets(TEXT, [0, 1], [("optimism", "stopped drinking. Her tests")], CATEGORIES)
    assert spanning[:, 1].tolist() == [UNKNOWN, 1, 1, UNKNOWN]
    missing = passage_targets(TEXT, [0, 1], [("optimism", "not in the text")], CATEGORIES)
    assert missing[:, 1].tolist() == [UNKNOWN] * 4


def test_a_numbered_decision_is_one_passage_so_its_evidence_is_the_decision_not_its_number():
    text = "Decisions:\n1. s47 enquiry. Reason: grip marks.\n2. No CP medical for Child B.\n(iii) Review in 6 weeks.\n2.1. Plan ends."
    assert [text[slice(*p.evidence)] for p in passages(text)] == [
        "Decisions:",
        "1. s47 enquiry.",
        "Reason: grip marks.",
        "2. No CP medical for Child B.",
        "(iii) Review in 6 weeks.",
        "2.1. Plan ends.",
    ]


def test_a_record_of_numbered_or_bulleted_items_is_itemised_and_prose_is_not():
    from auditor.text import is_itemised

    assert is_itemised("Decisions:\n1. s47.\n2. No medical.")
    assert is_itemised("Agreed:\n- Placement to continue\n• Contact monthly")
    assert not is_itemised("Case closed. 2 visits since May were positive.\n- signed TM")
