"""Names found from the identifiers beside them, after the other passes have found those.

- A display name before an address in angle brackets: `Maria Garcia <mgarcia@example.com>`,
  `<Contact: Lopez <clopez@example.com>>` (RFC 5322's `name <address>`, as `str()` of a model
  and e-mail headers write it).
- A name just before an identifier or a birth date, with or without its label: `KIM, Zoë (MRN
  MR6080910)`, `Adams, Emma 2013-11-06.pdf`, `Lee, Ann - DOB 03/04/1965`.
- A name after a label that has no value of its own: `date of birth for Moore`, `SSN for Lee`.
- A file name made of a name and a date, percent-encoded in a path: `Carter%2C%20Pamela%20
  1999-04-27.pdf`.

Each rule reads back a bounded way from a span already found (at most `_WINDOW` characters), so
a line is read once more at most.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from upstream_preflight.phi import patterns as p

Span = tuple[int, int, str]

_WINDOW = 80
_W = p.NAME_WORD.pattern.removesuffix(r"(?!\w)")
# `Last, First`, `Last,` (no first name), or two or three words.
_PERSON = (
    rf"(?:{_W},[ \t]*(?:{_W}(?:[ \t]+{_W})?)?"
    rf"|{_W}(?:[ \t]+[A-Z]\.?)?(?:[ \t]+{_W}){{1,2}})"
)
_PERSON_AT_END = rf"(?<![\w.\-'])({_PERSON})"
_LABEL = r"(?i:mrn|m\.r\.n\.?|dob|d\.o\.b\.?|ssn|member[ _]?id|date of birth|born)"
NAME_BEFORE_IDENTIFIER = re.compile(
    rf"{_PERSON_AT_END}[ \t]*(?:[,\-(\[][ \t]*)?(?:{_LABEL}[ \t]*[:#=]?[ \t]*)?$"
)
# One word is enough before an address in angle brackets: `<Contact: Jackson <...>>`.
NAME_BEFORE_ADDRESS = re.compile(
    rf"(?<![\w.\-'@])((?:{_W}[ \t]+){{0,2}}{_W})[ \t]*[\"”]?[ \t]*<<?$"
)
# Words before a name that are not part of it: `Patient Ann Lee`, `To: Ann Lee`.
_LEADING_WORD = re.compile(r"(?:Patient|PATIENT|Member|MEMBER|Contact|To|From|Re|Cc)[ \t]+")
_NAME_FOLLOWS = re.compile(rf"{_W}(?:[ \t,]|$)")
_IDENTIFIER_TAGS = frozenset({"DATE", "MRN", "SSN", "PLAN_ID"})
# A path, encoded, that holds a comma or a space (maybe `Last, First date.pdf`), and the slashes
# (also encoded: `..%2FCarter%2C...`) between its segments.
_ENCODED_PATH = re.compile(r"[^\s?#\"'<>]*%(?:2C|20)[^\s?#\"'<>]*", re.IGNORECASE)
_SLASH = re.compile(r"/|%2F", re.IGNORECASE)
_NAME_AND_DATE_FILE = re.compile(rf"{_PERSON}[ \t_\-]+[0-9][0-9./\-]{{5,9}}[0-9](?:\.\w{{1,5}})?")


def people_spans(text: str, spans: list[Span]) -> None:
    """Add the names found beside the spans already in `spans` (see the module)."""
    found: list[Span] = []
    for start, _end, tag in spans:
        if tag == "EMAIL":
            if start > 1 and text[start - 1] == "<":
                _before(text, start, NAME_BEFORE_ADDRESS, found, email=True)
        elif tag in _IDENTIFIER_TAGS and start > 2:
            _before(text, start, NAME_BEFORE_IDENTIFIER, found, email=False)
    spans.extend(found)


def encoded_file_names(text: str, spans: list[Span]) -> None:
    """`/records/Carter%2C%20Pamela%201999-04-27.pdf`: a path segment that, decoded, is a name
    and a date is hidden whole."""
    for match in _ENCODED_PATH.finditer(text):
        start = match.start()
        for slash in [*_SLASH.finditer(text, start, match.end()), None]:
            end = slash.start() if slash is not None else match.end()
            if end - start > 8 and "%" in text[start:end]:
                decoded = unquote(text[start:end])
                if _NAME_AND_DATE_FILE.fullmatch(decoded) and not _stopword(decoded):
                    spans.append((start, end, "NAME"))
            if slash is not None:
                start = slash.end()


def name_after_label(text: str, start: int) -> Span | None:
    """`date of birth for Moore`: the name after `for` where a label has no value."""
    if not text.startswith("for ", start):
        return None
    name = p.NAME_WORDS.match(text, start + 4)
    if name is None or _stopword(name.group()):
        return None
    return (name.start(), name.end(), "NAME")


def _before(text: str, at: int, pattern: re.Pattern[str], found: list[Span], email: bool) -> None:
    window_start = max(0, at - _WINDOW)
    match = pattern.search(text, window_start, at)
    if match is None:
        return
    start, end = match.span(1)
    lead = _LEADING_WORD.match(text, start, end)  # `Patient Ann Lee (SSN ...)`: the name only
    if lead is not None and _NAME_FOLLOWS.match(text, lead.end(), end):
        start = lead.end()
    if _stopword(text[start:end]):
        return
    if not email and text[start:end].rstrip(", \t").isupper() and "," not in text[start:end]:
        return  # `ERROR SSN ...`: capitals alone, with no comma, are not read as a name
    found.append((start, end, "NAME"))


def _stopword(words: str) -> bool:
    return not p.PERSON_STOPWORDS.isdisjoint(re.split(r"[,\s]+", words.strip(", \t")))
