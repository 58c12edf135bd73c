"""Values that a key or a spoken label marks as PHI: `dob=...`, `"first_name": "..."`, `MRN 00481`.

A key is read backwards from its separator (`=` or `:`) on the reversed, lower-cased text, so the
regex engine only stops at separators, and only keys that end as a PHI key does reach Python;
each key is classified once and remembered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote_plus

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.keys import KEYS, Kind, classify, refuses
from upstream_preflight.phi.people import name_after_label

Span = tuple[int, int, str]


def _trie(words: list[str]) -> str:
    """A regex matching any of `words` (lower case), separators allowed between letters.

    Each branch starts with a literal, which the regex engine tests before entering the branch:
    a branching trie costs a few tests per key, a flat alternation one per word.
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in by_first.items():
        letter = re.escape(first)
        longer = [rest for rest in rests if rest]
        if not longer:
            branches.append(letter)
            continue
        tail = rf"[_.\-]*(?:{_trie(longer)})"
        branches.append(letter + (f"(?:{tail})?" if "" in rests else tail))
    return "|".join(branches)


# A key labels PHI only if, normalised, it ends with a key of `KEYS`; so on the reversed,
# lower-cased text it starts with the last letters of one, reversed. Checked in the regex engine,
# most keys of a log line (`status=`, `path=`, `"level":`) never reach Python. One pattern per
# separator: the regex engine finds a single character much faster than either of two.
_ENDS_LIKE_A_PHI_KEY = rf"(?=[_.\-]*(?:{_trie([key[-3:][::-1] for key in KEYS])}))"
_PHI_KEY_AFTER = {
    separator: re.compile(
        re.escape(separator) + p.REVERSED_KEY_GAP + _ENDS_LIKE_A_PHI_KEY + p.REVERSED_KEY_BODY
    )
    for separator in p.KEY_SEPARATORS
}

# What a value may be for `NULL_VALUES` to hold it once stripped: longer, with no space at either
# end, it is not one.
_LONGEST_NULL = max(map(len, p.NULL_VALUES))
# What a value of a date key may start with besides a digit: a month (the long s, U+017F,
# matches `s` in the regex engine's case folding).
_DATE_FIRST = "adfjmnosADFJMNOS\u017f"

_QUOTES = ("'", '"')
_PROTOCOL_WITHIN = 256
# Keys whose one-word value in a query is as often a thing's name as a person's: `?name=Cardiology`.
_ANY_WORD_KEYS = frozenset({"name", "displayname", "display_name"})
_ESCAPED_VALUE_MAX = 256
_KEY_CACHE: dict[str, tuple[Kind, str] | None] = {}
_KEY_CACHE_SIZE = 16384
_MISSING = (None, "")


def labelled(text: str, reversed_lower: str, spans: list[Span]) -> None:
    """Add the spans of values under keys that label PHI (`key=value`, `"key": value`).

    `reversed_lower` is `text` lower-cased and reversed, as long as `text`.
    """
    if "=" in text:
        _labelled_after(text, reversed_lower, _PHI_KEY_AFTER["="], spans)
    if ":" in text:
        _labelled_after(text, reversed_lower, _PHI_KEY_AFTER[":"], spans)


# The word before a label written in capitalised words (`Model Name:`): what it names.
_WORD_BEFORE_KEY = re.compile(r"(?<![\w.@\-])([A-Z][a-z]{1,23})(?:'s)?[ \t]$")
# Words before `Name` that leave it a person's: `Your Name:`, `Full Name:`.
_PERSONS_WORDS = frozenset(["your", "my", "his", "her", "their", "the"])


def _a_things_name(text: str, key_start: int, key: str) -> bool:
    """Whether a bare `Name` key, written as a label in words, is qualified by the word before
    it as a thing's (`Model Name`, `Station Name`, `Institution Name`: their compounds name no
    one) rather than a person's (`Patient's Name`, `Display Name`, `Your Name`)."""
    if key != "Name" or key_start < 3:
        return False
    word = _WORD_BEFORE_KEY.search(text, max(0, key_start - 28), key_start)
    if word is None or word.group(1).lower() in _PERSONS_WORDS:
        return False
    return _classify(f"{word.group(1).lower()}_name") is None


