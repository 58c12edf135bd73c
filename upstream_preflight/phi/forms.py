"""Identifiers found by their form: SSNs, phone numbers, dates, cards, IPs, MBIs, street addresses.

Python's regex engine is cheap where a pattern starts with one literal character it can search
for, and dear at every other place it has to stop. So the text is first mapped to a *shape*
(digits to `0`, capitals to `A`, other letters to `a`, the separators the families use kept;
see `NUMBER_SHAPE`), and one scan of the shape, whose every stop is a `0`, finds each number
that starts a token and goes on as an identifier could, and names the first family that can
match there. Only there are the exact patterns tried on the text, from that family on and only
for the families that can match at the same place (`_CAN_FOLLOW`). What rules a match out is
part of its pattern (a date followed by a time of day, a private IP); only the card family
needs a check in Python (network prefix and Luhn digit). The rarer families (emails, IPv6,
dates in words, "City, ST 12345", titled names) have substring gates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http import HTTPStatus

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.keys import KEYS, Kind, classify
from upstream_preflight.phi.luhn import is_card_number
from upstream_preflight.phi.streets import name_first_streets, street_city_postal_code

Span = tuple[int, int, str]

# (group name, tag, (extra characters that may not come before, body)), in the order the
# alternation tries them at one start.
_FAMILIES: tuple[tuple[str, str, tuple[str, str]], ...] = (
    ("ssn", "SSN", p.SSN),
    ("mbi", "MBI", p.MBI),
    ("hicn", "MBI", p.HICN),
    ("date", "DATE", p.DATE_NUMERIC),
    ("ipv4", "IP", p.IPV4),
    ("phone", "PHONE", p.PHONE),
    ("street", "ADDRESS", p.STREET),
    ("card", "CARD", p.CARD),  # last: its check is in Python, nothing after it can match
)
_TAGS = {name: tag for name, tag, _ in _FAMILIES}


def _alternation(families: tuple[tuple[str, str, tuple[str, str]], ...], guarded: bool) -> str:
    if not guarded:  # the character before is a space or punctuation that no family minds
        return "|".join(f"(?P<{name}>{body})" for name, _, (_, body) in families)
    return "|".join(
        rf"(?P<{name}>(?<![\w\-{re.escape(extra)}])(?:{body}))"
        for name, _, (extra, body) in families
    )


# The whole alternation, unguarded and guarded: what the scan and the narrowed patterns below
# stand for (`tests/test_phi_forms.py` holds them to it).
FORM = re.compile(_alternation(_FAMILIES, guarded=False))
FORM_GUARDED = re.compile(_alternation(_FAMILIES, guarded=True))
# The families that can still match where the shape showed a family's branch to be the first that
# passes: that family, and those after it whose branch can pass at the same place (a card number
# can begin with what looks like an SSN, a date or a phone number; a phone number with what looks
# like an IPv4 address, `1.415.555.0142`). The others need a byte there that the first family's
# branch rules out (`mbi` a capital where an SSN has a digit, `street` a space where an IPv4
# address has a dot), so the regex engine need not try them.
_CAN_FOLLOW = {
    "ssn": ("ssn", "card"),
    "mbi": ("mbi",),
    "hicn": ("hicn",),
    "date": ("date", "card"),
    "ipv4": ("ipv4", "phone"),
    "phone": ("phone", "card"),
    "street": ("street",),
    "card": ("card",),
}


def _narrowed(guarded: bool) -> dict[str, re.Pattern[str]]:
    return {
        name: re.compile(_alternation(tuple(f for f in _FAMILIES if f[0] in after), guarded))
        for name, after in _CAN_FOLLOW.items()
    }


_FORM_FROM = _narrowed(guarded=False)
_FORM_GUARDED_FROM = _narrowed(guarded=True)
# Only a phone number may start with `+` or `(`: the others start with a digit.
_PHONE_GUARDED = re.compile(_alternation(tuple(f for f in _FAMILIES if f[0] == "phone"), True))
_GUARDED_BEFORE = frozenset("./+")

# The coarse shape that the finer one below starts from: digits, capitals, other word characters.
_shape = bytearray(b" " * 256)
for _chars, _to in ((b"0123456789", b"0"), (b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"A")):
    for _c in _chars:
        _shape[_c] = _to[0]
for _c in b"abcdefghijklmnopqrstuvwxyz_-":
    _shape[_c] = ord("a")
# Where a year may follow `March 15,` or `15 Mar`: a space or a comma stays a space, any other
# character not a digit becomes `x`.
YEAR_SHAPE = bytes(
    ord("0") if chr(_c) in "0123456789" else ord(" ") if chr(_c) in " ," else ord("x")
    for _c in range(256)
)
# A finer shape for finding numbers: the separators the families use keep their own byte, `T`
# too (it starts a time of day), a literal space stays a space, other white space and anything
# not ASCII become `~`, a comma stays a comma and the remaining punctuation becomes `!`.
_number_shape = bytearray(b"!" * 256)
for _c in range(256):
    if _shape[_c] != ord(" "):
        _number_shape[_c] = _shape[_c]
    elif _c >= 128 or chr(_c).isspace() or _c == ord("?"):  # `?`: what `encode` puts for non-ASCII
        _number_shape[_c] = ord("~")
for _c in b" ./:()-T,":
    _number_shape[_c] = _c
NUMBER_SHAPE = bytes(_number_shape)
# A number that starts a token and goes on as some family must, each branch a loose copy of its
# family on the shape (`[AT]` a capital, `[ ~]` white space) and named after it: a family whose
# branch fails cannot match, so the match starts with the family of the branch that passed.
# Only a negative lookahead that the shape proves may rule a start out: a date followed by a
# time of day. Most numbers in a log line (`200 5199`, `17:37:14`, `HTTP/1.1`) go on as no
# family does and are never tried.
# A time of day after a date, on the shape: `T10:22`, ` 10:22`, ` - 10:22`, `:10:22`.
_TIME_OF_DAY = rb"(?:[ T]00?:00| - 00?:00|:00?:00)"
_DATE_NOT_BEFORE_A_TIME = rb"(?![0AaT\-/]|\.0)(?!" + _TIME_OF_DAY + rb")"
# (branch, family): each family's loose copy, cut into branches that each start with a byte or a
# class of bytes, which the regex engine tests before entering a branch.
_NUMBER_BRANCHES: tuple[tuple[bytes, str], ...] = (
    (rb"00(?:-00-| 00 |\.00\.)0000", "ssn"),
    (rb"[AT]", "mbi"),
    (rb"00{7}[AT]", "hicn"),
    (rb"000[-/]00?[-/]00?" + _DATE_NOT_BEFORE_A_TIME, "date"),  # a date, not before a time
    (rb"0(?:-00?-|/00?/)0000" + _DATE_NOT_BEFORE_A_TIME, "date"),
    (rb"-00?-0000" + _DATE_NOT_BEFORE_A_TIME, "date"),
    (rb"/00?/0000" + _DATE_NOT_BEFORE_A_TIME, "date"),
    (rb"0\.00?\.0000" + _DATE_NOT_BEFORE_A_TIME, "date"),
    (rb"\.00?\.0000" + _DATE_NOT_BEFORE_A_TIME, "date"),
    (rb"\.0{1,3}\.0{1,3}\.0{1,3}", "ipv4"),
    (rb"00?\.0{1,3}\.0{1,3}\.0{1,3}", "ipv4"),
    (rb"[ .\-]\(?000\)?[ .\-]?000[ .\-]0000", "phone"),  # from its `1`
    (rb"\(000\)?[ .\-]?000[ .\-]0000", "phone"),
    (rb"000\)?[ .\-]?000[ .\-]0000", "phone"),
    (rb"00/000-0000", "phone"),  # `509/555-0190` (after its first digit, as the others)
    (rb"00\)?[ .\-]?000[ .\-]0000", "phone"),  # after its `(`
    (rb"[ ~]+(?=[AT])(?:[AT]\.?[ ~]+|)(?:[AT]a+\.?[ ~]+){1,3}[AT]a", "street"),
    (rb"00{0,4}[ ~]+(?=[AT])(?:[AT]\.?[ ~]+|)(?:[AT]a+\.?[ ~]+){1,3}[AT]a", "street"),
    (rb"[ \-]0" + rb"[ \-]?0" * 11, "card"),
    (rb"0" + rb"[ \-]?0" * 11, "card"),
)
_FAMILY_OF_BRANCH = {f"b{i}": family for i, (_, family) in enumerate(_NUMBER_BRANCHES)}
_FAMILY_OF_BRANCH.update(after_dot_mbi="mbi", after_dot_hicn="hicn")
_TOKEN_NUMBER = re.compile(
    # After a dot only an MBI or a HICN may start (`by_form` tries the others with a lookbehind
    # that a dot fails): the octets of an address, versions and decimals go no further.
    rb"0(?<![0AaT\-]0)(?:(?<=\.0)(?=[AT](?P<after_dot_mbi>)|00{7}[AT](?P<after_dot_hicn>))"
    # Elsewhere first a quick look that all branches pass (separators and a digit, white space
    # and a capital, a capital, or nine digits), which most numbers fail at their next byte, and
    # that leaves out the date of a timestamp, the commonest number that passes it; then the
    # branches, each named by an empty group at its end. Repeats are spelt out and optional
    # groups are written `(?:...|)`: the regex engine runs both much faster than a repeated group.
    rb"|(?<!\.0)(?!000[-/]00?[-/]00?" + _TIME_OF_DAY + rb")"
    rb"(?=0*[ .\-/(~)]{1,2}[0(]|0{0,5}[ ~]+[AT]|[AT]|0{8})"
    rb"(?="
    + rb"|".join(branch + f"(?P<b{i}>)".encode() for i, (branch, _) in enumerate(_NUMBER_BRANCHES))
    + rb"))"
)
# Two capitals and five digits, a character not of a word before each: maybe `Springfield, IL
# 62704`. It starts with the digits, which the regex engine finds fast.
_STATE_ZIP = re.compile(rb"00000(?<=[^0aAT\-][AT][AT][^0aAT\-]00000)")
# Six groups of hex digits between colons: maybe a full IPv6 address (a short one has `::`).
_HEX_GROUPS = re.compile(r":(?:[0-9A-Fa-f]{1,4}:){6}")
# `::` with a group of hex digits on one side: maybe a short IPv6 address (not SQL's `::date`).
# (Searched for whether it is there at all: each branch starts with the `::` the engine skips to.)
_SHORT_IPV6 = re.compile(
    r"::(?:[0-9A-Fa-f]{1,4}(?![\w])|$|(?<![\w:]::)(?![\w:])|(?<=[0-9A-Fa-f]::))"
)
_OLD_20XX = re.compile(r"[ ,]20[01]\d").search
# Where a year may start after a space or a comma: both become a space, `0`, `1`, `2` and `9` stay,
# any other character (and anything not ASCII) becomes `x`.
_CENTURY_SHAPE = bytes(
    ord(" ") if chr(_c) in " ," else _c if chr(_c) in "0129" else ord("x") for _c in range(256)
)
_NON_DIGITS = re.compile(r"\D+")
_YEAR_LAST = re.compile(r"\d\d?[./\-]\d\d?[./\-](\d{4})")
_DIGITS = re.compile(r"\d+")


def by_form(text: str, lower: str, reversed_lower: str, spans: list[Span]) -> None:
    """Add the spans of identifiers found by their form.

    `lower` is `text.lower()` and `reversed_lower` the same reversed, both as long as `text`.
    """
    # Gates of more than one character cost a scan of the line each (one character: a `memchr`):
    # each waits for a rarer character of its own first.
    if "@" in text or ("%" in text and "%40" in text):
        _emails(text, spans)
    raw = text.encode("ascii", "replace")
    plus = text.find("+") if "+" in text else -1
    while plus != -1:  # `+44 20 7946 0958`, `+1-415-555-0142`: only phones start with `+`
        # and go on with a digit from 1 (not `+00:00`, a time zone): the others are not tried
        if "1" <= text[plus + 1 : plus + 2] <= "9":
            span = _form_at(text, reversed_lower, plus, _PHONE_GUARDED)
            if span is not None:
                spans.append(span)
        plus = text.find("+", plus + 1)
    number_shape = raw.translate(NUMBER_SHAPE)
    _numbers(text, reversed_lower, number_shape, spans)
    if ":" in text and (
        ("::" in text and _SHORT_IPV6.search(text))
        or (text.count(":") >= 7 and _HEX_GROUPS.search(text))
    ):
        _ipv6(text, spans)
    # A year before `RECENT_YEAR` (2020) after a space or comma: `19..`, `200.`, `201.`.
    # `[ ,]19` and `[ ,]20` in two scans of a shape, not four of the text.
    century = raw.translate(_CENTURY_SHAPE)
    if (b" 19" in century or (b" 20" in century and _OLD_20XX(text))) and _names_a_month(lower):
        _dates_in_words(text, reversed_lower, raw.translate(YEAR_SHAPE), spans)
    if b"00000" in number_shape:  # a postal code may be there
        if _STATE_ZIP.search(number_shape):
            for match in p.CITY_STATE_ZIP.finditer(text):
                _keep(reversed_lower, match.start(), match.end(), "ADDRESS", spans)
        if b"0, " in number_shape or b"0 A" in number_shape or b"0,A" in number_shape:
            street_city_postal_code(text, number_shape, spans)
        if b"!00000!" in number_shape or b"!00000-0000!" in number_shape:  # quoted
            for match in _QUOTED_ZIP_ITEM.finditer(text):
                if _beside_a_name(text, match.start()):
                    _keep(reversed_lower, match.start(1), match.end(1), "ADDRESS", spans)
    if b" 0" in number_shape:  # `Samuris St. 35`, `Hauptstraße 5`, `Via Roma 12`
        name_first_streets(text, number_shape, spans)
    for_or_of = " for " in text or " of " in text
    if (
        for_or_of
        or " to " in text
        or " at " in text
        or " from " in text
        or text.startswith(_PREPOSITIONS)
    ):
        _after_a_preposition(text, reversed_lower, spans)
    if for_or_of:
        for match in _IDENTIFIER_AFTER_FOR.finditer(text):
            _keep(reversed_lower, match.start(1), match.end(1), "PHI", spans)
    if "=" in text and "to=" in lower:
        _to_parameter(text, lower, spans)
    if "/" in text and "/by-" in text:
        _by_key_paths(text, spans)
    if "overage " in text:
        for match in _COVERAGE_ID.finditer(text):
            _keep(reversed_lower, match.start(1), match.end(1), "PLAN_ID", spans)
    if "MR" in text:  # `MRN-0555596`, `MRN3577-SV`, `MR#1429132`: a number that says what it is
        for match in _PREFIXED_MRN.finditer(text):
            spans.append((match.start(), match.end(), "MRN"))
    if "\\" in text and ("\\x" in text or "\\u" in text):
        _escaped_separators(text, reversed_lower, spans)
    if _has_title(text, "M", _AFTER_M) or _has_title(text, "D", _AFTER_D):
        for match in p.HONORIFIC.finditer(text):
            _keep(reversed_lower, match.start(), match.end(), "NAME", spans)
    if (
        text[:1].isupper() or ": " in text or '"' in text or "'" in text
    ) and p.NAME_THEN_VERB.search(text):
        _names_then_verbs(text, reversed_lower, spans)
    if len(text) < _NAME_ALONE_LONGEST and " " in text:
        _name_alone(text, spans)
    if ", " in text and ": " in text:
        _last_first_after_colons(text, reversed_lower, spans)
    if any(map(lower.__contains__, _PERSONS_TASKS)):
        _keyed_by_a_person(text, lower, spans)
    ten_digits = b"0000000000" in number_shape
    about_a_phone = (ten_digits or " at " in text) and _ABOUT_A_PHONE.search(lower) is not None
    if about_a_phone and " at " in text:  # `Call back Yuleisy at 0424-4379095`
        at = text.find(" at ")
        while at != -1:
            number = p.spoken_phone(text, at + 4, 8)
            if number is not None:
                _keep(reversed_lower, *number, "PHONE", spans)
            at = text.find(" at ", at + 4)
    if ten_digits and about_a_phone and "npi" not in lower:
        for match in _TEN_DIGITS.finditer(text):  # `SMS gateway rejected 8555404771: landline`
            _keep(reversed_lower, match.start(), match.end(), "PHONE", spans)
    if "(" in text and "date(" in text:
        for match in _DATE_REPR.finditer(text):
            if match.group(1) < p.RECENT_YEAR:
                _keep(reversed_lower, match.start(), match.end(), "DATE", spans)
    if "P" in text and "Pt" in text:  # `Pt Dunn asked to be called`: a chart's "patient"
        for match in _PATIENT_ABBREVIATED.finditer(text):
            if not p.has_stopword(match.group(1)):
                _keep(reversed_lower, match.start(1), match.end(1), "NAME", spans)


# A day as Python's `repr` writes a `date` (`[..., datetime.date(1968, 2, 9), 'WY']`): found like
# the same day written `1968-02-09`, a date before `RECENT_YEAR`; a `datetime`, with its time, is
# when something happened.
_DATE_REPR = re.compile(
    r"datetime\.date\((?<![\w.]datetime\.date\()"  # the literal first: found fast
    r"((?:19|20)\d\d), (?:[1-9]|1[0-2]), (?:[1-9]|[12]\d|3[01])\)"
)

# An identifier after `for` or `of`: six digits or more, that end a message with at most three
# letters before them and a few letters (and digits) after (`FHIR search failed for P4251939`,
# `eligibility check failed for 93809188115:`, `reminder for 595015U6`, `for 601XD22753`, `for
# 63088853-P`), or anywhere after a prefix of capitals, maybe with a slash, a dot or a dash, and
# maybe a letter last (`address of N2041-8837 rejected`, `lookup for PLN20418.8371 failed`, `audit
# copy of RX/1234567`, `bulk load of MR-71-62058-R`). Not a count of something (`for 100000
# rows`), an order's number (`for ORD-2026-269041`: numbered within a year) or a day of this
# century (`for 20261203`). Anywhere too, an identifier whose letters sit between its digits
# (`contact update for H3230M385 not applied`, `for 280-XF-891129`), not a timestamp
# (`for 2026-05-13T13:45`) nor a reference numbered within a year (`images for 2026CT1750`). And
# digits, a dot and a capital before more (`for 1797.G9830`), or three groups of digits between
# colons, the first of three or more (`for 387:6546:2`; not a time, `for 10:30:00`); capitals, a
# colon and digits (`for TC:1438922`); three groups of digits between dots, eight digits or more
# (`for 361.760.52`; not a day, `for 2026.05.13`, nor an IP address).
_IDENTIFIER_AFTER_FOR = re.compile(
    r" (?:for|of) (?!20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b)"
    r"((?=(?:[A-Z]{0,3}-?)\d(?:[A-Z\-]*\d){5})(?:[A-Z]{1,3})?\d{3,12}(?:-?[A-Z]{1,3}\d{0,8})?"
    r"(?=[ \t]*(?:$|[.,;:)\]'\"]|\())"
    r"|(?![A-Z]{1,4}-20[2-9]\d-)[A-Z]{1,6}[/.\-]?(?=(?:[./\-]?\d){6})\d[\d./\-]{4,18}\d(?:-?[A-Z])?(?![\w\-]|\.\w)"
    r"|(?!\d{4}-\d\d-\d\dT|20\d\d[A-Z])(?=[A-Z\d\-]*\d-?[A-Z]+-?\d)(?=(?:[A-Z\-]*\d){6})[A-Z\d][A-Z\d\-]{4,18}[A-Z\d](?![\w\-]|\.\w)"
    r"|\d{2,6}\.[A-Z]{1,2}\d{3,8}(?![\w\-]|\.\w)|\d{3,4}:\d{3,6}:\d{1,3}(?![\w:\-])"
    r"|[A-Z]{1,4}:\d{5,12}(?![\w\-]|[.:]\w)"
    r"|(?!(?:19|20)\d\d\.)(?=(?:\.?\d){8})\d{2,4}(?:\.\d{2,4}){2}(?![\w\-]|\.\w))",
    re.MULTILINE,
)
# A ZIP code as a row's or a tuple's item beside a name (`Row (33, 'Rangel', '39502')`): five
# digits kept as a string are a code, not a quantity (a count or an id is stored as a number).
# (The quote first, then what comes before it: the regex engine looks for a literal fast.)
_QUOTED_ZIP_ITEM = re.compile(r"'(?:(?<=[(\[,] ')|(?<=[(\[,]'))(\d{5}(?:-\d{4})?)'(?=,|\)|\])")
_QUOTED_ITEM = re.compile(r"'([^'\n]{2,64})'")
_TUPLE_BACK = 256


def _beside_a_name(text: str, at: int) -> bool:
    """Whether the tuple that holds the item at `at` has a name among its quoted items before
    it (one to four capitalised words, none of the stop list)."""
    opening = text.rfind("(", max(0, at - _TUPLE_BACK), at)
    if opening == -1 or text.find(")", opening, at) != -1:
        return False
    return any(p.is_typed_name(item.group(1)) for item in _QUOTED_ITEM.finditer(text, opening, at))


# An insurance coverage named by its number (`Updated PPO coverage U49557205C`, `coverage for
# U1234 5678 90 checked`): six digits or more (not `coverage 12 files`).
_COVERAGE_ID = re.compile(
    r"(?<![\w\-])[Cc]overage[ \t]+(?:for[ \t]+)?"
    r"((?=(?:[A-Z\- ]*\d){6})[A-Z0-9](?:[A-Z0-9\-]|(?<=\d) (?=\d)){5,24})(?![\w\-])"
)
_PREPOSITIONS = ("for ", "to ", "of ", "from ")
# A job's, a lock's or a key's name: what it does for a person, then their identifier.
_PERSONS_TASKS = (
    "reminder", "recall", "eligibility", "identity", "chart", "patient", "member", "letter",
)  # fmt: skip
# What follows a person's task's word (found with `str.find` on the lower-cased line: a scan
# for each word costs less than one case-blind alternation tried at every character).
_AFTER_A_PERSONS_TASK = re.compile(r"[:\-/ ]([A-Z0-9][A-Z0-9./\-]{3,24}[A-Z0-9])(?![\w\-/])")
_YEAR_AND_NUMBER = re.compile(r"20[2-9]\d-\d{3,}")
_DAY = re.compile(r"\d{4}-\d\d-\d\d|\d\d?[/.]\d\d?[/.]\d{4}|\d{8}")
# Ten bare digits of a North American number, in a line about phones or texts (an NPI, a
# provider's ten digits, is not one: `npi` in the line keeps them).
_ABOUT_A_PHONE = re.compile(r"sms|phone|fax|\btext|\bcall|mobile|\bcell|landline|\bdial")
_TEN_DIGITS = re.compile(r"(?<![\w\-+.])[2-9]\d{2}[2-9]\d{6}(?![\w\-])")
_NEXT_WORD = re.compile(r"[ \t]+[A-Z][\w\-]*")
_PREFIXED_MRN = re.compile(
    r"MR(?:N(?<![\w\-]MRN)[-#]?|#(?<![\w#]MR#))(?:\d{5,}|\d{3,}-[A-Z0-9]{1,8})(?![\w\-])"
)
# After the capital of a title `HONORIFIC` reads: `Mr`, `Ms`, `Mx`, `MR`, `MS`; `Dr`, `DR`
_AFTER_M = frozenset("rsxRS")
_AFTER_D = frozenset("rR")
_PATIENT_ABBREVIATED = re.compile(
    rf"P(?<!\wP)t\.?[ \t]+({p.NAME_WORD_BODY}(?:[ \t]+{p.NAME_WORD_BODY})?)(?!\w)"
)


# The name before such a verb: two or three capitalised words at the line's start, after a `: `
# or after the quote that opens a message (`'text': 'Manwel Baldacchino checked in'`, also in
# JSON inside a JSON string).
_NAME_BEFORE_A_VERB = re.compile(
    rf"(?:^|(?<=: )|(?<=['\"]))({p.FREE_PERSON.pattern}(?: {p.TITLE_WORD})?)$"
)
_NAME_BEFORE_A_VERB_LONGEST = 96


def _names_then_verbs(text: str, reversed_lower: str, spans: list[Span]) -> None:
    """`Karanja Mutuku was asked to sign in again`, `Hala Aboo Shalabak declined ...`: read back
    from each such verb (called when the line has one at all: one search over its spaces first)."""
    for verb in p.NAME_THEN_VERB.finditer(text):
        name = _NAME_BEFORE_A_VERB.search(
            text, max(0, verb.start() - _NAME_BEFORE_A_VERB_LONGEST), verb.start()
        )
        if name is not None and not p.has_stopword(name.group(1)):
            _keep(reversed_lower, name.start(1), name.end(1), "NAME", spans)


# A record that is nothing but a name, as a letter, a card or a table rendered one line to a record
# writes its addressee or signature (`Safari Magombo`, `  Jessica DeLuca,`): two or three
# capitalised words and nothing else. An HTTP status's phrase alone (`Unprocessable Entity`) and
# what a process says of itself (`Shutting Down`) are no one.
_NAME_ALONE = re.compile(rf"[ \t]*({p.FREE_PERSON.pattern}(?: {p.TITLE_WORD})?)[ \t]*,?[ \t]*")
_NAME_ALONE_LONGEST = 64
_NOT_NAMES_ALONE = frozenset(
    [status.phrase for status in HTTPStatus] + ["Shutting Down", "Starting Up"]
)
# A greeting's or a closing's first word (`Hello Mary,`: the greeting's rule hides the name).
_NOT_A_NAMES_FIRST_WORD = frozenset(
    ["Hello", "Hi", "Hey", "Dear", "Welcome", "Thanks", "Thank", "Good", "Best", "Kind", "Warm",
     "Yours", "Many", "All"]
)  # fmt: skip


def _name_alone(text: str, spans: list[Span]) -> None:
    """A line that is only a person's name (see `_NAME_ALONE`)."""
    alone = _NAME_ALONE.fullmatch(text)
    if alone is None:
        return
    name = alone.group(1)
    if (
        name not in _NOT_NAMES_ALONE
        and name[: name.find(" ")] not in _NOT_A_NAMES_FIRST_WORD
        and not p.has_stopword(name)
    ):
        spans.append((alone.start(1), alone.end(1), "NAME"))


