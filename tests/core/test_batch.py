"""The overnight run: same findings as `audit`, incremental, resumable, carries decisions over."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor import resources
from auditor.batch.runner import BatchOptions, run_batch
from auditor.batch.worker import AuditConfig
from auditor.store.database import DatabaseError, connect
from auditor.store.exports import finding_rows

SAMPLE = str(resources.sample_records())


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, check=check)


def export(db: Path) -> list[dict]:
    with connect(db, create=False) as conn:
        return list(finding_rows(conn))


def options(*inputs: str, engine: str = "rules", jobs: int = 1, **extra) -> BatchOptions:
    return BatchOptions(inputs=inputs or (SAMPLE,), config=AuditConfig(engine=engine), jobs=jobs, **extra)


def test_batch_findings_equal_audit_findings(tmp_path):
    db = tmp_path / "audit.db"
    run_batch(db, options(engine="both"))
    audited = [json.loads(line) for line in cli("audit", "--format", "jsonl").stdout.splitlines()]
    assert export(db) == sorted(
        audited, key=lambda f: (f["case_id"], f["note_id"], f["start"], f["category"], f["fingerprint"])
    )


def test_database_and_report_are_owner_only(tmp_path):
    db = tmp_path / "audit.db"
    result = cli("batch", SAMPLE, "--db", str(db), "--engine", "rules", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert oct(db.stat().st_mode & 0o777) == "0o600"
    report = tmp_path / "audit-report"
    for path in report.iterdir():
        assert oct(path.stat().st_mode & 0o777) == "0o600", path
    assert oct(report.stat().st_mode & 0o777) == "0o700"


def test_unchanged_rerun_does_no_audit_work(tmp_path):
    db = tmp_path / "audit.db"
    first = run_batch(db, options())
    second = run_batch(db, options())
    assert first.cases_audited == first.cases > 0
    assert second.cases_audited == 0 and second.findings_new == 0


def test_changed_record_is_reaudited_and_vanished_finding_resolved_keeping_decisions(tmp_path):
    rows = [json.loads(line) for line in Path(SAMPLE).read_text().splitlines()]
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "audit.db"
    run_batch(db, options(str(data)))
    before = {f["fingerprint"]: f for f in export(db)}
    target = next(iter(before.values()))
    with connect(db) as conn:
        conn.execute(
            "INSERT INTO decisions (fingerprint, case_id, verdict, reviewer, decided_at) VALUES (?, ?, 'confirmed', 'qa1', 't')",
            (target["fingerprint"], target["case_id"]),
        )
    for row in rows:  # rewrite the flagged record so the finding disappears
        if row["note_id"] == target["note_id"]:
            row["text"] = "Home visit. Child A seen alone in her room and said she is happy at home."
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = run_batch(db, options(str(data)))
    assert result.cases_audited == 1 and result.findings_resolved >= 1
    with connect(db) as conn:
        status = conn.execute("SELECT status FROM findings WHERE fingerprint = ?", (target["fingerprint"],)).fetchone()[
            0
        ]
        decisions = conn.execute(
            "SELECT count(*) FROM decisions WHERE fingerprint = ?", (target["fingerprint"],)
        ).fetchone()[0]
    assert status == "resolved" and decisions == 1
    assert target["fingerprint"] not in {f["fingerprint"] for f in export(db)}


def test_decisions_are_append_only(tmp_path):
    db = tmp_path / "audit.db"
    with connect(db) as conn:
        conn.execute(
            "INSERT INTO decisions (fingerprint, case_id, verdict, reviewer, decided_at) VALUES ('f', 'c', 'confirmed', 'r', 't')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM decisions")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE decisions SET verdict = 'dismissed'")


@pytest.mark.parametrize("content", [b"", b"this is a text file\n", b"SQLite format 3\x00" + b"\x00" * 200])
def test_foreign_or_corrupt_database_is_refused_and_left_untouched(tmp_path, content):
    db = tmp_path / "other.db"
    db.write_bytes(content or b"hello")
    before = db.read_bytes()
    with pytest.raises(DatabaseError):
        connect(db)
    assert db.read_bytes() == before
    result = cli("batch", SAMPLE, "--db", str(db), "--engine", "rules", check=False)
    assert result.returncode == 2 and "left untouched" in result.stderr and "Traceback" not in result.stderr


def test_another_programs_sqlite_database_is_refused(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseError, match="another program|not an audit database"):
        connect(db)


def _big_input(tmp_path: Path, copies: int) -> Path:
    rows = [json.loads(line) for line in Path(SAMPLE).read_text().splitlines()]
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        for copy in range(copies):
            for row in rows:
                out.write(
                    json.dumps({**row, "case_id": f"{row['case_id']}-{copy}", "note_id": f"{row['note_id']}-{copy}"})
                    + "\n"
                )
    return path


def _night_one_with_decisions(db: Path) -> list[tuple]:
    """Last night's run on the sample, with some reviewer decisions on its findings."""
    from auditor.store.review import record_decision

    run_batch(db, options(SAMPLE))
    with connect(db) as conn:
        for number, row in enumerate(export(db)[:25]):
            record_decision(conn, row["fingerprint"], "confirmed" if number % 2 else "dismissed", "qa1")
        return [
            tuple(r) for r in conn.execute("SELECT fingerprint, verdict, reviewer FROM decisions ORDER BY decision_id")
        ]


