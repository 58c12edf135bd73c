"""The patterns of the scrubber: regex sources of the identifier families, compiled patterns
for labels and values, and the word lists that tell PHI from look-alikes.

Python's regex engine pays for every position where a pattern could start; a pattern whose
first item is a literal or a plain character class is only tried where that character occurs.
"""

from __future__ import annotations

import re

# Key-labelled values. Keys are found from their separator (`=` or `:`): the text is reversed so
# that a pattern starting at the separator (a fast search for one character) reads the key that
# precedes it. `labels` puts a lookahead between the two that only lets through keys ending as
# some PHI key does.
KEY_SEPARATORS = "=:"
# A key in JSON written inside a JSON string has its quotes escaped: `{\"dob\": \"1961-03-09\"}`.
# A key in brackets: `instance['last_name'] = 'Lee'`, `row["dob"]: ...`.
REVERSED_KEY_GAP = r"[!<>]?\s{0,3}\]?(?:[\"'`]\\?)?"
REVERSED_KEY_BODY = r"([\w.\-]{1,64})"
# Labels followed by a space (`SSN 123-45-6789`, `member id W123`), found in the lower-cased
# text by one alternation; every branch starts with a literal (grouped by first letter), so the
# engine only stops at the letters that can begin a label. The empty group that ends a branch
# names its tag.
# An inline HTML element may hold the value: `Statement for account <b>8278721960</b>`; Markdown's
# emphasis may close after the colon (`*MRN:* 135.517.78`).
_LABEL_END = (
    r"(?:[ \t]*(?:#|no\.?|number))?(?:[ \t]*[#:](?:\*{1,2}|_{1,2})?|[ \t]+(?:is|of|was))?[ \t]+"
    r"(?:<(?:b|strong|em|i|u|code|span|td)>)?"
)
_SPACE_LABELS = (
    ("ssn", "SSN", ""),
    ("social security", "SSN", ""),
    ("mrn", "MRN", ""),
    ("medical record", "MRN", ""),
    ("dob", "DATE", ""),
    ("d.o.b", "DATE", r"\.?"),
    ("date of birth", "DATE", ""),
    ("born", "DATE", r"(?: on)?"),
    ("mbi", "PLAN_ID", ""),
    ("hicn", "PLAN_ID", ""),
    ("member", "PLAN_ID", r"(?:[ _]?(?:id|number|no\.?))?"),
    ("policy", "PLAN_ID", r"[ _]?(?:id|number|no\.?)"),
    ("insurance", "PLAN_ID", r"(?:[ _]?(?:id|number|no\.?))?"),
    ("phone", "PHONE", r"(?:[ _]?(?:number|no\.?)|[ \t]+on[ \t]+file)?"),
    ("call", "PHONE", r"(?:[ _]?back)?(?:[ \t]+(?:at|on))?"),
    ("acct", "ACCOUNT", ""),
    ("account", "ACCOUNT", r"(?:[ _]?(?:number|no\.?|#))?"),
    # before `patient`: DICOM's keyword (`PatientID 3520M730`; its name, `Patient ID`, is read by
    # `phi/dicom.py`, which knows a phantom's)
    ("patientid", "MRN", ""),
    ("patient", "NAME", ""),
    ("chart", "MRN", r"(?:[ _]?(?:number|no\.?|#))?"),
    ("dear", "GREETING", ""),
    ("display name", "NAME", ""),
    ("licence", "LICENSE", r"(?:[ _]?(?:number|no\.?))?"),
    ("license", "LICENSE", r"(?:[ _]?(?:number|no\.?))?"),
    ("zip", "ZIP", r"(?:[ _]?code)?"),
    ("postal code", "ZIP", ""),
    ("postcode", "ZIP", ""),
)
_BY_FIRST: dict[str, list[str]] = {}
for _i, (_hint, _tag, _tail) in enumerate(_SPACE_LABELS):
    _BY_FIRST.setdefault(_hint[0], []).append(
        f"{re.escape(_hint[1:])}{_tail}{_LABEL_END}(?P<{_tag}_{_i}>)"
    )
