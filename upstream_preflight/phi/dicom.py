"""DICOM: a patient's values in an imaging header, as pydicom and DICOM tools log them.

A header names each value by its tag (`(0010,0010)`, `"00100010"` in DICOM JSON) or by the tag's
name (`Patient's Name`); the tags that identify a patient are those the confidentiality profile
of DICOM PS3.15 (Annex E) removes from the Patient module: names, ids, birth date, address,
telephone numbers. Each is read in the forms a log holds:

- an element's `str` (`(0010,0010) Patient's Name   PN: 'Doe^John'`), also in a list joined by
  ` | ` (`Patient's Name: 'Doe^John' | Patient ID: 'MR#8566868'`);
- DICOM JSON, as a string or a dict's `repr` (`"00100010": {"vr": "PN", "Value":
  [{"Alphabetic": "Doe^John"}]}`);
- a raw element (`RawDataElement(tag=(0010,0020), ..., value=b'Z2-910-5442 ', ...)`);
- an element as pynetdicom and DCMTK dump it (`(0010,0010) PN [Doe^John]   # 1 PatientName`);
- a person name anywhere, written with DICOM's (and HL7's) carets (`patient Deshamukh^Asha`,
  `('Pradhan^Baladev',)`): family name first, components between carets; not in an HL7 message,
  whose carets also join codes to their text.

Values under other tags (a study's date, an accession number, a device's serial number) are left.
"""

from __future__ import annotations

import re

Span = tuple[int, int, str]

# (group and element, the tag's name as pydicom writes it, tag)
_PATIENT_TAGS = (
    ("00100010", "Patient's Name", "NAME"),
    ("00100020", "Patient ID", "MRN"),
    ("00100030", "Patient's Birth Date", "DATE"),
    ("00100032", "Patient's Birth Time", "DATE"),
    ("00101000", "Other Patient IDs", "MRN"),
    ("00101001", "Other Patient Names", "NAME"),
    ("00101005", "Patient's Birth Name", "NAME"),
    ("00101040", "Patient's Address", "ADDRESS"),
    ("00101050", "Insurance Plan Identification", "PLAN_ID"),
    ("00101060", "Patient's Mother's Birth Name", "NAME"),
    ("00101090", "Medical Record Locator", "MRN"),
    ("00102154", "Patient's Telephone Numbers", "PHONE"),
    ("00102155", "Patient's Telecom Information", "PHONE"),
)
_TAG_BY_NUMBER = {number: tag for number, _, tag in _PATIENT_TAGS}
_TAG_BY_NAME = {name: tag for _, name, tag in _PATIENT_TAGS}
_NUMBERS = "|".join(number for number, _, _ in _PATIENT_TAGS)
_NAMES = "|".join(re.escape(name) for _, name, _ in _PATIENT_TAGS)

# A value as pydicom writes it after an element's name and VR: quoted, a list, or bare up to the
# end of the line or the next ` | ` (its last character not a space: greedy, then back over the
# spaces only, so linear in the line).
_VALUE = r"""(?:'[^'\n]*'|"[^"\n]*"|\[[^\]\n]{0,512}\]|[^'"\[\s|](?:[^\n|]*[^\s|])?)"""
# `(0010,0010) Patient's Name    PN: 'Doe^John'`: the tag in brackets, then its name and VR.
_ELEMENT = re.compile(
    rf"\((0010),\s?([0-9A-Fa-f]{{4}})\)[ \t]+[^\n|:]{{1,64}}?[ \t]+[A-Z]{{2}}:[ \t]+({_VALUE})",
    re.MULTILINE,
)
# `(0010,0010) PN [Doe^John*]   # 1 PatientName`: an element as pynetdicom's `pretty_dataset`
# and DCMTK's `dcmdump` write it, its VR before its value in brackets.
_BRACKETED_ELEMENT = re.compile(
    r"\((0010),([0-9A-Fa-f]{4})\)[ \t]+[A-Z]{2}[ \t]+\[([^\]\n]{0,256})\]"
)
# `Patient's Name: 'Doe^John'`: the tag's name alone, as a joined list of elements writes it.
# At the line's start or after another element (`| `, `: `), not inside a longer name (`Issuer of
# Patient ID` is the organisation's).
_NAMED = re.compile(
    rf"(?:^|(?<=[|:(] )|(?<=\t))({_NAMES})(?:[ \t]+[A-Z]{{2}})?:[ \t]+({_VALUE})", re.MULTILINE
)
# DICOM JSON: `"00100010": {"vr": "PN", "Value": [...]}`, either key first, in either quotes.
_JSON_ELEMENT = re.compile(rf"""["']({_NUMBERS})["']:\s*\{{[^{{}}]{{0,64}}?["']Value["']:\s*\[""")
_JSON_STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'""")
# `RawDataElement(tag=(0010,0020), VR=None, length=12, value=b'Z2-910-5442 ', ...)`
_RAW_ELEMENT = re.compile(
    r"tag=\((0010),\s?([0-9A-Fa-f]{4})\)[^()\n]{0,96}?value=b?(['\"])(.{0,128}?)\3"
)
# Words that name a quality-control object, not a person: phantoms (`CATPHAN` is a make),
# daily QA and calibration series.
_PHANTOM_WORDS = frozenset(
    ["PHANTOM", "CATPHAN", "QA", "QC", "DAILYQA", "TEST", "WATER", "CALIBRATION", "CONSTANCY"]
)
_WORD_SEPARATORS = re.compile(r"[\^\-_ .]+")
# An HL7 v2 segment: its fields are read by position (`phi/hl7.py`), and its carets also join a
# code to its text (`2345-7^Glucose^LN`), which no name is.
_HL7_SEGMENT = re.compile(r"(?<![\w|])[A-Z][A-Z0-9]{2}\|")
# The padding of a raw value to an even length: a space, or a NUL as a `repr` writes it.
_PADDING = re.compile(r"(?:\s|\\x00)+$")
# A person name with carets: a family name of letters, then at least one more component.
_CARET_NAME = re.compile(
    r"(?<![\w^\\\[])(?=[A-Z\u00c0-\u00de])[^\W\d_]{2,}(?:[ '\-][^\W\d_]+)*"
    r"(?:\^[^\W\d_]*(?:[ '\-][^\W\d_]+)*){1,4}(?<!\^)(?:\^{1,4})?(?![\w^])"
)


