"""Benchmark the review app on a 100,000-case, 1,000,000-finding database, through the app's own code.

Builds the database once (kept in bench/data/), then measures:

- the store's queries (first page, a page 50,000 rows deep, counts, filters, search, a case, a decision);
- time to first screen: from building the app (as `auditor review` does) to the queue's first rows painted;
- key press to repaint: for each key, the time from the key to the first repaint it causes (and to
  the last, once any worker it started has delivered), timed on the app's compositor output.

    python bench/tui_bench.py                  # build if missing, measure, print
    python bench/tui_bench.py --results        # ... and append a section to bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

import textual  # noqa: E402
from textual.widgets import Select  # noqa: E402

from auditor.settings import Settings  # noqa: E402
from auditor.store.database import connect  # noqa: E402
from auditor.store.exports import rule_health_rows  # noqa: E402
from auditor.store.review import (  # noqa: E402
    QueueFilter,
    QueueOrder,
    case_detail,
    queue_categories,
    queue_count,
    queue_page,
    record_decision,
    undo_last,
)
from auditor.tui.app import build_app  # noqa: E402

CATEGORY_FILTER = QueueFilter(category="identifier", severity="high")
TYPE_DATE_FILTER = QueueFilter(record_type="closure", date_from="2021-01-01", date_to="2021-03-31")
CATEGORIES = ("missing_history", "unclear_rationale", "optimism", "identifier")
TYPES = ("referral", "contact", "visit", "assessment", "plan", "review", "decision", "closure")
_VOCABULARY = (
    "mother father child school visit home police concern plan review agreed safe risk drinking appointment "
    "health visitor assessment strategy referral seen alone bedroom promised support worker manager neglect "
    "bruise incident attended engaged progress contact family unchanged"
)
WORDS = tuple(_VOCABULARY.split())


# --- building the database ----------------------------------------------------------------------


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build(path: Path, cases: int, findings: int, records_per_case: int = 3, seed: int = 7) -> float:
    """Write a synthetic audited database with the batch's schema (and its triggers); return seconds."""
    rng = random.Random(seed)
    started = time.perf_counter()
    db = connect(path)
    db.execute(
        "INSERT INTO runs (started, finished, status, config_key, engine, rules_version, model_version, inputs) "
        "VALUES ('2024-07-01T00:00:00Z', '2024-07-01T01:00:00Z', 'done', 'bench', 'both', 'rules@bench', "
        "'model@bench', '[]')"
    )
    # Findings per case vary from 1 to 19 around the mean, then the remainder is spread exactly.
    mean = findings / cases
    counts = [max(1, min(19, round(rng.gauss(mean, mean / 2)))) for _ in range(cases)]
    while (total := sum(counts)) != findings:
        i = rng.randrange(cases)
        counts[i] += 1 if total < findings and counts[i] < 19 else (-1 if total > findings and counts[i] > 1 else 0)
    chunk = 2000
    for first in range(0, cases, chunk):
        db.execute("BEGIN")
        records, case_rows, finding_rows = [], [], []
        for n in range(first, min(cases, first + chunk)):
            case_id = f"C{n:06d}"
            day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1800))
            texts = []
            for r in range(records_per_case):
                date = (day + dt.timedelta(days=30 * r)).isoformat()
                text = _text(rng, rng.randrange(40, 90))
                texts.append(text)
                records.append((f"{case_id}-N{r}", case_id, date, rng.choice(TYPES), f"SW{rng.randrange(40)}", r, text))
            last = (day + dt.timedelta(days=30 * (records_per_case - 1))).isoformat()
            case_rows.append((case_id, "h", records_per_case, day.isoformat(), last))
            for k in range(counts[n]):
                r = rng.randrange(records_per_case)
                start = rng.randrange(max(1, len(texts[r]) - 40))
                end = start + rng.randrange(10, 40)
                category = rng.choice(CATEGORIES)
                severity = rng.choices((0, 1, 2), (5, 3, 2))[0]
                fingerprint = hashlib.sha256(f"{case_id}/{k}".encode()).hexdigest()[:20]
                finding_rows.append((
                    fingerprint, case_id, f"{case_id}-N{r}", category, round(rng.uniform(0.3, 0.99), 3),
                    ("low", "medium", "high")[severity], severity, json.dumps([f"rule:{category}.Rule{k % 7}"]),
                    start, end, texts[r][start:end], f"A {category} finding to review.", "trigger and context",
                ))  # fmt: skip
        db.executemany(
            "INSERT INTO records (note_id, case_id, date, type, author, ord, text, last_run) VALUES (?,?,?,?,?,?,?,1)",
            records,
        )
        db.executemany(
            "INSERT INTO cases (case_id, content_hash, records, first_date, last_date, last_run) VALUES (?,?,?,?,?,1)",
            case_rows,
        )
        db.executemany(
            "INSERT INTO findings (fingerprint, case_id, note_id, category, score, severity, severity_rank, sources, "
            'start, "end", excerpt, message, explanation, status, first_run, last_run) '
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'open',1,1)",
            finding_rows,
        )
        db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return time.perf_counter() - started