_EXCEPTION_ENDINGS = ("Error", "Exception", "Warning", "DoesNotExist")


def _last_first_after_colons(text: str, reversed_lower: str, spans: list[Span]) -> None:
    """`LookupError: Moore, Ann: several charts match`: a surname and a given name after an
    exception's name (one of the first few `: ` of a line) and before another colon or the end;
    after any other `: `, when they end the line (`userinfo for pt-2e16f184: Namtwat, Monrat`)."""
    for at in _after_colons(text, 8):
        if text.endswith(_EXCEPTION_ENDINGS, max(0, at - 14), at - 2):
            _keep_last_first(text, reversed_lower, at, spans, to_the_end=False)
    last = text.rfind(": ")  # a name that ends the line has no `: ` after it
    if text.find(", ", last) != -1:
        _keep_last_first(text, reversed_lower, last + 2, spans, to_the_end=True)


def _keep_last_first(
    text: str, reversed_lower: str, at: int, spans: list[Span], to_the_end: bool
) -> None:
    name = p.FREE_LAST_FIRST.match(text, at)
    if (
        name is not None
        and (not to_the_end or name.end() == len(text) or text[name.end() :].isspace())
        and not p.has_stopword(name.group())
    ):
        _keep(reversed_lower, name.start(), name.end(), "NAME", spans)


