"""Values whose field is named apart from them, in validation and database errors and in SQL.

- Validation errors that name the field on one line and show the value elsewhere: pydantic's
  text (`dob` on its own line, then `  Input should be ... [type=..., input_value='...']`), and
  error lists (`'loc': ('body', 'ssn'), 'msg': ..., 'input': '...'`, `"loc":["ssn"]` in JSON):
  the value is read under the last part of the field's path that names a PHI key.
- Database errors that put the value before its column or key: `Duplicate entry '...' for key
  'patients.ssn'`, `Incorrect date value: '...' for column `db`.`t`.`dob` at row 1`. A key is
  an index name (`uniq_patient_mrn`, `patients_email_key`): any key of `KEYS` among its words
  names the value.
- Cerberus's `ValidationError` reprs: the `value=` under the field its `document_path` ends with.
- SQL predicates whose value does not follow a `=`: `last_name LIKE '%Smith%'`, `ssn IN ('...',
  '...')`, `dob BETWEEN '...' AND '...'`.

Every reading starts at a literal found by `str.find` and goes a bounded way back (to the field
path: at most `_LOOK_BACK` characters) and forward (the value: at most `_VALUE_MAX`): linear in
the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.columns import column_tag
from upstream_preflight.phi.keys import KEYS, Kind, classify, refuses
from upstream_preflight.phi.labels import value_key, value_span

Span = tuple[int, int, str]

_LOOK_BACK = 256
# What the input of a field the schema does not have (`Extra inputs are not permitted`) is
# judged by: it is what someone typed, and a person's name there is PHI.
_ANY_INPUT = (Kind.PERSON, "NAME")
_VALUE_MAX = 512
# Parts of a pydantic field path that name a type or a validator, not a field: `dob.date`,
# `tags.list[str]`, `function-after[check(), str]`.
_TYPE_PARTS = frozenset(
    [
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "date",
        "datetime",
        "time",
        "timedelta",
        "decimal",
        "none",
        "list",
        "dict",
        "set",
        "tuple",
        "uuid",
        "json",
        "url",
        "email",
        "any",
        "literal",
        "union",
        "constrained-str",
    ]
)
_FIELD_PATH = re.compile(r"\w[\w\-\[\](),. ]{0,200}")
# A field named before its value on the same line: `invalid insurance.member_id: String should
# match pattern ... (input='W123')`.
_FIELD_BEFORE = re.compile(r"(?<![\w.\-\[\]])(\w[\w.\-\[\]]{0,127}):\s")
_PATH_PART = re.compile(r"[^.\s]+")
# `'loc': ('body', 'ssn')`, `"loc":["ssn"]`: the items of the path, in order.
_LOC_ITEMS = re.compile(r"""(?:(["'])((?:(?!\1)[^\\\n])*)\1|(-?\d+))\s*,?\s*""")
_INPUT_KEY = re.compile(r"""(["'])input\1\s*:\s*""")
# What a database error names after `for key` or `for column`: `'ssn'`, `'patients.ssn'`,
# `` `clinic`.`patient`.`dob` ``.
_DB_NAME = re.compile(r"""[`'"]?([\w$]+(?:[`'"]?\.[`'"]?[\w$]+){0,3})[`'"]?""")
# Words of an index name that say it is an index, not which column it covers.
_INDEX_WORDS = frozenset(
    [
        "uniq",
        "unique",
        "uk",
        "uq",
        "ux",
        "idx",
        "index",
        "ix",
        "key",
        "pk",
        "fk",
        "constraint",
        "chk",
        "check",
    ]
)
_INDEX_SPLIT = re.compile(r"[^a-z0-9]+")
_SQL_LITERAL = re.compile(r"'((?:[^'\\\n]|''|\\.){0,512})'")
# The column before ` LIKE `, ` IN (`, ` BETWEEN ` (and `NOT`), read on the reversed text.
_SQL_COLUMN_REVERSED = re.compile(r"""(?:ton\s+)?[`"\])]*([\w$`"\[\].]{1,128})""")


def field_spans(text: str, lower: str, reversed_lower: str, spans: list[Span]) -> None:
    """Add the spans of values whose field is named apart from them (see the module)."""
    if "input" in text:
        if "input_value=" in text or "input=" in text:
            _inputs(text, spans)
        if "loc" in text and ("'input'" in text or '"input"' in text):
            _error_lists(text, spans)
    if " for " in text and (" for key " in text or " for column " in text):
        _database_errors(text, spans)
    if (  # a rarer character first: a `memchr`, not a scan of the line
        ("k" in lower and (" like " in lower or " ilike " in lower))
        or ("(" in lower and " in (" in lower)
        or ("w" in lower and " between " in lower)
    ):
        _sql_predicates(text, lower, reversed_lower, spans)
    if " does not match " in text or " is too " in text:
        _validator_echoes(text, spans)
    if " parameter " in text and ", value: " in text:
        _values_after_paths(_PARAMETER_VALUE, text, spans)
    if " failed " in text and " at [" in text:
        _failed_at_paths(text, spans)
    if " invalid value at " in text:
        _values_after_paths(_INVALID_VARIABLE_VALUE, text, spans)
    if " must match regex " in text:
        _regex_refusals(text, spans)
    if "document_path=(" in text:
        _cerberus_errors(text, spans)


# Cerberus's `ValidationError` as its `repr` writes it: `ValidationError @ 0x7f3a ( document_path=(
# 'licence',),schema_path=(...),code=0x41,constraint="...",value="X 898 063 806 185",info=() )`:
# the value, under the field its document path ends with.
_CERBERUS_ERROR = re.compile(r"document_path=\(([^()\n]{0,160})\),[^\n]{0,480}?,value=")


def _cerberus_errors(text: str, spans: list[Span]) -> None:
    for match in _CERBERUS_ERROR.finditer(text):
        items = [item.group(2) or item.group(3) for item in _LOC_ITEMS.finditer(match.group(1))]
        found = _path_kind([item for item in items if item])
        if found is not None and "serial" not in match.group(1).lower():  # a device's
            span = value_span(text, match.end(), found[0], found[1])
            if span is not None:
                spans.append(span)


# What the AWS SDK (botocore) says of a request's parameter it refused: `Invalid type for
# parameter Item.zip, value: 49305, type: <class 'int'>`, `Invalid length for parameter
# Key.mrn, value: 3, ...`: the value of the field the path ends with.
_PARAMETER_VALUE = re.compile(r"(?<= parameter )([\w.\[\]\-]{1,128}), value: ")


# A jsonschema error as applications write it from the error's instance, validator value and
# path: `intake: '85-901130' failed '^[A-Z]\\d{7}$' at ['mrn']`, `19360325 failed 'string' at
# ['dob']`: the instance, under the key its path ends with.
_FAILED_AT_PATH = re.compile(
    r"""(?:^|(?<=[:\s]))('[^'\n]{1,80}'|[\w.\-]{1,40}) failed """
    r"""[^\n]{0,160}? at \[([^\]\n]{1,160})\]"""
)


def _failed_at_paths(text: str, spans: list[Span]) -> None:
    for match in _FAILED_AT_PATH.finditer(text):
        items = [item.group(2) or item.group(3) for item in _LOC_ITEMS.finditer(match.group(2))]
        found = _path_kind([item for item in items if item])
        if found is not None:
            span = value_span(text, match.start(1), found[0], found[1])
            if span is not None:
                spans.append(span)


# graphql-core's refusal of a variable's field: `Variable '$input' has invalid value at .zip: Int
# cannot represent non-integer value: '15282'`: the value, under the field its path ends with.
_INVALID_VARIABLE_VALUE = re.compile(
    r" invalid value at \.([\w.\[\]]{1,128}): [^\n'\"]{0,120}?value: "
)


# attrs' `matches_re` validator: `'ssn' must match regex '\\d{9}' ('12-3' doesn't)`: the value,
# under the field the message names first.
_REGEX_REFUSAL = re.compile(
    r"""(["'])([\w.]{1,64})\1 must match regex [^\n]{0,200}? \((["'])([^"'\n]{1,128})\3 doesn"""
)


def _regex_refusals(text: str, spans: list[Span]) -> None:
    for match in _REGEX_REFUSAL.finditer(text):
        found = value_key(match.group(2))
        if found is not None:
            spans.append((match.start(4), match.end(4), found[1]))


def _values_after_paths(pattern: re.Pattern[str], text: str, spans: list[Span]) -> None:
    """The values that `pattern`'s matches end before, under the field of the path each names
    first (group 1: `Item.zip`, `address[0].zip`)."""
    for match in pattern.finditer(text):
        found = _path_kind(_PATH_PART.findall(match.group(1).replace("[", ".")))
        if found is not None:
            span = value_span(text, match.end(), found[0], found[1])
            if span is not None:
                spans.append(span)


# What a schema validator says of a value it quotes first, as jsonschema writes it:
# `'Bersenbrück' does not match "^[A-Za-z .'-]+$"`, `'Höfig' is too long`: a name or a place
# someone typed (capitalised words, none in capitals). An identifier is left: order numbers and
# SKUs fail the same patterns (`'PO27689' does not match '^ORD-\\d{4}-\\d{6}$'`).
_VALIDATOR_ECHO = re.compile(
    r"""(['"])(?<!time data ['"])((?:(?!\1)[^\n\\]){2,80})\1 """  # the quote first: found fast
    r"""(?:does not match |is too (?:long|short))"""
)


def _validator_echoes(text: str, spans: list[Span]) -> None:
    for echo in _VALIDATOR_ECHO.finditer(text):
        if p.is_typed_name(echo.group(2)):
            spans.append((echo.start(2), echo.end(2), "NAME"))


def _path_kind(parts: list[str]) -> tuple[Kind, str] | None:
    """The kind and tag of the PHI key a field path ends with (`address.zip`, `dob.date`,
    `contacts.0.phone`), or None."""
    for part in reversed(parts[-4:]):
        found = classify(part) if part[:1].isalpha() else None
        if found is not None:
            return None if found[0] is Kind.QUERY else found
        if not (part.isdigit() or part.lower() in _TYPE_PARTS or "[" in part or "(" in part):
            return None
    return None


def _inputs(text: str, spans: list[Span]) -> None:
    """`input_value=...` (pydantic) and `input=...`: the value of the field named on the line
    before (pydantic's own text) or, on the same line, before a `:`."""
    for needle in ("input_value=", "input="):
        at = text.find(needle)
        while at != -1:
            if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
                _input_value(text, at + len(needle), _field_of_input(text, at), spans)
            at = text.find(needle, at + len(needle))


def _field_of_input(text: str, at: int) -> tuple[Kind, str] | None:
    line_start = text.rfind("\n", max(0, at - _LOOK_BACK), at)
    if line_start > 0:
        path_start = text.rfind("\n", max(0, line_start - _LOOK_BACK), line_start) + 1
        if path_start or line_start < _LOOK_BACK:
            path = text[path_start:line_start]
            if _FIELD_PATH.fullmatch(path):
                return _path_kind(_PATH_PART.findall(path))
    if line_start == -1 and at > _LOOK_BACK:
        line_start = at - _LOOK_BACK
    for field in _FIELD_BEFORE.finditer(text, line_start + 1, at):
        found = _path_kind(_PATH_PART.findall(field.group(1).replace("[", ".")))
        if found is not None:
            return found
    return None


def _error_lists(text: str, spans: list[Span]) -> None:
    for quote in ("'", '"'):
        needle = f"{quote}loc{quote}"
        at = text.find(needle)
        while at != -1:
            _error_item(text, at + len(needle), quote, spans)
            at = text.find(needle, at + len(needle))


def _error_item(text: str, at: int, quote: str, spans: list[Span]) -> None:
    """After `'loc'` at `at`: read the path, then the `input` of the same error."""
    colon = text.find(":", at, at + 4)
    if colon == -1:
        return
    opening = colon + 1
    while opening < len(text) and text[opening] == " ":
        opening += 1
    if opening >= len(text) or text[opening] not in "([":
        return
    closing = text.find(")" if text[opening] == "(" else "]", opening, opening + _LOOK_BACK)
    if closing == -1:
        return
    parts = [m.group(2) if m.group(3) is None else m.group(3)
             for m in _LOC_ITEMS.finditer(text, opening + 1, closing)]  # fmt: skip
    found = _path_kind([p for p in parts if p])
    # The input of this error comes before the next error's path.
    end = min(len(text), closing + _VALUE_MAX + _LOOK_BACK)
    next_loc = text.find("loc", closing, end)
    key = text.find(f"{quote}input{quote}", closing, end if next_loc == -1 else next_loc)
    if key != -1:
        match = _INPUT_KEY.match(text, key)
        if match is not None:
            _input_value(text, match.end(), found, spans)


def _input_value(text: str, start: int, found: tuple[Kind, str] | None, spans: list[Span]) -> None:
    """The value at `start`, under the field's kind; under a field that is not the schema's
    (`Extra inputs are not permitted`), a person's name is PHI too."""
    span = value_span(text, start, found[0], found[1]) if found is not None else None
    if span is None and "xtra" in text[max(0, start - _LOOK_BACK) : start]:
        span = value_span(text, start, _ANY_INPUT[0], _ANY_INPUT[1])
    if span is not None:
        spans.append(span)


def _database_errors(text: str, spans: list[Span]) -> None:
    for needle, index in ((" for key ", True), (" for column ", False)):
        at = text.find(needle)
        while at != -1:
            _database_error(text, at, at + len(needle), index, spans)
            at = text.find(needle, at + len(needle))


def _database_error(text: str, at: int, name_at: int, index: bool, spans: list[Span]) -> None:
    if at == 0 or text[at - 1] != "'":
        return  # `Column 'ssn' cannot be null`, `Data too long for column ...`: no value
    name = _DB_NAME.match(text, name_at, name_at + 256)
    if name is None:
        return
    last = re.split(r"[`'\"]?\.[`'\"]?", name.group(1))[-1]
    found = index_kind(last.lower()) if index else _column_kind(last)
    patient_id = found is None and last.lower() in ("patient_id", "patient", "patientid")
    if found is None and not patient_id:
        return
    # The value: from `entry '` or `value: '` if one is near, else from the quote before.
    window = max(0, at - _VALUE_MAX)
    start = -1
    for opener in ("entry '", "value: '", "value '"):
        found_at = text.rfind(opener, window, at)
        if found_at != -1:
            start = max(start, found_at + len(opener))
    if start == -1:
        start = text.rfind("'", window, at - 1) + 1
        if start == 0:
            return
    end = at - 1
    if patient_id:  # a row's id where the patient's identifier was given (`MRN-0048123`)
        if sum(c.isdigit() for c in text[start:end]) >= 7:
            spans.append((start, end, "MRN"))
    elif end > start:
        tag = column_tag(found, text[start:end])
        if tag is not None:
            spans.append((start, end, tag))


def _column_kind(name: str) -> tuple[Kind, str] | None:
    found = classify(name)
    return None if found is None or found[0] is Kind.QUERY else found


@lru_cache(maxsize=1024)
def index_kind(name: str) -> tuple[Kind, str] | None:
    """The kind and tag of the PHI column an index name covers (`uniq_patient_mrn`,
    `patients_email_key`, `last_name_dob_uq`): of the runs of its words (less those that name
    an index) that are keys of `KEYS`, an unambiguous one first, then the longest."""
    words = [w for w in _INDEX_SPLIT.split(name.lower()) if w and w not in _INDEX_WORDS]
    best: tuple[tuple[bool, int], tuple[Kind, str]] | None = None
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            found = KEYS.get("".join(words[i:j]))
            if found is not None and found[0] is not Kind.QUERY:
                if j < len(words) and words[j] == "id" and found[0] is not Kind.ALWAYS:
                    continue  # `account_id`, `patient_id`: a reference to a row
                rank = (found[0] is Kind.ALWAYS, j - i)
                if best is None or rank > best[0]:
                    best = (rank, found)
                break
    return None if best is None else best[1]


def _sql_predicates(text: str, lower: str, reversed_lower: str, spans: list[Span]) -> None:
    for needle in (" like ", " ilike ", " in (", " between "):
        at = lower.find(needle)
        while at != -1:
            _sql_predicate(text, reversed_lower, at, needle, spans)
            at = lower.find(needle, at + len(needle))


def _sql_predicate(text: str, reversed_lower: str, at: int, needle: str, spans: list[Span]) -> None:
    size = len(text)
    column = _SQL_COLUMN_REVERSED.match(reversed_lower, size - at)  # read backwards
    if column is None:
        return
    begin, end = size - column.end(1), size - column.start(1)
    name = re.split(r"[`\"\[\]]*\.[`\"\[\]]*", text[begin:end])[-1]
    name = name.strip('`"[]')
    found = _column_kind(name) if name else None
    if found is None:
        return
    start = at + len(needle)
    if needle == " in (":
        end = text.find(")", start, start + _VALUE_MAX)
        stop = end if end != -1 else min(len(text), start + _VALUE_MAX)
        count = 2**30
    else:
        stop = min(len(text), start + _VALUE_MAX)
        count = 2 if needle == " between " else 1
    for literal in _SQL_LITERAL.finditer(text, start, stop):
        if count == 0:
            break
        count -= 1
        value = literal.group(1)
        kind, tag = found
        if kind is Kind.PERSON or kind is Kind.NAME_WORD:
            continue
        if refuses(kind, value):
            continue
        if value.strip("%"):
            spans.append((literal.start(1), literal.end(1), tag))


# --- a log template beside its arguments --------------------------------------------------------

# The arguments of a template kept apart from it (Sentry's `logentry`, JSON loggers that keep
# `msg` and `args`): `"message":"patient %s %s already has chart %s",...,"params":["Ann",...]`.
_PARAMS = re.compile(r"""(["'])(?:params|args|arguments)\1:\s*[\[(]""")
_TEMPLATE = re.compile(
    r"""(["'])(?:message|msg|template)\1:\s*(["'])((?:[^"'\\\n]|\\.){0,1024}?)\2"""
)
_PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdirfx]")
_TEMPLATE_LOOK_BACK = 2048


def template_params(text: str, spans: list[Span], find: Callable[[str], list[Span]]) -> None:
    """Each argument that the template puts where the engine finds PHI (`patient %s %s` holds a
    name, `for member %s` a member id), read by formatting the template with the arguments."""
    from upstream_preflight.phi.columns import row_items

    for params in _PARAMS.finditer(text):
        template = None
        for found in _TEMPLATE.finditer(text, max(0, params.start() - _TEMPLATE_LOOK_BACK),
                                        params.start()):  # fmt: skip
            if "%" in found.group(3):
                template = found.group(3)
        if template is None:
            continue
        items = row_items(text, params.end())
        pieces: list[str] = []
        ranges: list[tuple[int, int, int]] = []  # (start, end) in the formatted text, item
        size = 0
        last = 0
        for index, holder in enumerate(_PLACEHOLDER.finditer(template)):
            if index >= len(items):
                break
            literal = template[last : holder.start()]
            pieces.append(literal)
            size += len(literal)
            start, end = items[index]
            value = text[start:end]
            if value[:1] in "'\"" and len(value) >= 2:
                value = value[1:-1]
            pieces.append(value)
            ranges.append((size, size + len(value), index))
            size += len(value)
            last = holder.end()
        if not ranges:
            continue
        pieces.append(template[last:])
        found_spans = find("".join(pieces))
        for begin, end, tag in found_spans:
            for start, stop, item in ranges:
                if begin < stop and start < end:
                    item_start, item_end = items[item]
                    if text[item_start] in "'\"":
                        item_start, item_end = item_start + 1, item_end - 1
                    spans.append((item_start, item_end, tag))
