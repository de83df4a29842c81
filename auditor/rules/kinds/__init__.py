"""The closed set of rule kinds, by the name a rule file gives in `kind:`."""

from auditor.rules.kinds.base import Hit, Rule, RuleInfo, Target
from auditor.rules.kinds.decision import DecisionRule
from auditor.rules.kinds.history import HistoryRule
from auditor.rules.kinds.phrase import PhraseRule

KINDS: dict[str, type[Rule]] = {kind.KIND: kind for kind in (PhraseRule, DecisionRule, HistoryRule)}

__all__ = ["KINDS", "Hit", "Rule", "RuleInfo", "Target"]