SPACE_LABEL = re.compile(
    "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in _BY_FIRST.items())
)
# `Hello Maria Garcia`, `Hi Maria,`: greetings that, unlike `dear`, are letters of many words
# (`this`, `which`), so looked for with their capital, not in the lower-cased label scan.
# (The `H` first, then what comes before it: the regex engine skips to a literal fast.)
GREETING = re.compile(r"H(?<![\w\-.]H)(?:ello|i|ELLO|I)[ \t]+")
# A welcome or a thanks that names whom it is for: `Welcome Ann Lee!`, `Welcome back, Ann Lee`,
# `Thanks, Rafah!`. A welcome is as often to a place (`Welcome Back`, `Welcome Center`), so the
# name after it has two words, or one that ends the greeting (`!`, `,`).
WELCOME = re.compile(r"(?<![\w\-.])(?:Welcome(?:[ \t]+back)?|Thanks|Thank[ \t]+you),?[ \t]+")
ZIP_CODE = re.compile(r"\d{5}(?:-\d{4})?(?![\w\-]|\.\d)")
SPACE_LABEL_TAGS = {f"{tag}_{i}": tag for i, (_, tag, _) in enumerate(_SPACE_LABELS)}
QUOTED = re.compile(r"\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'")
LIST_VALUE = re.compile(r"\[[^\[\]\n]*\]")
TUPLE_VALUE = re.compile(r"\([^()\n]{0,512}\)")
# A list under a PHI key that holds mappings or error objects, not values: what a form or a
# serializer says about the field (`"dob": [{"message": "This field is required."}]`).
NESTED_LIST = re.compile(
    r"\[\s*(?:\{|\w*(?:Error|Detail)\w*(?:\(| @ 0x)"  # Cerberus: `[ValidationError @ 0x7f3a ( ...`
    r"|([\"'])[A-Z][^\"'\]\n]*? [^\"'\]\n]*? [^\"'\]\n]*?\.\1"  # ["This field is required."]
    r"|([\"'])[^\"'\]\n]{0,80}? (?:is not a valid|is required|may not be|has wrong format"
    r"|already exists|is invalid|must be) [^\"'\]\n]*\2"  # ["n/a is not a valid phone number"]
    # Cerberus's messages: `['max length is 28']`, `["value does not match regex '...'"]`
    r"|([\"'])(?:max length is|min length is|null value not allowed|value does not match regex"
    r"|unallowed value|must be of|required field|unknown field|empty values not allowed"
    r"|must not be present))"
)
TOKEN = re.compile(r"[^\s,;&|)\]}\"'<>]+")
# A value in a URL's query, still encoded: up to the next `&`, `#`, quote or space.
URL_TOKEN = re.compile(r"[^\s&#\"'<>]{1,256}")
# A call as the value of a key (`datetime.date(1969, 12, 1)`, `Address(street=...)`): an object
# whose own keys label what it holds, or a date.
CALL = re.compile(r"[A-Za-z_][\w.]{0,64}\(")
# (pandas' `Timestamp('1955-12-04 00:00:00')` too: a date column's value.)
DATE_CALLS = frozenset(
    {"datetime.date(", "datetime.datetime(", "date(", "datetime(", "Timestamp(", "pd.Timestamp("}
)
# A reference numbered within a year from RECENT_YEAR on (`PO-2026-96835`, `INV-2025-00123`): an
# order's or an invoice's, not a person's account number.
DATED_REFERENCE = re.compile(r"[A-Z]{1,4}-20[2-9]\d-\d{3,}(?![\w\-])")
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# Identifiers that name no one: UUIDs, digests, addresses in memory, dates and months written
# with dashes (`2026-05`, a folder of a month's statements).
IDENTIFIER_NOT_A_PERSON = re.compile(
    UUID + r"|\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}|(?:19|20)\d\d-(?:0[1-9]|1[0-2])"
    r"|0x[0-9a-fA-F]+|(?=[0-9a-f]*[a-f])[0-9a-f]{12,}|(?=[0-9A-F]*[A-F])[0-9A-F]{16,}"
    r"|[A-Z]{2,4}_?[0-9a-f]{24,}"  # a service's resource id: Twilio's `PN5d5e...`, `AC...`
)
# A strength and its unit after a name-like value make it a drug's name (`Albuterol HFA 90 mcg`).
DRUG_STRENGTH = re.compile(r"[ \t]+\d+(?:\.\d+)?[ \t]*(?:mg|mcg|\u00b5g|g|ml|mL|units?|IU|%)\b")
# A small number after name-like words makes them a room's or a station's (`Infusion Bay 5`,
# `Imaging Suite 2`).
NUMBERED_PLACE = re.compile(r"[ \t]+\d{1,3}(?=[\"',;}\])]|[ \t]*$)")
# Keys whose mapping holds a thing's or an organisation's `name`, not a person's: `{'supplier':
# {'name': 'Henry Schein', ...}}` (read on the reversed, lower-cased text before the `{`).
ORGANISATION_KEYS_REVERSED = re.compile(
    r"\{[ \t]*:?[\"']?(?:reilppus|rodnev|rerutcafunam|noitazinagro|ynapmoc|ytilicaf|cinilc"
    r"|noitacol|ycamrahp|reyap|rerusni|bal|ecived|noitacidem|gurd|tcudorp|retnec|latipsoh)[\"']?"
    r"(?![\w])"
)
# DynamoDB's attribute value of a string or a number, its type named first: `{'S': 'Ann Lee'}`.
TYPED_ATTRIBUTE = re.compile(r"""\{\s*(["'])[SN]\1\s*:\s*""")
# North American toll-free numbers (800, 833, 844, 855, 866, 877, 888) are a business's, not a
# person's own.
TOLL_FREE = re.compile(
    r"(?:\+?1[\s.\-]?)?(?:\(8(?:00|33|44|55|66|77|88)\)|8(?:00|33|44|55|66|77|88))"
    r"[\s.\-]?\d{3}[\s.\-]?\d{4}"
)
# A phone number as people type it after a label or `at`: digits in groups, with spaces, dots,
# dashes or brackets (`0636 60 10 85`, `(0212) 017.24.53`).
_SPOKEN_PHONE = re.compile(r"\+?\(?\d[\d ().\-]{5,20}\d(?![\w\-])")
# A day as people write it (`2026-05-13`, `13.05.2026`, `5/13/26`, `13-05-2026`).
WRITTEN_DAY = r"\d{4}-\d\d-\d\d|\d\d?[./\-]\d\d?[./\-]\d{2,4}"
_SPOKEN_DAY = re.compile(WRITTEN_DAY)


