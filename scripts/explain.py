"""Debug aid for rule authors: run the bundled rules on one text and show every context."""

import datetime as dt
import sys

from auditor import resources
from auditor.records import Case, Note, RecordType
from auditor.rules.engine import RuleSet
from auditor.rules.kinds import Target

rules = RuleSet.load([resources.rules_dir()])
text = sys.argv[1]
kind = RecordType(sys.argv[2]) if len(sys.argv) > 2 else RecordType.ASSESSMENT
note = Note("c", "n", dt.date(2024, 6, 1), kind, text)
case = Case.of("c", [note])
target = Target(note, case, rules.context)
for rule in rules.rules:
    trig = getattr(rule, "triggers", None)
    if trig is None:
        continue
    for m in trig.finditer(text):
        i, s = target.sentence_at(m.start())
        ctx = target.context_of(s, m.span())
        print(rule.info.id, repr(m.group(0)), ctx)
for f in rules.audit(case):
    print("FINDING", f.category, f.explanation)
