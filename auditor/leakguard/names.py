"""Names after titles ("Mrs Green", "PC Smith") and in name fields, not role placeholders."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.leakguard.match import NAME, Match, compile_fixed

# A capitalised word, allowing O'Brien, Smith-Jones, McDonald and accented letters.
_WORD = r"\p{Lu}[\p{L}'’\-]*"
# Courtesy titles may take a full stop ("Mr. Smith"); police ranks never do, so "the DS. Later"
# does not make "Later" a name. A collar number may sit between rank and name ("PC 1234 Smith").
_TITLED = compile_fixed(
    r"(?-i)\b((?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Sgt|Insp|Cllr)\.?|PC|DC|DS|DI|DCI|DCS|PCSO|HHJ|Judge)"
    rf"[ \t]+(?:\d{{2,6}}[ \t]+)?({_WORD})"
)
_FIELD = compile_fixed(
    r"\b((?:(?:full|first|last|given|family|middle|maiden|preferred|child'?s|mother'?s|father'?s|carer'?s"
    r"|partner'?s)[ \t]+)?(?:sur|fore)?names?(?:\(s\))?|known[ \t]+as|alias|a\.?k\.?a\.?)"
    rf"[ \t]*[:\-–][ \t]*(?-i:({_WORD}))"
)

# "School name:", "GP practice name:", "File name:" hold no person's name.
_ORGANISATION_FIELD = re.compile(
    r"\b(?:school|practice|surgery|nursery|college|hospital|team|service|agency|organisation|company|setting"
    r"|project|street|road|file|user|place)[ \t]*$",
    re.IGNORECASE,
)

# The word after a name, for "Mrs Jane Green"; anchored at one position, so linear.
_NEXT_WORD = re.compile(r"[ \t]([^\W\d_][\w'’\-]*)")

# Words that may follow a title or fill a name field without being a name: role placeholders
# ("Name: Child A", "Name: Mother"), "not known" fillers, and the teams and units a rank is
# attached to ("DC Housing", "DS Exploitation team"). Common surnames (Foster, Young, King) are
# deliberately absent: after a title they are names. Titles are not names either ("Mr Mrs X").
_NOT_NAME_WORDS = """
    mr mrs ms miss mx dr prof rev sgt insp cllr judge
    mother mum mummy father dad daddy parent parents carer carers child children baby unborn infant
    grandmother grandfather grandma grandad granddad gran nan nana maternal paternal stepfather stepmother
    stepdad stepmum step partner ex brother sister sibling siblings uncle aunt auntie cousin son daughter
    boy girl person yp professional worker teacher headteacher nurse midwife doctor officer police
    detective sergeant constable inspector unknown not none nil na tbc tba redacted withheld anonymised
    anonymous see above below same other another the a an and or but he she they it we his her their
    this that on in at to from for with of by about after before since then when while today yesterday
    tomorrow later team unit service services housing council school hospital surgery practice centre
    clinic court office department health safeguarding social care early help youth probation response
    neighbourhood exploitation domestic abuse missing protection duty front door hub liaison public
    online custody control room
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def titled_names(text: str) -> Iterator[Match]:
    """Names after a title or rank; single letters ("Mr X", "Ms Y's") and initials pass."""
    for found in _TITLED.finditer(text):
        span = _name_span(text, found.start(2), found.end(2))
        if span:
            title = found.group(1)
            yield Match(NAME, *span, f'name after the title "{title}" (not a placeholder such as "{title} X")')


def name_fields(text: str) -> Iterator[Match]:
    """Names filling a "Name:", "Surname:" or "Known as:" field; "Name: Child A" passes."""
    for found in _FIELD.finditer(text):
        if _ORGANISATION_FIELD.search(text, max(0, found.start() - 24), found.start()):
            continue  # "School name: Oakwood Primary" names a place, not a person
        span = _name_span(text, found.start(2), found.end(2))
        if span:
            field = " ".join(found.group(1).split())
            yield Match(NAME, *span, f'name in a "{field}:" field (not a role placeholder such as "Child A")')


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a name whose first word is text[start:end], with up to two more words ("Jane Green").

    None when the first word is a placeholder. Only the first word is matched by the pattern, so
    a placeholder ("Mr X PC Smith") does not swallow the words a later title starts.
    """
    word = text[start:end]
    core = _strip_possessive(word)
    if not _is_name(core):
        return None
    span_end = start + len(core)
    for _ in range(2):
        if core != word:  # a possessive ends the name: "Mrs Green's Mother"
            break
        following = _NEXT_WORD.match(text, span_end)
        if not following or not following.group(1)[0].isupper():
            break
        word = following.group(1)
        core = _strip_possessive(word)
        if not _is_name(core):
            break
        span_end = following.start(1) + len(core)
    return start, span_end


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s", "'", "’", "-"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _is_name(word: str) -> bool:
    # A single capital is a placeholder ("Mr X"); a word with no lower case is initials or an
    # acronym ("Mr JS", "DS CAIT"); role and filler words are placeholders too.
    return len(word) > 1 and any(c.islower() for c in word) and word.casefold() not in _NOT_NAMES