def _after_colons(text: str, count: int) -> Iterator[int]:
    """Where the text after each of the first `count` `: ` of `text` starts."""
    at = text.find(": ")
    for _ in range(count):
        if at == -1:
            return
        yield at + 2
        at = text.find(": ", at + 2)


def _has_title(text: str, capital: str, after: frozenset[str]) -> bool:
    """Whether `capital` followed by one of `after` is in `text`: a look at the few places of the
    capital (each found by a `memchr`), not a scan of the line per pair of letters."""
    at = text.find(capital)
    while at != -1:
        if text[at + 1 : at + 2] in after:
            return True
        at = text.find(capital, at + 1)
    return False


def _after_a_preposition(text: str, reversed_lower: str, spans: list[Span]) -> None:
    """After `for`, `to` or `at`: two capitalised words, neither all capitals nor a word of the
    stop list, are taken for a person's name (`statement for Anne Lee mailed`; not after `at`),
    and ten bare digits of a North American number for a phone number (`sent to 4155550142`)."""
    for word in (" for ", " to ", " at ", " of ", " from "):
        for start in _words_after(text, word):
            if start < len(text) and "2" <= text[start] <= "9":
                match = p.BARE_PHONE.match(text, start)
                if match is not None and not after_safe_label(reversed_lower, start):
                    spans.append((start, match.end(), "PHONE"))
            elif word != " at " and not "a" <= text[start : start + 1] <= "z":
                # (a name's first word starts with a capital or an escape, never a small letter)
                match = p.FREE_PERSON.match(text, start) or p.FREE_LAST_FIRST.match(text, start)
                if match is not None and not p.has_stopword(_with_next_word(text, match)):
                    spans.append((match.start(), match.end(), "NAME"))


