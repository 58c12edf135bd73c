"""Values in e-mail headers that MIME encodes (RFC 2047): `To: =?utf-8?q?Mar=C3=ADa_Garc=C3=ADa?=
<maria@example.com>`, `Subject: =?utf-8?b?...?=`.

A header with a non-ASCII character is written as encoded words, which no other rule can read.
The text is read again with each encoded word decoded; an encoded word that then holds PHI, or
overlaps a span found in the decoded text, is hidden whole, as it is written.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Callable

Span = tuple[int, int, str]

# An encoded word: `=?charset?Q?text?=` or `=?charset?B?text?=`, at most 256 characters of text.
_ENCODED_WORD = re.compile(r"=\?([\w\-]{1,40})\?([QqBb])\?([^?\s]{1,256})\?=")
# Between two encoded words, whitespace is not part of the text (RFC 2047, section 6.2).
_BETWEEN_WORDS = re.compile(r"[ \t]+")


def encoded_word_spans(text: str, spans: list[Span], find: Callable[[str], list[Span]]) -> None:
    """Add the spans of encoded words that hold PHI once decoded (see the module); `find` is the
    engine, run on the decoded text."""
    parts: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []  # decoded start and end, raw start and end
    length = 0
    position = 0
    for word in _ENCODED_WORD.finditer(text):
        between = text[position : word.start()]
        if pieces and pieces[-1][3] == position and _BETWEEN_WORDS.fullmatch(between):
            between = ""  # `=?utf-8?q?Mar=C3=ADa?= =?utf-8?q?_Garc=C3=ADa?=`: one phrase
        parts.append(between)
        length += len(between)
        decoded = _decode(word)
        pieces.append((length, length + len(decoded), word.start(), word.end()))
        parts.append(decoded)
        length += len(decoded)
        position = word.end()
    if not pieces:
        return
    parts.append(text[position:])
    for start, end, tag in find("".join(parts)):
        for d_start, d_end, r_start, r_end in pieces:
            if start < d_end and d_start < end:
                spans.append((r_start, r_end, tag))


def _decode(word: re.Match[str]) -> str:
    charset, encoding, payload = word.groups()
    try:
        if encoding in "Qq":
            raw = quopri.decodestring(payload.encode("ascii", "replace"), header=True)
        else:
            raw = base64.b64decode(payload + "=" * (-len(payload) % 4))
        return raw.decode(charset, "replace")
    except (LookupError, binascii.Error, ValueError):
        return word.group()
