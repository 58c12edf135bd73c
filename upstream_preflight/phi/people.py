"""Names found from the identifiers beside them, after the other passes have found those.

- A display name before an address in angle brackets: `Maria Garcia <mgarcia@example.com>`,
  `<Contact: Lopez <clopez@example.com>>` (RFC 5322's `name <address>`, as `str()` of a model
  and e-mail headers write it).
- A name just before an identifier or a birth date, with or without its label: `KIM, Zoë (MRN
  MR6080910)`, `Adams, Emma 2013-11-06.pdf`, `Lee, Ann - DOB 03/04/1965`; a name on the line
  before a street address (`Frank Rodriguez<br>2 River Lane`).
- `Last, First (identifier)`, as a model's `__str__` names a patient: `Nguyen, Maria
  (HN780876B)`.
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

_W = p.NAME_WORD_BODY
# `Last, First`, `Last,` (no first name), or two or three words.
_PERSON = (
    rf"(?:{_W},[ \t]*(?:{_W}(?:[ \t]+{_W})?)?"
    rf"|{_W}(?:[ \t]+[A-Z]\.?)?(?:[ \t]+{_W}){{1,2}})"
)
_PERSON_FROM = re.compile(rf"(?<![\w.\-@])(?<!\w')(?:{_PERSON})")
# One word is enough before an address in angle brackets: `<Contact: Jackson <...>>`.
_WORDS_FROM = re.compile(rf"(?<![\w.\-@])(?<!\w')(?:{_W},[ \t]*)?(?:{_W}[ \t]+){{0,3}}{_W}")
# Read backwards from an identifier (on the reversed, lower-cased text) to where a name before it
# would end: separators, a label (`KIM, Zoë (MRN MR608...)`), a parenthesis or a comma, a line
# break (`Frank Rodriguez<br>2 River Lane`).
_LABELS = (
    "mrn",
    "m.r.n.",
    "m.r.n",
    "dob",
    "d.o.b.",
    "d.o.b",
    "ssn",
    "member id",
    "member_id",
    "memberid",
    "date of birth",
    "born",
)
_BACK_TO_NAME = re.compile(
    r"(?:>/?[ \t]*rb<|\n\r?)?[ \t:#=]*(?:"
    + "|".join(re.escape(label[::-1]) for label in sorted(_LABELS, key=len, reverse=True))
    + r")?[ \t]*(?:[,\-(\[][ \t]*){0,2}"
)
_BACK_FROM_ADDRESS = re.compile(r"(?:<<?|\()[ \t]*(?:[\"\u201d]\\?)?[ \t]*")
# What a name and the spaces and commas between its words are made of, read backwards.
_BACK_OVER_NAME = re.compile(r"[\w \t,.'\u2019\-\\]{0,80}")
# Between two quoted items, read backwards from the opening quote of the second: `', '`.
_BACK_ITEM_SEPARATOR = re.compile(r"[ \t]*,[ \t]*['\"]")
_CSV_ROW_MAX = 2048
# What a CSV row does not hold and JSON, a `repr`, `key=value` pairs and prose do.
_NOT_CSV = re.compile(r'[{}\[\]=]|, |":')
_CSV_IDENTIFIER_TAGS = frozenset({"DATE", "MRN", "SSN", "PHONE", "EMAIL"})
# A field of a CSV row, maybe in double quotes; group 1 is its text.
_CSV_FIELD = re.compile(r'(?:^|(?<=,)|(?<=\n))"?([^,"\n]*)"?(?=,|\r?$|\r?\n)', re.MULTILINE)
_SURNAME = re.compile(rf"(?<![\w.\-'@]){_W}")
_LABEL_AFTER_COMMA = re.compile(r",[ \t]*(?:MRN|DOB|SSN|Member ID|M\.R\.N\.|D\.O\.B\.)[ \t:#]")
_ITEM_NAME = re.compile(rf"{_W}(?:[ \t]+{_W}){{0,2}}")
# Words before a name that are not part of it: `Patient Ann Lee`, `To: Ann Lee`.
_LEADING_WORD = re.compile(r"(?:Patient|PATIENT|Member|MEMBER|Contact|To|From|Re|Cc)[ \t]+")
_NAME_FOLLOWS = re.compile(rf"{_W}(?:[ \t,]|$)")
_IDENTIFIER_TAGS = frozenset({"DATE", "MRN", "SSN", "PLAN_ID", "ADDRESS"})
# A path, encoded, that holds a comma or a space (maybe `Last, First date.pdf`): read forwards and
# backwards from each `%2C` or `%20`; and the slashes (also encoded: `..%2FCarter%2C...`) between
# its segments.
_PATH_TOKEN = re.compile(r"[^\s?#\"'<>]{0,256}")
_SLASH = re.compile(r"/|%2F", re.IGNORECASE)
_NAME_AND_DATE_FILE = re.compile(rf"{_PERSON}[ \t_\-]+[0-9][0-9./\-]{{5,9}}[0-9](?:\.\w{{1,5}})?")


# `Nguyen, Maria (HN780876B)`: how a model's `__str__` often names a patient, with their record
# number in parentheses. Found from the parenthesis (a literal the engine searches for), then the
# name just before it, read in a bounded window.
_PARENTHESIZED_ID = re.compile(
    r"\((?:(?:MRN|ID|Member|Acct|Account|Chart)[ \t#:]{1,3})?([A-Za-z0-9][A-Za-z0-9.\-/#:]{3,30})\)"
)
# A quote may open it (`object_repr='Nguyen, Maria (...)'`), an apostrophe in a word may not; its
# comma may be escaped, as iCalendar writes it (`Vaz\, Rodrigo (MRN N2041-8837)`).
_LAST_FIRST_BEFORE = re.compile(rf"(?<![\w.\-@])(?<!\w')({_W}\\?,[ \t]+{_W}(?:[ \t]+{_W})?)[ \t]+$")
_LAST_FIRST_WINDOW = 96
# A name of one word or two after `for`, `of` or `patient`, before the identifier: `callback
# failed for Reddi (N2-441-1613)`, `patient Chaudhari (MR#5012829)`.
_NAME_AFTER_A_WORD_BEFORE = re.compile(
    rf"(?<![\w\-])(?:for|of|[Pp]atient)[ \t]+({_W}(?:[ \t]+{_W})?)[ \t]+$"
)
# Or a name of two capitalised words or more, not in capitals, after any word: `checked in
# Thitiyapra Thanatkanyon (H90Y67039)`.
_TITLED_NAME_BEFORE = re.compile(rf"(?<![\w.\-@'])({p.FREE_PERSON.pattern})[ \t]*$")
# A day or a version in brackets after a name says when or which, not who: `report for
# Cardiology (2026-03-01)`, `Orthanc (1.12.40123)`; not three digits twice (`Nicole Muller
# (896.063.76)`: a record's number).
_NOT_AN_IDENTIFIER = re.compile(
    rf"{p.WRITTEN_DAY}|(?!\d{{3}}\.\d{{3}}\.)v?\d{{1,3}}(?:\.\d{{1,5}}){{2,3}}"
)
_PARENTHESIZED_DATABASE_ID = re.compile(r"\((?:id|pk)[ \t:=#]{1,3}\d{1,12}\)")


def names_with_identifiers(text: str, spans: list[Span]) -> None:
    """Add `Last, First (identifier)` and `for Reddi (identifier)`: the name and the identifier,
    five digits or more, not a date, a version or a UUID; and the name before a database id
    (`Wright, Jacob (id 95)`, as django-import-export reports a row), the id left as it is."""
    for match in _PARENTHESIZED_ID.finditer(text):
        identifier = match.group(1)
        if (
            sum(c.isdigit() for c in identifier) < 5
            or _NOT_AN_IDENTIFIER.fullmatch(identifier)
            or p.IDENTIFIER_NOT_A_PERSON.fullmatch(identifier)
        ):
            continue
        name = _name_before(text, match.start())
        if name is not None:
            spans.append((name.start(1), name.end(1), "NAME"))
            spans.append((match.start(1), match.end(1), "PHI"))
    if "id" in text or "pk" in text:
        for match in _PARENTHESIZED_DATABASE_ID.finditer(text):
            name = _name_before(text, match.start())
            if name is not None:
                spans.append((name.start(1), name.end(1), "NAME"))


# `statement RM615/72415 (Manas Aboo Qamar): ...`: a record named by its number, then whose it is.
_IDENTIFIER_BEFORE = re.compile(r"(?<![\w.\-/#])[A-Za-z0-9][\w.\-/#]{3,30} \($")
_NAME_IN_PARENTHESES = re.compile(rf"(?:{p.PERSON.pattern})\)")


def identifiers_then_names(text: str, spans: list[Span]) -> None:
    """Add an identifier (five digits or more, not a date, a version or a UUID) and the name in
    parentheses after it (`_IDENTIFIER_BEFORE`)."""
    at = text.find(" (")
    while at != -1:
        name = _NAME_IN_PARENTHESES.match(text, at + 2)
        if name is not None and not p.has_stopword(name.group()):
            before = _IDENTIFIER_BEFORE.search(text, max(0, at - 32), at + 2)
            if before is not None:
                identifier = text[before.start() : at]
                if (
                    sum(c.isdigit() for c in identifier) >= 5
                    and not _NOT_AN_IDENTIFIER.fullmatch(identifier)
                    and not p.IDENTIFIER_NOT_A_PERSON.fullmatch(identifier)
                ):
                    spans.append((before.start(), at, "PHI"))
                    spans.append((at + 2, name.end() - 1, "NAME"))
        at = text.find(" (", at + 2)


def _name_before(text: str, at: int) -> re.Match[str] | None:
    window = max(0, at - _LAST_FIRST_WINDOW)
    name = (
        _LAST_FIRST_BEFORE.search(text, window, at)
        or _NAME_AFTER_A_WORD_BEFORE.search(text, window, at)
        or _TITLED_NAME_BEFORE.search(text, window, at)
    )
    return None if name is None or p.has_stopword(name.group(1)) else name


def people_spans(text: str, reversed_lower: str, spans: list[Span]) -> None:
    """Add the names found beside the spans already in `spans` (see the module)."""
    found: list[Span] = []
    csv_rows: set[int] = set()
    for start, end, tag in spans:
        if tag == "EMAIL":
            if start > 1 and text[start - 1] in "<(":  # `Ann Lee <ann@...>`, `Ann Lee (ann@...)`
                _before(text, reversed_lower, start, found, email=True)
            elif start > 2 and text.startswith(", ", start - 2):  # `Ann Lee, ann@example.com`
                _titled_name_before(text, start - 2, found)
            if text.startswith(" (", end):  # `ann@example.com (Ann Lee)`
                name = _NAME_IN_PARENTHESES.match(text, end + 2)
                if name is not None and not p.has_stopword(name.group()):
                    found.append((end + 2, name.end() - 1, "NAME"))
        elif tag == "PHONE" and start > 4 and text.startswith(" at ", start - 4):
            # `Page the on-call: Suela Basha at +356 2129 8822`: two words or more
            _titled_name_before(text, start - 3, found)
        elif tag in _IDENTIFIER_TAGS and start > 2:
            if text[start - 1] in "'\"":
                _quoted_items_before(text, reversed_lower, start - 1, found)
            _before(text, reversed_lower, start, found, email=False)
        if tag in _CSV_IDENTIFIER_TAGS and "," in text:
            floor = max(0, start - _CSV_ROW_MAX)
            row = text.rfind("\n", floor, start) + 1
            if (row or not floor) and row not in csv_rows:  # a row of at most _CSV_ROW_MAX
                csv_rows.add(row)
                _csv_names(text, row, found)
    spans.extend(found)


def _titled_name_before(text: str, end: int, found: list[Span]) -> None:
    """Add a name of two capitalised words or more that ends at `end` (spaces after it aside),
    read within `_LAST_FIRST_WINDOW` characters."""
    name = _TITLED_NAME_BEFORE.search(text, max(0, end - _LAST_FIRST_WINDOW), end)
    if name is not None and not p.has_stopword(name.group(1)):
        found.append((name.start(1), name.end(1), "NAME"))


def _csv_names(text: str, row: int, found: list[Span]) -> None:
    """`17,Ann,Lee,1961-01-02,F`: in a CSV row (four fields or more, at most `_CSV_ROW_MAX`
    characters) that holds an identifier, the fields that are names."""
    end = text.find("\n", row, row + _CSV_ROW_MAX)
    if end == -1:
        end = min(len(text), row + _CSV_ROW_MAX)
    if text.count(",", row, end) < 3 or _NOT_CSV.search(text, row, end) is not None:
        return
    for field in _CSV_FIELD.finditer(text, row, end):
        start, stop = field.span(1)
        if (
            start < stop
            and _ITEM_NAME.fullmatch(text, start, stop)
            and not p.has_stopword(text[start:stop])
        ):
            found.append((start, stop, "NAME"))


def encoded_file_names(text: str, lower: str, reversed_lower: str, spans: list[Span]) -> None:
    """`/records/Carter%2C%20Pamela%201999-04-27.pdf`: a path segment that, decoded, is a name
    and a date is hidden whole."""
    size = len(text)
    done = 0
    for marker in ("%2c", "%20"):
        at = lower.find(marker)
        while at != -1:
            if at >= done:
                start = size - _PATH_TOKEN.match(reversed_lower, size - at).end()
                done = _PATH_TOKEN.match(text, at).end()
                _file_names(text, start, done, spans)
            at = lower.find(marker, at + 3)
        done = 0


def _file_names(text: str, start: int, stop: int, spans: list[Span]) -> None:
    for slash in [*_SLASH.finditer(text, start, stop), None]:
        end = slash.start() if slash is not None else stop
        if end - start > 8 and "%" in text[start:end]:
            decoded = unquote(text[start:end])
            if _NAME_AND_DATE_FILE.fullmatch(decoded) and not p.has_stopword(decoded):
                spans.append((start, end, "NAME"))
        if slash is not None:
            start = slash.end()


def name_after_label(text: str, start: int) -> Span | None:
    """`date of birth for Moore`: the name after `for` where a label has no value."""
    if not text.startswith("for ", start):
        return None
    name = p.NAME_WORDS.match(text, start + 4)
    if name is None or p.has_stopword(name.group()) or name.group().isupper():
        return None  # `no chart for MRN 0012...`: capitals alone are a label, not a name
    return (name.start(), name.end(), "NAME")


def _before(text: str, reversed_lower: str, at: int, found: list[Span], email: bool) -> None:
    """Add the name that ends just before `at` (past a label and punctuation), if there is one.

    Where the name would end and how far back it could start are read on the reversed text (one
    anchored match each); its start is then tried at each of the last few word boundaries,
    farthest first: a handful of anchored matches, not a search over the window."""
    size = len(text)
    back = (_BACK_FROM_ADDRESS if email else _BACK_TO_NAME).match(reversed_lower, size - at)
    end = size - back.end() if back is not None else at
    if end < 2 or not text[end - 1].isalpha():
        return
    run = size - _BACK_OVER_NAME.match(reversed_lower, size - end).end()
    pattern = _WORDS_FROM if email else _PERSON_FROM
    starts = [run]
    position = end
    for _ in range(4):  # a name has at most four words here (`Last, First Middle`, `A B. C`)
        position = max(
            text.rfind(" ", run, position),
            text.rfind("\t", run, position),
            text.rfind(",", run, position),  # a CSV row: `17,Ann,Lee,1961-01-02`
        )
        if position == -1:
            break
        starts.insert(1, position + 1)
    # A name opened by a quote (`'Message': 'Ismail Sa'idu (MRN ...)`) starts after it.
    starts = [s + 1 if text[s] == "'" and s + 1 < end else s for s in starts]
    for start in starts:
        if start < end and pattern.fullmatch(text, start, end) is not None:
            break
    else:
        # `SINGH,  (MRN 00700435)`: a surname in capitals before a comma, the first name empty;
        # `Visit summary for Kim, MRN AMC1080972`: a surname before a comma and the label
        start = starts[-1]
        if email or text[end : end + 1] != "," or _SURNAME.fullmatch(text, start, end) is None:
            return
        if not text[start:end].isupper() and _LABEL_AFTER_COMMA.match(text, end) is None:
            return
    lead = _LEADING_WORD.match(text, start, end)  # `Patient Ann Lee (SSN ...)`: the name only
    if lead is not None and _NAME_FOLLOWS.match(text, lead.end(), end):
        start = lead.end()
    if p.has_stopword(text[start:end]):
        return
    if not email and text[start:end].isupper() and "," not in text[start : end + 1]:
        return  # `ERROR SSN ...`: capitals alone, with no comma, are not read as a name
    found.append((start, end, "NAME"))


def _quoted_items_before(text: str, reversed_lower: str, quote: int, found: list[Span]) -> None:
    """`['Ann', 'Lee', '1961-01-02']`: the quoted items of a list or a tuple just before an
    identifier's (whose opening quote is at `quote`), back to the first that is not a name."""
    size = len(text)
    for _ in range(3):
        separator = _BACK_ITEM_SEPARATOR.match(reversed_lower, size - quote)
        if separator is None:
            return
        close = size - separator.end()
        mark = text[close]
        opening = text.rfind(mark, max(0, close - 64), close)
        if opening == -1:
            return
        item = text[opening + 1 : close]
        if _ITEM_NAME.fullmatch(item) is None or p.has_stopword(item):
            return
        found.append((opening + 1, close, "NAME"))
        quote = opening
