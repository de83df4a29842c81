"""Write the morning report: HTML for managers, plus JSON and CSV summaries, owner-readable only."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path

from auditor.output import private_file
from auditor.readers import InputProblem
from auditor.report.html import render_report
from auditor.report.summary import build_summary, summary_json
from auditor.store.database import connect

REPORT_FILE = "morning-report.html"
SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "cases.csv"
REJECTS_FILE = "rejects.jsonl"


def write_report(db_path: Path, folder: Path, problems: Sequence[InputProblem] = ()) -> list[Path]:
    """Write the report files into `folder` (created owner-only); return their paths, HTML first."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    with connect(db_path, create=False) as db:
        summary = build_summary(db)
    skipped = sum(1 for p in problems if p.fatal)
    paths = [folder / REPORT_FILE, folder / SUMMARY_JSON, folder / SUMMARY_CSV, folder / REJECTS_FILE]
    with private_file(paths[0]) as stream:
        stream.write(render_report(summary, skipped))
    with private_file(paths[1]) as stream:
        stream.write(summary_json({**summary, "records_skipped": skipped}))
    with private_file(paths[2]) as stream:
        fields = ["case_id", "findings", "high", "medium", "low", "missing_history", "unclear_rationale",
                  "optimism", "reviewed", "top_score"]  # fmt: skip
        writer = csv.DictWriter(stream, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(summary["top_cases"])
    with private_file(paths[3]) as stream:
        for problem in problems:
            stream.write(json.dumps(problem.to_dict()) + "\n")
    return paths
