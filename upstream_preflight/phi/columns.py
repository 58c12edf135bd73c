"""Values whose column says what they are: Django's SQL debug lines and PostgreSQL's error details.

- `(0.002) INSERT INTO "t" ("first_name", "dob") VALUES ('Ann', '1969-12-01'::date) ...;
  args=('Ann', datetime.date(1969, 12, 1)); alias=default`: each literal of the statement is read
  under its column (the column list of an INSERT, else the last quoted column before it), and an
  argument of the `args=(...)` tuple is PHI when it is the value of a literal found to be PHI.
- `DETAIL:  Key (mrn)=(58056200) already exists.`: the key's columns name its values.
- `DETAIL:  Failing row contains (17, Ann, Lee, 1969-12-01, null, ...)`: the row has no column
  names, so every value is hidden except those that cannot identify anyone: null, booleans,
  numbers of at most four digits (ids, counts, statuses), decimals, dates from `RECENT_YEAR` on,
  and lower-case machine tokens (`events:2025-05-04:list`, `follow-up`, UUIDs).

Every pattern here is anchored at a literal found by `str.find`, reads forward only and has no
nested repeats: the cost is linear in the length of the line.
"""

from __future__ import annotations

import re

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.covered import Covered
from upstream_preflight.phi.keys import Kind, classify, refuses

Span = tuple[int, int, str]

_SQL_LITERAL = re.compile(r"'((?:[^'\n]|'')*)'")
_QUOTED_NAME = re.compile(r'[`"](\w+)[`"]')
# Django quotes names with `"` (PostgreSQL) or backticks (MySQL); a statement an application or
# a server's query log writes may leave them bare.
INSERT = re.compile(
    r'(?i:INSERT)\s+(?:(?i:IGNORE)\s+)?(?i:INTO)\s+[\w$`".]{1,192}\s*\(([^()\n]{1,2048})\)\s*'
    r"(?i:VALUES)\s*"
)
# One item of a VALUES row: a literal (its text in group 1; `''` or, in MySQL, `\'` for a
# quote), a keyword, a number (group 2), a function call; or the `)` that ends the row.
_SQL_ITEM = re.compile(
    r"'((?:[^'\\\n]|''|\\.)*)'(?:::[\w ]+)?|NULL|DEFAULT|true|false"
    r"|(-?\d+(?:\.\d+)?)(?:::[\w ]+)?|[\w.]+\([^()\n]*\)|\)"
)
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
# Bounded: a crafted line of many `Key (` or `Failing row contains (` with no end would otherwise
# be read to its end once for each.
_KEY_DETAIL = re.compile(
    r"Key \(([^()\n]{0,256})\)=\(([^\n]{0,512}?)\) (?:already exists|is not present)"
)
_FAILING_ROW = re.compile(r"Failing row contains \(([^\n]{0,4096})\)")
_HARMLESS_ITEM = re.compile(
    r"null|[tf]|true|false|[1-9]\d{0,3}|0|-?\d+\.\d+"
    r"|(?=[a-z0-9\-_:.]*[a-z])[a-z0-9]+(?:[\-_:.][a-z0-9]+)*"
)
_LOOK_BACK = 120
# The column lists of INSERT statements repeat from line to line: each is classified once.
_COLUMNS: dict[str, list[tuple[Kind, str] | None]] = {}


def phi_column(name: str) -> tuple[Kind, str] | None:
    found = classify(name)
    return None if found is None or found[0] is Kind.QUERY else found


def column_tag(column: tuple[Kind, str] | None, value: str) -> str | None:
    """The tag of `value` in `column`, or None: an ambiguous column (`name`, `account`) holds PHI
    only when the value looks like it (a person's name, digits)."""
    if column is None:
        return None
    kind, tag = column
    if kind is Kind.PERSON and p.PERSON.fullmatch(value) is None:
        return None
    if kind is Kind.NAME_WORD and p.NAME_WORD.fullmatch(value) is None:
        return None
    if refuses(kind, value):
        return None
    if tag == "DATE" and len(value) <= 10 and p.impossible_date(value):
        return None
    if tag == "NAME" and len(value) <= 2:
        return None
    return tag


def column_spans(text: str, lower: str, spans: list[Span]) -> None:
    """Add the spans of values that a column names (see the module's docstring)."""
    if "; args=" in text:
        _sql(text, spans)
        if "Key (" not in text and "Failing row contains (" not in text:
            return
    elif "insert" in lower and "into" in lower:
        insert = INSERT.search(text)
        if insert is not None:
            _insert_values(text, insert, len(text), {}, spans)
    if "Key (" in text:
        for match in _KEY_DETAIL.finditer(text):
            _key_detail(match, spans)
    if "Failing row contains (" in text:
        for match in _FAILING_ROW.finditer(text):
            _failing_row(text, match.start(1), match.end(1), spans)


