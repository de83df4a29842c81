"""Property tests: readers and the rule engine never crash, and evidence offsets are always valid."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.readers import InputProblem, read_records
from auditor.records import Note
from auditor.text import paragraph_spans, sentence_spans
from tests.conftest import make_case, make_note

# Text that looks like case notes: words the rules care about, punctuation, newlines, odd characters.
VOCAB = st.sampled_from(
    [
        "Mother",
        "Father",
        "Child",
        "A",
        "NFA",
        "no",
        "not",
        "previous",
        "history",
        "engaging",
        "well",
        "it",
        "is",
        "hoped",
        "threshold",
        "close",
        "closure",
        "because",
        "assured",
        "said",
        "2019",
        "12/03/2021",
        ".",
        ",",
        ";",
        ":",
        "\n",
        "\n\n",
        "(",
        ")",
        "'",
        '"',
        "–",
        "é",
        "☃",
        "\t",
        "fresh",
        "start",
        "historic",
    ]
)
NOTE_TEXT = st.one_of(st.text(max_size=400), st.lists(VOCAB, max_size=80).map(" ".join))
TYPES = st.sampled_from(["referral", "contact", "visit", "assessment", "review", "decision", "supervision", "closure"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NOTE_TEXT, kind=TYPES)
def test_rules_never_crash_and_offsets_are_valid(rules, text, kind):
    if not text.strip():
        return
    earlier = make_note("Referral from school re neglect.", "referral", dt.date(2020, 1, 1), note_id="e1")
    note = make_note(text, kind, note_id="n1", order=1)
    for finding in rules.audit(make_case(earlier, note)):
        target = earlier if finding.note_id == "e1" else note
        assert 0 <= finding.start <= finding.end <= len(target.text)
        assert finding.excerpt == target.text[finding.start : finding.end]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=600))
def test_sentence_and_paragraph_spans_are_ordered_and_inside_the_text(text):
    for spans in (sentence_spans(text), paragraph_spans(text)):
        previous_end = 0
        for start, end in spans:
            assert previous_end <= start < end <= len(text)
            assert text[start:end].strip() == text[start:end]
            previous_end = end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=120),
            st.dictionaries(st.text(max_size=8), st.text(max_size=20)).map(lambda d: json.dumps(d).encode()),
        ),
        max_size=12,
    )
)
def test_jsonl_reader_never_crashes_on_any_bytes(tmp_path, lines):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines))
    for item in read_records([str(path)], today=dt.date(2025, 1, 1)):
        assert isinstance(item, Note | InputProblem)
        if isinstance(item, InputProblem):
            assert str(item).startswith(str(path))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.text(max_size=300))
def test_csv_reader_never_crashes_on_any_text(tmp_path, content):
    path = tmp_path / "fuzz.csv"
    path.write_text("case_id,note_id,date,type,text\n" + content, encoding="utf-8")
    for item in read_records([str(path)], today=dt.date(2025, 1, 1)):
        assert isinstance(item, Note | InputProblem)