def spoken_phone(text: str, start: int, least_digits: int) -> tuple[int, int] | None:
    """The span of a phone number typed at `start`, of `least_digits` digits or more; not a
    toll-free number (a business's line) nor a day."""
    number = _SPOKEN_PHONE.match(text, start)
    if (
        number is None
        or sum(c.isdigit() for c in number.group()) < least_digits
        or TOLL_FREE.search(number.group()) is not None
        or _SPOKEN_DAY.match(number.group()) is not None
    ):
        return None
    return number.span()


DIGIT_PHRASE = re.compile(r"[+(]?\d[\d() ./\-]*\d\)?")
# Free text (names, street addresses) runs until the next `key=`, a delimiter, or the end.
# The key's letters and the spaces after it are matched possessively (`*+`): giving any back
# could not reach a separator, and the regex engine need not try at each of them.
FREE_TEXT = re.compile(
    r"[^\s,;&|)\]}\"'<>=][^;&|)\]}\"'<>=\n]*?"
    r"(?=\s*(?:[;&|)\]}\"'<>\n]|,?\s*+[A-Za-z][\w.\-]*+\s*+[=:]|$))"
)
_APOSTROPHES = "'\u2019"
APOSTROPHES = _APOSTROPHES
# Capitals and small letters of the Latin alphabets (Latin Extended-A and -B, the IPA letters
# that Azerbaijani, Twi and Hausa write (`ə`, `ɛ`, `ɔ`, `ɗ`), the turned comma
# Uzbek writes as a letter (`To\u02bbxtayev`) and Latin Extended Additional, Vietnamese's, mix
# both: taken as either), and a JSON escape of one (`Zo\u00eb`): names are written with accents.
_MIXED = "\u0100-\u02af\u02bb\u02bc\u1e00-\u1eff"
_UC = f"A-Z\u00c0-\u00d6\u00d8-\u00de{_MIXED}"
_LC = f"a-z\u00df-\u00f6\u00f8-\u00ff{_MIXED}"
_ESC = r"\\u0[0-9a-fA-F]{3}"
_UP = f"(?:[{_UC}]|{_ESC})"
# One small letter or more, written so that the regex engine runs over plain letters with one
# fast repeat (a repeated group is several times slower per character).
_LOWS = f"(?=[{_LC}]|{_ESC})[{_LC}]*(?:{_ESC}[{_LC}]*)*"
_INNER_UP = "[A-Z\u00c0-\u00d6\u00d8-\u00de]"
_NAME_WORD = (
    rf"(?:{_UP}[{_APOSTROPHES}]{_UP}{_LOWS}"  # O'Brien
    rf"|{_UP}{_LOWS}(?:{_INNER_UP}{_LOWS})?(?:[\-{_APOSTROPHES}]{_UP}?{_LOWS})*"  # McDonald
    rf"|(?:[{_UC}][{_APOSTROPHES}])?[{_UC}]{{2,}}(?:[\-{_APOSTROPHES}][{_UC}]{{2,}})*)"  # O'BRIEN
)
# A name's word as a piece of a larger pattern (no look-ahead after it).
NAME_WORD_BODY = _NAME_WORD
# A capitalised word of letters, an apostrophe or a hyphen inside (`Grondin-les-Bains`): looser
# than a name's word and cheaper to compile where a pattern repeats it (places, streets).
CAPITAL_WORD_BODY = rf"(?=[A-Z\u00c0-\u00de{_MIXED}])[^\W\d_]+(?:[{_APOSTROPHES}\-][^\W\d_]+)*"
NAME_WORD = re.compile(rf"{_NAME_WORD}(?!\w)")
# One name or two (`Lee`, `Ann Lee`), as whose value an identifier is (`SSN ... for Lee`).
NAME_WORDS = re.compile(rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?(?![\w(/]|\.\w)")
# The particles of a surname, in small letters or one capital (`Marguerite de B\u00farc`, `Marc
# \u00d3 Dubhl\u00e1in`, `Ana dos Santos`).
_PARTICLE = (
    r"(?:de|da|do|dos|das|del|della|di|du|le|la|van|von|der|den|ter|ten|bin|binti|ibn|al|el"
    r"|\u00d3|N\u00ed|Nic|Mac|Ua)"
)
# (A name does not go on past a line's end: `FN:Ann Lee\r\nEND:VCARD`.)
# The words of a name are one space apart, or two: a wider gap is a table's or a header's columns
# (`Patient Comments                    LT: ...`).
PERSON = re.compile(
    rf"(?:{_PARTICLE}[ \t]{{1,2}})?{_NAME_WORD},[ \t]{{0,2}}{_NAME_WORD}"
    rf"|{_NAME_WORD}(?:[ \t]{{1,2}}[A-Z]\.?)?"
    rf"(?:[ \t]{{1,2}}(?:{_PARTICLE}[ \t]{{1,2}})?{_NAME_WORD}){{1,3}}(?!\w)"
)
# A name in quotes after `patient`: `no patient matches 'Scott'`, `patient named "Ana"`.
QUOTED_NAME_AFTER = re.compile(
    rf"(?:(?:matches|matching|named|called)[ \t]+)?([\"'])({_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)\1"
)
# Two capitalised words of a name, not in capitals, in free text (after `for`, `to`).
TITLE_WORD = (
    rf"(?:{_UP}[{_APOSTROPHES}]{_UP}{_LOWS}"
    rf"|{_UP}{_LOWS}(?:{_INNER_UP}{_LOWS})?(?:[\-{_APOSTROPHES}]{_UP}?{_LOWS})*)"
)
FREE_PERSON = re.compile(rf"{TITLE_WORD}(?: {_PARTICLE}){{0,2}} {TITLE_WORD}(?![\w.(/])")
# `Moore, Bj\u00f6rn` ending a message or before its colon, a quote or an element's end tag: a
# surname and a given name.
FREE_LAST_FIRST = re.compile(
    rf"{TITLE_WORD}, {TITLE_WORD}(?: {TITLE_WORD})?(?=[ \t]*(?:$|[:;)\]'\"<]|\.(?!\w)))"
)
# An identifier written in groups of three digits after a letter or two (`H 908 505 006 696`, a
# driver's licence of some states), as a label's value.
SPACED_IDENTIFIER = re.compile(r"[A-Z]{1,2}[ \-]?\d{3}(?:[ \-]\d{3}){2,4}(?![\w\-])")
# What someone named at a line's start did (after `FREE_PERSON`): `Karanja Mutuku was asked to
# sign in again`, `Ann Lee checked in`.
_VERBS_AFTER_A_NAME = (
    "was", "is", "has", "had", "checked", "called", "signed", "logged", "requested", "asked",
    "booked", "cancell?ed", "missed", "arrived", "completed", "uploaded", "submitted", "paid",
    "registered", "enrolled", "declined", "consented", "opted", "replied", "confirmed",
    "rescheduled", "scheduled", "left", "reported", "refused", "visited", "tested", "phoned",
    "messaged", "emailed",
)  # fmt: skip


def _by_first_letter(words: tuple[str, ...]) -> str:
    """An alternation of `words` (each starting with a plain letter) grouped by that letter: the
    regex engine tries one group at each place, not every word."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


NAME_THEN_VERB = re.compile(rf" (?:{_by_first_letter(_VERBS_AFTER_A_NAME)})\b")
# A name just before `- DOB` or `, DOB` (the dash may be a Unicode one, read as `-`).
NAME_BEFORE_DOB = re.compile(rf"(?<![\w.])({_NAME_WORD})[ \t]*[,\-][ \t]*$")
# ... and just before `born` (`search Rangel born 1961-01-02`).
NAME_BEFORE_BORN = re.compile(rf"(?<![\w.])({CAPITAL_WORD_BODY})[ \t]+$")
# Ten digits of a North American number with no separator, after `to`, `for` or `at`: `sms
# queued for 4155550142`. (Epoch seconds start with 1; NANP area codes and exchanges do not.)
BARE_PHONE = re.compile(r"[2-9]\d\d[2-9]\d{6}(?![\w\-]|\.\d)")
# A no-break space or a Unicode dash as `repr` (`\xa0`) or JSON (`\u00a0`, `\u2011`) writes it,
# between the groups of a number.
_ESCAPED = r"\\(?:xa0|u00a0|u20(?:0[7-9]|1[0-4]|2f)|u2212)"
ESCAPED_SEPARATOR = re.compile(_ESCAPED)
FIRST_GROUP_PAREN = re.compile(r"\(\d{3}\)")
ESCAPED_REST = re.compile(
    rf"(?P<phone>\d{{3}}(?:{_ESCAPED}|[ .\-])\d{{4}})(?![\w\-])"
    rf"|(?P<ssn>\d\d(?:{_ESCAPED}|[ .\-])\d{{4}})(?![\w\-])"
)
BY_KEY_PATH = re.compile(r"/by-([a-z_\-]{2,40})/([^/?\s\"']+)")
# A name's next segment, written as it is or as `repr` escapes it (`Mar\xeda`).
NAME_SEGMENT_AFTER = re.compile(
    rf"/((?:{_UP}|\\x[0-9a-f]{{2}})(?:[{_LC}]|\\x[0-9a-f]{{2}}|%[0-9A-F]{{2}})+)(?=[/?\s\"']|$)"
)
# Words of software and of an organisation, capitalised in logs, that no common name has:
# `message from Celery Beat`, `list of Active Users`, `out of Memory`.
_SOFTWARE_WORDS = (
    "Active Agent Alert Alerts Application Audit Auth Backend Backup Balancer Batch Beat "
    "Bucket Build Cache Celery Channel Client Cloud Cluster Config Connection Console "
    "Consumer Container Controller Core Cron Dashboard Data Database Default Deploy "
    "Device Disk Docker Domain Engine Error Errors Event Events Exception Failed File "
    "Files Gateway Google Handler Health Host Index Instance Job Jobs Kafka Lambda Load "
    "Local Log Logs Manager Memory Message Messages Microsoft Middleware Model Module "
    "Monitor Network Node Notification Notifications Object Order Orders Partner Payment "
    "Pipeline Pool Process Producer Provider Proxy Redis Region Registry Remote Replica "
    "Request Requests Resource Response Router Runner Scheduler Schema Server Servers "
    "Session Settings Socket Source Stack Storage Store Stream System Table Template "
    "Thread Timer Token Topic Tracker Traffic User Users Vault Volume Web Webhook Worker "
    "Workers Amazon Azure Android Linux Windows Python Django Postgres Reports Services "
    "Supplier Suppliers Vendor Warehouse Inventory Product Products Pharmacy Department "
    "Office Staff Ward Clinic Hospital Reached Limit Timeout Retry Retries Medical Surgical "
    "Labs Laboratory Laboratories Inc LLC Ltd Corp Corporation Company Group Supply Supplies "
    "Distribution Logistics Billing Returns Systems Solutions Partners Associates Foundation "
    "Care Document Sprint Review Meeting Standup Retro Planning Release Demo Training "
    "Onboarding Interview Lunch Holiday Sync Weekly Daily Monthly Quarterly Annual Team Kickoff "
    "Workshop Webinar Cardiology Radiology Oncology Neurology Dermatology Pediatrics "
    "Orthopedics Medicine Imaging Regional Payer Payers Centre Institute Community Memorial "
    "University Insurance Mutual County HIE Women Children Plan Plans Benefit Benefits Medicare "
    "Medicaid"
)
PERSON_STOPWORDS = frozenset(
    [
        "Portal",
        "Record",
        "Records",
        "Intake",
        "Search",
        "List",
        "Detail",
        "Details",
        "Update",
        "Updated",
        "Created",
        "Deleted",
        "Not",
        "Id",
        "ID",
        "Import",
        "Export",
        "Sync",
        "Chart",
        "Summary",
        "Service",
        "Admin",
        "Api",
        "API",
        "Task",
        "Queue",
        "Report",
        # a sex or gender refused by a validator's list of codes (`'Female'` against F, M, U)
        "Female",
        "Male",
        *_SOFTWARE_WORDS.split(),
    ]
)
_WORD_SEPARATORS = re.compile(r"[,\s\-]+")


def has_stopword(words: str) -> bool:
    """Whether a word of `words` (a name's words, separated by spaces or commas) is one of
    `PERSON_STOPWORDS`: `Patient Portal`, `Search, Results` name no one."""
    return not PERSON_STOPWORDS.isdisjoint(_WORD_SEPARATORS.split(words.strip(", \t")))


_TYPED_NAME = re.compile(rf"{CAPITAL_WORD_BODY}(?:[ \t\-]+{CAPITAL_WORD_BODY}){{0,3}}")


def is_typed_name(value: str) -> bool:
    """Whether `value`, quoted back by a parser or a validator, is a name or a place someone typed:
    one to four capitalised words, none in capitals and none of `PERSON_STOPWORDS`."""
    return (
        _TYPED_NAME.fullmatch(value) is not None
        and not any(word.isupper() for word in value.split())
        and not has_stopword(value)
    )


# A street's line: numbers and capitalised words (`8738 Jitrin Station`, `Flat 2 12 Old Mill
# Road`, `Room 1136 Chambers Tower 7 5551 96th Street`).
_STREET_LINE = re.compile(
    r"(?=[^\d]*\d)(?=.*[A-Z][a-z]{2})"
    r"(?:\d{1,6}[a-z]{0,2}|[A-Z][\w'.\-]*)(?:,? (?:\d{1,6}[a-z]{0,2}|[A-Z][\w'.\-]*)){1,9}"
)


def is_a_street_line(value: str) -> bool:
    return _STREET_LINE.fullmatch(value) is not None and not has_stopword(value)


REDACTION_TOKEN = re.compile(r"\[[A-Z_]+\]")
# What a validator says about a field, where its value would be (`last_name: String should have
# at least 3 characters`, `email: value is not a valid email address`): a word, then one that a
# sentence has and a name, an address or an identifier has not.
MESSAGE = re.compile(
    r"[A-Z]?[a-z]+ (?:a|an|the|is|are|was|were|be|has|have|had|should|must|may|can|cannot|could"
    r"|does|did|not|required|missing|invalid|too|field|value|error|contains|provided|ensure"
    r"|enter|this|of|to|for)(?![\w\-'])"
)
# ... and the placeholders of a SQL statement whose parameters are bound apart (`mrn = ?`,
# `mrn = %s`): the value is in the parameters, if they are logged at all.
NULL_VALUES = frozenset({"", "none", "null", "nil", "-", "n/a", "[]", "{}", "''", '""', "?", "%s"})

# Identifiers found by their form, as (extra characters that may not come just before, regex
# body). No family may follow a word character or a dash; `forms` adds that lookbehind. Bodies
# have no groups and no backreferences: `forms` joins them into alternations.
SSN = (".", r"\d{3}(?:-\d\d-| \d\d |\.\d\d\.)\d{4}(?![\w\-]|\.\d)")
PHONE = (
    ".+",
    r"(?:(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
    r"(?:\s*(?:x|ext\.?)\s*\d{1,5})?(?![\w\-]|\.\d)"
    r"|\+(?:[2-9]\d{0,2})[ .\-]?\(?\d{1,4}\)?(?:[ .\-]?\d{2,4}){2,4}(?![\w\-]|\.\d)"
    r"|\d{3}/\d{3}-\d{4}(?![\w\-]|\.\d)"  # the area code before a slash: `509/555-0190`
    r"|\+[1-9]\d{9,13}(?![\w\-]|\.\d))",  # E.164: `+14155550142`
)
_MM = r"(?:0?[1-9]|1[0-2])"
_DD = r"(?:0?[1-9]|[12]\d|3[01])"
_YYYY = r"(?:19|20)\d\d"
# A date with no label from this year on is taken for when something happened (an event's day in
# a cache key or a query parameter), not a birth date. Birth dates of the youngest patients are
# then caught only under a label (`dob=`, `DOB ...`, a `dob` column).
RECENT_YEAR = "2020"
# An ISO date alone, maybe with its time (an item of a row, a cell): group 1 is the year.
DATE_ITEM = re.compile(r"(\d{4})-\d\d-\d\d(?:[ T][\d:.+\-]*)?")
# A year before RECENT_YEAR, maybe the start of a compact date (`19780219`).
OLD_YEAR = re.compile(r"(?<!\d)(?:19\d\d|20[01]\d)")
# A date followed by a time of day is when something happened, not a fact about a patient.
_TIME_AFTER = r"(?:[T ]|\s-\s|:)\d{1,2}:\d\d"
TIME_AFTER = re.compile(_TIME_AFTER)
_DATE_DIGITS = re.compile(r"\d+")
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def impossible_date(date: str) -> bool:
    """Whether a numeric date names a day no calendar has (`1975-02-30`, `04/31/1980`): a typing
    error a validator reports, not anyone's date of birth."""
    if "29" not in date and "30" not in date and "31" not in date:
        return False
    parts = _DATE_DIGITS.findall(date)
    if len(parts) != 3:
        return False
    if len(parts[0]) == 4:
        month, day = int(parts[1]), int(parts[2])
    elif "." in date:
        day, month = int(parts[0]), int(parts[1])
    else:
        month, day = int(parts[0]), int(parts[1])
    return 1 <= month <= 12 and day > _DAYS_IN_MONTH[month]


DATE_NUMERIC = (
    "/.",
    rf"(?:{_YYYY}(?:-{_MM}-{_DD}|/{_MM}/{_DD})|{_MM}(?:-{_DD}-|/{_DD}/){_YYYY}"
    rf"|{_DD}\.{_MM}\.{_YYYY})(?![\w\-/]|\.\d)(?!{_TIME_AFTER})",
)
CARD = (".", r"\d(?:[ \-]?\d){12,18}(?![\w\-]|\.\d)")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Loopback, unspecified, RFC 1918 and link-local addresses name machines, not people.
_INFRASTRUCTURE = r"(?:10|127)\.|172\.(?:1[6-9]|2\d|3[01])\.|192\.168\.|169\.254\.|0\.0\.0\.0(?!\d)"
IPV4 = (".", rf"(?!{_INFRASTRUCTURE}){_OCTET}(?:\.{_OCTET}){{3}}(?![\w\-]|\.\d)")
# The value of an address key (`remote_addr`, `x_forwarded_for`) that names only machines of the
# deployment: loopback, private and link-local addresses, with a port, in a list; `::1`.
_INFRA_ADDRESS = rf"(?:(?:{_INFRASTRUCTURE}){_OCTET}(?:\.{_OCTET}){{0,3}}(?::\d{{1,5}})?|::1)"
INFRASTRUCTURE_ONLY = re.compile(rf"{_INFRA_ADDRESS}(?:,\s*{_INFRA_ADDRESS})*")
_MBI_A = "[AC-HJKMNP-RT-Y]"
_MBI_AN = "[AC-HJKMNP-RT-Y0-9]"
MBI = ("", rf"[1-9]{_MBI_A}{_MBI_AN}\d-?{_MBI_A}{_MBI_AN}\d-?{_MBI_A}{{2}}\d\d(?![\w\-])")
HICN = ("", r"\d{9}[A-Z][0-9A-Z]?(?![\w\-])")
# The street suffixes of USPS Publication 28 (Appendix C1: names and standard abbreviations) and
# the British ones. Those that are also words of software (`Center`, `Key`, `Port`, `Run`, `View`)
# end a street only before a unit (`Apt. 3`), a city with a ZIP code, or a ZIP code.
_STREET_SUFFIX = (
    "Alley|Aly|Anex|Arcade|Avenue|Ave|Bayou|Beach|Bend|Bluffs?|Bottom|Boulevard|Blvd|Brooks?"
    "|Burgs?|Bypass|Byp|Canyon|Cape|Causeway|Circles?|Cir|Cliffs?|Close|Corners?|Courts?|Ct"
    "|Coves?|Creek|Crescent|Cres|Crossing|Xing|Crossroads?|Curve|Dale|Dam|Drives?|Dr|Estates?"
    "|Expressway|Expy|Falls?|Ferry|Ford|Forest|Fort|Freeway|Fwy|Gardens?|Glens?|Greens?|Groves?"
    "|Harbou?rs?|Haven|Heights|Hts|Highway|Hwy|Hills?|Hollow|Inlet|Islands?|Isle|Junctions?"
    "|Knolls?|Lakes?|Landing|Lane|Ln|Loaf|Lodge|Manors?|Meadows?|Mews|Mills?|Motorway|Mount"
    "|Mountains?|Neck|Orchard|Overpass|Parkways?|Pkwy|Parks?|Pike|Pines?|Place|Pl|Plaza|Plz"
    "|Prairie|Ranch|Rapids?|Ridges?|River|Roads?|Rd|Rue|Shoals?|Shores?|Skyway|Spurs?|Squares?"
    "|Sq|Stravenue|Streets?|St|Terrace|Ter|Throughway|Trafficway|Trails?|Trl|Trailer|Tunnel"
    "|Turnpike|Tpke|Underpass|Valleys?|Viaduct|Villages?|Ville|Vista|Walks?|Ways?|Wharf|Quay"
)
_STREET_SUFFIX_IF_SO = (
    "Branch|Bridge|Camp|Centers?|Club|Commons?|Course|Crest|Divide|Extensions?|Fields?|Flats?"
    "|Forks?|Forges?|Gateway|Keys?|Land|Lights?|Locks?|Loop|Mall|Mission|Oval|Pass|Passage|Path"
    "|Plains?|Points?|Ports?|Radial|Ramp|Rest|Route|Row|Run|Springs?|Station|Stream|Summit"
    "|Trace|Track|Unions?|Views?|Wall|Wells?"
)
_STREET_UNIT = r"(?:Apt|Suite|Ste|Unit|Bldg|Fl|Rm|Lot|#)"
_CITY_ZIP_AFTER = r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*(?:,\s*[A-Z]{2})?)?\s+\d{5}(?!\d)"
STREET = (
    ".",
    r"\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\.?\s+){1,3}"
    rf"(?:(?:{_STREET_SUFFIX})\b\.?"
    rf"|(?:{_STREET_SUFFIX_IF_SO})\b(?=,?\s+{_STREET_UNIT}\.?\s*[\w\-]|{_CITY_ZIP_AFTER}))"
    rf"(?:,?\s+{_STREET_UNIT}\.?\s*[\w\-]+)?"
    r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)?(?:,\s*[A-Z]{2})?(?:\s+\d{5}(?:-\d{4})?)?",
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# The same month at the start of a date, with the lookbehind after its first letter: a pattern
# that starts with a letter is only tried where one of those letters is.
_MONTH_STARTING = (
    r"(?:j(?<![\w/]j)(?:an|un|ul)|f(?<![\w/]f)eb|m(?<![\w/]m)(?:ar|ay)|a(?<![\w/]a)(?:pr|ug)"
    r"|s(?<![\w/]s)ep|o(?<![\w/]o)ct|n(?<![\w/]n)ov|d(?<![\w/]d)ec)[a-z]*\.?"
)
DATE_WORDS = re.compile(
    rf"(?i)(?:{_MONTH_STARTING}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d(?<![\w/]\d)\d?(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d\d)(?![\w/])"
)
# The value of a date key (`dob=...`): any numeric or spoken form, year first with dots too.
DATE_ANY = re.compile(
    rf"(?<![\w\-/.])(?:{_YYYY}(?P<ymd_sep>[\-/.]){_MM}(?P=ymd_sep){_DD}"
    rf"|{_MM}(?P<mdy_sep>[\-/]){_DD}(?P=mdy_sep){_YYYY}|{_DD}\.{_MM}\.{_YYYY})(?![\w\-/]|\.\d)"
    rf"|{DATE_WORDS.pattern[4:]}",
    re.IGNORECASE,
)
IPV6 = re.compile(
    r"(?<![\w:.])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?"
    r"|::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})(?![\w:])"
)
# Both start with a capital and look behind it for a word character: the regex engine then only
# stops at capitals (at `M` and `D` for an honorific), not at every place of the line.
# The codes of the states and territories but those that are also words (`OK`, `IN`, `OR`, `ME`,
# `HI`, `ID`, `DE`, `PA`, `AS`, `OH`: `Build OK 12345`).
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DC|FL|GA|IL|IA|KS|KY|LA|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ"
    "|NM|NY|NC|ND|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|MP"
)
# With a comma before the state, any two capitals; without one, a state's or territory's code
# (`Springfield IL 62704`, `Dúbrava TN 30112`).
CITY_STATE_ZIP = re.compile(
    r"[A-Z](?<!\w[A-Z])[a-z]+(?:\s+[A-Z][a-z]+)*,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
    rf"|(?<![\w\-'])(?:{CAPITAL_WORD_BODY}[ \t]+){{1,4}}(?:{_US_STATES})[ \t]+\d{{5}}"
    r"(?:-\d{4})?\b"
)
# A title in capitals without its dot is followed by a name in capitals (`MR JOHN SMITH`): `MR`
# is also an imaging modality (`MR Image Storage`).
HONORIFIC = re.compile(
    rf"(?:(?:M(?<!\wM)(?:rs?|s|x|iss)|D(?<!\wD)r)\.?|(?:M(?<!\wM)(?:RS?|S|X|ISS)|D(?<!\wD)R)\.)"
    rf"\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?(?!\w)"
    r"|(?:M(?<!\wM)(?:RS?|S|X|ISS)|D(?<!\wD)R)\s+[A-Z][A-Z'\-]+(?:\s+[A-Z][A-Z'\-]+)?(?![\w\-])"
)
EMAIL_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b"
)
# The local part of an address, read backwards from the `@` on the reversed text.
# At most 256 characters (an address's local part has at most 64): read afresh from each `@`, an
# unbounded part made `%40%40%40...` quadratic.
EMAIL_LOCAL_REVERSED = re.compile(r"[A-Za-z0-9._%+'\-]{0,256}")
# Nodenames that use the address form but name a machine (`celery@worker-1.internal`).
EMAIL_MACHINE_LOCALS = frozenset(
    {
        "celery",
        "worker",
        # the senders of a deployment's own mail
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "postmaster",
        "mailer-daemon",
        "webmaster",
        "root",
    }
)
# The words of a role's mailbox (RFC 2142's and their like): an address whose local part is made
# of these alone (`billing@`, `it.helpdesk@`, `supply-desk@`) is a team's, not a person's.
EMAIL_ROLE_WORDS = frozenset(
    [
        "info",
        "sales",
        "support",
        "billing",
        "marketing",
        "abuse",
        "noc",
        "security",
        "hostmaster",
        "helpdesk",
        "help",
        "desk",
        "service",
        "services",
        "admin",
        "accounts",
        "accounting",
        "orders",
        "order",
        "invoices",
        "invoice",
        "payments",
        "ap",
        "ar",
        "it",
        "hr",
        "office",
        "team",
        "contact",
        "hello",
        "supply",
        "supplies",
        "procurement",
        "purchasing",
        "shipping",
        "receiving",
        "customer",
        "customers",
        "care",
        "feedback",
        "press",
        "jobs",
        "careers",
        "legal",
        "privacy",
        "compliance",
        "reception",
        "frontdesk",
        "scheduling",
        "appointments",
        "ops",
        "devops",
        "alerts",
        "oncall",
        # a clinic's own departments and lists
        *("pharmacy", "lab", "labs", "radiology", "imaging", "triage", "nursing", "records"),
        *("referrals", "intake", "admissions", "reminders", "notifications", "newsletter"),
        *("finance", "payroll", "staff", "all", "fax", "monitor", "monitoring", "roi", "portal"),
    ]
)
# The left part of a Message-ID as `email.utils.make_msgid` (and Django) writes it:
# `<176512345678.12345.9876543210987654321@mail.example.com>`, digits and dots (Brevo's
# `<202605041717.25696390859@smtp-relay...>`: a time and a random number); a UUID or a hex
# digest of sixteen digits or more, as iCalendar UIDs and mailers' Message-IDs have: not an address.
MESSAGE_ID_LOCAL = re.compile(rf"\d{{6,}}\.\d+\.\d+|\d{{10,}}\.\d{{6,}}|{UUID}|[0-9a-fA-F]{{16,}}")