def _labelled_after(
    text: str, reversed_lower: str, pattern: re.Pattern[str], spans: list[Span]
) -> None:
    # A loop of `search` calls: cheaper than `finditer` for the few keys a line has.
    size = len(text)
    cache = _KEY_CACHE
    token_end = [size, size]  # see `_token_end`
    changes = (">" in text and "->" in text) or "\u2192" in text  # `>` first: a `memchr`
    search = pattern.search
    next_match = search(reversed_lower)
    while next_match is not None:
        match = next_match
        next_match = search(reversed_lower, match.end())
        key_start, key_end = match.span(1)
        key = text[size - key_end : size - key_start]
        found = cache.get(key, _MISSING)
        if found is _MISSING:
            found = _classify(key)
        if found is None:
            continue
        kind, tag = found  # type: ignore[misc]
        value_start = size - match.start()  # just after the separator
        if kind is Kind.QUERY or kind is Kind.PERSON:
            in_query = text[value_start - 1] == "=" and (
                size == key_end or text[size - key_end - 1] in "?&\"'"
            )
            if kind is Kind.QUERY and not in_query:
                # Outside a URL, a search term in quotes that is a name: `search q='Kaur'`
                if text[value_start : value_start + 1] not in _QUOTES:
                    continue
                kind, tag = Kind.NAME_WORD, "NAME"
            elif (
                kind is Kind.PERSON
                and key.lower() not in _ANY_WORD_KEYS
                and (in_query or (size > key_end and text[size - key_end - 1] == "<"))
            ):
                # `?patient=Kaur&dob=...`, `<Patient: Kaur>` (a model's `repr`): one word names
                # someone here
                kind = Kind.NAME_WORD
        if value_start < size and text[value_start] == ":":
            continue  # `"last_name"::text`: a cast in SQL, not a key
        if kind is Kind.PERSON and _in_an_organisation(reversed_lower, size - key_end):
            continue  # `{'supplier': {'name': 'Henry Schein'}}`: a thing's or a firm's name
        if kind is Kind.PERSON and _a_things_name(text, size - key_end, key):
            continue  # `Manufacturer's Model Name: 'MAGNETOM Vida'`, `Station Name: ...`
        value_start = _AFTER_A_LABEL.match(text, value_start).end()  # type: ignore[union-attr]
        span = value_span(text, value_start, kind, tag, token_end)
        if span is not None and tag == "LICENSE" and _an_instruments_serial(text, key):
            span = None  # `{'serial': 'SN-1234567', 'model': ..., 'firmware': ...}`: equipment
        elif span is not None and tag == "NAME" and _CREDENTIAL.match(text, span[1]):
            span = None  # `author='Imogen Vasquez, MD'`: a clinician's name, not a patient's
        elif span is not None and tag == "ADDRESS" and _IP_LITERAL.fullmatch(text, *span[:2]):
            span = None  # OpenTelemetry's `client.address`: an IP, which the IP rule judges
        if span is not None:
            if text[value_start - 1] == "=" and span[1] - span[0] > 6:
                # `"GET /p/?last_name=Lee HTTP/1.1" 200`: a query value ends before the protocol
                # (looked for in a value's first characters: in `ssn=ssn=...` every value runs
                # to the line's end)
                protocol = text.find(" HTTP/", span[0], min(span[1], span[0] + _PROTOCOL_WITHIN))
                if protocol != -1:
                    span = (span[0], protocol, span[2])
            spans.append(span)
        if changes:
            # An audit trail's change: `patient.licence: '' -> 'CCC385481'`, `ssn: 1 → 2`: the new
            # value is the key's too.
            change = _CHANGE.match(text, value_start)
            if change is not None:
                after = value_span(text, change.end(), kind, tag)
                if after is not None:
                    spans.append(after)


# Spaces after a label's separator, and the end of the label's emphasis in Markdown (Slack's
# `*Patient:* Ann Lee`, `**DOB:** 1961-01-02`).
_AFTER_A_LABEL = re.compile(r"[ \t]*(?:(?:\*{1,2}|_{1,2})[ \t]+)?")
_IP_LITERAL = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}")
# A clinician's credential after their name.
_CREDENTIAL = re.compile(
    r",? (?:MD|DO|RN|NP|PA|PA-C|DDS|DMD|DPM|PharmD|LPN|CNA|CNM|CRNA|FNP|APRN|PhD|MSW|LCSW)\b"
)
_CHANGE = re.compile(
    r"""(?:'[^'\n]{0,256}'|"[^"\n]{0,256}"|[^\s;,'"]{0,256})[ \t]*(?:->|\u2192|=>)[ \t]*"""
)
# FHIR's `Parameters` and other lists of name/value pairs: `{"name": "family", "valueString":
# "Fischer"}`; the name is the key of the value that follows.
_NAMED_VALUE = re.compile(
    r"([\"'])name\1\s*:\s*([\"'])([A-Za-z][\w.\-]{0,40})\2\s*,\s*([\"'])value[A-Za-z]{0,24}\4\s*:\s*"
)
# A search over named fields, as Elasticsearch's `multi_match` and `query_string` take it:
# `{"query": "Blendi Gjata", "fields": ["first_name", "last_name"]}`; a PHI field among them makes
# the query that field's value (also JSON in a JSON string, its quotes escaped).
_QUERY_OVER_FIELDS = re.compile(
    r"""\\?["']query\\?["']\s*:\s*\\?["']([^"'\\\n]{1,128})\\?["']\s*,\s*"""
    r"""\\?["']fields\\?["']\s*:\s*\[([^\]\n]{1,256})\]"""
)
_FIELD_NAME = re.compile(r"""["']([A-Za-z][\w.\-]{0,63})(?:\^\d+)?\\?["']""")
# What a validator got at a path of the data, as voluptuous's `humanize_error` writes it: `expected
# str for dictionary value @ data['patient']['phone']. Got '5550142'`; the path's last key names
# the value.
_GOT_AT_A_PATH = re.compile(
    r"@ data(?:\[[^\]\n]{1,66}\]){0,8}\[['\"]?([\w.\-]{1,64})['\"]?\]\. Got "
)
# A search index's document of a person, as Elasticsearch and OpenSearch answer and bulk-load
# it: its `_id` beside an `_index` that holds people (`{"_index":"patients","_id":"HN860382"}`).
_INDEXED_DOCUMENT = re.compile(
    r'"_index"\s*:\s*"(?:patients?|members?|charts?)(?:[_\-][\w\-]{0,32})?"\s*,\s*"_id"\s*:\s*"([^"]{1,64})"'
    r'|"_id"\s*:\s*"([^"]{1,64})"\s*,\s*"_index"\s*:\s*"(?:patients?|members?|charts?)(?:[_\-][\w\-]{0,32})?"'
)
# A PDF form's field, as pypdf's `get_fields()` gives it: its name under `/T`, its value under
# `/V` (`{'/T': 'patient_name', '/FT': '/Tx', '/V': 'Ann Lee'}`).
_PDF_FIELD = re.compile(
    r"([\"'])/T\1:[ \t]*([\"'])([A-Za-z][\w.\-]{0,40})\2,[^{}]{0,128}?([\"'])/V\4:[ \t]*"
)
# A PDF's document information: its author and subject when they are a name (a patient's
# statement is about them, their consent signed by them; `Imogen Vasquez, MD` is no typed name),
# and its title (`_TITLE_AFTER_KIND`).
_PDF_INFO = re.compile(r"([\"'])/(Author|Subject|Title)\1:[ \t]*(?=[\"'])")
# A title that names its document's kind, then whose it is: `Consent 4646.X2497`, `Referral Ann
# Lee`, `Consent - Ann Lee`.
_TITLE_AFTER_KIND = re.compile(r"[A-Z][a-z]{2,24}(?: -)? ")
# A pair in a tuple, as `OrderedDict`'s and `dict.items()`'s `repr` write it: `('dob', '1961-...')`,
# also of bytes, as httpcore's trace writes headers: `(b'X-Patient-Mrn', b'T8321884')`.
_PAIR = re.compile(r"\(b?([\"'])([A-Za-z][\w.\-]{0,40})\1,[ \t]*b?(?=[\"'])")
# An identifier's system before its value (FHIR's `system|value` token, `|` maybe encoded): the
# system names a social security number.
_SSN_SYSTEM = re.compile(
    r"(?:us-ssn|2\.16\.840\.1\.113883\.4\.1)(?:\||%7C)(\d{3}-?\d\d-?\d{4})(?![\w\-])", re.IGNORECASE
)


