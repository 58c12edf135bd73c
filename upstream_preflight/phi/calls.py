"""The arguments of a call that is about a person, as task queues and tracing log them.

- A call whose name says it handles a person's data: `fifth_jobs.update_address('Jennings',
  '09524 Elizabeth Mill', 'Alisonchester', '75341')`, `send_reminder('Ante Mentzel',
  '489/235-8709', channel='sms')`.
- Any call, or a task's `args=(...)`, whose quoted arguments hold both a name (capitalised words,
  none of the stop list) and an identifier (five digits or more, not a UUID, a digest or a
  date): `notify_result('AMC1080972', 'Seunghyeon Choi', 'cbc', flagged=False)`; unless the
  call's name says it is about an order, an invoice or the like (`SAFE_WORDS`).

Its quoted positional arguments that could be a value of a person (a capitalised word, four
digits or more, an `@`) are hidden; keyword arguments are left to the keys that label them, and
all-small words (`'sms'`, `'labs'`) stay.
"""

from __future__ import annotations

import re

from upstream_preflight.phi import patterns as p

Span = tuple[int, int, str]

_PERSONAL = re.compile(
    "patient|chart|address|contact|phone|email|birth|dob|ssn|identity|member|person|demographic"
    "|reminder|insurance|coverage|eligibility|guarantor|recipient|subscriber|caregiver|sms|fax"
)
# A quoted positional argument: after `(`, `,` or `[`, not after `=`.
_ARGUMENT = re.compile(r"(?<=[(\[,])[ \t]*(['\"])((?:(?!\1)[^\n\\]){1,160})\1(?=[ \t]*[,)\]])")
_PERSON_LIKE = re.compile(
    r"[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]|\d{4}|\d[/\-]\d|@|\d(?:[ .]?\d){4}"  # `10 026 798`
)
# Five digits or more, maybe in groups: an identifier (`AMC1080972`, `1420-43-854`, `P857.311.54`).
_FIVE_DIGITS = re.compile(r"(?:\d[^\d]{0,2}){4}\d")
_WORD = re.compile(r"[a-z]+")
_DATE = re.compile(r"(?<!\d)(?:\d{4}-\d\d-\d\d|\d\d?[/.]\d\d?[/.]\d{4})(?!\d)")
# A UUID, a digest or a message's id among the arguments names an object
# (`AnymailRecipientStatus('8ab2811a-...', 'queued')`, `...('<2026050414.1207@smtp-relay...>',`),
# not a person; a date there is theirs.
_NAMES_AN_OBJECT = re.compile(
    rf"{p.UUID}|(?=[0-9a-f]*[a-f])[0-9a-f]{{16,}}|<[^<>@\s]{{1,128}}@[\w.\-]{{1,128}}>"
)
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
    task_args = lower.endswith("args=", max(0, paren - 5), paren)  # dramatiq's `args=('...', ...)`
    if paren - name_start < 3 and not task_args:
        return
    personal = _PERSONAL.search(lower, name_start, paren) is not None
    if not personal and p.SAFE_WORDS.intersection(_WORD.findall(lower, name_start, paren)):
        return  # `ship_order('ORD-2026-269041', 'Express')`
    stop = text.find(")", paren, paren + _MAX_ARGUMENTS)
    if stop == -1:
        return
    arguments = list(_ARGUMENT.finditer(text, paren, stop + 1))
    if not personal and not _a_name_and_an_identifier([a.group(2) for a in arguments]):
        return
    for argument in arguments:
        value = argument.group(2)
        if _PERSON_LIKE.search(value) and _NAMES_AN_OBJECT.fullmatch(value) is None:
            spans.append((argument.start(2), argument.end(2), "PHI"))


def _a_name_and_an_identifier(values: list[str]) -> bool:
    return any(p.is_typed_name(value) for value in values) and any(
        _FIVE_DIGITS.search(value) is not None
        and len(value) <= 24
        and p.IDENTIFIER_NOT_A_PERSON.fullmatch(value) is None
        and _DATE.search(value) is None  # a date is not an identifier (a birth date is found)
        for value in values
    )