def trigger_overhead(tmp: Path) -> tuple[float, float]:
    """Seconds to write 10,000 cases / 100,000 findings with and without the review-queue triggers."""
    timings = []
    for keep in (True, False):
        path = tmp / f"overhead-{keep}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = connect(path)
        if not keep:
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'review_queue%'"
            ):
                db.execute(f"DROP TRIGGER {name}")
        db.close()
        timings.append(build(path, 10_000, 100_000))
    return timings[0], timings[1]


def batch_overhead(tmp: Path, records: int = 100_000) -> tuple[list[float], list[float], int]:
    """Seconds of a real `run_batch` on the batch benchmark's corpus, with and without the triggers."""
    sys.path.insert(0, str(BENCH))
    from batch import corpus  # noqa: PLC0415 - the batch benchmark's own corpus, generated once

    from auditor.batch.runner import BatchOptions, run_batch  # noqa: PLC0415
    from auditor.batch.worker import AuditConfig  # noqa: PLC0415

    source = str(corpus(records))
    timings: dict[bool, list[float]] = {True: [], False: []}
    findings = 0
    for keep in (False, True, False, True):
        path = tmp / f"batch-overhead-{keep}.db"
        for suffix in ("", "-wal", "-shm", ".staging"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = connect(path)
        if not keep:
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'review%'"):
                db.execute(f"DROP TRIGGER {name}")
        db.close()
        started = time.perf_counter()
        result = run_batch(path, BatchOptions(inputs=(source,), config=AuditConfig(engine="rules"), jobs=1))
        timings[keep].append(time.perf_counter() - started)
        findings = result.findings_new
    return timings[True], timings[False], findings


def upgrade_seconds(path: Path) -> float:
    """Seconds `connect` takes to bring a copy of the database, as schema 1 left it, up to the review queue."""
    import shutil  # noqa: PLC0415

    copy = path.with_name("upgrade-copy.db")
    shutil.copy(path, copy)
    old = sqlite3.connect(copy, isolation_level=None)
    for kind, name in old.execute(
        "SELECT type, name FROM sqlite_master WHERE name LIKE 'review_queue%' OR name IN "
        "('records_case_type', 'decisions_reviewer') ORDER BY type = 'table'"
    ).fetchall():
        old.execute(f"DROP {kind.upper()} {name}")
    old.execute("PRAGMA user_version = 1")
    old.close()
    started = time.perf_counter()
    connect(copy, create=False).close()
    elapsed = time.perf_counter() - started
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return elapsed


# --- measuring ----------------------------------------------------------------------------------


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median milliseconds of `fn` over `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def store_figures(path: Path, cases: int) -> list[tuple[str, float]]:
    """Milliseconds for the store's queries on the big database."""
    db = connect(path, create=False)
    depth = cases // 2
    page = queue_page(db, limit=1000)
    for _ in range(depth // 1000 - 1):  # walk halfway down by keyset, to time one page there
        page = queue_page(db, after=page.next_key, limit=1000)
    deep = page.next_key
    middle = f"C{depth:06d}"
    fingerprint = db.execute("SELECT fingerprint FROM findings WHERE case_id = ? LIMIT 1", (middle,)).fetchone()[0]

    def decide() -> None:
        record_decision(db, fingerprint, "confirmed", "bench")
        undo_last(db, "bench")

    queries: list[tuple[str, Callable[[], object], int]] = [
        ("queue: first page, severity order", lambda: queue_page(db), 5),
        ("queue: first page, uncertainty order", lambda: queue_page(db, order=QueueOrder.UNCERTAINTY), 5),
        (f"queue: a page {depth:,} rows deep (keyset)", lambda: queue_page(db, after=deep), 5),
        ("queue: first page, category + severity filter", lambda: queue_page(db, CATEGORY_FILTER), 5),
        ("queue: first page, record type + date range", lambda: queue_page(db, TYPE_DATE_FILTER), 5),
        (
            "queue: first page, search a case id (also scans text)",
            lambda: queue_page(db, QueueFilter(search="C09999")),
            3,
        ),
        (
            "queue: first page, search common record text",
            lambda: queue_page(db, QueueFilter(search="bruise incident")),
            5,
        ),
        ("queue: search rare record text (scans every record)", lambda: queue_page(db, QueueFilter(search="zebra")), 1),
        ("queue: count, no filter", lambda: queue_count(db, QueueFilter()), 5),
        ("queue: count, category filter", lambda: queue_count(db, QueueFilter(category="identifier")), 3),
        ("filter options: categories", lambda: queue_categories(db), 3),
        ("case: detail of one case", lambda: case_detail(db, middle), 5),
        ("decision + undo (two appends)", decide, 5),
        ("rule health (every finding)", lambda: rule_health_rows(db), 1),
    ]
    figures = [(label, timed(query, repeat)) for label, query, repeat in queries]
    db.close()
    return figures


class Paints:
    """Timestamps of the app's repaints, from its compositor's output."""

    def __init__(self, app) -> None:  # noqa: ANN001 - an App
        self.times: list[float] = []
        original = app._display

        def display(screen, renderable) -> None:  # noqa: ANN001
            if renderable is not None:
                self.times.append(time.perf_counter())
            original(screen, renderable)

        app._display = display

    def after(self, moment: float) -> list[float]:
        return [t for t in self.times if t >= moment]


async def _settled(app, paints: Paints, quiet: float = 0.05, limit: float = 20.0) -> None:  # noqa: ANN001
    """Wait until no worker runs and nothing has been painted for `quiet` seconds."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.005)
        busy = any(w.is_running for w in app.workers)
        last = paints.times[-1] if paints.times else 0
        if not busy and time.perf_counter() - last > quiet:
            return


async def first_screen(path: Path, settings: Settings) -> float:
    """Seconds from building the app to the queue's first rows on screen."""
    started = time.perf_counter()
    app = build_app(path, settings)
    paints = None
    async with app.run_test(size=(120, 40)) as pilot:
        paints = Paints(app)
        while app.queue.table.row_count == 0:
            await asyncio.sleep(0.002)
        rows_at = time.perf_counter()
        while not paints.after(rows_at):
            await asyncio.sleep(0.002)
        elapsed = paints.after(rows_at)[0] - started
        await pilot.press("q")
    return elapsed


async def key_latencies(path: Path, settings: Settings) -> dict[str, list[tuple[float, float]]]:
    """Per key: (ms to first repaint, ms to the last repaint once settled)."""
    app = build_app(path, settings)
    results: dict[str, list[tuple[float, float]]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        paints = Paints(app)
        await _settled(app, paints)

        async def press(label: str, *keys: str) -> None:
            started = time.perf_counter()
            await pilot.press(*keys)
            await _settled(app, paints)
            after = paints.after(started)
            if after:
                first, last = (after[0] - started) * 1000, (after[-1] - started) * 1000
                results.setdefault(label, []).append((first, last))

        async def change(label: str, apply: Callable[[], None]) -> None:
            started = time.perf_counter()
            apply()
            await _settled(app, paints)
            after = paints.after(started)
            results.setdefault(label, []).append(((after[0] - started) * 1000, (after[-1] - started) * 1000))

        for _ in range(250):  # crosses two page boundaries: rows 100 and 200 load while moving
            await press("down (queue)", "down")
        for _ in range(10):
            await press("pagedown (queue)", "pagedown")
        for _ in range(10):
            await press("o (switch order: new first page)", "o")
        for _ in range(10):
            await press("enter (open a case)", "enter")
            for _ in range(5):
                await press("j (next finding)", "j")
                await press("] (next record)", "right_square_bracket")
            await press("c (confirm, move on)", "c")
            await press("u (undo)", "u")
            await press("escape (back to the queue)", "escape")
            await press("down (queue)", "down")
        category = app.queue.query_one("#category", Select)
        for value in ("identifier", "optimism", "missing_history", "unclear_rationale"):
            await change("category filter chosen (new first page)", lambda v=value: setattr(category, "value", v))
        await change("category filter cleared", category.clear)
        for term in ("C0123", "bruise incident"):
            await press("search typed + enter (new first page)", "slash", *term, "enter")
            await press("search cleared", "slash", "ctrl+u", "enter")
        await pilot.press("q")
    return results


def machine() -> str:
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Textual {textual.__version__}, {platform.system()} {platform.release()}"
    )


def report(args: argparse.Namespace, built: float | None, upgrade, overhead, batch, store, first, keys) -> str:  # noqa: ANN001
    size = args.db.stat().st_size / 1e6
    lines = [
        f"## Review app (`auditor review`) — {dt.date.today().isoformat()}",
        "",
        f"Machine: {machine()}.",
        f"Database: {args.cases:,} cases, {args.findings:,} findings, {args.cases * 3:,} records "
        f"({size:,.0f} MB), built by `bench/tui_bench.py`"
        + (f" in {built:.0f} s with the review-queue triggers on." if built else "."),
        "Timings go through the app's own code: `build_app` (as `auditor review`), the store's functions,",
        "and key presses through Textual's pilot at 120×40, timed on the compositor's output.",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
        f"| time to first screen (median of {len(first)}; first run) | {statistics.median(first) * 1000:.0f} ms "
        f"({first[0] * 1000:.0f} ms) | < 2 s |",
    ]
    all_first = [first_ms for samples in keys.values() for first_ms, _ in samples]
    median_all = statistics.median(all_first)
    lines.append(f"| key press to repaint, all keys (median of {len(all_first)}) | {median_all:.1f} ms | < 100 ms |")
    lines += [
        "",
        "Key press to repaint, per key (ms):",
        "",
        "| key | n | first repaint median | p95 | settled median | settled max |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, samples in keys.items():
        firsts = sorted(s[0] for s in samples)
        lasts = sorted(s[1] for s in samples)
        p95 = firsts[min(len(firsts) - 1, int(len(firsts) * 0.95))]
        first_median, last_median = statistics.median(firsts), statistics.median(lasts)
        lines.append(
            f"| {label} | {len(samples)} | {first_median:.1f} | {p95:.1f} | {last_median:.1f} | {lasts[-1]:.1f} |"
        )
    lines += [
        "",
        "Store queries (ms, median of 5 unless the query scans everything):",
        "",
        "| query | ms |",
        "| --- | --- |",
    ]
    lines += [f"| {label} | {ms:.1f} |" for label, ms in store]
    if overhead:
        with_t, without = overhead
        lines += [
            "",
            f"Cost of the review-queue triggers to the batch's writes: 10,000 cases / 100,000 findings written in "
            f"{with_t:.2f} s with them, {without:.2f} s without ({(with_t / without - 1) * 100:+.0f}%) "
            "when nothing but the inserts is timed.",
        ]
    lines += [
        "",
        f"Opening a database of this size written before the review queue existed (schema 1) upgrades it once, "
        f"filling the queue from its findings: {upgrade:.1f} s.",
    ]
    if batch:
        with_t, without, findings = batch
        change = (statistics.mean(with_t) / statistics.mean(without) - 1) * 100
        lines.append(
            f"In a real `run_batch` (100,000 records, rules engine, one job, {findings:,} findings): "
            f"{', '.join(f'{t:.1f}' for t in with_t)} s with the triggers, "
            f"{', '.join(f'{t:.1f}' for t in without)} s without ({change:+.0f}% on the means)."
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=BENCH / "data" / "tui-100k.db")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="app starts to time")
    parser.add_argument("--results", action="store_true", help="append a section to bench/RESULTS.md")
    parser.add_argument("--batch-overhead", action="store_true", help="also time real batch runs with/without triggers")
    args = parser.parse_args()
    sidecar = args.db.with_suffix(".json")  # remembers how long the build took, for later runs' reports
    if args.rebuild or not args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        args.db.parent.mkdir(parents=True, exist_ok=True)
        seconds = build(args.db, args.cases, args.findings)
        sidecar.write_text(json.dumps({"built_seconds": seconds}), encoding="utf-8")
        print(f"built {args.db} in {seconds:.1f} s", flush=True)
    built = json.loads(sidecar.read_text(encoding="utf-8"))["built_seconds"] if sidecar.exists() else None
    upgrade = upgrade_seconds(args.db)
    print(f"upgrade from schema 1: {upgrade:.1f} s", flush=True)
    overhead = trigger_overhead(args.db.parent)
    batch = batch_overhead(args.db.parent) if args.batch_overhead else None
    store = store_figures(args.db, args.cases)
    for label, ms in store:
        print(f"{label:<55} {ms:9.1f} ms", flush=True)
    settings = Settings(reviewer="bench", data_dir=args.db.parent)
    first = [asyncio.run(first_screen(args.db, settings)) for _ in range(args.runs)]
    print("first screen (s):", ", ".join(f"{t:.3f}" for t in first), flush=True)
    keys = asyncio.run(key_latencies(args.db, settings))
    text = report(args, built, upgrade, overhead, batch, store, first, keys)
    print(text)
    if args.results:
        results = BENCH / "RESULTS.md"
        existing = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
        results.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