# Labels under which a value that looks like PHI is something else: `order_number=4111...`.
# Matched on the reversed text just before the value: separators, then up to two words.
SAFE_BEFORE = re.compile(r"[\s\"'=:#(\[v]{0,6}([a-z_\-]{2,30})(?:[\s#.]{1,3}([a-z_\-]{2,30}))?")
SAFE_WORDS = frozenset(
    [
        "order",
        "invoice",
        "receipt",
        "confirmation",
        "tracking",
        "shipment",
        "ticket",
        "transaction",
        "txn",
        "trace",
        "span",
        "request",
        "req",
        "correlation",
        "job",
        "task",
        "build",
        "release",
        "version",
        "ver",
        "port",
        "pid",
        "duration",
        "elapsed",
        "took",
        "latency",
        "size",
        "bytes",
        "count",
        "status",
        "code",
        "sku",
        "batch",
        "ref",
        "reference",
        "nonce",
        "checksum",
        "sha",
        "hash",
        "created",
        "updated",
        "modified",
        "timestamp",
        "ts",
        "expires",
        "expiry",
        "expiration",
        "period",
        "epoch",
        "run",
        "scheduled",
        "eta",
        "offset",
        "partition",
        "commit",
        "image",
    ]
)
SAFE_WINDOW = 40


_ASCII_DIGIT = re.compile(r"[0-9]")


def has_digit(value: str) -> bool:
    if value.isascii():
        return _ASCII_DIGIT.search(value) is not None
    return any(c.isdigit() for c in value)
