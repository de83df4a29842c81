"""`run_batch`: the overnight audit, streamed, parallel, resumable, into the database.

Crash safety: each chunk of cases is written in one transaction together with the key that
says it is done (its content, rules and model). A run killed at any moment and started
again resumes the same run, skips every case already written, and ends with exactly what
an uninterrupted run writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from auditor.batch.progress import Progress
from auditor.batch.staging import Staging, case_content_hash
from auditor.batch.worker import AuditConfig, audit_chunk, audit_numbered_chunk, auditor_for
from auditor.findings import Finding
from auditor.readers import InputProblem
from auditor.records import Case
from auditor.store.database import connect
from auditor.store.findings_sync import sync_case_findings

CHUNK_RECORDS = 1500
"""Records per parallel task: big enough to amortise dispatch, small enough to commit often."""


@dataclass(frozen=True)
class BatchOptions:
    """What to audit and how."""

    inputs: tuple[str, ...]
    config: AuditConfig
    input_format: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    jobs: int = 1
    backend: str = "loky"
    scheduler: str | None = None
    chunk_records: int = CHUNK_RECORDS


@dataclass
class BatchResult:
    """What a run did."""

    run_id: int
    records: int = 0
    cases: int = 0
    cases_audited: int = 0
    findings_new: int = 0
    findings_resolved: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    completed: bool = False

    @property
    def skipped(self) -> int:
        """Records skipped as bad input."""
        return sum(1 for p in self.problems if p.fatal)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _inputs_key(inputs: tuple[str, ...]) -> str:
    """What identifies the night's input: each path with its size and modification time.

    A run interrupted and restarted on the same files resumes; if the files have changed (or
    come from standard input, which cannot be read twice), it is a new run.
    """
    parts = []
    for source in inputs:
        path = Path(source)
        if source == "-" or not path.exists():
            parts.append(f"{source}:{time.time_ns()}")
        elif path.is_dir():
            stats = sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in path.rglob("*") if p.is_file())
            parts.append(f"{source}:{hashlib.sha256(json.dumps(stats).encode()).hexdigest()}")
        else:
            stat = path.stat()
            parts.append(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    return json.dumps(parts)


def _start_or_resume(db: sqlite3.Connection, key: str, options: BatchOptions, versions: dict[str, str]) -> int:
    row = db.execute(
        "SELECT run_id FROM runs WHERE status = 'running' AND config_key = ? ORDER BY run_id DESC LIMIT 1",
        (key,),
    ).fetchone()
    if row is not None:
        return int(row["run_id"])
    # An interrupted run of different work (other input, rules or model) will never resume.
    db.execute("UPDATE runs SET status = 'failed', finished = ? WHERE status = 'running'", (_now(),))
    cursor = db.execute(
        """INSERT INTO runs (started, status, config_key, engine, rules_version, model_version, inputs)
           VALUES (?, 'running', ?, ?, ?, ?, ?)""",
        (
            _now(),
            key,
            options.config.engine,
            versions.get("rules"),
            versions.get("model"),
            json.dumps(options.inputs),
        ),
    )
    return int(cursor.lastrowid or 0)


def _audit_key(case_hash: str, versions_key: str) -> str:
    return hashlib.sha256(f"{case_hash}\x1f{versions_key}".encode()).hexdigest()


class _Plan:
    """Walks the staged cases, skipping those already audited with the same key, in chunks."""

    def __init__(self, db_path: Path, staging: Staging, versions_key: str, chunk_records: int, progress: Progress):
        self.db_path = db_path
        self.staging = staging
        self.versions_key = versions_key
        self.chunk_records = chunk_records
        self.progress = progress
        self.pending: dict[int, list[tuple[Case, str]]] = {}
        self.lock = threading.Lock()

    def chunks(self, cancelled: threading.Event) -> Iterator[tuple[int, list[Case]]]:
        """Chunks of cases whose audit key changed; runs in joblib's dispatch thread."""
        reader = sqlite3.connect(self.db_path, check_same_thread=False)
        chunk: list[tuple[Case, str]] = []
        size = 0
        number = 0
        for case in self.staging.cases():
            if cancelled.is_set():
                break
            key = _audit_key(case_content_hash(case), self.versions_key)
            row = reader.execute("SELECT audit_key FROM cases WHERE case_id = ?", (case.case_id,)).fetchone()
            if row is not None and row[0] == key:
                with self.lock:
                    self.progress.done += len(case.notes)
                continue
            chunk.append((case, key))
            size += len(case.notes)
            if size >= self.chunk_records:
                yield self._hand_out(number, chunk)
                number, chunk, size = number + 1, [], 0
        if chunk:
            yield self._hand_out(number, chunk)
        reader.close()

    def _hand_out(self, number: int, chunk: list[tuple[Case, str]]) -> tuple[int, list[Case]]:
        with self.lock:
            self.pending[number] = chunk
        return number, [case for case, _ in chunk]