# FHIR's token search on an identifier, `identifier=<system>|<value>` (`|` maybe encoded): the
# value is the person's record number in that system, whatever the system.
_IDENTIFIER_TOKEN = re.compile(
    r"(?<![\w.\-])identifier=[^&\s\"'|]{0,256}?(?:\||%7C)([^&\s\"'#|%]{1,64})", re.IGNORECASE
)


def named_values(text: str, lower: str, spans: list[Span]) -> None:
    """Add the values of name/value pairs whose name is a PHI key (`_NAMED_VALUE`, `_PAIR`), and
    of identifiers whose system is a social security number's (`_SSN_SYSTEM`)."""
    if "(" in text and ("('" in text or '("' in text or "(b'" in text):  # `(` first: a `memchr`
        # a pair closes after its value; `("first_name", "last_name", ...` is a list
        _values_of_named_keys(text, _PAIR.finditer(text), 2, spans, closed=True)
    if "value" in text and ('"value' in text or "'value" in text):  # one scan where neither is
        _values_of_named_keys(text, _NAMED_VALUE.finditer(text), 3, spans, closed=False)
    if "fields" in text and "query" in text:
        for match in _QUERY_OVER_FIELDS.finditer(text):
            fields = (value_key(field.group(1)) for field in _FIELD_NAME.finditer(match.group(2)))
            found = next((found for found in fields if found is not None), None)
            if found is not None:
                spans.append((match.start(1), match.end(1), found[1]))
    if ". Got " in text:
        _values_of_named_keys(text, _GOT_AT_A_PATH.finditer(text), 1, spans, closed=False)
    if "_id" in text and "_index" in text:
        for match in _INDEXED_DOCUMENT.finditer(text):
            group = 1 if match.group(1) is not None else 2
            spans.append((match.start(group), match.end(group), "MRN"))
    if "/V" in text and "/T" in text:
        _values_of_named_keys(text, _PDF_FIELD.finditer(text), 3, spans, closed=False)
    if "/Author" in text or "/Subject" in text or "/Title" in text:
        for match in _PDF_INFO.finditer(text):
            value = p.QUOTED.match(text, match.end())
            if value is not None:
                _pdf_info_value(text, value.start() + 1, value.end() - 1, match.group(2), spans)
    if "us-ssn" in lower or "113883.4.1" in text:
        for match in _SSN_SYSTEM.finditer(text):
            spans.append((match.start(1), match.end(1), "SSN"))
    if "identifier=" in lower:
        for match in _IDENTIFIER_TOKEN.finditer(text):
            if _SSN_SYSTEM.search(match.group()) is None:  # an SSN's system: read above
                spans.append((match.start(1), match.end(1), "MRN"))


_DIAGNOSE_LINES_UP = 12
_DIAGNOSE_LINE_MAX = 512
_NAME_AT = re.compile(r"[A-Za-z_]\w{0,63}")


def diagnose_values(text: str, spans: list[Span]) -> None:
    """Values that loguru's `diagnose` (and better-exceptions) draws under the names of a
    traceback's source line: `lookup(member_id)` then `│      └ 'H21329713-01'`; the name is on
    a line above, in the column of the `└`."""
    at = text.find("\u2514 ")
    while at != -1:
        line_start = text.rfind("\n", max(0, at - _DIAGNOSE_LINE_MAX), at) + 1
        column = at - line_start
        above_end = line_start - 1
        for _ in range(_DIAGNOSE_LINES_UP):
            if above_end <= 0:
                break
            above_start = text.rfind("\n", max(0, above_end - _DIAGNOSE_LINE_MAX), above_end) + 1
            char = text[above_start + column : above_start + column + 1]
            if char != "\u2502":  # not a line of the drawing: the source line
                name = _NAME_AT.match(text, above_start + column) if char else None
                found = _classify(name.group()) if name is not None else None
                if found is not None and found[0] is not Kind.QUERY:
                    span = value_span(text, at + 2, found[0], found[1])
                    if span is not None:
                        spans.append(span)
                break
            above_end = above_start - 1
        at = text.find("\u2514 ", at + 2)


