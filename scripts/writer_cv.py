"""Estimate how the tool does on writers it has never read: leave-writer-out cross-validation.

The training corpus is written in parts, one writer each, with the part in the id prefix
(`T9-C03`). Each fold holds out whole parts; thresholds are tuned, as `auditor train` tunes
them, on case-grouped out-of-fold probabilities from the remaining parts only; the held-out
parts are then scored. The `both` figures estimate what a new writer's records would get.

    python scripts/writer_cv.py [CORPUS]      # default models/corpus; about 9 minutes on 2 cores
"""

import argparse
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from auditor import resources
from auditor.corpus import load_corpus
from auditor.findings import CORE_CATEGORIES
from auditor.model.train import decide, fit_classifier, metrics_of, training_data, tune_thresholds
from auditor.rules.engine import RuleSet

OUTER_FOLDS = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("models/corpus"))
    args = parser.parse_args()
    rules = RuleSet.load([resources.rules_dir()])
    data = training_data(load_corpus(args.corpus), rules, CORE_CATEGORIES)
    records, hits = data.records(), data.hits()
    y = records.y
    writers = np.array([case.split("-")[0] for case in records.groups])
    flagged = {"rules": hits == 1, "model": np.zeros(y.shape, bool), "both": np.zeros(y.shape, bool)}
    for fit, score in GroupKFold(n_splits=min(OUTER_FOLDS, len(set(writers)))).split(y, groups=writers):
        training = records.subset(fit)
        fitted = fit_classifier(training, CORE_CATEGORIES)
        thresholds = tune_thresholds(fitted.out_of_fold, hits[fit], y[fit], CORE_CATEGORIES)
        model = fitted.classifier
        scored = records.subset(score)
        probabilities = model.predict_proba(scored.inputs, scored.applicable)
        for j, category in enumerate(CORE_CATEGORIES):
            t = thresholds[category]
            flagged["model"][score, j] = probabilities[:, j] >= t["alone"]
            flagged["both"][score, j] = decide(probabilities[:, j], hits[score, j], t["alone"], t["with_rule"])
    print(f"leave-writer-out over {len(set(writers))} writers, {len(y)} records (record-level F1)")
    print(f"{'category':<20}" + "".join(f"{engine:>8}" for engine in flagged))
    for j, category in enumerate(CORE_CATEGORIES):
        scores = "".join(f"{metrics_of(flagged[e][:, j], y[:, j]).f1:>8.3f}" for e in flagged)
        print(f"{category:<20}{scores}")


if __name__ == "__main__":
    main()