@pytest.mark.slow
def test_sigkill_mid_run_then_restart_equals_uninterrupted_run(tmp_path):
    data = _big_input(tmp_path, 12)
    reference = tmp_path / "reference.db"
    decisions = _night_one_with_decisions(reference)
    run_batch(reference, options(str(data), SAMPLE))
    db = tmp_path / "killed.db"
    assert _night_one_with_decisions(db) == decisions
    command = [sys.executable, "-m", "auditor", "batch", str(data), SAMPLE, "--db", str(db), "--engine", "rules",
               "--jobs", "1", "--no-report"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                done = conn.execute("SELECT count(*) FROM cases WHERE last_run = 2").fetchone()[0]
        except sqlite3.Error:
            continue
        if done >= 40:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db) as conn:
        partial = conn.execute("SELECT count(*) FROM cases WHERE last_run = 2").fetchone()[0]
    assert 0 < partial < 12 * 32, "the kill should land part-way through"
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert export(db) == export(reference)
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT run_id, status FROM runs").fetchall()
        after = [
            tuple(r) for r in conn.execute("SELECT fingerprint, verdict, reviewer FROM decisions ORDER BY decision_id")
        ]
    assert runs == [(1, "done"), (2, "done")], "the restart resumes the killed run rather than starting another"
    assert after == decisions


@pytest.mark.slow
def test_parallel_loky_and_dask_give_identical_findings(tmp_path):
    serial, loky, dask = tmp_path / "serial.db", tmp_path / "loky.db", tmp_path / "dask.db"
    run_batch(serial, options(engine="both"))
    run_batch(loky, options(engine="both", jobs=2, chunk_records=40))
    run_batch(dask, options(engine="both", jobs=2, backend="dask", chunk_records=40))
    assert export(serial) == export(loky) == export(dask)


def test_reviewing_while_the_batch_writes_loses_nothing(tmp_path):
    import threading

    data = _big_input(tmp_path, 4)
    db = tmp_path / "audit.db"
    run_batch(db, options(SAMPLE))  # the reviewer has findings to decide on from last night
    fingerprints = [f["fingerprint"] for f in export(db)]
    errors: list[BaseException] = []
    written = []

    def review() -> None:  # the review app's own write path, while the batch writes
        from auditor.store.review import record_decision

        try:
            with connect(db) as conn:
                for number, fingerprint in enumerate(fingerprints[:60]):
                    verdict = "confirmed" if number % 2 else "dismissed"
                    record_decision(
                        conn, fingerprint, verdict, "qa1", reason="not a decision" if number % 2 == 0 else ""
                    )
                    written.append(fingerprint)
                    time.sleep(0.005)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    reviewer = threading.Thread(target=review)
    reviewer.start()
    result = run_batch(db, options(str(data), SAMPLE))
    reviewer.join()
    assert not errors and result.completed
    with connect(db) as conn:
        stored = [row[0] for row in conn.execute("SELECT fingerprint FROM decisions ORDER BY decision_id")]
    assert stored == written == fingerprints[:60]


def test_identifiers_are_found_masked_in_exports_and_can_stop_the_batch(tmp_path):
    rows = [json.loads(line) for line in Path(SAMPLE).read_text().splitlines()][:20]
    rows[3]["text"] += " Mother's NHS number is 943 476 5919 and she lives at 14 Elm Road, M1 1AE."
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "audit.db"
    result = cli(
        "batch", str(data), "--db", str(db), "--engine", "rules", "--jobs", "1", "--refuse-identifiable", check=False
    )
    assert result.returncode == 2 and "residual identifier" in result.stderr
    assert not (tmp_path / "audit-report").exists()
    exported = [json.loads(line) for line in cli("export", "--db", str(db)).stdout.splitlines()]
    identifiers = [f for f in exported if f["category"] == "identifier"]
    assert {f["sources"][0] for f in identifiers} >= {"leakguard:nhs_number", "leakguard:postcode"}
    assert all("943 476 5919" not in f["excerpt"] and "M1 1AE" not in f["excerpt"] for f in exported)
    raw = cli("export", "--db", str(db), "--show-identifiers").stdout
    assert "943 476 5919" in raw


def test_interrupted_run_is_not_resumed_on_changed_input(tmp_path):
    rows = [json.loads(line) for line in Path(SAMPLE).read_text().splitlines()]
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows[:50]))
    db = tmp_path / "audit.db"
    import threading

    stop = threading.Event()
    stop.set()  # interrupted before any chunk is written: the run stays resumable
    first = run_batch(db, options(str(data)), cancelled=stop)
    assert not first.completed
    data.write_text("".join(json.dumps(r) + "\n" for r in rows[:80]))  # tonight's input is different
    second = run_batch(db, options(str(data)))
    assert second.completed and second.run_id != first.run_id and second.records == 80
    with connect(db) as conn:
        statuses = dict(conn.execute("SELECT run_id, status FROM runs").fetchall())
    assert statuses == {first.run_id: "failed", second.run_id: "done"}