def _pdf_info_value(text: str, start: int, end: int, field: str, spans: list[Span]) -> None:
    """A PDF's author or subject that is a name; a title's identifier or name after the kind of
    document it names (`_TITLE_AFTER_KIND`)."""
    if field == "Title":
        kind = _TITLE_AFTER_KIND.match(text, start, end)
        if kind is None:
            return
        start = kind.end()
        rest = text[start:end]
        if sum(c.isdigit() for c in rest) >= 5 and " " not in rest:
            if p.IDENTIFIER_NOT_A_PERSON.fullmatch(rest) or p.DATED_REFERENCE.fullmatch(rest):
                return
            spans.append((start, end, "PHI"))
            return
    if p.is_typed_name(text[start:end]):
        spans.append((start, end, "NAME"))


def _values_of_named_keys(
    text: str, matches: Iterator[re.Match[str]], key_group: int, spans: list[Span], closed: bool
) -> None:
    """Add the value after each match whose group `key_group` is a PHI key; with `closed`, only
    a value that a `)` follows."""
    for match in matches:
        found = value_key(match.group(key_group))
        if found is None:
            continue
        span = value_span(text, match.end(), found[0], found[1])
        if span is None:
            continue
        close = span[1] + (text[span[1] : span[1] + 1] in _QUOTES)
        if not closed or text[close : close + 1] == ")":
            spans.append(span)


