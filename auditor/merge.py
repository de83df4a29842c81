"""One finding per piece of evidence: merge overlapping findings of one record and category.

Score policy, for findings that agree on a record, category and overlapping evidence: the
rules' scores combine by taking the highest (two phrasings of one worry are not independent
evidence); rules and model combine by noisy-OR, 1 - (1 - rule) * (1 - model), because they are
different detectors and agreement between them is stronger evidence than either alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import groupby

from auditor.findings import Finding

MODEL_SOURCE = "model"
EXPLANATION_JOINER = " | "
"""Between the parts of a merged explanation (a rule's, the model's)."""


def _combined_score(cluster: list[Finding]) -> float:
    rule_scores = [f.score for f in cluster if MODEL_SOURCE not in f.sources]
    model_scores = [f.score for f in cluster if MODEL_SOURCE in f.sources]
    rule = max(rule_scores, default=0.0)
    model = max(model_scores, default=0.0)
    if rule_scores and model_scores:
        return 1 - (1 - rule) * (1 - model)
    return rule or model


def _merge(cluster: list[Finding], text: str) -> Finding:
    if len(cluster) == 1:
        return cluster[0]
    lead = max(cluster, key=lambda f: (f.severity.rank, MODEL_SOURCE not in f.sources, f.score))
    start = min(f.start for f in cluster)
    end = max(f.end for f in cluster)
    sources = sorted({s for f in cluster for s in f.sources}, key=lambda s: (s == MODEL_SOURCE, s))
    # each rule finding the model supports carries the model's part: say each part once
    explanations = list(dict.fromkeys(part for f in cluster for part in f.explanation.split(EXPLANATION_JOINER)))
    return Finding(
        case_id=lead.case_id,
        note_id=lead.note_id,
        category=lead.category,
        score=_combined_score(cluster),
        severity=lead.severity,
        sources=tuple(sources),
        start=start,
        end=end,
        excerpt=text[start:end],
        message=lead.message,
        explanation=EXPLANATION_JOINER.join(explanations),
    )


def merge_findings(findings: Iterable[Finding], texts: Mapping[str, str]) -> list[Finding]:
    """Merge findings whose evidence overlaps within one record and category.

    Args:
        findings: findings from any detectors, in any order.
        texts: each record's text by note id, to cut the merged excerpt.

    Returns:
        The merged findings, ordered by record, then position.
    """
    ordered = sorted(findings, key=lambda f: (f.note_id, f.category, f.start, f.end))
    merged: list[Finding] = []
    for (note_id, _category), group in groupby(ordered, key=lambda f: (f.note_id, f.category)):
        cluster: list[Finding] = []
        cluster_end = -1
        for finding in group:
            if cluster and finding.start >= cluster_end:
                merged.append(_merge(cluster, texts[note_id]))
                cluster = []
            cluster.append(finding)
            cluster_end = max(cluster_end, finding.end) if len(cluster) > 1 else finding.end
        if cluster:
            merged.append(_merge(cluster, texts[note_id]))
    merged.sort(key=lambda f: (f.case_id, f.note_id, f.start, f.category))
    return merged
