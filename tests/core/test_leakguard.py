"""The leak guard as a catalogue of what it flags and passes, its masking, and its measured recall and false positives."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.findings import LEAK_CATEGORY, Finding, Severity
from auditor.leakguard import PLACEHOLDERS, IdentifierDetector, Match, find_identifiers, mask, nhs_number_is_valid
from tests.conftest import make_case, make_note

CLEAN = Path(__file__).parent.parent / "data" / "leakguard_clean.jsonl"


def found(text: str) -> list[tuple[str, str]]:
    return [(m.kind, text[m.start : m.end]) for m in find_identifiers(text)]


# (text, kind, the excerpt that must be flagged)
FLAG = [
    # NHS numbers: valid modulus-11 check digit, any common grouping; or labelled with a bad check digit.
    ("NHS number 943 476 5919 confirmed with the GP.", "nhs_number", "943 476 5919"),
    ("Child A (NHS no. 5914177766) seen by the HV.", "nhs_number", "5914177766"),
    ("Hospital letter quotes 639-150-0088 for Baby A.", "nhs_number", "639-150-0088"),
    ("NHS no: 123 456 7890", "nhs_number", "123 456 7890"),
    # National Insurance numbers.
    ("Mother's NI number is JG 10 37 52 A.", "ni_number", "JG 10 37 52 A"),
    ("Benefits letter for Father (AB123456C) on the table.", "ni_number", "AB123456C"),
    ("NI no: JG 12 34 56", "ni_number", "JG 12 34 56"),
    ("National Insurance: WP 49 82 10 D", "ni_number", "WP 49 82 10 D"),
    # Postcodes: outward and inward code.
    ("Family now live at 14 Elm Road, M1 1AE.", "postcode", "M1 1AE"),
    ("New address: flat 3, SW1A 2AA.", "postcode", "SW1A 2AA"),
    ("Moved to B33 8TH on 02/03.", "postcode", "B33 8TH"),
    ("Contact centre is at LS11 5QT.", "postcode", "LS11 5QT"),
    ("Refuge in CR2 6XH.", "postcode", "CR2 6XH"),
    # Phone numbers.
    ("Mother's mobile is 07700 900123.", "phone", "07700 900123"),
    ("Call Father on 07700900456 after 5pm.", "phone", "07700900456"),
    ("MGM can be reached on 0161 496 0123.", "phone", "0161 496 0123"),
    ("Tel: 020 7946 0321", "phone", "020 7946 0321"),
    ("Mr X gave a new number, +44 7700 900789.", "phone", "+44 7700 900789"),
    ("Landline (0113) 496 0456.", "phone", "(0113) 496 0456"),
    ("Aunt: +44 (0)7700 900111", "phone", "+44 (0)7700 900111"),
    ("Text her on 07700-900-222 only.", "phone", "07700-900-222"),
    ("Ring 01632 960123 between 9 and 5.", "phone", "01632 960123"),
    # Email addresses.
    ("Mother's email is jane.smith85@hotmail.co.uk.", "email", "jane.smith85@hotmail.co.uk"),
    ("Father emailed from d_jones@gmail.com at 21:40.", "email", "d_jones@gmail.com"),
    # Dates of birth: a date only with a birth label before it.
    ("Child A, DOB 12/03/2015, attends Y3.", "date_of_birth", "12/03/2015"),
    ("D.O.B.: 3 March 2015", "date_of_birth", "3 March 2015"),
    ("Mother (date of birth 01.02.1990) attended.", "date_of_birth", "01.02.1990"),
    ("Baby A was born on 28 October 2022 at 38 weeks.", "date_of_birth", "28 October 2022"),
    ("Baby A born 08/12/24 at 39 weeks.", "date_of_birth", "08/12/24"),
    ("Father's dob is 1988-07-21.", "date_of_birth", "1988-07-21"),
    ("Child B (d.o.b. 4th June 2019)", "date_of_birth", "4th June 2019"),
    ("Born at home on 9/1/21.", "date_of_birth", "9/1/21"),
    # Names after titles and ranks.
    ("Mrs Green said she would call back.", "name", "Green"),
    ("Spoke to Mr. Patel at the school gate.", "name", "Patel"),
    ("Mrs Jane Green-Smith attended the meeting.", "name", "Jane Green-Smith"),
    ("Mrs Green's view is that Mother is coping.", "name", "Green"),
    ("Ms O'Brien (school nurse) rang.", "name", "O'Brien"),
    ("PC Smith attended at 23:40.", "name", "Smith"),
    ("Statement taken by PC 4471 Jones.", "name", "Jones"),
    ("DC McDonald from CAIT joined.", "name", "McDonald"),
    ("GP Dr Khan has no record of this.", "name", "Khan"),
    ("Miss Zoë Nowak, the class teacher, raised it.", "name", "Zoë Nowak"),
    ("Mrs Foster is the childminder.", "name", "Foster"),
    # Names in fields.
    ("Name: Jane", "name", "Jane"),
    ("Mother's name: Sarah Jones\nAddress: [ADDRESS]", "name", "Sarah Jones"),
    ("Surname: O'Brien", "name", "O'Brien"),
    ("Known as: Jay", "name", "Jay"),
]


@pytest.mark.parametrize(("text", "kind", "excerpt"), FLAG)
def test_flags(text, kind, excerpt):
    assert (kind, excerpt) in found(text)


PASS = [
    # Dates that are not dates of birth.
    "Home visit on 12/03/2024 at 16:00.",
    "Strategy discussion 09/05/24; ICPC 22/01/2025.",
    "Pre-birth assessment, unborn baby (EDD 20/06/24).",
    "Unborn Baby A, due 06/12/24.",
    "Baby A was born at 37 weeks and weighed 2.9kg.",
    "A's claimed date of birth accepted and recorded on the system.",
    "DOB: [DOB]",
    "Child A turned 18 on 14/05.",
    "Baby A born at 39 weeks. Seen at home on 12/03/24.",
    # Numbers that are not phones or NHS numbers.
    "DASH 14, medium risk; 97% attendance; visit at 10:30.",
    "Police CAD 1234 of 14/02/24; occurrence ref 44/123456/24.",
    "Crime ref 01614960123 refers.",
    "Case number 0123456789 on LCS.",
    "Childline 0800 1111; National DA Helpline 0808 2000 247; LADO 0300 123 4567.",
    "Times: 0930-1030 and 0900 1000.",
    "Legacy file reference 2019-00042; Mosaic ID 1234567.",
    "Weight 38.4kg, BMI 17.5, SDQ 22, scaling 8/10.",
    "Ten-digit number 1234567890 with no label and a failing check digit.",
    "Occurrence 5914177766 (a reference that happens to pass the NHS check).",
    "Crime number CP-01614960123.",
    "Called 999, then 101 and NHS 111.",
    # Author ids, sections and codes that are not postcodes.
    "SW1, TM2, SW15, LA2 and CP1 attended; s47 and S20 discussed; Y7 and Y11.",
    "SW5 visited at 3PM with TM21.",
    "Seen by SW1A on the duty rota.",
    # NI-shaped strings that are not NI numbers.
    "QQ 12 34 56 C is the specimen on the form.",
    "Ref AB123456 from the police.",
    "TN 12 34 56 A is not allocated.",
    # Placeholders after titles and in fields.
    "Mr X said he has moved out. Mr X's car was on the drive.",
    "Mrs X, Ms Y, Mr Z and Miss R were present; Mrs X's view was noted.",
    "Mr. X and Mrs. X attended; Mr JS and Mrs AB are initials.",
    "PC attended; PC 1234 took the statement; DS (CAIT) and DC (exploitation) joined.",
    "Present: DS CAIT, DS DA unit, DC Housing team, PC Response.",
    "Discussed with the DS. Later that day the DC confirmed NFA.",
    "Dr X (GP) and Dr Y (paediatrician) agree.",
    "[CHILD1] and [MOTHER] seen with [FATHER].",
    "Name: Child A",
    "Name: [CHILD1]",
    "Name: Mother",
    "Name: Unborn Baby A\nFather's name: Not known\nSurname: [REDACTED]",
    "Miss said you can always tell.",
    "Mr X’s phone was off; Mr Mrs X wrote back.",
    "School name: Oakwood Primary. GP practice name: Riverside.",
    "She would not give me his name.",
    "Mother to name two adults who could care for Child A.",
    "Email sent to the school; secure email to the receiving authority.",
]


@pytest.mark.parametrize("text", PASS)
def test_passes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("943 476 5919", True),
        ("5914177766", True),
        ("943 476 5918", False),  # wrong check digit
        ("400 000 0080", False),  # the check digit would be 10: never issued
        ("000 000 0000", False),  # passes the arithmetic, but is filler
        ("943 476 591", False),  # nine digits
    ],
)
def test_nhs_modulus_11(number, valid):
    assert nhs_number_is_valid(number) is valid


def test_mask_replaces_each_identifier_with_its_kind():
    text = "Child A (DOB 12/03/2015, NHS 943 476 5919) lives at M1 1AE; Mrs Green on 07700 900123."
    assert mask(text) == ("Child A (DOB [DATE OF BIRTH], NHS [NHS NUMBER]) lives at [POSTCODE]; Mrs [NAME] on [PHONE].")


def test_mask_uses_given_spans_and_merges_overlaps():
    text = "call 07700 900123 now"
    spans = [Match("phone", 5, 17, ""), Match("phone", 11, 17, ""), Match("email", 0, 2, "")]
    assert mask(text, spans) == "[EMAIL]ll [PHONE] now"
    assert mask(text, []) == text


def test_mask_takes_findings_and_leaves_other_categories_alone():
    note = make_note("Mrs Green promised it will not happen again. NI JG 10 37 52 A.")
    leaks = IdentifierDetector().audit(make_case(note))
    other = Finding("c1", "n1", "optimism", 0.8, Severity.MEDIUM, ("rule:x",), 10, 18, "promised", "m", "e")
    assert mask(note.text, [*leaks, other]) == "Mrs [NAME] promised it will not happen again. NI [NI NUMBER]."
    assert set(PLACEHOLDERS) == {"nhs_number", "ni_number", "postcode", "phone", "email", "date_of_birth", "name"}


def test_detector_findings_carry_their_evidence():
    text = "Visit 12/03/2024. NHS number 943 476 5919. Mr X present."
    findings = IdentifierDetector().audit(make_case(make_note(text, note_id="n7")))
    assert len(findings) == 1
    (finding,) = findings
    assert finding.category == LEAK_CATEGORY
    assert finding.note_id == "n7"
    assert finding.sources == ("leakguard:nhs_number",)
    assert finding.excerpt == text[finding.start : finding.end] == "943 476 5919"
    assert "modulus-11" in finding.explanation
    assert finding.severity is Severity.HIGH
    assert finding.message.startswith("This looks like an NHS number")


def test_long_hostile_text_is_linear():
    # Long runs that would make a backtracking email or phone pattern quadratic.
    text = "a" * 200_000 + " " + "0" * 100_000 + " Mr " * 20_000
    assert find_identifiers(text) == []


# --- Measurement: plant fictional identifiers into clean realistic records ---------------------------------

FIRST_NAMES = [
    "Jane",
    "Sarah",
    "David",
    "Mohammed",
    "Emily",
    "Olivia",
    "Jack",
    "Aisha",
    "Liam",
    "Chloe",
    "Tomasz",
    "Priya",
]
_SURNAME_WORDS = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker "
    "White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris "
    "Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
    "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
    "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
    "Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher "
    "Stevens Jenkins Murray Dixon Harvey O'Brien McDonald Ahmed Nowak Kowalski Smith-Jones"
)
SURNAMES = _SURNAME_WORDS.split()
TITLES = ["Mr", "Mrs", "Ms", "Miss", "Dr", "PC", "DC", "DS", "Mr."]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.choice([4, 6, 7])] + [rng.randint(0, 9) for _ in range(8)]
        check = (11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11) % 11
        if check != 10:
            number = "".join(map(str, [*digits, check]))
            return rng.choice(
                [f"{number[:3]} {number[3:6]} {number[6:]}", number, f"{number[:3]}-{number[3:6]}-{number[6:]}"]
            )


def ni_number(rng: random.Random) -> str:
    while True:
        prefix = rng.choice("ABCEGHJKLMNOPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if prefix not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
            break
    pairs = [f"{rng.randint(0, 99):02d}" for _ in range(3)]
    suffix = rng.choice("ABCD")
    return rng.choice([f"{prefix}{''.join(pairs)}{suffix}", f"{prefix} {' '.join(pairs)} {suffix}"])


def postcode(rng: random.Random) -> str:
    first, second = "ABCDEFGHIJKLMNOPRSTUWYZ", "ABCDEFGHKLMNOPQRSTUVWXY"
    district = str(rng.randint(1, 29))
    outward = rng.choice(
        [
            rng.choice(first) + district,
            rng.choice(first) + rng.choice(second) + district,
            rng.choice(first) + str(rng.randint(1, 9)) + rng.choice("ABCDEFGHJKPSTUW"),
            rng.choice(first) + rng.choice(second) + str(rng.randint(1, 9)) + rng.choice("ABEHMNPRVWXY"),
        ]
    )
    inward = str(rng.randint(0, 9)) + "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
    return f"{outward} {inward}" if rng.random() < 0.85 else outward + inward


def phone(rng: random.Random) -> str:
    tail3, tail4 = f"{rng.randint(0, 999):03d}", f"{rng.randint(0, 9999):04d}"
    return rng.choice(
        [
            f"07700 900{tail3}",
            f"07700900{tail3}",
            f"07700-900-{tail3}",
            f"07700 900 {tail3}",
            f"+447700900{tail3}",
            f"0161-496-{tail4}",
            f"+44 7700 900{tail3}",
            f"+44 (0)7700 900{tail3}",
            f"0161 496 {tail4}",
            f"0113 496 {tail4}",
            f"020 7946 {tail4}",
            f"(0117) 496 {tail4}",
            f"01632 960{tail3}",
        ]
    )


def email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST_NAMES).lower(), rng.choice(SURNAMES).lower().replace("'", "")
    local = rng.choice(
        [f"{first}.{last}", f"{first}{last}{rng.randint(1, 99)}", f"{first[0]}.{last}", f"{first}_{last}"]
    )
    return f"{local}@{rng.choice(['gmail.com', 'hotmail.co.uk', 'outlook.com', 'yahoo.co.uk', 'btinternet.com'])}"


def birth_date(rng: random.Random) -> str:
    day = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 20))
    ordinal = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    return rng.choice(
        [
            day.strftime("%d/%m/%Y"),
            day.strftime("%d/%m/%y"),
            f"{day.day}/{day.month}/{day.year}",
            f"{day.day:02d}.{day.month:02d}.{day.year}",
            f"{day.day} {MONTHS[day.month - 1]} {day.year}",
            f"{day.day}{ordinal} {MONTHS[day.month - 1]} {day.year}",
            f"{day.day}{ordinal} {MONTHS[day.month - 1][:3]} {day.year}",
            f"{day.day} {MONTHS[day.month - 1][:3]}. {day.year}",
            f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
            day.isoformat(),
        ]
    )


def surname(rng: random.Random) -> str:
    return rng.choice(SURNAMES)


# Sentences to plant, with {v} where the identifier goes. Name templates build their own title.
TEMPLATES: dict[str, tuple[Callable[[random.Random], str], list[str]]] = {
    "nhs_number": (
        nhs_number,
        [
            "NHS number {v} confirmed with the GP.",
            "Child A (NHS no. {v}) was seen by the HV.",
            "Health record checked: {v}.",
            "Hospital letter quotes {v} for Child A.",
            "NHS: {v}",
        ],
    ),
    "ni_number": (
        ni_number,
        [
            "Mother's NI number is {v}.",
            "NI no: {v}",
            "Benefits letter for Father ({v}) seen on the table.",
            "National Insurance {v} recorded by housing.",
            "Universal Credit claim under {v}.",
        ],
    ),
    "postcode": (
        postcode,
        [
            "Family now live at 14 Elm Road, {v}.",
            "New address: flat 3, {v}.",
            "Contact took place at the family centre ({v}).",
            "Mother moved to {v} on 02/03.",
            "MGM lives at {v}, about two miles away.",
        ],
    ),
    "phone": (
        phone,
        [
            "Mother's mobile is {v}.",
            "Call Father on {v} after 5pm.",
            "Tel: {v}",
            "MGM can be reached on {v}.",
            "Mr X gave a new number, {v}, at the visit.",
        ],
    ),
    "email": (
        email,
        [
            "Mother's email is {v}.",
            "Sent the plan to {v} today.",
            "Contact: {v}",
            "Father emailed from {v} at 21:40.",
            "Email ({v}) confirmed.",
        ],
    ),
    "date_of_birth": (
        birth_date,
        [
            "Child A, DOB {v}, attends school.",
            "D.O.B.: {v}",
            "Mother (date of birth {v}) attended.",
            "Baby A was born on {v} at 38 weeks.",
            "Father's dob is {v}.",
            "Child B (d.o.b. {v}) was present.",
        ],
    ),
    "name": (
        surname,
        [
            "{t} {v} said she would call back.",
            "Spoke to {t} {v} at the school gate.",
            "{t} {v}'s view was recorded.",
            "Name: {f} {v}",
            "Surname: {v}",
            "Statement taken by PC 4471 {v}.",
            "{t} {f} {v} attended the meeting.",
        ],
    ),
}


def clean_texts() -> list[str]:
    return [json.loads(line)["text"] for line in CLEAN.read_text(encoding="utf-8").splitlines() if line.strip()]


def plant(rng: random.Random, text: str, kind: str) -> tuple[str, tuple[int, int]]:
    """Insert one generated identifier of `kind` at a sentence boundary; return the text and its span."""
    generate, templates = TEMPLATES[kind]
    value = generate(rng)
    template = rng.choice(templates).replace("{t}", rng.choice(TITLES)).replace("{f}", rng.choice(FIRST_NAMES))
    sentence = template.replace("{v}", value)
    boundaries = [0] + [i + 2 for i in range(len(text) - 1) if text[i] == "." and text[i + 1] == " "] + [len(text)]
    at = rng.choice(boundaries)
    before = text[:at] + ("" if at == 0 else " ")
    planted = before + sentence + ("" if at == len(text) else " ") + text[at:]
    start = len(before) + template.index("{v}")
    return planted, (start, start + len(value))


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_recall_on_planted_identifiers(kind):
    rng = random.Random(f"leakguard-{kind}")
    texts = clean_texts()
    trials, caught = 300, 0
    for i in range(trials):
        planted, (start, end) = plant(rng, texts[i % len(texts)], kind)
        caught += any(m.kind == kind and m.start < end and start < m.end for m in find_identifiers(planted))
    recall = caught / trials
    print(f"{kind}: recall {recall:.3f}")
    assert recall >= 0.9


def test_clean_realistic_records_are_rarely_flagged():
    texts = clean_texts()
    assert len(texts) >= 150
    flagged = [text for text in texts if find_identifiers(text)]
    assert len(flagged) / len(texts) < 0.02, flagged