def _after_persons_tasks(text: str, lower: str) -> list[re.Match[str]]:
    """What `_AFTER_A_PERSONS_TASK` matches after each word of `_PERSONS_TASKS`, left to right,
    none starting inside the one before (as `finditer` over their alternation would)."""
    words: list[tuple[int, int]] = []
    for word in _PERSONS_TASKS:
        at = lower.find(word)
        while at != -1:
            words.append((at, at + len(word)))
            at = lower.find(word, at + 1)
    matches: list[re.Match[str]] = []
    done = 0
    for start, end in sorted(words):
        if start < done:
            continue
        match = _AFTER_A_PERSONS_TASK.match(text, end)
        if match is not None:
            matches.append(match)
            done = match.end()
    return matches


def _keyed_by_a_person(text: str, lower: str, spans: list[Span]) -> None:
    """Add the identifier that names a job, a lock or a key after what it does for a person
    (`reminder:GJ9647399`, `eligibility-UJR-50369951`, `identity:CL.175694`, `lock
    eligibility-HMC/1246/1150`): six digits or more, not a UUID, a digest, a date or a number
    within a year (`letter-2026-000123`)."""
    for match in _after_persons_tasks(text, lower):
        start, end = match.span(1)
        if (
            sum(c.isdigit() for c in match.group(1)) >= 6
            and p.IDENTIFIER_NOT_A_PERSON.fullmatch(text, start, end) is None
            and _DAY.fullmatch(text, start, end) is None
            and _YEAR_AND_NUMBER.fullmatch(text, start, end) is None
        ):
            spans.append((start, end, "PHI"))  # the word before says whose: no safe label


