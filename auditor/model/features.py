"""What the classifier sees of a record: its text plus case-level context tokens."""

from __future__ import annotations

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from auditor.history import episode_start, mentions_earlier_date, prior_involvement
from auditor.records import ANALYTICAL_TYPES, Case, Note

RANDOM_STATE = 20261126
N_FEATURES = 2**18
META_PREFIX = "zzmeta"
"""Context tokens start with this, so explanations can tell them from the record's words."""

_LENGTH_BUCKETS = ((15, "tiny"), (40, "short"), (120, "medium"), (300, "long"))


def _length_bucket(words: int) -> str:
    for limit, name in _LENGTH_BUCKETS:
        if words < limit:
            return name
    return "verylong"


def context_tokens(case: Case, note: Note) -> list[str]:
    """Tokens describing the record's place in its case (type, length, earlier history).

    These let one linear model learn, for instance, that "no previous involvement" means
    something different when the case already holds earlier referrals.
    """
    prior = prior_involvement(case, note)
    referrals = sum(1 for n in prior if n.type.value in ("referral", "contact"))
    tokens = [
        f"type{note.type.value}",
        f"len{_length_bucket(len(note.text.split()))}",
        "prior" if prior else "noprior",
        f"priorreferrals{min(referrals, 3)}",
    ]
    if note.type in ANALYTICAL_TYPES:
        tokens.append("analytical" + ("prior" if prior else "noprior"))
    if prior and mentions_earlier_date(note.text, episode_start(case, note)):
        tokens.append("citesearlierdate")  # names a date from before this episode: history weighed
    return [f"{META_PREFIX}{token}" for token in tokens]


def model_text(case: Case, note: Note) -> str:
    """The classifier's input for one record."""
    return " ".join(context_tokens(case, note)) + " " + note.text


def build_vectorizer() -> HashingVectorizer:
    """Word unigrams and bigrams, hashed: fast, no vocabulary to store, no fitting."""
    return HashingVectorizer(ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False, norm=None, lowercase=True)


def build_pipeline() -> Pipeline:
    """The unit we fit and persist: hashed n-grams, TF-IDF, calibrated one-vs-rest logistic."""
    classifier = LogisticRegression(
        C=4.0, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=RANDOM_STATE
    )
    return Pipeline(
        [
            ("hash", build_vectorizer()),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
            (
                "clf",
                OneVsRestClassifier(CalibratedClassifierCV(classifier, method="sigmoid", cv=3, ensemble=False)),
            ),
        ]
    )
