"""Record-level precision, recall and F1 per category, against a labels file."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from auditor.findings import Finding


@dataclass(frozen=True)
class Metrics:
    """Counts and scores for one category."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Share of flagged records that carry the label."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of labelled records that were flagged."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class LabelsError(ValueError):
    """A labels file that cannot be read; the message names file and line."""


def read_labels(path: Path) -> dict[str, frozenset[str]]:
    """Labels by note id, from JSON Lines `{"note_id": ..., "labels": [...]}`."""
    labels: dict[str, frozenset[str]] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LabelsError(f"{path}: cannot read labels: {error}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            note_id, values = item["note_id"], item["labels"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise LabelsError(f'{path}:{number}: expected {{"note_id": ..., "labels": [...]}}') from None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise LabelsError(f"{path}:{number}: 'labels' must be a list of category names")
        labels[str(note_id)] = frozenset(values)
    return labels


def flagged_records(findings: Iterable[Finding]) -> dict[str, set[str]]:
    """The categories each record is flagged for."""
    flagged: dict[str, set[str]] = {}
    for finding in findings:
        flagged.setdefault(finding.note_id, set()).add(finding.category)
    return flagged


def score(
    flagged: Mapping[str, set[str]],
    labels: Mapping[str, frozenset[str]],
    categories: Iterable[str],
) -> dict[str, Metrics]:
    """Record-level metrics per category over the labelled records only."""
    results = {}
    for category in categories:
        tp = fp = fn = 0
        for note_id, truth in labels.items():
            predicted = category in flagged.get(note_id, ())
            actual = category in truth
            tp += predicted and actual
            fp += predicted and not actual
            fn += actual and not predicted
        results[category] = Metrics(tp, fp, fn)
    return results


def format_metrics(title: str, metrics: Mapping[str, Metrics]) -> str:
    """A small table of precision, recall and F1 per category."""
    lines = [title, f"  {'category':<20} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    for category, m in metrics.items():
        scores = f"{m.precision:>6.3f} {m.recall:>6.3f} {m.f1:>6.3f}"
        lines.append(f"  {category:<20} {scores} {m.tp:>5} {m.fp:>5} {m.fn:>5}")
    return "\n".join(lines)


BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001)


def calibration(
    probabilities: Mapping[str, Mapping[str, float]], labels: Mapping[str, frozenset[str]], categories: Iterable[str]
) -> dict[str, dict[str, object]]:
    """Brier score and a reliability table (mean predicted vs observed rate per bin) per category."""
    result: dict[str, dict[str, object]] = {}
    for category in categories:
        pairs = [(probabilities[n][category], category in truth) for n, truth in labels.items() if n in probabilities]
        if not pairs:
            continue
        brier = sum((p - float(y)) ** 2 for p, y in pairs) / len(pairs)
        table = []
        for low, high in zip(BINS, BINS[1:], strict=False):
            inside = [(p, y) for p, y in pairs if low <= p < high]
            if inside:
                mean_p = sum(p for p, _ in inside) / len(inside)
                observed = sum(1 for _, y in inside if y) / len(inside)
                table.append((low, min(high, 1.0), len(inside), mean_p, observed))
        result[category] = {"brier": brier, "reliability": table}
    return result


def format_calibration(report: Mapping[str, Mapping[str, object]]) -> str:
    """The model's calibration: Brier score, then predicted vs observed rate per probability bin."""
    lines = ["model calibration (record level)"]
    for category, entry in report.items():
        bins = "  ".join(
            f"[{low:.1f}-{high:.1f}) n={n} p={mean:.2f} obs={obs:.2f}"
            for low, high, n, mean, obs in entry["reliability"]
        )
        lines.append(f"  {category:<20} Brier {entry['brier']:.3f}   {bins}")
    return "\n".join(lines)
