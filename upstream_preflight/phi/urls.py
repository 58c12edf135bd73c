"""Values in URLs that neither a key nor a form finds as they are written.

- A query value that is percent- or plus-encoded (`to=%2B1%20%28415%29%20555-0142`,
  `card=4111+1111+1111+1111`) is read decoded: if the engine finds PHI in the decoded text, the
  whole encoded value is hidden.
- A value that holds a query of its own (`next=%2Fsearch%2F%3Fdob%3D...%26last_name%3DLee`,
  encoded once or twice) is split at its encoded `?`, `&` and `=`, its pieces decoded, and the
  decoded `path?key=value&...` read by the engine with the key rules of a top-level query: each
  piece (the path, a value) that holds PHI is hidden as it is written, encoded.
- A path segment after a resource that holds people (`/patients/`, `/members/`, `/charts/`,
  `/licences/`, `/accounts/`) is the person's identifier when it holds seven digits or more
  (six for a licence, five among letters: `/fhir/r4/Patient/PT415691G`) or is a name
  (`/charts/Sanchez-Jonathan/`); database ids of up to five digits and words are kept. A search
  index's document API names the resource first (`/patients/_doc/HN860382`).

- A scan, a document or a record stored under the person's number or name
  (`/ids/TX/45037912.png`, `insurance-cards/H066424-BM.jpg`, `inbox/PT505830M.yml`,
  `consents/CH1.562483/Oehri-19680608.pdf`): a file name that
  is an identifier (six digits or more among capitals, no date of `RECENT_YEAR` on, no small
  letters: hashes and UUIDs are written in them) is hidden, and so are a name and a birth date
  (compact, before `RECENT_YEAR`) that make one.

Both start at a literal (`=`, found with `str.find`, and a resource's `/`) and read a bounded
way (a value at most `_VALUE_MAX` characters, a segment at most 128).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, unquote_plus

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.keys import classify

Span = tuple[int, int, str]

_VALUE_MAX = 512
# What an encoded value holds: a percent-escape, or a `+` for a space between two words.
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_PLUS = re.compile(r"\+(?<=[\w)]\+)(?=[\w(%])")
# A query parameter: after `?`, `&` or a quote that opens a query string alone, its value up
# to the next `&`, `#`, quote, space or bracket.
# (It does not end with a colon: `?name=Rafah%20Lee: server rejected ...`.)
_QUERY_VALUE = re.compile(r"[^\s&#\"'<>\]}]{1,512}(?<!:)")
_QUERY_KEY_REVERSED = re.compile(r"[\w.\-\[\]]{1,64}")
# A query inside a value: its `?` (literal, encoded once or twice), then its `&` and `=`.
_NESTED_QUERY = re.compile(r"\?|%(?:25)?3F", re.IGNORECASE)
_NESTED_SEPARATOR = re.compile(r"[&=]|%(?:25)?(?:26|3D)", re.IGNORECASE)
# Resources whose path segment names a person, and what their identifier is.
_RESOURCE = re.compile(
    r"/(?:api/)?(?:[\w\-]+/)?(patients?|members?|subscribers?|beneficiar(?:y|ies)|charts?"
    r"|licen[cs]es?|accounts?)/(?:_(?:doc|create|update|source)/)?((?:[^/?#\s\"'<>;,]|(?<=[A-Za-z])'(?=[A-Z]))(?:[^/?#\s\"'<>;,]"
    r"|(?<=[A-Za-z])'(?=[A-Z])|(?<=\d) (?=\d+(?:[ /?#\"']|$))){0,127})",
    re.IGNORECASE,
)
_RESOURCE_TAG = {
    "patient": "MRN",
    "chart": "MRN",
    "member": "PLAN_ID",
    "subscriber": "PLAN_ID",
    "beneficiar": "PLAN_ID",
    "licenc": "LICENSE",
    "licens": "LICENSE",
    "account": "ACCOUNT",
}
# A record number of letters and digits (a database id has no letters).
_LETTERS_AND_DIGITS = re.compile(r"(?=[A-Za-z\-]*\d)(?=\d*[A-Za-z])[A-Za-z0-9\-]+")
# Segments with many digits that name no one: UUIDs, hashes, an event's day.
_MACHINE_SEGMENT = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}"
    rf"|(?:{p.RECENT_YEAR[:3]}[0-9])-\d\d(?:-\d\d)?",
    re.IGNORECASE,
)
_NAME_SEGMENT = re.compile(rf"{p.NAME_WORD.pattern}(?:[\-_+ ]{p.NAME_WORD.pattern})+")


# A stored document's or scan's file name in a path: its stem (as written, maybe encoded).
_EXTENSION = (
    r"\.(?:pdf|png|jpe?g|tiff?|heic|gif|webp|bmp|docx?|ya?ml|json|xml|csv|txt|hl7|ccda?)(?![\w.])"
)
_DOCUMENT_FILE = re.compile(
    rf"(?<=/)((?:[^/?#\s\"'<>;,]|(?<=\w) (?=\w)){{1,96}}){_EXTENSION}", re.IGNORECASE
)
_DOCUMENT_EXTENSION = re.compile(_EXTENSION, re.IGNORECASE)
# A stem that is a number: up to four letters first, then capitals, digits and separators.
_IDENTIFIER_STEM = re.compile(r"[A-Za-z]{0,4}[\-_ .]?[0-9A-Z](?:[0-9A-Z]|[\-_ .](?=[0-9A-Z]))*")
_RECENT_DATE = re.compile(r"(?:20[2-9]\d)[\-_]?[01]\d[\-_]?[0-3]\d")
# `Oehri-19680608`, `Ann_Lee_19610102`: a name and a compact birth date.
_NAME_AND_BIRTH_DATE = re.compile(
    rf"({p.CAPITAL_WORD_BODY}(?:[_ ]{p.CAPITAL_WORD_BODY}){{0,2}})"
    r"[\-_ ]((?:19\d\d|20[01]\d)[01]\d[0-3]\d)"
)


def url_spans(
    text: str,
    lower: str,
    reversed_lower: str,
    spans: list[Span],
    find: Callable[[str], list[Span]] | None,
) -> None:
    """Add the spans of encoded query values and of people's path segments (see the module).
    `find` is the engine, run on a decoded value (None: values are not decoded)."""
    if (
        find is not None
        and "=" in text
        and (("%" in text and _PERCENT_ESCAPE.search(text)) or ("+" in text and _PLUS.search(text)))
    ):
        _encoded_values(text, reversed_lower, spans, find)
    if "/" in text and (
        "patient" in lower
        or "member" in lower
        or "chart" in lower
        or "licen" in lower
        or "subscriber" in lower
        or "beneficiar" in lower
        or "account" in lower
    ):
        for match in _RESOURCE.finditer(text):
            _resource_segment(match, spans)
    if "/" in text and "." in text and _DOCUMENT_EXTENSION.search(text):
        for match in _DOCUMENT_FILE.finditer(text):
            _document_file(match, spans)


def _encoded_values(
    text: str, reversed_lower: str, spans: list[Span], find: Callable[[str], list[Span]]
) -> None:
    size = len(text)
    at = text.find("=")
    while at != -1:
        start = at + 1
        key = _QUERY_KEY_REVERSED.match(reversed_lower, size - at)  # the key, read backwards
        key_start = size - key.end() if key is not None else -1
        if key is not None and (key_start == 0 or text[key_start - 1] in "?&\"'= "):
            value = _QUERY_VALUE.match(text, start)
            if value is not None:
                raw = value.group()
                if ("%" in raw or "+" in raw) and (
                    any(c.isdigit() for c in raw)
                    or "%27" in raw
                    or "%22" in raw
                    or _names_a_person(text[key_start:at])
                ):
                    query = _NESTED_QUERY.search(raw)
                    if query is not None and _NESTED_SEPARATOR.search(raw, query.end()):
                        _nested_query(raw, query, start, spans)
                    else:
                        if "=" in raw:  # `post_data=query=phone%3A%27...`: read the inner pair
                            at = text.find("=", start)
                            continue
                        decoded = unquote_plus(raw)
                        found = find(decoded) if "=" not in decoded else None
                        if found:
                            spans.append((start, value.end(), found[0][2]))
                at = text.find("=", value.end()) if value is not None else text.find("=", start)
                continue
        at = text.find("=", start)


def _names_a_person(key: str) -> bool:
    """Whether a query key names a person (`name`, `last_name`, `patient`): its value is read
    decoded even with no digit (`name=Rafah%20El-Adagham`)."""
    found = classify(key)
    return found is not None and found[1] == "NAME"


def _decode(piece: str) -> str:
    """A piece of a nested query decoded: once, and once more when it was encoded twice."""
    decoded = unquote_plus(piece) if "%" in piece or "+" in piece else piece
    if "%" in decoded and _PERCENT_ESCAPE.search(decoded):
        decoded = unquote(decoded)
    return decoded


def _nested_query(raw: str, query: re.Match[str], offset: int, spans: list[Span]) -> None:
    """Spans of the pieces of `raw` (a query value at `offset`, at most `_VALUE_MAX` characters,
    whose own query starts at `query`) that hold PHI when read decoded as `path?key=value&...`."""
    # The decoded text and, for each of its pieces, (decoded start, decoded end, raw start, end).
    parts = [_decode(raw[: query.start()]), "?"]
    pieces = [(0, len(parts[0]), 0, query.start())]
    length = len(parts[0]) + 1
    position = query.end()
    for separator in [*_NESTED_SEPARATOR.finditer(raw, position), None]:
        end = separator.start() if separator is not None else len(raw)
        piece = _decode(raw[position:end])
        pieces.append((length, length + len(piece), position, end))
        parts.append(piece)
        length += len(piece)
        if separator is not None:
            parts.append("=" if separator.group()[-1] in "=dD" else "&")
            length += 1
            position = separator.end()
    # The engine without decoding (a nested query is read one level deep); imported here because
    # `scrub` imports this module.
    from upstream_preflight.phi.scrub import _find_decoded

    found = _find_decoded("".join(parts))
    for start, end, tag in found:
        for d_start, d_end, r_start, r_end in pieces:
            if start < d_end and d_start < end and r_start < r_end:
                spans.append((offset + r_start, offset + r_end, tag))


def _resource_segment(match: re.Match[str], spans: list[Span]) -> None:
    resource, segment = match.group(1).lower(), match.group(2)
    decoded = unquote(segment) if "%" in segment else segment
    digits = sum(c.isdigit() for c in decoded)
    tag = next(t for prefix, t in _RESOURCE_TAG.items() if resource.startswith(prefix))
    mixed = digits >= 5 and _LETTERS_AND_DIGITS.fullmatch(decoded) is not None
    if digits >= (6 if tag == "LICENSE" else 7) or mixed:  # `/fhir/Patient/PT415691G`
        if _MACHINE_SEGMENT.fullmatch(decoded):
            return
    elif digits == 0 and _NAME_SEGMENT.fullmatch(decoded):
        if not p.PERSON_STOPWORDS.isdisjoint(re.split(r"[\-_+ ]", decoded)):
            return
        tag = "NAME"
    else:
        return
    spans.append((match.start(2), match.end(2), tag))


def _document_file(match: re.Match[str], spans: list[Span]) -> None:
    stem = match.group(1)
    decoded = unquote(stem) if "%" in stem else stem
    named = _NAME_AND_BIRTH_DATE.fullmatch(decoded)
    if named is not None:
        if decoded is not stem:  # hidden whole: its pieces' offsets are those of the decoded text
            spans.append((match.start(1), match.end(1), "NAME"))
            return
        if not p.has_stopword(named.group(1).replace("_", " ")):
            spans.append((match.start(1) + named.start(1), match.start(1) + named.end(1), "NAME"))
        spans.append((match.start(1) + named.start(2), match.start(1) + named.end(2), "DATE"))
        return
    if (
        sum(c.isdigit() for c in decoded) >= 6
        and _IDENTIFIER_STEM.fullmatch(decoded) is not None
        and _RECENT_DATE.search(decoded) is None
        and p.DATED_REFERENCE.fullmatch(decoded) is None  # `REF-2026-37698.yaml`
    ):
        spans.append((match.start(1), match.end(1), "PHI"))
