"""Reading records: every format, and every kind of bad input among good records."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.readers import InputProblem, read_records
from auditor.records import Note, RecordType, group_cases

TODAY = dt.date(2025, 6, 1)


def good(n: int, **extra) -> dict:
    row = {
        "case_id": "C1",
        "note_id": f"N{n}",
        "date": "2024-03-0" + str(n),
        "type": "visit",
        "text": f"Visit {n}.",
    }
    row.update(extra)
    return row


def read(path: Path, **kwargs) -> tuple[list[Note], list[InputProblem]]:
    items = list(read_records([str(path)], today=TODAY, **kwargs))
    return [i for i in items if isinstance(i, Note)], [i for i in items if isinstance(i, InputProblem)]


def lines(path: Path, *rows: object) -> Path:
    path.write_bytes(b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in rows))
    return path


def test_jsonl_records_are_read_and_cases_ordered_by_date(tmp_path):
    path = lines(tmp_path / "r.jsonl", good(3), good(1), {**good(2), "case_id": "C2"})
    notes, problems = read(path)
    assert not problems
    cases = group_cases(notes)
    assert [c.case_id for c in cases] == ["C1", "C2"]
    assert [n.note_id for n in cases[0].notes] == ["N1", "N3"]


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (b'{"case_id": "C1", "note_id": "X", "date": "2024-0', "invalid JSON"),
        (json.dumps({k: v for k, v in good(9).items() if k != "text"}).encode(), "missing field text"),
        (json.dumps({**good(9), "text": 42}).encode(), "field 'text': expected a string, got int"),
        (
            b'{"case_id": "C1", "note_id": "X", "date": "2024-01-01", "type": "visit", "text": "caf\xe9"}',
            "not valid UTF-8",
        ),
        (json.dumps({**good(9), "text": "a\u0000b"}).encode(), "NUL bytes"),
        (json.dumps({**good(9), "text": "   "}).encode(), "field 'text' is empty"),
        (json.dumps({**good(9), "date": "2024-02-30"}).encode(), "not a valid date"),
        (json.dumps({**good(9), "date": "2031-01-01"}).encode(), "is in the future"),
        (b"[1, 2, 3]", "expected a JSON object"),
    ],
)
def test_bad_line_is_reported_with_file_and_line_and_good_records_still_read(tmp_path, bad_line, message):
    path = lines(tmp_path / "r.jsonl", good(1), bad_line, good(2))
    notes, problems = read(path)
    assert [n.note_id for n in notes] == ["N1", "N2"]
    fatal = [p for p in problems if p.fatal]
    assert len(fatal) == 1
    assert str(fatal[0]).startswith(f"{path}:2: skipped:")
    assert message in fatal[0].message


def test_problem_messages_never_quote_record_text(tmp_path):
    secret = "Mother disclosed something private"
    path = lines(tmp_path / "r.jsonl", {**good(1), "date": "not a date", "text": secret}, {**good(2), "text": 7})
    _, problems = read(path)
    assert problems and all(secret not in str(p) for p in problems)


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(good(1)).encode() + b"\r\n" + json.dumps(good(2)).encode() + b"\r\n")
    notes, problems = read(path)
    assert [n.note_id for n in notes] == ["N1", "N2"] and not problems


def test_unknown_type_is_read_as_other_with_a_warning(tmp_path):
    notes, problems = read(lines(tmp_path / "r.jsonl", good(1, type="home visit")))
    assert notes[0].type is RecordType.OTHER
    assert problems[0].fatal is False and "read as 'other'" in problems[0].message


def test_extra_fields_are_warned_once(tmp_path):
    notes, problems = read(lines(tmp_path / "r.jsonl", good(1, worker="x"), good(2, worker="y")))
    assert len(notes) == 2
    assert [p.message for p in problems] == ["ignoring unknown fields: worker"]


def test_same_note_id_twice_with_different_text_keeps_the_first(tmp_path):
    notes, problems = read(lines(tmp_path / "r.jsonl", good(1), good(1, text="Other text."), good(1)))
    assert [n.text for n in notes] == ["Visit 1."]
    assert "different text" in problems[0].message and problems[0].line == 2
    assert "same note_id and text" in problems[1].message


def test_datetime_is_accepted(tmp_path):
    notes, _ = read(lines(tmp_path / "r.jsonl", good(1, date="2024-03-01T14:05:00")))
    assert notes[0].date == dt.date(2024, 3, 1)


def test_a_five_megabyte_record_is_read(tmp_path):
    notes, _ = read(lines(tmp_path / "r.jsonl", good(1, text="word " * 1_000_000)))
    assert len(notes[0].text) == 5_000_000


def test_binary_and_empty_files(tmp_path):
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    _, problems = read(binary)
    assert "binary file" in problems[0].message
    _, problems = read(empty)
    assert problems[0].message == "no records in file" and not problems[0].fatal


def test_csv_with_mapping_quoted_newlines_and_semicolons(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        'Case Ref;Note Ref;Date;Type;Body\nC1;N1;2024-03-01;visit;"Line one.\nLine two."\nC1;N2;2024-03-02;contact;Fine.\n',
        encoding="utf-8",
    )
    mapping = {"case_id": "Case Ref", "note_id": "Note Ref", "date": "Date", "type": "Type", "text": "Body"}
    notes, problems = read(path, mapping=mapping)
    assert not problems
    assert notes[0].text == "Line one.\nLine two."
    assert notes[1].note_id == "N2"


def test_csv_missing_column_names_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("case_id,note_id,date,text\nC1,N1,2024-03-01,Hi\n", encoding="utf-8")
    _, problems = read(path)
    assert str(problems[0]) == f"{path}:1: skipped: missing column 'type' in the header row"


def test_csv_row_line_numbers_count_quoted_newlines(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        'case_id,note_id,date,type,text\nC1,N1,2024-03-01,visit,"a\nb\nc"\nC1,N2,2024-13-01,visit,bad date\n',
        encoding="utf-8",
    )
    _, problems = read(path)
    assert problems[0].line == 5


def test_folder_layout_with_stray_files(tmp_path):
    case = tmp_path / "C1"
    case.mkdir()
    (case / "2024-03-01_visit.txt").write_text("Seen at home.", encoding="utf-8")
    (case / "2024-03-01_visit_2.txt").write_text("Second visit.", encoding="utf-8")
    (case / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README.txt").write_text("stray", encoding="utf-8")
    notes, problems = read(tmp_path)
    assert [n.note_id for n in notes] == ["C1/2024-03-01_visit.txt", "C1/2024-03-01_visit_2.txt"]
    assert {Path(p.path).name for p in problems} == {"notes.docx", "README.txt"}


def test_cli_strict_makes_bad_records_fatal(tmp_path):
    path = lines(tmp_path / "r.jsonl", good(1), b"{oops")
    base = [sys.executable, "-m", "auditor", "audit", str(path), "--engine", "rules", "--format", "jsonl"]
    lenient = subprocess.run(base, capture_output=True, text=True)
    strict = subprocess.run([*base, "--strict"], capture_output=True, text=True)
    assert lenient.returncode == 0 and f"{path}:2: skipped: invalid JSON" in lenient.stderr
    assert strict.returncode == 2 and "--strict" in strict.stderr
    assert "Traceback" not in lenient.stderr + strict.stderr


def test_cli_rejects_file_lists_what_was_skipped(tmp_path):
    path = lines(tmp_path / "r.jsonl", good(1), b"{oops", good(2, date="yesterday"))
    rejects = tmp_path / "rejects.jsonl"
    subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(path), "--engine", "rules", "--format", "jsonl",
         "--rejects", str(rejects)],
        capture_output=True, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [(r["line"], r["skipped"]) for r in rows] == [(2, True), (3, True)]
    assert rows[1]["note_id"] == "N2"
    assert oct(rejects.stat().st_mode & 0o777) == "0o600"


def test_stdin_is_read_with_dash():
    row = json.dumps(good(1, text="Discussed with TM. Threshold not met. NFA.", type="contact"))
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", "-", "--engine", "rules", "--format", "jsonl"],
        input=row + "\n", capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(result.stdout.splitlines()[0])["category"] == "unclear_rationale"


def test_cli_audits_good_records_among_every_kind_of_bad_one_without_a_traceback(tmp_path):
    path = lines(
        tmp_path / "mixed.jsonl",
        good(1, text="Discussed with TM. Threshold not met. NFA.", type="contact"),
        b'{"case_id": "C1", "note_id": "trunc',
        {k: v for k, v in good(2).items() if k != "date"},
        good(3, text=["not", "text"]),
        b"\xff\xfe not utf-8",
        good(4, text="nul \u0000 byte"),
        good(5, text=""),
        good(6, date="2024-13-45"),
        good(7, date="2099-01-01"),
        good(1, text="Different text, same id."),
        good(8, type="home visit", text="Mum is engaging really well and it is hoped this will continue."),
        good(9, text="word " * 1_000_000),
    )
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(path), "--format", "jsonl"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    flagged = {json.loads(line)["note_id"] for line in result.stdout.splitlines()}
    assert {"N1", "N8"} <= flagged
    assert result.stderr.count("skipped:") == 9
    assert "records in 1 cases audited" in result.stderr and "9 skipped" in result.stderr
