"""How far the held-out split's figures depend on which cases fell into its test part.

`auditor train` reports one split by case, drawn with a fixed seed. This draws it again with
other seeds (each: a fifth of the cases held out, thresholds tuned by grouped cross-validation on
the rest) and prints `both`'s F1 per draw, then the spread over the draws.

    python scripts/split_draws.py [CORPUS] [--draws N]   # about a minute a draw on 2 cores
"""

import argparse
from pathlib import Path

import numpy as np

from auditor import resources
from auditor.corpus import load_corpus
from auditor.findings import CORE_CATEGORIES
from auditor.model.features import RANDOM_STATE
from auditor.model.train import split_by_case, training_data
from auditor.rules.engine import RuleSet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("models/corpus"))
    parser.add_argument("--draws", type=int, default=5, help="how many splits to draw (the first is train's)")
    args = parser.parse_args()
    rules = RuleSet.load([resources.rules_dir()])
    data = training_data(load_corpus(args.corpus), rules, CORE_CATEGORIES)
    records, hits = data.records(), data.hits()
    print(f"{'seed':<10}{'test cases':>11}" + "".join(f"{c:>19}" for c in CORE_CATEGORIES) + "  (both, F1)")
    figures = []
    for seed in range(RANDOM_STATE, RANDOM_STATE + args.draws):
        split = split_by_case(records, hits, CORE_CATEGORIES, random_state=seed)
        row = [split.report[c]["both"]["f1"] for c in CORE_CATEGORIES]
        figures.append(row)
        print(f"{seed:<10}{split.test_cases:>11}" + "".join(f"{f:>19.3f}" for f in row), flush=True)
    table = np.array(figures)
    for name, summary in (("mean", table.mean(axis=0)), ("lowest", table.min(axis=0)), ("highest", table.max(axis=0))):
        print(f"{name:<21}" + "".join(f"{f:>19.3f}" for f in summary))


if __name__ == "__main__":
    main()