def _write_chunk(
    db: sqlite3.Connection, run_id: int, chunk: list[tuple[Case, str]], results: dict[str, list[Finding]]
) -> tuple[int, int]:
    new = resolved = 0
    db.execute("BEGIN IMMEDIATE")
    try:
        for case, key in chunk:
            db.execute("DELETE FROM records WHERE case_id = ?", (case.case_id,))
            db.executemany(
                "INSERT INTO records (note_id, case_id, date, type, author, ord, text, last_run) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        n.note_id,
                        n.case_id,
                        n.date.isoformat(),
                        n.type.value,
                        n.author,
                        n.order,
                        n.text,
                        run_id,
                    )
                    for n in case.notes
                ],
            )
            counts = sync_case_findings(db, case.case_id, results[case.case_id], run_id)
            new, resolved = new + counts.new, resolved + counts.resolved
            db.execute(
                """INSERT INTO cases (case_id, content_hash, audit_key, records, first_date, last_date, last_run)
                   VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET
                   content_hash = excluded.content_hash, audit_key = excluded.audit_key,
                   records = excluded.records, first_date = excluded.first_date,
                   last_date = excluded.last_date, last_run = excluded.last_run""",
                (case.case_id, case_content_hash(case), key, len(case.notes),
                 case.notes[0].date.isoformat(), case.notes[-1].date.isoformat(), run_id),
            )  # fmt: skip
        db.execute(
            """UPDATE runs SET cases_audited = cases_audited + ?, findings_new = findings_new + ?,
               findings_resolved = findings_resolved + ? WHERE run_id = ?""",
            (len(chunk), new, resolved, run_id),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return new, resolved


def run_batch(
    db_path: Path,
    options: BatchOptions,
    progress: Callable[[Progress], None] | None = None,
    cancelled: threading.Event | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
) -> BatchResult:
    """Audit every case of the inputs into the database; resume an interrupted run of the same work.

    Args:
        db_path: the audit database (created readable by its owner only).
        options: inputs, auditor configuration and parallelism.
        progress: called with the running totals as work completes.
        cancelled: set it to stop after the chunks in flight; the run stays resumable.
        on_problem: called with each bad record or file as it is found.

    Returns:
        What the run read, audited and changed.
    """
    cancelled = cancelled or threading.Event()
    auditor = auditor_for(options.config)  # loads and checks rules and model before any work
    versions = auditor.versions
    versions_key = json.dumps({"engine": options.config.engine, **versions}, sort_keys=True)
    run_key = hashlib.sha256(f"{versions_key}\x1f{_inputs_key(options.inputs)}".encode()).hexdigest()
    db = connect(db_path)
    run_id = _start_or_resume(db, run_key, options, versions)
    result = BatchResult(run_id)
    staging = Staging(db_path.with_name(db_path.name + ".staging"), f"{run_key}:{run_id}")
    if not staging.complete:
        staging.ingest(options.inputs, options.input_format, options.mapping, on_problem or (lambda _: None))
    result.problems = staging.problems()
    result.records, result.cases = staging.counts()
    db.execute(
        "UPDATE runs SET records_seen = ?, records_skipped = ?, cases_seen = ? WHERE run_id = ?",
        (result.records, result.skipped, result.cases, run_id),
    )
    state = Progress(total=result.records)
    plan = _Plan(db_path, staging, versions_key, options.chunk_records, state)
    for number, findings in _execute(plan, options, cancelled):
        with plan.lock:
            chunk = plan.pending.pop(number)
        new, resolved = _write_chunk(db, run_id, chunk, dict(findings))
        result.cases_audited += len(chunk)
        result.findings_new += new
        result.findings_resolved += resolved
        with plan.lock:
            state.done += sum(len(case.notes) for case, _ in chunk)
        if progress:
            progress(state)
    if not cancelled.is_set():
        db.execute("UPDATE runs SET status = 'done', finished = ? WHERE run_id = ?", (_now(), run_id))
        result.completed = True
        if progress:
            progress(state)
    staging.close(delete=result.completed)
    db.close()
    return result


def _execute(
    plan: _Plan, options: BatchOptions, cancelled: threading.Event
) -> Iterator[tuple[int, list[tuple[str, list[Finding]]]]]:
    """Audit the plan's chunks, in this process or in parallel workers."""
    tasks = plan.chunks(cancelled)
    if options.jobs == 1 and options.backend == "loky":
        for number, cases in tasks:
            yield number, audit_chunk(options.config, cases)
        return
    from joblib import Parallel, delayed, parallel_config  # noqa: PLC0415

    with ExitStack() as stack:
        if options.backend == "dask":
            stack.enter_context(_dask_client(options))
        stack.enter_context(parallel_config(backend=options.backend, n_jobs=options.jobs))
        # Unordered: each chunk is written on its own, so the order results arrive in does
        # not change what the database ends up holding.
        parallel = Parallel(return_as="generator_unordered", pre_dispatch="2*n_jobs")
        yield from parallel(delayed(audit_numbered_chunk)(number, options.config, cases) for number, cases in tasks)


def _dask_client(options: BatchOptions):  # noqa: ANN202 - a dask Client, imported lazily
    try:
        from dask.distributed import Client, LocalCluster  # noqa: PLC0415
    except ImportError:
        raise RuntimeError("--backend dask needs dask[distributed]: pip install 'casenote-auditor[dask]'") from None
    if options.scheduler:
        return Client(options.scheduler)
    cluster = LocalCluster(n_workers=options.jobs, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)
    return Client(cluster)
