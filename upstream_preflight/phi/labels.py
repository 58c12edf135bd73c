"""Values that a key or a spoken label marks as PHI: `dob=...`, `"first_name": "..."`, `MRN 00481`.

A key is read backwards from its separator (`=` or `:`) on the reversed text, so the regex
engine only stops at separators; each key is classified once and remembered.
"""

from __future__ import annotations

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.keys import Kind, classify

Span = tuple[int, int, str]

_KEY_CACHE: dict[str, tuple[Kind, str] | None] = {}
_KEY_CACHE_SIZE = 16384
_MISSING = (None, "")


def labelled(text: str, spans: list[Span]) -> None:
    """Add the spans of values under keys that label PHI (`key=value`, `"key": value`)."""
    size = len(text)
    cache = _KEY_CACHE
    for match in p.REVERSED_KEY.finditer(text[::-1]):
        raw = match.group(1)
        found = cache.get(raw, _MISSING)
        if found is _MISSING:
            found = _classify_reversed(raw)
        if found is None:
            continue
        kind, tag = found  # type: ignore[misc]
        if kind is Kind.QUERY:
            key_start = size - match.end(1)
            if key_start == 0 or text[key_start - 1] not in "?&":
                continue
        value_start = size - match.start()  # just after the separator
        while value_start < size and text[value_start] in " \t":
            value_start += 1
        span = value_span(text, value_start, kind, tag)
        if span is not None:
            spans.append(span)


def _classify_reversed(raw: str) -> tuple[Kind, str] | None:
    key = raw[::-1]
    found = classify(key) if key[:1].isalpha() else None
    if len(_KEY_CACHE) < _KEY_CACHE_SIZE:
        _KEY_CACHE[raw] = found
    return found


def space_labelled(text: str, lower: str, spans: list[Span]) -> None:
    """Add the spans of values after a spoken label: `SSN 123-45-6789`, `Patient John Smith`."""
    for match in p.SPACE_LABEL.finditer(lower):
        at = match.start()
        if at > 0:
            before = lower[at - 1]
            if before.isalnum() or before in "_-.":
                continue
        tag = p.SPACE_LABEL_TAGS[match.lastgroup]  # type: ignore[index]
        if tag == "NAME":
            span = value_span(text, match.end(), Kind.PERSON, tag)
        else:
            span = value_span(text, match.end(), Kind.ALWAYS, tag)
            if span is not None and not _has_digit(text[span[0] : span[1]]):
                continue
        if span is not None:
            spans.append(span)


def value_span(text: str, start: int, kind: Kind, tag: str) -> Span | None:
    """The span of the value that starts at `start`, if it is PHI for a key of `kind`."""
    if start >= len(text):
        return None
    first = text[start]
    if first == '"' or first == "'":
        match = p.QUOTED.match(text, start)
        if match is None:
            return None
        begin, end = start + 1, match.end() - 1
    elif first == "[":
        if p.REDACTION_TOKEN.match(text, start):
            return None  # already scrubbed
        match = p.LIST_VALUE.match(text, start)
        if match is None:
            return None
        begin, end = match.span()
    elif first == "{":
        return None  # a nested mapping: its own keys label what it holds
    elif kind is Kind.PERSON and first != "N":
        # A name starts with a capital and only `N` starts a null word (`None`, `N/A`): the
        # value ends where the name does, so the dear free-text end is not needed.
        return _person(text, start, tag)
    else:
        begin, end = start, _unquoted_end(text, start, kind, tag)
    value = text[begin:end]
    if value.strip().lower() in p.NULL_VALUES or (
        value[:1] == "[" and p.REDACTION_TOKEN.fullmatch(value)
    ):
        return None
    if kind is Kind.PERSON:
        return _person(text, begin + 2 if first == "[" else begin, tag)
    if kind is Kind.DIGITS and not _has_digit(value):
        return None
    return (begin, end, tag) if end > begin else None


def _person(text: str, begin: int, tag: str) -> Span | None:
    person = p.PERSON.match(text, begin)
    if person is None or person.group().split()[0].rstrip(",") in p.PERSON_STOPWORDS:
        return None
    return (begin, person.end(), tag)


def _unquoted_end(text: str, start: int, kind: Kind, tag: str) -> int:
    if kind is Kind.PERSON or tag == "NAME" or tag == "ADDRESS":
        match = p.FREE_TEXT.match(text, start)
        if match is not None:
            return match.end()
    end = start
    match = p.TOKEN.match(text, start)
    if match is not None:
        end = match.end()
    match = (p.DATE_ANY if tag == "DATE" else p.DIGIT_PHRASE).match(text, start)
    if match is not None and match.end() > end:
        end = match.end()
    return end


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)
