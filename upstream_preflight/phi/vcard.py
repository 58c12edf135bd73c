"""vCard properties that carry a person (RFC 6350, and RFC 2426's version 3.0 before it), read
by what the standard says each one holds, not by what its value looks like.

`N:Lee;Ann;;;` (family, given, additional names, prefixes, suffixes), `FN:Ann Lee`,
`NICKNAME:Annie`, `BDAY:19610102`, `ADR;TYPE=HOME:;;12 Main St;Springfield;IL;62701;USA` (post
office box, extended address, street, locality, region, postal code, country: the region and the
country are kept, as a state alone is), and the same as the `vobject` library writes its
content lines' `repr`: `<N{} Ann  Lee >`, `<ADR{'TYPE': ['HOME']}12 Main St...>`.

A name is hidden when its words are capitalised and none is a word of an organisation's name
(`FN:Henry Schein Orders` is a supplier's card); a birthday and an address always. A property's
name is written in capitals (every emitter does), starts a line or follows a space, a colon, a
quote or a line break escaped in a `repr` (`\\r\\n`), and its value ends at the line's end, a
quote, or where the next property starts.
"""

from __future__ import annotations

import re

from upstream_preflight.phi import patterns as p

Span = tuple[int, int, str]

_PROPERTY = re.compile(
    r"(?:(?<![\w\-.])|(?<=\\[rn]))(?:item\d+\.)?(FN|N|NICKNAME|BDAY|ADR)"
    r"((?:;[\w\-]+=(?:\"[^\"\n]*\"|[^;:\n\"']*))*):"
    r"([^\r\n\"'\\]*?)(?=\\r|\\n|[\r\n\"']|[ \t]+(?:item\d+\.)?[A-Z][A-Z\-]*[;:]|$)"
)
# vobject's `repr` of a content line: `<NAME{params}value>`.
_REPR = re.compile(r"<(FN|N|NICKNAME|BDAY|ADR)\{[^{}\n]{0,256}\}([^<>\n]{1,256})>")
# The components of ADR that say where someone lives: street, locality, postal code (RFC 6350
# 6.3.1; the post office box and the extended address too).
_ADDRESS_PARTS = (0, 1, 2, 3, 5)
_SEPARATOR = re.compile(r"(?<!\\);")


def vcard_spans(text: str, spans: list[Span]) -> None:
    """Add the spans of the values of vCard properties that carry a person (see the module)."""
    # (one character first: a `memchr`, and most lines have neither)
    if ("N" in text and ("N:" in text or "N;" in text or "NICKNAME" in text)) or (
        "D" in text and ("ADR" in text or "BDAY" in text)
    ):
        for match in _PROPERTY.finditer(text):
            _property(match.group(1), match.start(3), match.group(3), spans)
    if "{" in text and ("N{" in text or "R{" in text or "Y{" in text or "E{" in text):
        for match in _REPR.finditer(text):
            name, value = match.group(1), match.group(2)
            if name == "ADR" or name == "BDAY":
                spans.append((match.start(2), match.end(2), "ADDRESS" if name == "ADR" else "DATE"))
            else:
                _name(match.start(2), value, spans)


def _property(name: str, start: int, value: str, spans: list[Span]) -> None:
    if not value.strip(" ;"):
        return
    if name == "BDAY":
        spans.append((start, start + len(value), "DATE"))
    elif name == "ADR":
        for index, (begin, end) in enumerate(_components(value)):
            if index in _ADDRESS_PARTS and end > begin:
                spans.append((start + begin, start + end, "ADDRESS"))
    elif name == "N":
        for begin, end in _components(value):
            if end > begin:
                _name(start + begin, value[begin:end], spans)
    else:
        _name(start, value, spans)


def _components(value: str) -> list[tuple[int, int]]:
    """The (start, end) of each component of a structured value, empty ones included (an empty
    component is returned as an empty span, so indexes follow the standard's order)."""
    parts = []
    position = 0
    for piece in _SEPARATOR.split(value):
        parts.append((position, position + len(piece)) if piece.strip() else (position, position))
        position += len(piece) + 1
    return parts


def _name(start: int, value: str, spans: list[Span]) -> None:
    words = value.strip()
    if not words:
        return
    offset = value.find(words)
    if p.is_typed_name(" ".join(words.split())):
        spans.append((start + offset, start + offset + len(words), "NAME"))
