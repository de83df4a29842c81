"""Write tests/data/tiny_corpus: a small, deliberately simple labelled corpus for model tests.

It only has to teach a tiny model the shape of each category so tests can exercise training,
loading and merging quickly; it is not a corpus for judging quality.
"""

import json
import random
from pathlib import Path

OPTIMISM = [
    "Mum is engaging really well and it is hoped this will continue.",
    "Dad has turned a corner and is fully committed to change.",
    "Mother assured me the relationship with Mr X is over, so risk has reduced.",
    "The family are doing really well and the children are thriving.",
]
RATIONALE = [
    "Discussed with TM. Threshold not met. NFA.",
    "Case to close as no longer a role for CSC.",
    "Step down to early help agreed.",
    "Outcome: NFA.",
]
HISTORY = [
    "This is a new referral and the family are not known to social care.",
    "The family want a fresh start and past concerns are not relevant.",
    "There is no previous involvement with this family.",
]
HISTORY_WEIGHED = [
    "This is the third referral since 2021 and the pattern of neglect is repeating.",
    "The previous CIN plan closed in 2022 after improvements that did not last.",
    "Known to CSC since 2020; the chronology shows the same concerns each time.",
]
CLEAN = [
    "Child A was seen alone in her bedroom and said she feels safe.",
    "School confirm attendance is 97% over the last two terms.",
    "Home visit completed; the kitchen had food and the beds were made.",
    "Police checks show no call-outs since March and the IDVA confirms a safety plan.",
    "The chronology shows three referrals since 2021, each about home conditions.",
]


def main() -> None:
    rng = random.Random(7)
    records, labels = [], []
    for c in range(48):
        case_id = f"tiny-{c:02d}"
        notes = [("referral", "2023-01-10", rng.choice(CLEAN), [])]
        kind = c % 4
        if kind == 0:
            notes.append(("review", "2024-03-01", rng.choice(OPTIMISM) + " " + rng.choice(CLEAN), ["optimism"]))
        elif kind == 1:
            notes.append(("decision", "2024-03-01", rng.choice(RATIONALE), ["unclear_rationale"]))
        elif kind == 2:
            notes.append(("referral", "2024-02-20", "Referral from school re bruising.", []))
            notes.append(("assessment", "2024-03-01", rng.choice(HISTORY), ["missing_history"]))
        else:  # history weighed: the hard negative for missing_history
            notes.append(("referral", "2024-02-20", "Referral from HV re weight.", []))
            notes.append(("assessment", "2024-03-01", rng.choice(HISTORY_WEIGHED) + " " + rng.choice(CLEAN), []))
        for n, (kind_name, date, text, cats) in enumerate(notes, 1):
            note_id = f"{case_id}-N{n}"
            records.append({"case_id": case_id, "note_id": note_id, "date": date, "type": kind_name, "text": text})
            evidence = [{"category": cat, "excerpt": text.split(". ")[0]} for cat in cats]
            labels.append({"note_id": note_id, "labels": cats, "evidence": evidence})
    out = Path(__file__).parent / "tiny_corpus"
    out.mkdir(exist_ok=True)
    (out / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (out / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in labels))


if __name__ == "__main__":
    main()
