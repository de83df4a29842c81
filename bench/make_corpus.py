"""Write a large synthetic corpus for benchmarks, built from the bundled sample's cases.

Each synthetic case copies a sample case (its record types, lengths and voices) under new ids
and shifted dates, with the sentences of each record lightly reshuffled and role words
swapped, so no two cases are identical and content hashes differ.

    python bench/make_corpus.py --records 1000000 --output bench/data/1m.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from pathlib import Path

from auditor import resources

_SWAPS = [("Mother", "Mum"), ("Father", "Dad"), ("Child A", "Child B"), ("Mr X", "Mr Y"), ("SW", "the SW")]
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def load_sample_cases() -> list[list[dict]]:
    cases: dict[str, list[dict]] = {}
    for line in resources.sample_records().read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        cases.setdefault(row["case_id"], []).append(row)
    return list(cases.values())


def vary(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    out = []
    for paragraph in paragraphs:
        sentences = _SENTENCE.split(paragraph)
        if len(sentences) > 2 and rng.random() < 0.3:
            middle = sentences[1:-1]
            rng.shuffle(middle)
            sentences = [sentences[0], *middle, sentences[-1]]
        out.append(" ".join(sentences))
    text = "\n\n".join(out)
    for a, b in _SWAPS:
        if rng.random() < 0.2:
            text = text.replace(a, b)
    return text


def generate(records: int, seed: int = 1):
    rng = random.Random(seed)
    templates = load_sample_cases()
    written = case_number = 0
    while written < records:
        template = rng.choice(templates)
        shift = dt.timedelta(days=rng.randint(-900, 0))
        case_id = f"B{case_number:07d}"
        for index, row in enumerate(template):
            if written >= records:
                break
            date = dt.date.fromisoformat(row["date"][:10]) + shift
            yield {
                "case_id": case_id,
                "note_id": f"{case_id}-N{index + 1:02d}",
                "date": date.isoformat(),
                "type": row["type"],
                "author": row.get("author", ""),
                "text": vary(row["text"], rng),
            }
            written += 1
        case_number += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        for row in generate(args.records, args.seed):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {args.records:,} records to {args.output}")


if __name__ == "__main__":
    main()