def _sql(text: str, spans: list[Span]) -> None:
    args_at = text.rfind("; args=")
    values: dict[str, str] = {}
    insert = INSERT.search(text, 0, args_at) if "INSERT INTO" in text else None
    if insert is not None:
        _insert_values(text, insert, args_at, values, spans)
    else:
        for literal in _SQL_LITERAL.finditer(text, 0, args_at):
            names = _QUOTED_NAME.findall(
                text, max(0, literal.start() - _LOOK_BACK), literal.start()
            )
            tag = column_tag(phi_column(names[-1]), literal.group(1)) if names else None
            if tag is not None:
                spans.append((literal.start(1), literal.end(1), tag))
                values[literal.group(1).replace("''", "'")] = tag
    if values:
        _args(text, args_at + len("; args="), values, spans)


def _insert_values(
    text: str, insert: re.Match[str], end: int, values: dict[str, str], spans: list[Span]
) -> None:
    """Each item of the VALUES rows of `insert` read under its column, up to `end`; the
    literals found to be PHI are added to `values` (for `_args`)."""
    tags = _COLUMNS.get(insert.group(1))
    if tags is None:
        tags = [phi_column(c.strip().strip('`"[]')) for c in insert.group(1).split(",")]
        if len(_COLUMNS) >= 1024:
            _COLUMNS.clear()
        _COLUMNS[insert.group(1)] = tags
    if not any(tags):
        return
    index, size = 0, len(tags)
    for item in _SQL_ITEM.finditer(text, insert.end(), end):
        if item.group() == ")":  # the end of a row: another follows, or the statement goes on
            if not (text.startswith(", (", item.end()) or text.startswith(",(", item.end())):
                break
            continue
        column = tags[index % size]
        index += 1
        group = 1 if item.group(1) is not None else 2
        value = item.group(group)
        if column is not None and value is not None:
            tag = column_tag(column, value)
            if tag is not None:
                spans.append((item.start(group), item.end(group), tag))
                if group == 1:
                    values[value.replace("''", "'")] = tag


def _args(text: str, start: int, values: dict[str, str], spans: list[Span]) -> None:
    """The arguments in `args=(...)` that are PHI values of the statement, found by the form
    Python gives them in a tuple: `'Ann'`, `"O'Brien"`, `datetime.date(1969, 12, 1)`."""
    end = text.find("; alias=", start)
    end = len(text) if end == -1 else end
    for value, tag in values.items():
        needle = repr(value)
        if _ISO_DATE.fullmatch(value):
            needle = f"datetime.date({int(value[:4])}, {int(value[5:7])}, {int(value[8:])})"
        at = text.find(needle, start, end)
        while at != -1:
            if needle[0] == "d":
                spans.append((at, at + len(needle), tag))
            else:
                spans.append((at + 1, at + len(needle) - 1, tag))
            at = text.find(needle, at + len(needle), end)


def _key_detail(match: re.Match[str], spans: list[Span]) -> None:
    columns = [c.strip() for c in match.group(1).split(",")]
    start, end = match.span(2)
    kinds = [phi_column(c) for c in columns]
    if not any(kinds):
        return
    parts = match.group(2).split(", ") if len(columns) > 1 else [match.group(2)]
    if len(parts) != len(columns):
        spans.append((start, end, next(k for k in kinds if k)[1]))  # type: ignore[index]
        return
    at = start
    for part, kind in zip(parts, kinds, strict=True):
        tag = column_tag(kind, part)
        if tag is not None:
            spans.append((at, at + len(part), tag))
        at += len(part) + 2


def _failing_row(text: str, start: int, end: int, spans: list[Span]) -> None:
    at = start
    while at <= end:
        comma = text.find(", ", at, end)
        stop = end if comma == -1 else comma
        item = text[at:stop]
        if item and not _harmless(item):
            spans.append((at, stop, "PHI"))
        at = stop + 2


def _harmless(item: str) -> bool:
    date = p.DATE_ITEM.fullmatch(item)
    if date is not None:
        return date.group(1) >= p.RECENT_YEAR
    return _HARMLESS_ITEM.fullmatch(item) is not None


# --- rows: values that come together without their columns -----------------------------------

