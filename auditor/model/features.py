"""What the classifier sees of a record: its text plus case-level context tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.feature_extraction.text import HashingVectorizer

from auditor.history import EPISODES, episode_start, mentions_earlier_date, prior_involvement
from auditor.records import ANALYTICAL_TYPES, Case, Note

RANDOM_STATE = 20261126
N_FEATURES = 2**18
META_PREFIX = "zzmeta"
"""Context tokens start with this, so explanations can tell them from the record's words."""


def context_tokens(case: Case, note: Note) -> list[str]:
    """Tokens describing the record's place in its case (type, earlier history).

    These let a linear model learn, for instance, that "no previous involvement" means
    something different when the case already holds earlier referrals. There is deliberately
    no length token: it taught the model that any one-line note ("Aunt rang with her new
    number") is a bare decision, a shortcut of how corpora are written, not of practice.
    """
    prior = prior_involvement(case, note)
    referrals = sum(1 for n in prior if n.type.value in ("referral", "contact"))
    tokens = [
        f"type{note.type.value}",
        "prior" if prior else "noprior",
        f"priorreferrals{min(referrals, 3)}",
    ]
    if note.type in ANALYTICAL_TYPES:
        tokens.append("analytical" + ("prior" if prior else "noprior"))
        if prior:
            tokens += _history_tokens(case, note, prior)
    if prior and mentions_earlier_date(note.text, episode_start(case, note)):
        tokens.append("citesearlierdate")  # names a date from before this episode: history weighed
    return [f"{META_PREFIX}{token}" for token in tokens]


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_WEIGHTY_TYPES = ("closure", "plan", "review", "strategy")


def _history_tokens(case: Case, note: Note, prior: tuple[Note, ...]) -> list[str]:
    """What history an analytical record could weigh, and whether it names when it happened.

    How many earlier episodes, how long the family has been known, which kinds of earlier work
    (a closed plan, a strategy discussion), and whether the record names a year or month in
    which the case had earlier involvement.
    """
    episodes = prior_involvement(case, note, scope=EPISODES)
    openers = sum(1 for n in episodes if n.type.value in ("referral", "contact"))
    tokens = [f"priorepisodes{min(openers, 3)}", f"knownyears{min((note.date - prior[0].date).days // 365, 4)}"]
    tokens += [f"prior{kind}" for kind in _WEIGHTY_TYPES if any(n.type.value == kind for n in prior)]
    if any(str(year) in note.text for year in {n.date.year for n in prior if n.date.year < note.date.year}):
        tokens.append("citesprioryear")
    lowered = note.text.lower()
    if any(_MONTHS[n.date.month - 1] in lowered for n in prior):
        tokens.append("citespriormonth")
    return tokens


@dataclass(frozen=True)
class ModelInput:
    """What the classifier reads of one record: its context tokens and its text."""

    context: str
    text: str

    def whole(self) -> str:
        """The record model's input: context, then the whole text."""
        return f"{self.context} {self.text}"


def model_input(case: Case, note: Note) -> ModelInput:
    """The classifier's input for one record."""
    return ModelInput(" ".join(context_tokens(case, note)), note.text)


def build_vectorizer() -> HashingVectorizer:
    """Word unigrams and bigrams, hashed: fast, no vocabulary to store, no fitting."""
    return HashingVectorizer(ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False, norm=None, lowercase=True)
