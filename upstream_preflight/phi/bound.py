"""Values bound to the placeholders of a SQL statement, each read under the column its placeholder
stands for.

Libraries log a statement of the DB-API's positional styles (`?`, `%s`) beside its parameters:
peewee's `('SELECT ... WHERE ("t1"."mrn" = ?)', ['AMC4803537'])`, SQLAlchemy's `statement was
INSERT INTO coverages (patient_id, member_id) VALUES (?, ?) with (48, 'HRD/12150106')` and
`[SQL: ...] [parameters: (...)]`, Django's `executemany` (`UPDATE ... SET phone = %s WHERE mrn =
%s; args=[(...), (...)]`). A placeholder stands for the INSERT's column in the same place, or for
the column compared with it (`col = ?`, `col LIKE ?`, `col IN (?, ?)`, `SET col = ?`); one
compared with nothing (`LIMIT ?`) stands for none. The parameters are read as `columns` reads a
row, and one under a column of PHI is hidden as a literal under it would be
(`columns.column_tag`: an ambiguous column, such as `name` or `account`, only when the value
looks like what it holds).

Every read starts at a literal or a keyword found forwards and is bounded (a statement at most
4,096 characters, the column before a placeholder at most 128 back, read on a reversed copy of
that window): linear in the length of the line.
"""

from __future__ import annotations

import re

from upstream_preflight.phi.columns import INSERT, column_tag, phi_column, row_items
from upstream_preflight.phi.keys import OWNER_PREFIXES, Kind
from upstream_preflight.phi.labels import SERIAL_KEYS

Span = tuple[int, int, str]

_STATEMENT = re.compile(r"\b(?:SELECT|INSERT|UPDATE|DELETE|select|insert|update|delete)\s")
_PLACEHOLDER = re.compile(r"\?|%s")
# What a statement's parameters follow: the end of its quoted string and a list or tuple
# (peewee's and sqlite3's `(sql, params)`), SQLAlchemy's `with (` and `[parameters: (`, Django's
# `; args=(`, peewee's errors' `Params: [`, a `params=(`.
_PARAMETERS = re.compile(
    r"""['"],\s*(?=[\[(])|\swith\s(?=\()|; args=(?=[\[(])|\[parameters:\s(?=[\[(])"""
    r"""|\bparams=(?=[\[(])|Params:\s(?=[\[(])"""  # `...\\nParams: [`: no word boundary
)
_STATEMENT_MAX = 4096
# The comparison before a placeholder, read backwards from it (so the text is reversed: `col =`
# is `= loc`, `col IN (?, ` is ` ,?( NI loc`, `col NOT LIKE` is `EKIL TON loc`), then the column.
_COMPARISON_REVERSED = re.compile(
    r"\s*(?:=[!<>]?|><|[<>]|(?i:ekil)(?i:i)?(?:\s+(?i:ton))?\s+"
    r"|(?:,\s*(?:\?|s%)\s*)*\(\s*(?i:ni)(?:\s+(?i:ton))?\s+)\s*([\w\"`\].\[]{1,128})"
)
_LOOK_BACK = 128
# The quotes of a name: `"t1"."last_name"`, `` `mrn` ``, `[dob]`.
_QUOTES = str.maketrans("", "", '"`[]')
# The table a statement is about: `UPDATE "device"`, `INSERT INTO coverages`, `FROM "patient"`.
_TABLE = re.compile(r"""(?i:UPDATE|INTO|FROM)\s+[`"\[]?(\w+)""")


def bound_spans(text: str, spans: list[Span]) -> None:
    """Add the spans of the parameters that stand for columns of PHI (see the module)."""
    statement = _STATEMENT.search(text)
    while statement is not None:
        start = statement.start()
        parameters = _PARAMETERS.search(text, start, start + _STATEMENT_MAX)
        if parameters is None:
            return
        columns = _placeholder_columns(text, start, parameters.start())
        if any(column is not None for column in columns):
            _bind(text, parameters.end(), columns, spans)
        statement = _STATEMENT.search(text, parameters.end())


def _placeholder_columns(text: str, start: int, end: int) -> list[tuple[Kind, str] | None]:
    """The column of PHI each placeholder of the statement at `start:end` stands for, or None."""
    insert = INSERT.match(text, start) if text[start] in "Ii" else None
    names: list[str] = []
    if insert is not None:
        names = [name.strip().translate(_QUOTES) for name in insert.group(1).split(",")]
    table_match = _TABLE.search(text, start, end)
    table = table_match.group(1) if table_match is not None else ""
    columns: list[tuple[Kind, str] | None] = []
    index = 0
    for placeholder in _PLACEHOLDER.finditer(text, start, end):
        at = placeholder.start()
        if insert is not None and at >= insert.end():
            name: str | None = names[index % len(names)]
            index += 1
        else:
            window = text[max(start, at - _LOOK_BACK) : at][::-1]
            compared = _COMPARISON_REVERSED.match(window)
            name = compared.group(1)[::-1].translate(_QUOTES) if compared is not None else None
        column = phi_column(name) if name else None
        if column is not None and _a_things_serial(name, table):  # type: ignore[arg-type]
            column = None
        columns.append(column)
    return columns


def _a_things_serial(name: str, table: str) -> bool:
    """`UPDATE "device" SET ... WHERE ("device"."serial" = ?)`: the serial number of a table
    that is not a person's (`patient`, `member`, ...) is a device's, not a licence."""
    column = name.rsplit(".", 1)[-1].lower()
    return column in SERIAL_KEYS and not table.lower().startswith(tuple(OWNER_PREFIXES))


def _bind(text: str, at: int, columns: list[tuple[Kind, str] | None], spans: list[Span]) -> None:
    """Read the parameters at `at` (a row, or `executemany`'s list of rows) under `columns`."""
    many = text.startswith(("[(", "(("), at)
    rows = [at + 2] if many else [at + 1]
    if many:  # the next rows start at `), (`
        end = min(len(text), at + _STATEMENT_MAX)
        following = text.find("), (", at, end)
        while following != -1:
            rows.append(following + 4)
            following = text.find("), (", following + 4, end)
    for row in rows:
        # A row may hold fewer items than there are placeholders (a cut line), or more.
        for column, (start, end) in zip(columns, row_items(text, row), strict=False):
            if column is None:
                continue
            if text[start] in "'\"" and end - start >= 2:
                start, end = start + 1, end - 1
            while start < end and text[start] == "%":  # a pattern of LIKE: `'Park%'`
                start += 1
            while end > start and text[end - 1] == "%":
                end -= 1
            tag = column_tag(column, text[start:end]) if end > start else None
            if tag is not None:
                spans.append((start, end, tag))
