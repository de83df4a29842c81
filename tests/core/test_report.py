"""The morning report: self-contained, and it renders in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from auditor import resources
from auditor.batch.runner import BatchOptions, run_batch
from auditor.batch.worker import AuditConfig
from auditor.report.writer import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    db = folder / "audit.db"
    run_batch(db, BatchOptions(inputs=(str(resources.sample_records()),), config=AuditConfig(engine="rules")))
    paths = write_report(db, folder / "out")
    return paths


def test_report_is_self_contained_and_holds_no_record_text(report):
    html = report[0].read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|src=|https?://(?!www\.w3\.org/2000/svg)", html)
    records = [json.loads(line)["text"] for line in resources.sample_records().read_text().splitlines()]
    sentences = {s.strip() for text in records for s in text.split(".") if len(s.strip()) > 40}
    assert not any(sentence in html for sentence in sentences)


def test_summaries_are_written(report):
    summary = json.loads(report[1].read_text())
    assert summary["totals"]["records"] == 305
    assert set(summary["by_category"]) >= {"missing_history", "unclear_rationale", "optimism"}
    assert report[2].read_text().startswith("case_id,findings,high")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_report_renders_in_headless_chromium(report, tmp_path):
    url = report[0].as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run([CHROMIUM, *FLAGS, *profile, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert "Case recording audit: morning report" in dom.stdout
    assert dom.stdout.count("<svg") >= 3 and "<rect" in dom.stdout
    for heading in ("What the audit found", "Cases most in need of review", "Findings by rule", "Review progress"):
        assert heading in dom.stdout
    shot = tmp_path / "report.png"
    subprocess.run(
        [CHROMIUM, *FLAGS, *profile, "--window-size=1000,2400", f"--screenshot={shot}", url],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