def dicom_spans(text: str, spans: list[Span]) -> None:
    """Add the values of a patient's DICOM tags, and person names written with carets."""
    if "0010" in text:
        if "(0010," in text:
            for match in _ELEMENT.finditer(text):
                tag = _TAG_BY_NUMBER.get((match.group(1) + match.group(2)).upper())
                if tag is not None:
                    _add_value(match.start(3), match.group(3), tag, spans)
            if " [" in text:
                for match in _BRACKETED_ELEMENT.finditer(text):
                    tag = _TAG_BY_NUMBER.get((match.group(1) + match.group(2)).upper())
                    if tag is not None:
                        _add_inside(match.start(3), match.group(3), tag, spans)
            if "tag=(" in text:
                for match in _RAW_ELEMENT.finditer(text):
                    tag = _TAG_BY_NUMBER.get((match.group(1) + match.group(2)).upper())
                    if tag is not None:
                        _add_inside(match.start(4), _PADDING.sub("", match.group(4)), tag, spans)
        if "Value" in text:
            _json_values(text, spans)
    if "Patient" in text or "Other" in text or "Medical" in text or "Insurance" in text:
        for match in _NAMED.finditer(text):
            _add_value(match.start(2), match.group(2), _TAG_BY_NAME[match.group(1)], spans)
    if "^" in text and not ("|" in text and _HL7_SEGMENT.search(text)):
        for match in _CARET_NAME.finditer(text):
            name = match.group()
            if sum(1 for part in name.split("^") if part) >= 2 and not _names_a_phantom(name):
                spans.append((match.start(), match.end(), "NAME"))  # family and given at least


def _add_value(start: int, value: str, tag: str, spans: list[Span]) -> None:
    """Add a value as pydicom writes it: a quoted string's inside, each quoted item of a list,
    or the bare value; an empty one is no one's."""
    if value[:1] == "[":
        for item in _JSON_STRING.finditer(value):
            _add_inside(start + item.start() + 1, item.group()[1:-1], tag, spans)
    elif value[:1] in ("'", '"'):
        _add_inside(start + 1, value[1:-1], tag, spans)
    else:
        _add_inside(start, value, tag, spans)


def _add_inside(start: int, value: str, tag: str, spans: list[Span]) -> None:
    stripped = value.strip()
    if stripped and stripped.strip("^") and not _names_a_phantom(stripped):
        begin = start + len(value) - len(value.lstrip())
        spans.append((begin, begin + len(stripped), tag))


def _names_a_phantom(value: str) -> bool:
    """Whether a patient's value names a quality-control object scanned in a patient's place
    (`ACR^PHANTOM`, `QA-MG-BREAST-1`, `TEST^DAILYQA`): a word of its own says so."""
    return not _PHANTOM_WORDS.isdisjoint(_WORD_SEPARATORS.split(value.upper()))


def _json_values(text: str, spans: list[Span]) -> None:
    """The strings of a patient's element in DICOM JSON: its `Value` list's items, or a person
    name's `Alphabetic` (and other) representations, not their keys."""
    for element in _JSON_ELEMENT.finditer(text):
        tag = _TAG_BY_NUMBER[element.group(1)]
        close = text.find("]", element.end(), element.end() + 512)
        if close == -1:
            continue
        for item in _JSON_STRING.finditer(text, element.end(), close):
            if text[item.end() : item.end() + 1] != ":":  # `"Alphabetic":` is a key
                inside = item.group(1) if item.group(1) is not None else item.group(2)
                _add_inside(item.start() + 1, inside, tag, spans)
