"""Render the morning report as one self-contained HTML file (inline CSS and SVG, no scripts)."""

from __future__ import annotations

from html import escape
from typing import Any

from auditor.findings import CORE_CATEGORIES
from auditor.report.svg import column_chart, stacked_bars

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:980px;color:#222;
padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.sub{color:#555}.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:130px}
.card b{display:block;font-size:1.5rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left}th{background:#f6f6f6}
td.n{text-align:right}svg text{font-size:12px;fill:#222}svg text.t{font-weight:600;font-size:13px}
svg text.s{font-size:10px}.note{color:#555;font-size:.85rem}
"""


def _cards(items: list[tuple[str, Any]]) -> str:
    return (
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{escape(str(value))}</b>{escape(label)}</div>' for label, value in items)
        + "</div>"
    )


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="n">{value}</td>' if isinstance(value, int | float) else f"<td>{escape(str(value))}</td>"
            for value in row
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _headline(totals: dict[str, int], problems: int) -> list[tuple[str, Any]]:
    labels = [
        ("records audited", "records"), ("cases", "cases"), ("open findings", "open_findings"),
        ("cases with findings", "cases_with_findings"), ("new since last run", "new_since_last_run"),
        ("resolved this run", "resolved_this_run"),
    ]  # fmt: skip
    return [(label, f"{totals[key]:,}") for label, key in labels] + [("records skipped", f"{problems:,}")]


def render_report(summary: dict[str, Any], problems: int) -> str:
    """The report page for a summary from `build_summary`."""
    run, totals = summary["run"], summary["totals"]
    categories = [c for c in CORE_CATEGORIES if c in summary["by_category"]] + sorted(
        c for c in summary["by_category"] if c not in CORE_CATEGORIES
    )
    severity_chart = stacked_bars(
        "Open findings by category and severity",
        [c.replace("_", " ") for c in categories],
        {s: [summary["by_category"][c][s] for c in categories] for s in ("high", "medium", "low")},
    )
    months = sorted({row["month"] for row in summary["by_month"]})
    monthly = {c: [0] * len(months) for c in categories}
    for row in summary["by_month"]:
        if row["category"] in monthly:
            monthly[row["category"]][months.index(row["month"])] = row["n"]
    month_chart = column_chart("Open findings by month of the record's date", months, monthly)
    review = summary["review"]
    review_chart = stacked_bars(
        "Review progress (open findings)",
        ["findings"],
        {k: [review[k]] for k in ("confirmed", "dismissed", "unsure", "undecided")},
    )
    top_rows = [
        [c["case_id"], c["high"], c["medium"], c["low"], c["missing_history"], c["unclear_rationale"],
         c["optimism"], f"{c['reviewed']}/{c['findings']}"]
        for c in summary["top_cases"]
    ]  # fmt: skip
    rule_rows = [
        [
            r["rule"],
            r["findings"],
            r["confirmed"],
            r["dismissed"],
            "–" if r["precision"] is None else r["precision"],
        ]
        for r in summary["rules"]
    ]
    new_rows = [[c.replace("_", " "), n] for c, n in sorted(summary["new_by_category"].items())]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>casenote-auditor morning report</title><style>{_CSS}</style></head>
<body>
<h1>Case recording audit: morning report</h1>
<p class="sub">Run {escape(str(run.get("run_id", "–")))} finished {escape(str(run.get("finished", "–")))}
 · rules {escape(str(run.get("rules_version") or "–"))} · model {escape(str(run.get("model_version") or "–"))}</p>
{
        _cards(
            [
                ("records audited", f"{totals['records']:,}"),
                ("cases", f"{totals['cases']:,}"),
                ("open findings", f"{totals['open_findings']:,}"),
                ("cases with findings", f"{totals['cases_with_findings']:,}"),
                ("new since last run", f"{totals['new_since_last_run']:,}"),
                ("resolved this run", f"{totals['resolved_this_run']:,}"),
                ("records skipped", f"{problems:,}"),
            ]
        )
    }
<h2>What the audit found</h2>
{severity_chart}
<h2>New since the last run</h2>
{_table(["category", "new findings"], new_rows) if new_rows else '<p class="note">Nothing new since the last run.</p>'}
<h2>Cases most in need of review</h2>
<p class="note">Ranked by high-severity findings, then number of findings. Review column: findings decided / open.</p>
{
        _table(
            ["case", "high", "medium", "low", "missing history", "unclear rationale", "optimism", "reviewed"],
            top_rows,
        )
    }
<h2>When the flagged records were written</h2>
{month_chart}
<h2>Findings by rule</h2>
<p class="note">Precision is confirmed ÷ (confirmed + dismissed) from auditors' decisions;
noisy rules sit at the top.</p>
{_table(["rule", "open findings", "confirmed", "dismissed", "precision"], rule_rows)}
<h2>Review progress</h2>
{review_chart}
<p class="note">{review["cases_graded"]} case(s) graded. This report holds counts and case ids only, no record text.
Flags are prompts for an auditor to look, not judgements on practice.</p>
</body></html>
"""
