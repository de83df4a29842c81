"""Identifiers with a fixed shape: NHS and NI numbers, postcodes, phone numbers and emails."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.leakguard.match import EMAIL, NHS_NUMBER, NI_NUMBER, PHONE, POSTCODE, Match, compile_fixed, isolated

# 3-3-4 grouping as printed on NHS letters, or the ten digits run together.
_NHS = compile_fixed(r"\b(?:\d{3} \d{3} \d{4}|\d{3}-\d{3}-\d{4}|\d{10})\b")
_NHS_LABEL = compile_fixed(r"\bNHS[ \t]*(?:no\.?|number|num|#)?[ \t]*[:.\-]?[ \t]*$")

# HMRC's format: prefix letters D, F, I, Q, U, V are never used (nor O second); suffix A-D.
_NI_PREFIX = r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
_NI = compile_fixed(rf"(?-i)\b({_NI_PREFIX}) ?\d{{2}} ?\d{{2}} ?\d{{2}} ?[A-D]\b")
# Without its suffix letter the same shape is a common reference format, so it needs a label.
_NI_LABELLED = compile_fixed(
    rf"\b(?:NI|NINO|national[ \t]+insurance)[ \t]*(?:no\.?|number)?[ \t]*[:.\-]?[ \t]*"
    rf"(?-i:(({_NI_PREFIX}) ?\d{{2}} ?\d{{2}} ?\d{{2}}(?: ?[A-D])?))\b"
)
_NI_NOT_ALLOCATED = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

# A full postcode: outward code (area, district, optional sub-district letter) and inward code.
# The inward code is what tells "M1 1AE" from the author id "SW1" or the section "S47", and its
# letters exclude C, I, K, M, O, V, so times such as "SW5 3PM" cannot pass for one.
_POSTCODE = compile_fixed(
    r"(?-i)\b(?:GIR ?0AA|(?:[A-PR-UWYZ]\d{1,2}|[A-PR-UWYZ][A-HK-Y]\d{1,2}|[A-PR-UWYZ]\d[A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]) ?\d[ABD-HJLNP-UW-Z]{2})\b"
)

_PHONE = compile_fixed(r"(?:\+44[ ]?(?:\(0\)[ ]?)?|\(0|\b0)\d{1,4}\)?(?:[ \-]?\d{2,6}){1,3}\b")
# Case, crime and incident references are long digit strings too; a label right before one
# says which it is.
_REFERENCE_LABEL = compile_fixed(
    r"\b(?:ref(?:erence)?|crime|CAD|occurrence|incident|log|URN|case|ID|LCS|mosaic|file)"
    r"(?:[ \t]*(?:no|number|num))?[^a-z0-9]{0,4}$"
)

_EMAIL = compile_fixed(r"\b[A-Z0-9][A-Z0-9._%+\-]*@[A-Z0-9\-]+(?:\.[A-Z0-9\-]+)*\.[A-Z]{2,}\b")


def nhs_number_is_valid(number: str) -> bool:
    """Whether a ten-digit NHS number's last digit passes the modulus-11 check.

    Args:
        number: the number, with or without spaces or hyphens.

    Returns:
        True when the weighted sum of the first nine digits (weights 10 down to 2) gives the
        tenth digit as 11 minus its remainder modulo 11 (11 counting as 0; 10 is never issued).
    """
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10 or len(set(digits)) == 1:  # 000 000 0000 passes the sum but is filler
        return False
    remainder = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == digits[9]


def nhs_numbers(text: str) -> Iterator[Match]:
    """NHS numbers: ten digits with a valid check digit, or any ten digits labelled "NHS no"."""
    for found in _NHS.finditer(text):
        start, end = found.span()
        if not isolated(text, start, end):
            continue
        before = text[max(0, start - 24) : start]
        labelled = bool(_NHS_LABEL.search(before))
        if nhs_number_is_valid(found.group()):
            # One ten-digit reference in eleven passes the check by chance, so a reference label
            # wins; and NHS numbers are not issued with a leading 0: unlabelled, that is a phone.
            if labelled or (found.group()[0] != "0" and not _REFERENCE_LABEL.search(before)):
                yield Match(NHS_NUMBER, start, end, "NHS number with a valid modulus-11 check digit")
        elif labelled:
            yield Match(NHS_NUMBER, start, end, "ten-digit number labelled as an NHS number (check digit fails)")


def ni_numbers(text: str) -> Iterator[Match]:
    """National Insurance numbers in HMRC's format, or labelled ones written without the suffix."""
    seen: set[int] = set()
    for found in _NI_LABELLED.finditer(text):
        if found.group(2) not in _NI_NOT_ALLOCATED:
            seen.add(found.start(1))
            yield Match(NI_NUMBER, *found.span(1), "labelled National Insurance number (two letters, six digits)")
    for found in _NI.finditer(text):
        if found.group(1) not in _NI_NOT_ALLOCATED and found.start() not in seen:
            yield Match(NI_NUMBER, *found.span(), "National Insurance number: valid prefix, six digits, suffix A-D")


def postcodes(text: str) -> Iterator[Match]:
    """Full UK postcodes (outward and inward code), e.g. "M1 1AE", "SW1A 2AA"."""
    for found in _POSTCODE.finditer(text):
        yield Match(POSTCODE, *found.span(), "full UK postcode (outward and inward code)")


def phone_numbers(text: str) -> Iterator[Match]:
    """UK landline and mobile numbers (01, 02, 07 or +44), not references, times or helplines."""
    for found in _PHONE.finditer(text):
        start, end = _trimmed(text, *found.span())
        digits = _national_digits(text[start:end])
        if not _personal_number(digits) or not isolated(text, start, end):
            continue
        if start and text[start - 1] in "-/":  # the tail of a reference such as "CP-01234567890"
            continue
        if _REFERENCE_LABEL.search(text[max(0, start - 24) : start]):
            continue
        yield Match(
            PHONE, start, end, f"UK {'mobile' if digits[1] == '7' else 'landline'} number ({len(digits)} digits)"
        )


def emails(text: str) -> Iterator[Match]:
    """Email addresses."""
    for found in _EMAIL.finditer(text):
        yield Match(EMAIL, *found.span(), "email address")


def _national_digits(raw: str) -> str:
    digits = "".join(c for c in raw.replace("(0)", "") if c.isdigit())
    return "0" + digits[2:] if raw.startswith("+44") else digits


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing digit groups that took the match past a phone number's length ("... 900123 10 times")."""
    while len(_national_digits(text[start:end])) > 11:
        cut = max(text.rfind(" ", start, end), text.rfind("-", start, end))
        if cut <= start:
            break
        end = cut
    return start, end


def _personal_number(digits: str) -> bool:
    # 01/02 landlines and 07 mobiles reach a household or a person; 03, 05, 08 and 09 numbers are
    # councils, helplines and services, which a record may name freely.
    if len(digits) == 11:
        return digits[:2] in ("01", "02", "07")
    return len(digits) == 10 and digits[:2] == "01"
