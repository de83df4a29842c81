"""Check a labelled corpus: valid JSON Lines, known types, every record labelled, excerpts exact."""

import json
import sys
from collections import Counter
from pathlib import Path

TYPES = {
    "referral",
    "contact",
    "visit",
    "strategy",
    "assessment",
    "plan",
    "review",
    "decision",
    "supervision",
    "closure",
}
CATEGORIES = {"missing_history", "unclear_rationale", "optimism"}


def main(records_path: str, labels_path: str) -> int:
    problems = []
    records = {}
    for n, line in enumerate(Path(records_path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{records_path}:{n}: bad JSON: {e}")
            continue
        for f in ("case_id", "note_id", "date", "type", "text"):
            if not r.get(f):
                problems.append(f"{records_path}:{n}: missing {f}")
        if r.get("type") not in TYPES:
            problems.append(f"{records_path}:{n}: unknown type {r.get('type')!r}")
        if r.get("note_id") in records:
            problems.append(f"{records_path}:{n}: duplicate note_id {r['note_id']}")
        records[r.get("note_id")] = r
    labelled = set()
    counts = Counter()
    for n, line in enumerate(Path(labels_path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            lab = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{labels_path}:{n}: bad JSON: {e}")
            continue
        nid = lab.get("note_id")
        if nid not in records:
            problems.append(f"{labels_path}:{n}: unknown note_id {nid}")
            continue
        labelled.add(nid)
        cats = set(lab.get("labels", []))
        if cats - CATEGORIES:
            problems.append(f"{labels_path}:{n}: unknown labels {cats - CATEGORIES}")
        ev_cats = set()
        for ev in lab.get("evidence", []):
            ev_cats.add(ev.get("category"))
            if ev.get("excerpt", "") not in records[nid]["text"] or not ev.get("excerpt"):
                problems.append(f"{labels_path}:{n}: excerpt not in text of {nid}: {ev.get('excerpt', '')[:60]!r}")
        if cats - ev_cats:
            problems.append(f"{labels_path}:{n}: labels without evidence: {cats - ev_cats}")
        for c in cats:
            counts[c] += 1
    for nid in records:
        if nid not in labelled:
            problems.append(f"record {nid} has no labels line")
    types = Counter(r["type"] for r in records.values())
    cases = {r["case_id"] for r in records.values()}
    print(f"{len(records)} records, {len(cases)} cases; labels: {dict(counts)}; types: {dict(types)}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
