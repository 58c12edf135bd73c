"""An appointment's title that names its patient: iCalendar's `SUMMARY` (RFC 5545), as a
property (`SUMMARY:Ann Lee - Lab review`), a mapping's item (`{'SUMMARY': 'Follow-up: Ann
Lee'}`), the `icalendar` library's `vText(b'...')` or a log's `summary '...'`.

A calendar's title is free text, so only the two places where schedulers put the person are
read: two capitalised words (a surname's particles between them) that open the title before a
dash (`Ann Lee - Lab review`), or that end it after a colon (`Telehealth visit: Ann Lee`); none
may be a word of software or of an organisation (`Team Sync - Weekly`, `Release: Data Platform`).
"""

from __future__ import annotations

import re

from upstream_preflight.phi import patterns as p

Span = tuple[int, int, str]

# From `summary` to its value's first character: a property's parameters and colon, or a
# mapping's or a keyword's quotes, `=`, `vText(b'`.
_VALUE_START = re.compile(
    r"""summary(?:;[^:\n]{0,128})?['"]?[ \t]*[:=]?[ \t]*(?:vText\()?b?(['"]?)""", re.IGNORECASE
)
_VALUE_MAX = 256
_DASH_AFTER = re.compile("[ \t]+[\\-\u2013][ \t]")


def title_spans(text: str, lower: str, spans: list[Span]) -> None:
    """Add the names an appointment's title holds (see the module)."""
    at = lower.find("summary")
    while at != -1:
        start = _VALUE_START.match(text, at)
        if start is not None:
            quote = start.group(1)
            value_start = start.end()
            value_end = _value_end(text, value_start, quote)
            _names(text, value_start, value_end, spans)
        at = lower.find("summary", at + 7)


def _value_end(text: str, start: int, quote: str) -> int:
    """Where the value ends: its closing quote, or the line's end (or a ` | ` that joins lines)."""
    limit = min(len(text), start + _VALUE_MAX)
    found = [text.find(c, start, limit) for c in (quote + "\n" if quote else "\r\n|")]
    return min([end for end in found if end != -1], default=limit)


def _names(text: str, start: int, end: int, spans: list[Span]) -> None:
    """The name that opens the title before a dash, and the one that ends it after a colon (the
    name's pattern is `p.FREE_PERSON`'s, not compiled again here)."""
    first = p.FREE_PERSON.match(text, start, end)
    if first is not None and _DASH_AFTER.match(text, first.end(), end):
        _add(first, spans)
    colon = text.rfind(": ", start, end)
    if colon != -1:
        last = p.FREE_PERSON.match(text, colon + 2, end)
        if last is not None and not text[last.end() : end].strip():
            _add(last, spans)


def _add(name: re.Match[str], spans: list[Span]) -> None:
    if not p.has_stopword(name.group()):
        spans.append((name.start(), name.end(), "NAME"))
