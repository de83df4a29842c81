"""How far two annotators of the same records agree, per category (Cohen's kappa and F1).

    python scripts/label_agreement.py FIRST/labels.jsonl SECOND/labels.jsonl [--records RECORDS]

Compares the records both files label. F1 treats the first file as the reference; it is
symmetric, so it is also the F1 either annotator would score against the other. It is the
ceiling to keep in mind when reading a classifier's F1 against one annotator's labels. With
`--records`, missing_history is compared only on analytical records, where it can apply.
"""

import argparse
import json
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from auditor.evaluation import read_labels
from auditor.findings import CORE_CATEGORIES
from auditor.model.train import metrics_of
from auditor.records import ANALYTICAL_TYPES


def analytical_ids(records: Path) -> set[str]:
    """Note ids of the analytical records in a records file."""
    kinds = {kind.value for kind in ANALYTICAL_TYPES}
    rows = (json.loads(line) for line in records.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["note_id"] for row in rows if row["type"] in kinds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--records", type=Path, help="records.jsonl, to compare missing_history where it applies")
    args = parser.parse_args()
    first, second = read_labels(args.first), read_labels(args.second)
    shared = sorted(set(first) & set(second))
    analytical = analytical_ids(args.records) if args.records else set(shared)
    print(f"{len(shared)} records labelled in both files")
    print(f"{'category':<20}{'records':>8}{'first':>7}{'second':>7}{'agree':>7}{'kappa':>7}{'F1':>7}")
    for category in CORE_CATEGORIES:
        ids = [i for i in shared if category != "missing_history" or i in analytical]
        a = [int(category in first[i]) for i in ids]
        b = [int(category in second[i]) for i in ids]
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / max(len(ids), 1)
        kappa = cohen_kappa_score(a, b) if len(set(a) | set(b)) > 1 else 1.0
        f1 = metrics_of([bool(y) for y in b], a).f1
        print(f"{category:<20}{len(ids):>8}{sum(a):>7}{sum(b):>7}{agree:>7.3f}{kappa:>7.3f}{f1:>7.3f}")


if __name__ == "__main__":
    main()
