"""Error analysis for rule authors: list false positives and negatives on a labelled set."""

import argparse
import json
from pathlib import Path

from auditor import resources
from auditor.audit import Auditor
from auditor.readers import read_records
from auditor.records import Note, group_cases
from auditor.rules.engine import RuleSet

parser = argparse.ArgumentParser()
parser.add_argument("records")
parser.add_argument("labels")
parser.add_argument("--category")
parser.add_argument("--kind", choices=["fp", "fn", "both"], default="both")
args = parser.parse_args()

labels = {}
for line in Path(args.labels).read_text().splitlines():
    item = json.loads(line)
    labels[item["note_id"]] = item
notes = [n for n in read_records([args.records]) if isinstance(n, Note)]
auditor = Auditor(RuleSet.load([resources.rules_dir()]))
for case in group_cases(notes):
    findings = auditor.audit_case(case)
    for note in case.notes:
        truth = set(labels.get(note.note_id, {}).get("labels", []))
        flagged = {f.category: f for f in findings if f.note_id == note.note_id}
        for category in ("missing_history", "unclear_rationale", "optimism"):
            if args.category and category != args.category:
                continue
            fp = category in flagged and category not in truth
            fn = category in truth and category not in flagged
            if (fp and args.kind in ("fp", "both")) or (fn and args.kind in ("fn", "both")):
                print(f"=== {'FP' if fp else 'FN'} {category} {note.note_id} ({note.type.value})")
                print(note.text[:1500])
                if fp:
                    print("--- finding:", flagged[category].explanation)
                else:
                    ev = [e["excerpt"] for e in labels[note.note_id]["evidence"] if e["category"] == category]
                    print("--- evidence:", ev)
                print()