def _with_next_word(text: str, match: re.Match[str]) -> str:
    """The name found and the word after it: a word of an organisation's there says the two
    before are its name too (`referral from Metro Payer Gateway`)."""
    following = _NEXT_WORD.match(text, match.end())
    return match.group() if following is None else text[match.start() : following.end()]


def _words_after(text: str, word: str) -> Iterator[int]:
    """Where what follows each ` word ` starts, the text's start counting as a space (`for
    Kanakavalli, Yutika`)."""
    if text.startswith(word[1:]):
        yield len(word) - 1
    at = text.find(word)
    while at != -1:
        yield at + len(word)
        at = text.find(word, at + 1)


def _escaped_separators(text: str, reversed_lower: str, spans: list[Span]) -> None:
    """Phone numbers and SSNs whose separators a `repr` or JSON wrote as escapes: `(415)\\xa0555
    \\u20110142`, `123\\u201145\\u20116789`. Found from each escape, read back at most five
    characters (the first group) and forward a bounded way."""
    for match in p.ESCAPED_SEPARATOR.finditer(text):
        at = match.start()
        if at >= 5 and p.FIRST_GROUP_PAREN.fullmatch(text, at - 5, at):
            begin = at - 5
        elif at >= 3 and text[at - 3 : at].isdigit():
            begin = at - 3
        elif at >= 2 and text[at - 2 : at].isdigit() and at >= 6:
            continue  # the middle of an SSN: found from its first escape
        else:
            continue
        if begin and (text[begin - 1].isalnum() or text[begin - 1] in "_-\\"):
            continue
        rest = p.ESCAPED_REST.match(text, match.end())
        if rest is not None and not after_safe_label(reversed_lower, begin):
            spans.append((begin, rest.end(), "SSN" if rest.lastgroup == "ssn" else "PHONE"))


