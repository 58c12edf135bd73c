"""A record found to hold PHI is about a person: what else in it could identify them is hidden too.

Run last, and only on a record where another pass found a value already, so a line with nothing
found in it is never changed here:

- an identifier found is hidden wherever else the record repeats it, and so are the words of a
  name found or of a row's cell;
- identifiers: a word of letters, digits and hyphens with five digits or more (`W034304712`,
  `H07990149-01`, `348-483-229`, `68321`, `20010408`, a path's `/Patient/HN860382A/`), except
  the shapes that identify a run or an object rather than a person (UUIDs, hex digests and
  addresses in memory, dashed dates);
- the cells of a row that holds a value found: the fields of a CSV (commas mostly without a
  space after), tab- or `;`-separated line, of a ` | ` table (bare or in HTML cells, as
  import-export's diffs write them) and the quoted items of a list or of a call's arguments
  (`values: ['MR9214843', 'Chloe', ...]`), except cells that cannot identify anyone (lower-case
  words, small numbers, amounts, recent dates, log levels, prose with a lower-case word).

Each rule reads the record once more at most.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from upstream_preflight.phi import patterns as p
from upstream_preflight.phi.covered import Covered

Span = tuple[int, int, str]

TAG = "PHI"

# Where an identifier may be: a run of digits (and hyphens) that a word of letters, digits and
# hyphens around it then widens; cheaper than a pattern tried at every character.
_DIGIT_RUN = re.compile(r"[0-9][0-9\-]{3,}")
_IN_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
# Not a person's identifier when it is part of an address, a version, a time or an escape (a
# segment of a path is: `/fhir/Patient/HN860382A/_history/1`).
_NOT_BEFORE = frozenset(".:@%#+\\")
_NO_DIGITS = str.maketrans("", "", "0123456789")
# UUIDs, addresses in memory, digests; dates with dashes (a birth date is found by its form, and
# left to it; `2025-05-28` before a time is when the line was written).
_NOT_A_PERSON = p.IDENTIFIER_NOT_A_PERSON
# A port after its address in the tuple a socket's peer is written as: `('127.0.0.1', 51586)`.
_AFTER_AN_ADDRESS = re.compile(r"""['"][0-9a-fA-F.:]{2,45}['"],[ \t]*$""")
# A DICOM tag as DICOM JSON's key (`"00100010": {"vr": "PN", ...}`): it names the element.
_DICOM_TAG = re.compile(r"[0-9A-F]{8}")
_ROW_LINE_MAX = 4096
_CELL_QUOTES = " \"'`|"  # quotes, and a Markdown table's bars (`| Ann Lee | 1961-01-02 |`)
_ELSEWHERE_WORDS = 16
# Words a name's span may hold that name no one: `['None', 'Maria']`.
_NOT_NAMES = frozenset(["None", "NULL", "Null", "True", "False", "NONE", "TRUE", "FALSE"])
# A cell's value inside the HTML element that holds it: `<ins style="...">Lee</ins>`.
_IN_ELEMENT = re.compile(r"\s*(?:<\w+(?:\s[^<>]*)?>\s*)+([^<>]*?)\s*(?:</\w+>\s*)+")
_CELL_HARMLESS = re.compile(
    r"|None|null|NULL|True|False|true|false|-?\d{1,4}|-?\d+[.,]\d+|[$€£]\s?[\d,.]+"
    r"|[A-Z]{1,3}|(?=[a-z0-9\-_:./]*[a-z])[a-z0-9\-_:./ ]+"
)
_WORD = re.compile(r"[^ ]+")
# The small words of names and places: `de Vos`, `van der Berg`, `Grondin-les-Bains`.
_PARTICLES = frozenset(
    ["de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "del", "della", "dos", "das"]
)
_STRUCTURE = re.compile(r"[{}\[\]()=<>:;]")
_LEVELS = frozenset(["DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "TRACE"])
# The separators of a row's cells, and how many a line needs to be read as a row.
_SEPARATORS = (("\t", 2), (" | ", 2), (";", 3), (",", 3), ("  ", 3))
# The cells of a table that pads its columns with spaces (a pandas `DataFrame`'s `repr`): words
# that single spaces join.
_PADDED_CELL = re.compile(r"[^ ]+(?: [^ ]+)*")
# A list `columns.row_spans` reads as a row already: a SQL debug line's arguments, an INSERT's
# values, a template's parameters, a validator's input.
_READ_AS_ROW_ALREADY = re.compile(
    r"""(?:; args=|(?i:values)\s*|["'](?:params|args|arguments|input)["']:\s*"""
    r"""|input_value=|input=)$"""
)
# A list or tuple of quoted items, a number first allowed (`Row (22, 'Antonio', ...)`).
_QUOTED_LIST = re.compile(r"""[\[(](?=['"]|\d{1,9},[ \t]*['"])""")
_QUOTED_ITEM = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)\"""")
# Items between the quoted ones that are not cells of text: null, a truth value, a number, a date
# as its `repr` (`None`, `22`, `datetime.date(1969, 9, 27)`); passed over, not read.
_BARE_ITEM = re.compile(
    r"(?:None|null|True|False|-?\d+(?:\.\d+)?|datetime\.date(?:time)?\([\d, ]{0,40}\))(?=\s*[,)\]])"
)
_ITEM_SEPARATOR = re.compile(r"\s*,\s*")
_DATE_REPR = re.compile(r"datetime\.date(?:time)?\((\d{4}),")


def tainted_spans(text: str, spans: list[Span]) -> None:
    """Add the spans of the identifiers and row cells of a record with `spans` found in it."""
    if not spans:
        return
    _identifiers_elsewhere(text, spans)
    covered = Covered(spans)
    added: list[Span] = []
    _identifiers(text, covered, added)
    if added:  # an identifier found here makes its row a person's too: `args=('[PHI]', '93 849')`
        covered = Covered(spans + added)
    _dotted_identifiers(text, covered, added)
    if ", " in text or " - " in text or "%2C+" in text or "+-+" in text:
        _trailing_names(text, covered, added)
    if "'" in text or '"' in text or "</" in text:
        _typed_values(text, covered, added)
    cells: list[Span] = []
    for line_start, line_end in _lines_with_spans(text, covered):
        _row_cells(text, line_start, line_end, covered, cells)
    words = [
        (word.start(), word.end())
        for start, end, tag in spans
        if tag == "NAME"
        for word in p.NAME_WORD.finditer(text, start, end)
    ]
    words.extend((start, end) for start, end, _ in cells)
    if words:
        _words_elsewhere(text, words, covered, added)
    spans.extend(added)
    spans.extend(cells)


# An identifier whose prefix of capitals a dot or a slash parts from its digits (`CL.221615`,
# `MBR.513.324211`, `P857.311.54`, `HMC/1246/1150`): five digits or more; not a version
# (`v2.10.3`, `TLS1.2`: too few digits, no capital first) nor `HTTP/1.1`.
_DOTTED_IDENTIFIER = re.compile(
    r"(?<![\w.\-/])[A-Z]{1,4}\d{0,4}(?:[./]\d{2,}){1,3}(?![\w\-/]|\.\w)"
)


# Where one may be: a capital or a digit, a dot or a slash, two digits (a cheaper scan first).
_DOTTED_GATE = re.compile(r"[A-Z0-9][./]\d\d")


def _dotted_identifiers(text: str, covered: Covered, added: list[Span]) -> None:
    if _DOTTED_GATE.search(text) is None:
        return
    for match in _DOTTED_IDENTIFIER.finditer(text):
        start, end = match.span()
        if sum(c.isdigit() for c in match.group()) >= 5 and not covered.touches(start, end):
            added.append((start, end, TAG))


# Two to four capitalised words that end a value of free text after a comma or a dash, as a
# description or a note names whom it is about (`"Telehealth follow-up - Meya Tamir"`,
# `duplicate copay, Faredus Al-Hakir`, also form-encoded: `duplicate+copay%2C+Faredus+Al-Hakir&`).
_NAME_RUN = rf"{p.NAME_WORD_BODY}(?:[ \t]+{p.NAME_WORD_BODY}){{1,3}}"
_TRAILING_NAME = re.compile(rf"[ \t]*({_NAME_RUN})" r"""(?=[ \t]*(?:["'\])]|\\[n"']|$))""", re.M)
_TRAILING_ENCODED_NAME = re.compile(
    rf"({p.NAME_WORD_BODY}(?:\+{p.NAME_WORD_BODY}){{1,3}})(?=&|%2[29]|$)", re.M
)
# Where such a name may start: after these, found with `str.find` (cheaper than a pattern tried
# at every character).
_BEFORE_A_TRAILING_NAME = (
    (", ", _TRAILING_NAME),
    (" - ", _TRAILING_NAME),
    ("%2C+", _TRAILING_ENCODED_NAME),
    ("+-+", _TRAILING_ENCODED_NAME),
)


def _trailing_names(text: str, covered: Covered, added: list[Span]) -> None:
    for separator, pattern in _BEFORE_A_TRAILING_NAME:
        at = text.find(separator)
        while at != -1:
            match = pattern.match(text, at + len(separator))
            if match is not None:
                start, end = match.span(1)
                if not covered.touches(start, end) and not p.has_stopword(
                    match.group(1).replace("+", " ")
                ):
                    added.append((start, end, "NAME"))
            at = text.find(separator, at + len(separator))


# A value quoted after a key, in a list or among a call's arguments (not a key: no `:` after it),
# or an element's text (`'holder': 'Amal Tabasasum'`, `'l': [b'Lake Sophiaberg']`,
# `<ns0:givenName>Manel</ns0:givenName>`).
_QUOTED_VALUE = re.compile(r"""[:=\[(,][ \t]*b?(['"])([^'"\n<>\\]{2,64})\1(?![ \t]*[:=])""")
_ELEMENT_TEXT = re.compile(r">([^<>\n]{2,64})</")


# A state is no identifier under HIPAA's Safe Harbor (only smaller places are): kept.
_STATES = frozenset(
    [
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
        "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
        "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
        "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "Ohio", "Oklahoma",
        "Oregon", "Pennsylvania", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
        "Wisconsin", "Wyoming", "Guam", "New Hampshire", "New Jersey", "New Mexico", "New York",
        "North Carolina", "North Dakota", "Rhode Island", "South Carolina", "South Dakota",
        "West Virginia", "District of Columbia", "Puerto Rico", "American Samoa",
        "Northern Mariana Islands", "Virgin Islands",
    ]
)  # fmt: skip


def _typed_values(text: str, covered: Covered, added: list[Span]) -> None:
    """In a record about a person, a value that is one to four capitalised words is a name or a
    place someone typed, whatever the key that holds it: hidden too (`patterns.is_typed_name`;
    not a word of software or of an organisation, not `None` or `True`)."""
    found = [match.span(2) for match in _QUOTED_VALUE.finditer(text)]
    if "</" in text:
        found.extend(match.span(1) for match in _ELEMENT_TEXT.finditer(text))
    for start, end in found:
        value = text[start:end]
        if (
            value not in _NOT_NAMES
            and value not in _STATES
            and not covered.touches(start, end)
            and (p.is_typed_name(value) or p.is_a_street_line(value))
        ):
            added.append((start, end, TAG))


# An identifier found once is hidden wherever else the record repeats it (`└ '91395805163'` under
# `member_id`, then `KeyError: '91395805163'`): one with a digit, of six characters or more, the
# first few distinct ones, each looked for once: linear in the record's length.
_ELSEWHERE_VALUES = 8
_ELSEWHERE_MIN, _ELSEWHERE_MAX = 6, 64


def _identifiers_elsewhere(text: str, spans: list[Span]) -> None:
    seen: set[str] = set()
    for start, end, tag in spans[: len(spans)]:
        if not _ELSEWHERE_MIN <= end - start <= _ELSEWHERE_MAX or tag == "NAME":
            continue
        value = text[start:end]
        if value in seen or not p.has_digit(value):
            continue
        seen.add(value)
        if text.find(value, end) == -1 and text.find(value, 0, start) == -1:
            continue  # the record has it once: nothing to look for
        spans.extend((at, at + len(value), tag) for at in _repeats(text, value) if at != start)
        if len(seen) >= _ELSEWHERE_VALUES:
            break


def _words_elsewhere(
    text: str, words: list[tuple[int, int]], covered: Covered, added: list[Span]
) -> None:
    """A name, or a cell of words hidden in a row, is hidden wherever else the record has it
    (`Nguyen, Maria (...) changes: {'first_name': ['None', 'Maria'], ...}`, `skip Lee, Ann:
    <span>Ann</span> | <span>Lee</span>`): the first few distinct ones, each looked for once."""
    seen: set[str] = set()
    for start, end in words:
        word = text[start:end]
        if len(word) < 3 or word in seen or not word[:1].isalpha() or word in _NOT_NAMES:
            continue
        seen.add(word)
        added.extend(
            (at, at + len(word), TAG)
            for at in _repeats(text, word)
            if not covered.has(at, at + len(word))
        )
        if len(seen) >= _ELSEWHERE_WORDS:
            return


def _repeats(text: str, value: str) -> Iterator[int]:
    """Where `value` stands in `text` as a word of its own (no letter or digit on either side)."""
    size = len(value)
    at = text.find(value)
    while at != -1:
        if not (text[at - 1 : at].isalnum() or text[at + size : at + size + 1].isalnum()):
            yield at
        at = text.find(value, at + size)


def _identifiers(text: str, covered: Covered, added: list[Span]) -> None:
    size = len(text)
    done = 0
    for run in _DIGIT_RUN.finditer(text):
        start, end = run.span()
        if start < done or covered.has(start, end):
            continue  # part of a word read already, or of a value found
        if (
            end - start < 5
            and (not start or text[start - 1] not in _IN_WORD)
            and (end == size or text[end] not in _IN_WORD)
        ):
            continue  # four digits alone: a year, a port, a count
        while start and text[start - 1] in _IN_WORD:
            start -= 1
        while end < size and text[end] in _IN_WORD:
            end += 1
        done = end
        while text[start] == "-":
            start += 1
        while text[end - 1] == "-":
            end -= 1
        before = text[start - 1] if start else " "
        after = text[end : end + 2]
        if (
            before in _NOT_BEFORE
            or before.isalnum()
            or after[:1] == "@"
            or after[:1].isalnum()
            or (after[:1] in (".", ":") and after[1:].isalnum())
            or (end - start) - len(text[start:end].translate(_NO_DIGITS)) < 5
            or covered.has(start, end)
            or _NOT_A_PERSON.fullmatch(text, start, end) is not None
            or (end - start <= 5 and _AFTER_AN_ADDRESS.search(text, max(0, start - 48), start))
            or (
                end - start == 8
                and after in ('":', "':")
                and _DICOM_TAG.fullmatch(text, start, end)
            )
        ):
            continue
        added.append((start, end, TAG))


def _lines_with_spans(text: str, covered: Covered) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    for start in covered.starts:
        if lines and start <= lines[-1][1]:
            continue  # on the line found last
        floor = lines[-1][1] if lines else 0
        line_start = text.rfind("\n", floor, start) + 1 or floor
        line_end = text.find("\n", start)
        lines.append((line_start, len(text) if line_end == -1 else line_end))
    return lines


def _row_cells(text: str, start: int, end: int, covered: Covered, added: list[Span]) -> None:
    if end - start > _ROW_LINE_MAX:
        return
    found = None
    for separator, least in _SEPARATORS:
        count = text.count(separator, start, end)
        if count >= least:
            # Commas followed by spaces are those of a `repr`, SQL or prose, not of a CSV row.
            if separator != "," or 2 * text.count(", ", start, end) < count:
                found = separator
            break
    first_list = _QUOTED_LIST.search(text, start, end)
    if found is None and first_list is None:
        return
    line = text[start:end]
    rows: list[list[tuple[int, int]]] = []
    if first_list is not None:
        rows.extend(
            items
            for bracket in _QUOTED_LIST.finditer(line, first_list.start() - start)
            if _READ_AS_ROW_ALREADY.search(line, max(0, bracket.start() - 16), bracket.start())
            is None
            and not _is_a_pair(line, items := _quoted_items(line, bracket.end()))
        )
    if found == "  ":
        rows.append([cell.span() for cell in _PADDED_CELL.finditer(line)])
    elif found is not None:
        rows.append(_split(line, found))
    html = "<" in line
    for cells in rows:
        if not cells or not covered.touches(start + cells[0][0], start + cells[-1][1]):
            continue  # no value found from the row's first cell to its last
        for a, b in cells:
            cell = line[a:b]
            if html and "<" in cell:
                element = _IN_ELEMENT.fullmatch(cell)
                if element is not None:
                    a, b = a + element.start(1), a + element.end(1)
                    cell = element.group(1)
            value = cell.strip(_CELL_QUOTES)
            if not value:
                continue
            a += len(cell) - len(cell.lstrip(_CELL_QUOTES))
            b = a + len(value)
            if not covered.touches(start + a, start + b):
                if _identifies(value):
                    added.append((start + a, start + b, TAG))
            elif found == "  ":  # `Aiden 1943-03-14`: two padded columns; the date is found
                for word in _WORD.finditer(line, a, b):
                    if not covered.touches(start + word.start(), start + word.end()) and (
                        _identifies(word.group())
                    ):
                        added.append((start + word.start(), start + word.end(), TAG))


# The key of a `(key, value)` pair, as an `OrderedDict`'s `repr` writes its items: a name of
# code (`birthDate`, `last_name`), not a cell of text.
_PAIR_KEY = re.compile(r"[a-z_][A-Za-z0-9_]*")


def _is_a_pair(line: str, items: list[tuple[int, int]]) -> bool:
    return len(items) == 2 and _PAIR_KEY.fullmatch(line, *items[0]) is not None


def _quoted_items(line: str, at: int) -> list[tuple[int, int]]:
    items: list[tuple[int, int]] = []
    while True:
        item = _QUOTED_ITEM.match(line, at)
        if item is not None:
            items.append((item.start() + 1, item.end() - 1))
        else:
            item = _BARE_ITEM.match(line, at)
            if item is None:
                return items
            if item.group().startswith("datetime"):  # a date in a person's row: theirs
                items.append(item.span())
        separator = _ITEM_SEPARATOR.match(line, item.end())
        if separator is None:
            return items
        at = separator.end()


def _split(line: str, separator: str) -> list[tuple[int, int]]:
    """The cells of `line`; a comma inside double quotes (CSV's quoting) does not split. A row
    inside a quoted string (`line = 'Lee;Ann;1961-01-02'`) starts after the quote that opens it
    and ends before the quote that closes it."""
    cells: list[tuple[int, int]] = []
    at = 0
    size = len(separator)
    if separator != "," or '"' not in line:  # no CSV quoting: the separators split it all
        for part in line.split(separator):
            cells.append((at, at + len(part)))
            at += len(part) + size
        at = len(line) + 1
    while at <= len(line):
        if separator == "," and line[at : at + 1] == '"':
            close = line.find('"', at + 1)
            while close != -1 and line[close + 1 : close + 2] == '"':
                close = line.find('"', close + 2)
            stop = line.find(",", close + 1) if close != -1 else -1
        else:
            stop = line.find(separator, at)
        if stop == -1:
            stop = len(line)
        cells.append((at, stop))
        at = stop + size
    # A quote left open in the first cell, or closed in the last, is that of the string around
    # the row.
    first_start, first_end = cells[0]
    for quote_char in ("'", '"'):
        if line.count(quote_char, first_start, first_end) % 2:
            first_start = line.rfind(quote_char, first_start, first_end) + 1
    cells[0] = (first_start, first_end)
    last_start, last_end = cells[-1]
    for quote_char in ("'", '"'):
        if line.count(quote_char, last_start, last_end) % 2:
            last_end = line.find(quote_char, last_start, last_end)
    cells[-1] = (last_start, last_end)
    return cells


def _identifies(cell: str) -> bool:
    """Whether a cell of a row about a person could identify them."""
    if len(cell) > 64 or _CELL_HARMLESS.fullmatch(cell) is not None or cell in _LEVELS:
        return False
    date = p.DATE_ITEM.fullmatch(cell) or _DATE_REPR.match(cell)
    if date is not None:
        return date.group(1) < p.RECENT_YEAR
    if _STRUCTURE.search(cell) is not None:
        return False  # a structure of its own
    if " " in cell and not all(
        word[:1].isupper() or word[:1].isdigit() or word in _PARTICLES for word in cell.split()
    ):
        return False  # prose (`Patient matching query does not exist.`), not a name or a place
    return any(c.isalnum() for c in cell)
