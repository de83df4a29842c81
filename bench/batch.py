"""Benchmark the overnight run: records per second and peak memory, against a raw pattern scan.

For each corpus size and job count it runs `auditor batch` (rules and model both on) in a
fresh database, sampling the resident memory of the whole process tree, then scans the same
text with the rules' trigger patterns alone, so the cost of everything else shows as a ratio.

    python bench/batch.py --records 100000 1000000 --jobs 1 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from make_corpus import generate  # noqa: E402

from auditor import resources  # noqa: E402
from auditor.rules.engine import RuleSet  # noqa: E402
from auditor.rules.patterns import Prefilter  # noqa: E402


def corpus(records: int) -> Path:
    path = BENCH / "data" / f"bench-{records}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            for row in generate(records):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def run_batch(path: Path, jobs: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "auditor", "batch", str(path), "--db", f"{tmp}/bench.db",
                   "--jobs", str(jobs), "--no-report"]  # fmt: skip
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss(process.pid))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        elapsed = time.perf_counter() - start
        done.set()
        sampler.join()
        if code != 0:
            raise SystemExit(f"batch failed with exit code {code}")
        return elapsed, peak


def raw_scan(path: Path) -> tuple[float, int]:
    """Seconds to run every rule's trigger patterns (one RE2 set) over every record's text."""
    rules = RuleSet.load([resources.rules_dir()])
    prefilter = Prefilter([r.prefilter for r in rules.rules if r.prefilter])
    size = 0
    start = time.perf_counter()
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            text = json.loads(line)["text"]
            size += len(text.encode("utf-8"))
            prefilter.matching(text)
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print("| records | jobs | seconds | records/s | peak memory (MiB) | raw scan records/s | batch ÷ raw |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for records in args.records:
        path = corpus(records)
        scan_seconds, size = raw_scan(path)
        for jobs in args.jobs:
            seconds, peak = run_batch(path, jobs)
            rate, raw_rate = records / seconds, records / scan_seconds
            print(
                f"| {records:,} | {jobs} | {seconds:,.0f} | {rate:,.0f} | {peak / 2**20:,.0f} | "
                f"{raw_rate:,.0f} ({size / scan_seconds / 2**20:,.1f} MB/s) | {raw_rate / rate:,.1f}× slower |",
                flush=True,
            )


if __name__ == "__main__":
    main()
