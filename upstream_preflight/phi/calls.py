"""The arguments of a call whose name says it handles a person's data, as task queues and tracing
log them: `fifth_jobs.update_address('Jennings', '09524 Elizabeth Mill', 'Alisonchester',
'75341')`, `send_reminder('Ante Mentzel', '489/235-8709', channel='sms')`. Its quoted positional
arguments that could be a value of a person (a capitalised word, four digits or more, an `@`) are
hidden; keyword arguments are left to the keys that label them, and all-small words (`'sms'`,
`'labs'`) stay.
"""

from __future__ import annotations

import re

Span = tuple[int, int, str]

_PERSONAL = re.compile(
    "patient|address|contact|phone|email|birth|dob|ssn|identity|member|person|demographic"
    "|reminder|insurance|coverage|eligibility|guarantor|recipient|subscriber|caregiver"
)
# A quoted positional argument: after `(`, `,` or `[`, not after `=`.
_ARGUMENT = re.compile(r"(?<=[(\[,])[ \t]*(['\"])((?:(?!\1)[^\n\\]){1,160})\1(?=[ \t]*[,)\]])")
_PERSON_LIKE = re.compile(r"[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]|\d{4}|\d[/\-]\d|@")
_MAX_ARGUMENTS = 1024
_MAX_NAME = 64


def person_call_spans(text: str, lower: str, spans: list[Span]) -> None:
    """Found from each `('` and `("`: the few places a call with a quoted argument opens."""
    for opening in ("('", '("'):
        at = text.find(opening)
        while at != -1:
            _arguments(text, lower, at, spans)
            at = text.find(opening, at + 1)


def _arguments(text: str, lower: str, paren: int, spans: list[Span]) -> None:
    name_start = paren
    floor = max(0, paren - _MAX_NAME)
    while name_start > floor and (lower[name_start - 1].isalnum() or lower[name_start - 1] == "_"):
        name_start -= 1
    if paren - name_start < 3 or _PERSONAL.search(lower, name_start, paren) is None:
        return
    stop = text.find(")", paren, paren + _MAX_ARGUMENTS)
    if stop == -1:
        return
    for argument in _ARGUMENT.finditer(text, paren, stop + 1):
        if _PERSON_LIKE.search(argument.group(2)):
            spans.append((argument.start(2), argument.end(2), "PHI"))