def _to_parameter(text: str, lower: str, spans: list[Span]) -> None:
    """`?to=4155550142` (a message's recipient, as SMS APIs take it): ten bare digits of a North
    American number, as after the word `to`."""
    at = lower.find("to=")
    while at != -1:
        start = at + 3
        if (
            (at == 0 or text[at - 1] in "?&\"' ")
            and start < len(text)
            and "2" <= text[start] <= "9"
        ):
            match = p.BARE_PHONE.match(text, start)
            if match is not None:
                spans.append((start, match.end(), "PHONE"))
        at = lower.find("to=", start)


def _by_key_paths(text: str, spans: list[Span]) -> None:
    """`/api/patients/by-mrn/00418890/`: a path segment after `by-<key>` is that key's value."""
    at = text.find("/by-")
    while at != -1:
        match = p.BY_KEY_PATH.match(text, at)
        if match is not None:
            found = classify(match.group(1))
            if found is not None and found[0] is not Kind.QUERY:
                end = match.end(2)
                if found[1] == "NAME":  # `/by-name/Roberts/Larry/`: the given name follows
                    given = p.NAME_SEGMENT_AFTER.match(text, end)
                    if given is not None and given.group(1) not in p.PERSON_STOPWORDS:
                        end = given.end(1)
                spans.append((match.start(2), end, found[1]))
        at = text.find("/by-", at + 1)