# The start of a row of values whose columns are not named beside them: the arguments of a SQL
# debug line (`; args=(` or `[`), a row of an INSERT (`VALUES (`, `), (`), the parameters of a
# log template (`"params":[`, `'args': (`), a list that a validation error shows as its input.
_ROW_START = re.compile(r"""(?i:values)\s*\(|(["'])(?:params|args|arguments|input)\1:\s*[(\[]""")
# One item of a row, as Python's `repr`, JSON or SQL writes it: a quoted string, a call
# (`Decimal('10.00')`, `datetime.date(1969, 12, 1)`), or a bare word or number.
_ROW_ITEM = re.compile(
    r"""'(?:[^'\\\n]|\\.|'')*'|"(?:[^"\\\n]|\\.)*"|[\w.]+\((?:[^()\n]|\([^()\n]*\))*\)"""
    r"""|[^,()\[\]\n]+"""
)
_ROW_MAX = 4096
_CALL_ITEM = re.compile(r"(?:datetime\.)?(?:date|datetime)\((\d{4})\b|Decimal\('[\d.\-]+'\)")


def row_spans(text: str, lower: str, spans: list[Span]) -> None:
    """A row that holds a value found to be PHI is about a person: its other values are hidden
    too, except those that cannot identify anyone (see `_harmless`). Rows with nothing found are
    left alone, so no line without PHI found in it is changed by this."""
    if not spans:
        return
    covered: Covered | None = None
    added: list[Span] = []
    for row_start, sql_args in _row_starts(text, lower):
        items = row_items(text, row_start)
        if not items:
            continue
        first, last = items[0][0], items[-1][1]
        if covered is None:
            covered = Covered(spans)  # an item inside what it covers is hidden already
        # A span found inside the row; the arguments of a SQL debug line are the values of its
        # statement: a span anywhere will do.
        if not sql_args and not covered.touches(first, last):
            continue
        for start, end in items:
            item = text[start:end]
            if item[:1] in "'\"" and len(item) >= 2:
                start, end, item = start + 1, end - 1, item[1:-1]
            if covered.has(start, end):
                continue
            if item and not _harmless_item(item):
                added.append((start, end, "PHI"))
    spans.extend(added)


def _row_starts(text: str, lower: str) -> list[tuple[int, bool]]:
    """Where each row's first item starts, and whether the row is a SQL debug line's `args`."""
    starts: list[tuple[int, bool]] = []
    at = text.find("; args=")
    if at != -1 and text[at + 7 : at + 8] in ("(", "["):
        # `executemany` logs a list of rows: `args=[('a', 'b'), ('c', 'd')]` (the next rows
        # start at `), (`).
        starts.append((at + 9 if text.startswith("[(", at + 7) else at + 8, True))
    at = lower.find("values")
    while at != -1:
        match = _ROW_START.match(text, at)
        if match is not None:
            starts.append((match.end(), False))
        at = lower.find("values", at + 6)
    if starts:  # the rows after the first: `), (`
        for needle in ("), (", "),("):
            at = text.find(needle)
            while at != -1:
                starts.append((at + len(needle), False))
                at = text.find(needle, at + len(needle))
    if "input" in text:
        for needle in ("input_value=[", "input=["):
            at = text.find(needle)
            while at != -1:
                starts.append((at + len(needle), False))
                at = text.find(needle, at + len(needle))
    for needle in ("params", "args", "arguments", "input"):
        at = text.find(needle)
        while at != -1:
            if at > 0 and text[at - 1] in "'\"":
                match = _ROW_START.match(text, at - 1)
                if match is not None:
                    starts.append((match.end(), False))
            at = text.find(needle, at + len(needle))
    return starts


def row_items(text: str, at: int) -> list[tuple[int, int]]:
    """The items of the row that starts at `at`, up to its closing bracket (at most `_ROW_MAX`
    characters on)."""
    items: list[tuple[int, int]] = []
    end = min(len(text), at + _ROW_MAX)
    while at < end:
        while at < end and text[at] == " ":
            at += 1
        item = _ROW_ITEM.match(text, at, end)
        if item is None:
            break
        stop = item.end()
        while stop > item.start() and text[stop - 1] == " ":
            stop -= 1
        if stop > item.start():
            items.append((item.start(), stop))
        at = item.end()
        if at >= end or text[at] != ",":
            break
        at += 1
    return items


def _harmless_item(item: str) -> bool:
    if item in ("None", "NULL", "True", "False", "DEFAULT"):
        return True
    call = _CALL_ITEM.match(item)
    if call is not None:
        return call.group(1) is None or call.group(1) >= p.RECENT_YEAR
    return _harmless(item)