def _classify(key: str) -> tuple[Kind, str] | None:
    """The kind and tag of `key` (see `keys.classify`), remembered. `_labelled_after` reads the
    cache itself first: in its loop a dict lookup is cheaper than a call."""
    cached = _KEY_CACHE.get(key, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    name = key.lstrip(".$")  # a JSON path: `$.address.zip`, read from its first name
    found = classify(name) if name[:1].isalpha() else None
    if len(_KEY_CACHE) < _KEY_CACHE_SIZE:
        _KEY_CACHE[key] = found
    return found


# What a parser could not read, quoted back: `time data '19780219' does not match format ...`
# (strptime), `Unknown string format: 059D95730` (dateutil), `Unable to parse string
# "9390-5876-133"` (pandas), `invalid literal for int() with base 10: '00108070'`; and a value
# that SQL took for a column's name, written in double quotes instead of single ones (SQLite's
# `no such column: Kobaidze`, MySQL's `Unknown column 'Kobaidze' in 'where clause'`); what an XML
# Schema validator refused (xmlschema's `failed validating '...' with XsdMaxLengthFacet(...)`,
# `failed decoding '19890417' with XsdAtomicBuiltin(name='xs:date')`, `Invalid datetime string
# '19381008' for <class '...Date10'>`).
_UNPARSED = re.compile(
    r"""(?:time data |Unable to parse string |invalid literal for int\(\) with base \d+: """
    r"""|could not convert string to float: |Unknown column |failed validating |failed decoding """
    r"""|Invalid datetime string |Invalid email address )(['"])([^'"\n]{1,64})\1"""
    r"""|(?:Unknown string format|no such column): ([^'"\n]{1,64}?)[ \t]*(?=['"\n]|$)"""
)
# The words each branch of `_UNPARSED` opens with: no match starts before the first of them.
_UNPARSED_OPENINGS = (
    "time data ", "Unable to parse string ", "invalid literal for int() with base ",
    "could not convert string to float: ", "Unknown column ", "Unknown string format",
    "no such column", "failed validating ", "failed decoding ", "Invalid datetime string ",
    "Invalid email address ",
)  # fmt: skip


def unparsed_values(text: str, spans: list[Span]) -> None:
    """Add what a parser could not read when it holds a year before `RECENT_YEAR` (a birth date
    typed in another format: `19780219`) or is a name (capitalised words, none in capitals). An
    identifier there is left: an MRN typed into a date field and an order number have the same
    shapes (`ORD-2026-418840`)."""
    openings = [at for at in map(text.find, _UNPARSED_OPENINGS) if at != -1]
    if not openings:
        return
    for match in _UNPARSED.finditer(text, min(openings)):
        group = 2 if match.group(2) is not None else 3
        value = match.group(group)
        if p.OLD_YEAR.search(value) is not None:
            spans.append((match.start(group), match.end(group), "DATE"))
        elif p.is_typed_name(value):  # `Unknown string format: Eva Ville`
            spans.append((match.start(group), match.end(group), "NAME"))
        elif "@" in value and p.is_typed_name(value.rpartition(" ")[0]):
            # a name before an address, the quotes forgotten: `'Salim Bushareb s.b@mail.example'`
            spans.append((match.start(group), match.start(group) + value.rfind(" "), "NAME"))
        elif p.is_a_street_line(value):  # `failed validating '246 Taghata Vahed 140' with ...`
            spans.append((match.start(group), match.end(group), "ADDRESS"))
        elif (
            text.startswith("failed validating ", match.start())
            and text.startswith("XsdPatternFacets", match.end() + 6)
            and _refused_identifier(value)
        ):
            # an identifier a schema's pattern refused (`failed validating 'CH-6800-34944' with
            # XsdPatternFacets([...])`): what was typed into an identifier's field
            spans.append((match.start(group), match.end(group), "PHI"))


_RECENT_TIME = re.compile(r"20[2-9]\d-\d\d-\d\d[T ]")


def _refused_identifier(value: str) -> bool:
    """Five digits or more, not a UUID, a digest, a date, a time from `RECENT_YEAR` on or a
    reference numbered within a year. (A device's serial number is hidden: HIPAA counts it.)"""
    return (
        sum(c.isdigit() for c in value) >= 5
        and _RECENT_TIME.match(value) is None
        and p.IDENTIFIER_NOT_A_PERSON.fullmatch(value) is None
        and p.DATED_REFERENCE.match(value) is None
        and not p.has_stopword(value)
    )


# A pandas `Series` as `repr` and `to_string()` write it: the index (a column's name) at the line's
# start, two spaces or more, the value to the line's end (`last_name          de Groot`).
_SERIES_LINE = re.compile(r"^([A-Za-z_][\w.]{0,63})[ \t]{2,}(\S[^\n]*?)[ \t]*$", re.MULTILINE)
# Not values: what pandas writes for a missing one, and the dtypes of `df.dtypes`.
_SERIES_NULLS = frozenset(
    [
        *("NaN", "NaT", "<NA>", "None", "nan", "object", "str", "string", "int64", "float64"),
        *("bool", "category", "datetime64[ns]", "Int64", "boolean"),
    ]
)


def series_values(text: str, spans: list[Span]) -> None:
    """Add the values of a `Series` line whose index is a PHI key."""
    for match in _SERIES_LINE.finditer(text):
        found = _classify(match.group(1))
        value = match.group(2)
        if found is None or found[0] is Kind.QUERY or value in _SERIES_NULLS:
            continue
        kind, tag = found
        if kind is Kind.PERSON or kind is Kind.NAME_WORD:
            span = _person(text, match.start(2), tag, one_word=True)
            if span is not None:
                spans.append(span)
        elif kind is Kind.ALWAYS or p.has_digit(value):
            spans.append((match.start(2), match.end(2), tag))


# `phone field 'Isak Carlsson' rejected`: a value quoted after the field it was typed into. (The
# words are matched possessively: what follows each starts with a space, so giving back a letter
# could not match, and the regex engine need not try.)
_FIELD_VALUE = re.compile(
    r"""(?<![\w\-])([A-Za-z][\w\-]{0,40}+(?: [a-z]{2,12}+){0,2}) field (['"])([^'"\n]{1,128})\2"""
)


def field_values(text: str, spans: list[Span]) -> None:
    """Add the quoted value after `<PHI field> field`."""
    for match in _FIELD_VALUE.finditer(text):
        found = _classify(match.group(1).replace(" ", "_"))
        if found is not None and found[0] is not Kind.QUERY:
            spans.append((match.start(3), match.end(3), found[1]))


def space_labelled(text: str, lower: str, spans: list[Span]) -> None:
    """Add the spans of values after a spoken label: `SSN 123-45-6789`, `Patient John Smith`."""
    if " " not in lower and "\t" not in lower:
        return  # every label ends with a space or a tab: a compact JSON line is not scanned
    if "H" in text and ("Hi" in text or "He" in text or "HI" in text or "HE" in text):
        for greeting in p.GREETING.finditer(text):
            _name_after(text, greeting.end(), spans)
    if "Welcome" in text or "Thank" in text:
        for welcome in p.WELCOME.finditer(text):
            name = p.FREE_PERSON.match(text, welcome.end())
            if name is None:  # one word, then the greeting ends: `Welcome Manir!`
                name = p.NAME_WORD.match(text, welcome.end())
                if name is not None and text[name.end() : name.end() + 1] not in ("!", ","):
                    name = None
            if (
                name is not None
                and not p.has_stopword(name.group())
                and _WELCOMED_WORDS.isdisjoint(name.group().lower().split())
            ):
                spans.append((name.start(), name.end(), "NAME"))
    search = p.SPACE_LABEL.search  # a loop of `search` calls: cheaper than `finditer` here
    next_match = search(lower)
    while next_match is not None:
        match = next_match
        next_match = search(lower, match.end())
        at = match.start()
        if at > 0:
            before = lower[at - 1]
            if (before.isalnum() or before in "_-.") and not (
                before == "n" and lower[at - 2 : at - 1] == "\\"  # after `\n` in a JSON string
            ):
                continue
        tag = p.SPACE_LABEL_TAGS[match.lastgroup]  # type: ignore[index]
        if tag == "GREETING":  # `Dear Maria,`, `Hello Maria Garcia`: one word is enough
            _name_after(text, match.end(), spans)
            continue
        if tag == "PHONE":  # `Phone on file: 0636 60 10 85`: digits in the groups people type
            number = p.spoken_phone(text, match.end(), 7)
            if number is not None:
                spans.append((*number, "PHONE"))
            continue
        if tag == "ZIP":  # `no region for ZIP 49305`: five digits, or ZIP+4, and nothing else
            code = p.ZIP_CODE.match(text, match.end())
            if code is not None:
                spans.append((code.start(), code.end(), "ADDRESS"))
            continue
        if tag == "NAME":
            span = value_span(text, match.end(), Kind.PERSON, tag)
            if span is None:
                span = _after_patient(text, match.end())
        else:
            span = value_span(text, match.end(), Kind.ALWAYS, tag)
            if (
                span is not None
                and text[match.end() : match.end() + 1] not in _QUOTES
                and (not p.has_digit(text[span[0] : span[1]]) or text.startswith("HTTP/", span[0]))
            ):
                # no digit, or `"GET /p/chart HTTP/1.1"`: the protocol; a quoted value is what was
                # typed there, whatever it holds (`date of birth 'Eva Ville' not understood`)
                span = None
            elif (
                tag == "ACCOUNT"
                and span is not None
                and (
                    p.DATED_REFERENCE.match(text, span[0])
                    or sum(c.isdigit() for c in text[span[0] : span[1]]) < 4
                )
            ):
                # `Account PO-2026-96835`: an order's or an invoice's reference; `account
                # nurse.station4`: a user's login
                span = None
            if tag != "DATE" and (span is None or text[span[1] : span[1] + 1] == " "):
                # `Driver licence: H 908 505 006 696`, `Insurance: RG898 781 782`: in groups
                spaced = p.SPACED_IDENTIFIER.match(text, match.end())
                if spaced is not None and (span is None or spaced.end() > span[1]):
                    span = (spaced.start(), spaced.end(), tag)
            if span is None:  # `date of birth for Moore`: the label's value is not in the line
                span = name_after_label(text, match.end())
                if span is not None:
                    spans.append(span)
                continue
        if span is not None:
            spans.append(span)
            if tag != "DATE" and text.startswith(" for ", span[1]):  # `SSN 123... for Lee`
                _name_after(text, span[1] + 5, spans)
            if tag == "DATE" and at > 2:  # `Nelson - DOB 03/04/1965`: whose birth date
                before = p.NAME_BEFORE_BORN if lower.startswith("born", at) else p.NAME_BEFORE_DOB
                name = before.search(text, max(0, at - 40), at)
                if name is not None and name.group(1) not in p.PERSON_STOPWORDS:
                    spans.append((name.start(1), name.end(1), "NAME"))


# A message that opens with whom it speaks to: `Park, your visit on 07/26 is confirmed`.
_W = p.NAME_WORD_BODY
_ADDRESSED = re.compile(rf"(?:^|(?<=[\"'\s:>]))({_W}(?:[ \t]+{_W})?),[ \t]+your[ \t]")
# Words that open such a sentence and are no one's name.
_OPENERS = frozenset(
    [
        *("Hello", "Hi", "Hey", "Thanks", "Thank", "Sorry", "Welcome", "Congratulations"),
        *("Reminder", "Note", "Attention", "Please", "Good", "Great", "Unfortunately", "Also"),
        *("Yes", "No", "OK", "Okay", "Alert", "Important", "Heads", "Sadly", "Again"),
    ]
)


def addressed(text: str, spans: list[Span]) -> None:
    """Add the name a message opens with before `, your`."""
    for match in _ADDRESSED.finditer(text):
        name, start = match.group(1), match.start(1)
        first = name.split()[0]
        if first in _OPENERS and len(name) > len(first):  # `Thanks Yosuke, your ...`
            start += len(name) - len(name[len(first) :].lstrip())
            name = name[len(first) :].lstrip()
        if not p.has_stopword(name) and _OPENERS.isdisjoint(name.split()):
            spans.append((start, match.end(1), "NAME"))


# Words a welcome says to a place or a group, not to someone: `Welcome Back Home`, `Welcome To
# The Portal`, `Welcome New Patients`.
_WELCOMED_WORDS = frozenset(
    [
        *("a", "all", "aboard", "and", "back", "home", "new", "our", "the", "this", "to", "your"),
        *("everyone", "team", "guest", "guests", "user", "users", "patient", "patients"),
        *("member", "members", "page", "screen", "center", "centre"),
    ]
)


def _name_after(text: str, start: int, spans: list[Span]) -> None:
    """Add the one or two words of a name at `start`, unless a word is a stop word."""
    name = p.NAME_WORDS.match(text, start)
    longer = p.PERSON.match(text, start)  # `Hello Nazenin Zahera Abedalali,`
    if (
        longer is not None
        and (name is None or longer.end() > name.end())
        and text[longer.end() : longer.end() + 1] in (",", "!", ":")
    ):
        name = longer
    if name is not None and not p.has_stopword(name.group()):
        spans.append((name.start(), name.end(), "NAME"))


# What ends a phrase after a word: the end of the text, of a line, of a quoted string, or a
# punctuation mark.
_ENDS_A_PHRASE = re.compile(r"[ \t]*(?:$|[\r\n'\",.;:)\]}])")
# Words of a clinic's software that follow `patient` and end a phrase: `open patient Profile.`
_NOT_A_PATIENT = frozenset((
    "Lookup", "Merge", "Found", "View", "Form", "Profile", "Reminder", "Statement", "Visit",
    "Registration", "Notes", "Info",
))  # fmt: skip


def _after_patient(text: str, start: int) -> Span | None:
    """After `patient`, what is not a name of two words: a quoted name (`no patient matches
    'Scott'`), an identifier of seven digits or more (`could not save patient 00479137:`; a
    database id of up to six digits is kept: `Patient 4821 updated`), or one name that ends the
    phrase (`'new patient Kim'`)."""
    quoted = p.QUOTED_NAME_AFTER.match(text, start)
    if quoted is not None and quoted.group(2) not in p.PERSON_STOPWORDS:
        return (quoted.start(2), quoted.end(2), "NAME")
    token = p.TOKEN.match(text, start)
    if token is None:
        return None
    end = token.end()
    while end > start and text[end - 1] in ":.":
        end -= 1
    if sum(c.isdigit() for c in text[start:end]) >= 7:
        return (start, end, "MRN")
    name = p.NAME_WORD.match(text, start)
    if (
        name is not None
        and name.end() - start >= 3
        and _ENDS_A_PHRASE.match(text, name.end())
        and name.group() not in p.PERSON_STOPWORDS
        and name.group() not in _NOT_A_PATIENT
    ):
        return (start, name.end(), "NAME")  # `'new patient Kavtaradze'`, `for patient Lomidze.`
    return None


def value_span(
    text: str, start: int, kind: Kind, tag: str, token_end: list[int] | None = None
) -> Span | None:
    """The span of the value that starts at `start`, if it is PHI for a key of `kind`.

    `token_end` carries, from one call to the next, where the last token read began and ended.
    """
    if start >= len(text):
        return None
    first = text[start]
    if first == "x" and text.startswith("xsd:", start):
        return None  # a field's XML Schema type (zeep's `Signature: givenName: xsd:string`)
    if first == "b" and text[start + 1 : start + 2] in _QUOTES:
        start += 1  # a bytes literal, as a header's value in a `repr`: `'x-amz-meta-dob': b'...'`
        first = text[start]
    if first == '"' or first == "'":
        match = p.QUOTED.match(text, start)
        if match is None:
            if tag == "NAME" and kind is not Kind.QUERY:
                # a quote left open, as a parser echoes a broken query: `lastName: "Wibisono) {`
                return _person(text, start + 1, tag, one_word=True)
            return None
        begin, end = start + 1, match.end() - 1
    elif first == "[":
        if p.REDACTION_TOKEN.match(text, start) or text.startswith("[facet '", start):
            return None  # already scrubbed; libxml2's name of the rule a value failed
        match = p.LIST_VALUE.match(text, start)
        if match is None or p.NESTED_LIST.match(text, start, min(match.end(), start + 256)):
            return None  # `[{"message": ...}]`, `[ErrorDetail(...)]`: errors about the field
        begin, end = match.span()
    elif first == "\\" and text[start + 1 : start + 2] in _QUOTES:
        # JSON inside a JSON string: `\"member_id\": \"W213024332\"`
        close = text.find("\\" + text[start + 1], start + 2, start + 2 + _ESCAPED_VALUE_MAX)
        if close == -1:
            return None
        begin, end = start + 2, close
        first = text[begin : begin + 1]
        if begin == end:
            return None
    elif first == "(" and kind is not Kind.PERSON and kind is not Kind.NAME_WORD:
        # a tuple: the old and new values of a diff, `'street': ('', '117 Gutierrez Views')`
        match = p.TUPLE_VALUE.match(text, start)
        if match is None:
            return None
        begin, end = match.span()
    elif first == "{":
        typed = p.TYPED_ATTRIBUTE.match(text, start)
        if typed is None:
            return None  # a nested mapping: its own keys label what it holds
        # DynamoDB's attribute value, its type named first: `'name': {'S': 'Ann Lee'}`
        return value_span(text, typed.end(), kind, tag)
    elif first == "$" and text[start + 1 : start + 2].isalpha():
        return None  # a GraphQL variable (`lastName: $last`): its value is given elsewhere
    elif (kind is Kind.PERSON or kind is Kind.NAME_WORD) and first != "N":
        # A name starts with a capital and only `N` starts a null word (`None`, `N/A`): the
        # value ends where the name does, so the dear free-text end is not needed.
        return _person(text, start, tag, kind is Kind.NAME_WORD)
    else:
        call = (
            p.CALL.match(text, start)
            if first.isalpha() and text.find("(", start, start + 66) != -1
            else None
        )
        if call is not None:  # `dob=datetime.date(1969, 12, 1)`, `address=Address(street=...)`
            if tag != "DATE" or call.group() not in p.DATE_CALLS:
                return None  # an object: its own keys label what it holds
            close = text.find(")", call.end(), call.end() + 64)
            return None if close == -1 else (start, close + 1, tag)
        begin, end = start, _unquoted_end(text, start, kind, tag, token_end)
    maybe_null = end - begin <= _LONGEST_NULL or text[begin].isspace() or text[end - 1].isspace()
    if maybe_null and text[begin:end].strip().lower() in p.NULL_VALUES:
        return None
    if text[begin] == "[" and p.REDACTION_TOKEN.fullmatch(text, begin, end):
        return None
    if kind is Kind.PERSON or kind is Kind.NAME_WORD:
        if first == "[":  # the list's first item: `["Ann"]`, escaped in a JSON string `[\"Ann\"]`
            begin += 3 if text.startswith('[\\"', begin) else 2
        return _person(text, begin, tag, kind is Kind.NAME_WORD)
    if refuses(kind, text[begin:end]):
        return None
    if tag == "NAME":
        if end < len(text) - 1 and text[end] in p.APOSTROPHES and text[end + 1].isupper():
            rest = p.NAME_WORD.match(text, end + 1)  # `last_name=O'Brien` unquoted in a query
            if rest is not None:
                end = rest.end()
        if end - begin <= 2:
            return None  # one or two letters (`Ro`, too short for a search) name no one alone
    elif tag == "DATE":
        if end - begin <= 10 and p.impossible_date(text[begin:end]):
            return None  # a day no calendar has: a typing error, as the form rule keeps it
        if text[begin:end].isalpha() and text[begin:end].islower():
            return None  # a validator's rule (`('dob', 'nullable')`), not a date
    elif tag == "PHONE" and not p.has_digit(text[begin:end]):
        return None  # `TEL:ext. 2252`: an extension alone (a toll-free number under a phone key
        # is still hidden: the key says whose it is)
    elif tag == "IP" and p.INFRASTRUCTURE_ONLY.fullmatch(text, begin, end):
        return None  # machines of the deployment, as the address form keeps them
    elif tag == "EMAIL" and text[begin:end].partition("@")[0].lower() in p.EMAIL_MACHINE_LOCALS:
        return None  # the deployment's own sender (`"email": "noreply@clinic.example"`)
    if text[begin].isalpha() and _reads_as_message(text, begin, end):
        return None  # what a validator says about the field, not its value
    return (begin, end, tag)


def _reads_as_message(text: str, begin: int, end: int) -> bool:
    """Whether the value at `begin` is a sentence (`String should have at least 3 characters`,
    `An email address must have an @-sign.`), not a name, an address or an identifier: it starts
    with a word and one that sentences have, or three of its first five words are in small
    letters, none holds a digit and the first two are not both capitalised (`Noah Haddad checked
    in at ...`)."""
    if text.find(" ", begin, end) == -1:
        return False
    if p.MESSAGE.match(text, begin, end):
        return True
    words = text[begin : min(end, begin + 80)].split(maxsplit=5)[:5]
    if len(words) < 3 or any(c.isdigit() for word in words for c in word):
        return False
    if words[0][:1].isupper() and words[1][:1].isupper():
        return False
    return sum(word.isalpha() and word.islower() for word in words) >= 3


# A key and its value as a pair: `('birthDate', datetime.date(1961, 1, 2))` in an `OrderedDict`'s
# or a list of items' `repr`.
# Not a validator's path to a rule (Cerberus's `schema_path=('dob', 'nullable')`).
_PAIR_KEY = re.compile(
    r"""(?<!schema_path=)\([ \t]*(["'])([A-Za-z_][\w.\-]{0,63})\1[ \t]*,[ \t]*"""
)


def value_key(key: str) -> tuple[Kind, str] | None:
    """The kind and tag of a key that labels the value written with it (a pair's, an XML
    element's, a validator's field), or None; a search parameter (`q`) labels only a URL's
    query, so it is None here too."""
    found = _classify(key)
    return None if found is None or found[0] is Kind.QUERY else found


def pair_spans(text: str, spans: list[Span]) -> None:
    """Add the values of `(key, value)` pairs whose key labels PHI."""
    for match in _PAIR_KEY.finditer(text):
        found = value_key(match.group(2))
        if found is None:
            continue
        span = value_span(text, match.end(), found[0], found[1])
        if span is not None and _PAIR_END.match(text, span[1]):
            spans.append(span)  # (a pair ends after its value: `("first_name", "last_name",
            # "dob")` is a list of columns)


_PAIR_END = re.compile(r"""["']?\]?[ \t]*\)""")


# A serial number beside a model and a firmware is an instrument's in an inventory, not a
# device a patient carries (an implant's record names its patient, and is hidden with it).
SERIAL_KEYS = frozenset(["serial", "serialnumber", "serial_number", "deviceserial"])


def _an_instruments_serial(text: str, key: str) -> bool:
    """`key` as written: `serial`, `@serial` (an XML attribute as xmltodict names it)."""
    return (
        key.lower().lstrip("@") in SERIAL_KEYS
        and "firmware" in text
        and "patient" not in text.lower()
    )


def _in_an_organisation(reversed_lower: str, key_start: int) -> bool:
    """Whether the key at `key_start` is the first of a mapping that an organisation's or a
    thing's key holds (`{'supplier': {'name': ...`, `manufacturer: {name: ...}`)."""
    at = len(reversed_lower) - key_start
    while at < len(reversed_lower) and reversed_lower[at] in "'\" \t":
        at += 1
    return p.ORGANISATION_KEYS_REVERSED.match(reversed_lower, at) is not None


_PART_OF_AN_IDENTIFIER = re.compile(r"[\-/.]?\d")


def _person(text: str, begin: int, tag: str, one_word: bool = False) -> Span | None:
    person = p.PERSON.match(text, begin)
    if person is None and one_word:
        person = p.NAME_WORD.match(text, begin)
        if person is not None and _PART_OF_AN_IDENTIFIER.match(text, person.end()):
            return None  # `sn=SN-12345`: a serial number's letters, not a surname
        if person is not None and text[person.end() : person.end() + 1] in ("+", "%"):
            encoded = _encoded_person(text, begin, tag, one_word)  # `Joshua+Ramirez`
            if encoded is not None:
                return encoded
    if person is None:
        return _encoded_person(text, begin, tag, one_word)
    if p.has_stopword(person.group()):  # `FN:McKesson Medical-Surgical`: an organisation
        return None
    if p.DRUG_STRENGTH.match(text, person.end()) or p.NUMBERED_PLACE.match(text, person.end()):
        return None  # `name: Albuterol HFA 90 mcg`: a drug; `"name": "Infusion Bay 5"`: a room
    return (begin, person.end(), tag)


def _encoded_person(text: str, begin: int, tag: str, one_word: bool = False) -> Span | None:
    """A name as a URL's query writes it: `Ann+Lee`, `Mar%C3%ADa%20Garc%C3%ADa`."""
    token = p.URL_TOKEN.match(text, begin)
    if token is None:
        return None
    value = token.group()
    if "+" not in value and "%" not in value:
        return None
    decoded = unquote_plus(value)
    person = p.PERSON.fullmatch(decoded)
    if person is None and one_word:
        person = p.NAME_WORD.fullmatch(decoded)
    if person is None or decoded.split()[0].rstrip(",") in p.PERSON_STOPWORDS:
        return None
    return (begin, token.end(), tag)


def _unquoted_end(
    text: str, start: int, kind: Kind, tag: str, token_end: list[int] | None = None
) -> int:
    if kind is Kind.PERSON or tag == "NAME" or tag == "ADDRESS":
        match = p.FREE_TEXT.match(text, start)
        if match is not None:
            return match.end()
    end = _token_end(text, start, token_end)
    first = text[start]
    if first.isdigit() or first in (_DATE_FIRST if tag == "DATE" else "+("):
        match = (p.DATE_ANY if tag == "DATE" else p.DIGIT_PHRASE).match(text, start)
        if match is not None and match.end() > end:
            end = match.end()
            if text[end - 1] == ")" and text.find("(", start, end) == -1:
                end -= 1  # `(MRN 477-379-635)`: the parenthesis closes around the label
    return end


def _token_end(text: str, start: int, token_end: list[int] | None) -> int:
    """Where the token at `start` ends. Keys are read from the end of the line backwards, and in
    `ssn=ssn=ssn=...` every value runs to the same end: a token read up to where the last one
    began goes on as that one did, so the line is read once, not once per key."""
    if token_end is None or start >= token_end[0]:
        match = p.TOKEN.match(text, start)
        end = match.end() if match is not None else start
    else:
        match = p.TOKEN.match(text, start, token_end[0])
        end = match.end() if match is not None else start
        if end == token_end[0] and token_end[1] > end:
            end = token_end[1]
    if token_end is not None and end > start:
        token_end[0], token_end[1] = start, end
    return end