def _numbers(text: str, reversed_lower: str, number_shape: bytes, spans: list[Span]) -> None:
    """Add the identifiers that start with a number: SSNs, MBIs, dates, IPs, phones, cards..."""
    covered = 0
    # A loop of `search` calls, each from past the last number found: cheaper than `finditer`
    # for the few numbers a line has, and none is looked for inside one already found (the next
    # search starts past the identifier found, not once after its start and again past it).
    search = _TOKEN_NUMBER.search
    found = search(number_shape)
    while found is not None:
        start = found.start()
        before = text[start - 1] if start else " "
        span = None
        if before == "(" and start - 1 >= covered:  # `(415) 555-0142`
            span = _form_at(text, reversed_lower, start - 1, _PHONE_GUARDED)
        if span is None:
            forms = (
                _FORM_GUARDED_FROM if before in _GUARDED_BEFORE or before >= "\x80" else _FORM_FROM
            )
            pattern = forms[_FAMILY_OF_BRANCH[found.lastgroup]]  # type: ignore[index]
            span = _form_at(text, reversed_lower, start, pattern)
        if span is None:
            found = search(number_shape, start + 1)
        else:
            spans.append(span)
            covered = span[1]
            found = search(number_shape, covered)  # covered > start


def _names_a_month(lower: str) -> bool:
    """Whether `lower` holds the start of a month's name, as a date in words needs. The long s
    (U+017F) is a `s` to the regex engine's case folding."""
    return (
        "jan" in lower or "feb" in lower or "mar" in lower or "apr" in lower or "may" in lower
        or "jun" in lower or "jul" in lower or "aug" in lower or "sep" in lower or "oct" in lower
        or "nov" in lower or "dec" in lower or "\u017f" in lower
    )  # fmt: skip


def _dates_in_words(text: str, reversed_lower: str, year_shape: bytes, spans: list[Span]) -> None:
    search = p.DATE_WORDS.search
    at = year_shape.find(b" 0000")
    while at != -1:  # a year after a space or comma: maybe `March 15, 1980`, `15 Mar 1980`
        if text[at + 1 : at + 3] in ("19", "20"):
            end = at + 6
            match = search(text, max(0, at - 32), end)
            while match is not None:
                year = match.group()[-4:]
                if not p.TIME_AFTER.match(text, match.end()) and year < p.RECENT_YEAR:
                    _keep(reversed_lower, match.start(), match.end(), "DATE", spans)
                match = search(text, match.end(), end)
        at = year_shape.find(b" 0000", at + 5)


def _form_at(text: str, reversed_lower: str, start: int, pattern: re.Pattern[str]) -> Span | None:
    match = pattern.match(text, start)
    if match is None:
        return None
    name: str = match.lastgroup  # type: ignore[assignment]
    end = match.end()
    if name == "date" and (_recent(text, start) or p.impossible_date(text[start:end])):
        return None
    if name == "card":
        end = _card_end(text, start, end)
        if not end:
            return None
    if name == "phone" and p.TOLL_FREE.fullmatch(text, start, end) is not None:
        return None
    if name == "ipv4" and start > 1 and text[start - 1] == "/" and text[start - 2].isalpha():
        return None  # a product's version in a user agent: `Chrome/133.0.0.0`
    return None if after_safe_label(reversed_lower, start) else (start, end, _TAGS[name])


