"""The compiled patterns of the scrubber, with the cheap prechecks that decide which to run.

Python's regex engine pays for every position where a pattern could start, so each family is
guarded by substring tests on the text or on its *shape* (digits as `0`, capitals as `A`), and
runs only when the guard sees something of the right form.
"""

from __future__ import annotations

import re

SHAPE = bytes.maketrans(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0" * 10 + b"A" * 26)

# Key-labelled values. Keys are found from their separator: the text is reversed so that a
# pattern starting at the separator (a fast charset scan) reads the key that precedes it.
REVERSED_KEY = re.compile(r"[=:]\s{0,3}[\"']?([\w.\-]{1,64})")
# Labels followed by a space (`SSN 123-45-6789`, `member id W123`): the hint is found with
# str.find on the lower-cased text, then the rest of the label is matched there.
_LABEL_END = r"(?:[ \t]*(?:#|no\.?|number))?(?:[ \t]*[#:]|[ \t]+(?:is|of|was))?[ \t]+"
SPACE_LABELS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (hint, tag, re.compile(tail + _LABEL_END))
    for hint, tag, tail in (
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
        ("member", "PLAN_ID", r"[ _]?(?:id|number|no\.?)"),
        ("policy", "PLAN_ID", r"[ _]?(?:id|number|no\.?)"),
        ("acct", "ACCOUNT", ""),
        ("account", "ACCOUNT", r"[ _]?(?:number|no\.?|#)"),
        ("patient", "NAME", ""),
    )
)
QUOTED = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
LIST_VALUE = re.compile(r"\[[^\[\]\n]*\]")
TOKEN = re.compile(r"[^\s,;&|)\]}\"'<>]+")
DIGIT_PHRASE = re.compile(r"[+(]?\d[\d() ./\-]*\d\)?")
# Free text (names, street addresses) runs until the next `key=`, a delimiter, or the end.
FREE_TEXT = re.compile(
    r"[^\s,;&|)\]}\"'<>=][^;&|)\]}\"'<>=\n]*?"
    r"(?=\s*(?:[;&|)\]}\"'<>\n]|,?\s*[A-Za-z][\w.\-]*\s*[=:]|$))"
)
_APOSTROPHES = "'\u2019"
_NAME_WORD = rf"(?:[A-Z][{_APOSTROPHES}][A-Z][a-z]+|[A-Z][a-z]+(?:[\-{_APOSTROPHES}][A-Z]?[a-z]+)*)"
PERSON = re.compile(
    rf"{_NAME_WORD},\s*{_NAME_WORD}|{_NAME_WORD}(?:\s+[A-Z]\.?)?(?:\s+{_NAME_WORD}){{1,2}}(?!\w)"
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
    ]
)
REDACTION_TOKEN = re.compile(r"\[[A-Z_]+\]")
NULL_VALUES = frozenset({"", "none", "null", "nil", "-", "n/a", "[]", "{}", "''", '""'})

# Identifiers found by their form.
SSN = re.compile(r"(?<![\w.\-])\d{3}([- .])\d{2}\1\d{4}(?![\w\-]|\.\d)")
SSN_SHAPES = (b"000-00-0000", b"000 00 0000", b"000.00.0000")
PHONE = re.compile(
    r"(?<![\w.+\-])(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}"
    r"(?:\s*(?:x|ext\.?)\s*\d{1,5})?(?![\w\-]|\.\d)"
    r"|(?<![\w.+\-])\+(?:[2-9]\d{0,2})[ .\-]?\(?\d{1,4}\)?(?:[ .\-]?\d{2,4}){2,4}(?![\w\-]|\.\d)"
)
PHONE_SHAPES = (b"000-000-0000", b"000.000.0000", b"000 000 0000", b"(000)", b"+0")
DATE_NUMERIC = re.compile(
    r"(?<![\w\-/.])(?:"
    r"(?:19|20)\d\d([\-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|1[0-2])([\-/])(?:0?[1-9]|[12]\d|3[01])\2(?:19|20)\d\d"
    r"|(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)\d\d"
    r")(?![\w\-/]|\.\d)"
)
DATE_NUMERIC_SHAPES = (
    b"0000-00-00",
    b"0000-0-0",
    b"0000/0",
    b"0/0000",
    b"00-00-0000",
    b"00.00.0000",
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE_WORDS = re.compile(
    rf"(?i)(?<![\w/])(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d\d)(?![\w/])"
)
MONTH_HINTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_ANY = re.compile(rf"{DATE_NUMERIC.pattern}|{DATE_WORDS.pattern[4:]}", re.IGNORECASE)
# A date followed by a time of day is when something happened, not a fact about a patient.
TIME_AFTER = re.compile(r"(?:[T ]|\s-\s|:)\d{1,2}:\d\d")
CARD = re.compile(r"(?<![\w.\-])\d(?:[ \-]?\d){12,18}(?![\w\-]|\.\d)")
CARD_SHAPES = (b"0000000000000", b"0000 0000 0000", b"0000-0000-0000", b"0000 000000 0000")
DIGIT_RUN = re.compile(rb"0+")
IPV4_HINT = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d")
IPV4 = re.compile(
    r"(?<![\w.\-])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
    r"(?![\w\-]|\.\d)"
)
IPV6 = re.compile(
    r"(?<![\w:.])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?"
    r"|::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})(?![\w:])"
)
_MBI_A = "[AC-HJKMNP-RT-Y]"
MBI = re.compile(
    rf"(?<![\w\-])[1-9]{_MBI_A}[{_MBI_A[1:-1]}0-9]\d-?{_MBI_A}[{_MBI_A[1:-1]}0-9]\d-?"
    rf"{_MBI_A}{{2}}\d\d(?![\w\-])"
)
MBI_SHAPES = tuple(
    f"0A{c3}0{dash}A{c6}0{dash}AA00".encode() for c3 in "A0" for c6 in "A0" for dash in ("", "-")
)
HICN = re.compile(r"(?<![\w\-])\d{9}[A-Z][0-9A-Z]?(?![\w\-])")
STREET_HINTS = (" St", " Ave", " Rd", " Blvd", " Dr", " Ln", " La", " Way", " Ct", " Court")
STREET_HINTS += (" Pl", " Ter", " Pkwy", " Hwy", " Cir", " Road", " Street", " Drive", " Lane")
STREET = re.compile(
    r"(?<![\w\-.])\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\.?\s+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl"
    r"|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy)\b\.?"
    r"(?:,?\s+(?:Apt|Suite|Ste|Unit|#)\.?\s*[\w\-]+)?"
    r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)?(?:,\s*[A-Z]{2})?(?:\s+\d{5}(?:-\d{4})?)?"
)
CITY_STATE_ZIP = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
HONORIFIC_HINTS = ("Mr", "Ms", "Mx", "Miss", "Dr.", "Dr ")
HONORIFIC = re.compile(rf"\b(?:Mrs?|Ms|Mx|Miss|Dr)\.?\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?(?!\w)")
EMAIL_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b"
)
EMAIL_LOCAL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-'"
)
# Nodenames that use the address form but name a machine (`celery@worker-1.internal`).
EMAIL_MACHINE_LOCALS = frozenset({"celery", "worker"})

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
