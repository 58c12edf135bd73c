"""HL7 v2 segments that carry a person: their fields are read by position, as the standard
defines them (version 2.5.1), not by what their values look like.

`PID|1||HN860382A^^^MRN||Lee^Ann||19610102|F|||12 Main St^^Springfield^IL^62701||(217)555-0142`:
the patient's identifiers (PID-2, -3, -4), name (PID-5, -6, -9), birth date (PID-7), address
(PID-11, -12), phone numbers (PID-13, -14), account (PID-18), SSN (PID-19), driver's licence
(PID-20); the next of kin's (NK1), the guarantor's (GT1) and the insured's (IN1) names,
addresses, phone numbers, birth dates and numbers; a merge's prior identifiers (MRG). A field is
hidden whole, with its components and repetitions; an empty field is left. A segment starts a
line, follows a carriage return (HL7's segment separator), a quote or a space, and ends at the
next carriage return, line break or quote (also as `repr` writes them: `\\r`).
"""

from __future__ import annotations

import re

Span = tuple[int, int, str]

# Segment -> {field number: tag}. The field number counts the separators after the segment's
# name: `PID|1|...` has PID-1 after the first one.
FIELDS: dict[str, dict[int, str]] = {
    "PID": {
        2: "MRN",
        3: "MRN",
        4: "MRN",
        5: "NAME",
        6: "NAME",
        7: "DATE",
        9: "NAME",
        11: "ADDRESS",
        12: "ADDRESS",
        13: "PHONE",
        14: "PHONE",
        18: "ACCOUNT",
        19: "SSN",
        20: "LICENSE",
        21: "MRN",
    },
    "NK1": {2: "NAME", 4: "ADDRESS", 5: "PHONE", 6: "PHONE", 16: "DATE", 33: "MRN", 37: "SSN"},
    "GT1": {
        2: "MRN",
        3: "NAME",
        4: "NAME",
        5: "ADDRESS",
        6: "PHONE",
        7: "PHONE",
        8: "DATE",
        12: "SSN",
    },
    "IN1": {
        16: "NAME",
        18: "DATE",
        19: "ADDRESS",
        36: "PLAN_ID",
        49: "PLAN_ID",
    },
    "MRG": {1: "MRN", 2: "MRN", 3: "ACCOUNT", 4: "MRN", 5: "MRN", 7: "NAME"},
}
_SEGMENT = re.compile(r"(?:^|(?<=[\r\n'\" ])|(?<=\\r)|(?<=\\n))(PID|NK1|GT1|IN1|MRG)\|")
# (HL7's explicit null, `""`, is a field's value, not a closing quote.)
_SEGMENT_END = re.compile(r"[\r\n']|(?<!\")\"(?!\")|\\r|\\n")
_SEGMENT_MAX = 4096


def hl7_spans(text: str, spans: list[Span]) -> None:
    """Add the fields of the HL7 v2 segments in `text` that carry a person."""
    for segment in _SEGMENT.finditer(text):
        fields = FIELDS[segment.group(1)]
        end_match = _SEGMENT_END.search(text, segment.end(), segment.end() + _SEGMENT_MAX)
        end = (
            end_match.start()
            if end_match is not None
            else min(len(text), segment.end() + _SEGMENT_MAX)
        )
        number = 1
        start = segment.end()
        while start <= end:
            stop = text.find("|", start, end)
            if stop == -1:
                stop = end
            tag = fields.get(number)
            if tag is not None and stop > start and text[start:stop] != '""':
                spans.append((start, stop, tag))
            number += 1
            start = stop + 1