def _recent(text: str, start: int) -> bool:
    """Whether the numeric date at `start` is in or after `p.RECENT_YEAR`: an event's date (a
    cache key, an API parameter, a report's day), not a birth date. Labelled dates (`dob=`,
    `DOB 2021-03-04`) are found by their label whatever their year."""
    year = text[start : start + 4] if text[start + 4 : start + 5] in ("-", "/") else ""
    if not year.isdigit():  # `03/15/2024`, `15.03.2024`: the year comes last
        match = _YEAR_LAST.match(text, start)
        year = match.group(1) if match else ""
    return year >= p.RECENT_YEAR


def _card_end(text: str, start: int, end: int) -> int:
    if is_card_number(_NON_DIGITS.sub("", text[start:end])):
        return end
    # A grouped match can run into the next number (`4111111111111111 22`): the bare run alone.
    run = _DIGITS.match(text, start)
    end = run.end() if run else 0
    glued = end < len(text) and (text[end].isalnum() or text[end] in "_-")
    if end - start >= 13 and not glued and is_card_number(text[start:end]):
        return end
    return 0


def _ipv6(text: str, spans: list[Span]) -> None:
    for match in p.IPV6.finditer(text):
        found = match.group()
        if found not in ("::", "::1") and ":" in found.strip(":"):
            spans.append((match.start(), match.end(), "IP"))


def _keep(reversed_lower: str, start: int, end: int, tag: str, spans: list[Span]) -> None:
    if not after_safe_label(reversed_lower, start):
        spans.append((start, end, tag))


def _emails(text: str, spans: list[Span]) -> None:
    reversed_text = text[::-1]
    size = len(text)
    for marker in ("@", "%40"):
        at = text.find(marker)
        while at != -1:
            domain = p.EMAIL_DOMAIN.match(text, at + len(marker))
            local = p.EMAIL_LOCAL_REVERSED.match(reversed_text, size - at).group()
            local = local[::-1].lstrip(".'")
            if (
                domain is not None
                and local
                and local.lower() not in p.EMAIL_MACHINE_LOCALS
                and not _role_mailbox(local)
                and p.MESSAGE_ID_LOCAL.fullmatch(local.rpartition("'")[2]) is None  # `b'...`
                and not _message_id_header(text, at - len(local))
                and not text.startswith(_ALGORITHM_DOMAINS, at + len(marker))
            ):
                spans.append((at - len(local), domain.end(), "EMAIL"))
            at = text.find(marker, at + 1)


# SSH names its vendors' algorithms `name@domain` (RFC 4251, 6): `aes128-gcm@openssh.com`,
# `hmac-sha2-256-etm@openssh.com`, `curve25519-sha256@libssh.org`; no mailbox.
_ALGORITHM_DOMAINS = ("openssh.com", "libssh.org")


def _role_mailbox(local: str) -> bool:
    """`billing@`, `it.helpdesk@`, `+ops@` (a bot's contact in its user agent: `(+ops@...)`)."""
    words = [word for word in _LOCAL_PARTS.split(local.lower()) if word]
    return bool(words) and p.EMAIL_ROLE_WORDS.issuperset(words)


_LOCAL_PARTS = re.compile(r"[._\-+]")
_MESSAGE_ID_HEADERS = ("message-id: <", "in-reply-to: <", "references: <")


def _message_id_header(text: str, start: int) -> bool:
    """`Message-ID: <...@mail.example.com>`: the header names a message, not a person."""
    before = text[max(0, start - 14) : start].lower()
    return before.endswith(_MESSAGE_ID_HEADERS)


_SAFE_REVERSED = frozenset(word[::-1] for word in p.SAFE_WORDS)
# Words that name PHI themselves (`address`, `dob`, `patient`): a safe word before one of them
# does not make the value safe.
_PHI_WORDS = frozenset(key for key, (kind, _) in KEYS.items() if kind is not Kind.QUERY)
# The words before a value repeat from line to line (`order_number=`, `took `): each pair is
# judged once. Bounded; emptied whole when full.
_SAFE_CACHE: dict[tuple[str, str | None], bool] = {}
_SAFE_CACHE_SIZE = 4096


def after_safe_label(reversed_lower: str, start: int) -> bool:
    """Whether the words just before `start` say the value is an order number, a version...

    `reversed_lower` is the whole text lower-cased and reversed: the words before `start` are
    read forwards from `len - start`, with no copy of the window.
    """
    if start == 0:
        return False
    at = len(reversed_lower) - start
    match = p.SAFE_BEFORE.match(reversed_lower, at, at + p.SAFE_WINDOW)
    if match is None:
        return False
    words: tuple[str, str | None] = match.groups()  # type: ignore[assignment]
    safe = _SAFE_CACHE.get(words)
    if safe is None:
        safe = _names_safe_label(*words)
        if len(_SAFE_CACHE) >= _SAFE_CACHE_SIZE:
            _SAFE_CACHE.clear()
        _SAFE_CACHE[words] = safe
    return safe


# `request from 205.208.85.191`: after `from` the value is not the word before's own (`order for
# 2024051234` is the order's).
_PREPOSITIONS_REVERSED = frozenset(w[::-1] for w in ("from", "by", "via"))


def _names_safe_label(first: str, second: str | None) -> bool:
    if second is not None and first[::-1] in _PHI_WORDS:
        return False  # `created address 58193 Lake Lane`: the nearer word names PHI
    if first in _PREPOSITIONS_REVERSED:
        second = None
    return not _SAFE_REVERSED.isdisjoint(first.replace("-", "_").split("_")) or (
        second is not None and not _SAFE_REVERSED.isdisjoint(second.replace("-", "_").split("_"))
    )
