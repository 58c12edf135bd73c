"""HL7 v2 segments that carry a person, read by field position (pure logic: each case is a line
as an interface engine's log or a `repr` writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    (
        "PID|1||HN860382A^^^MRN||Lee^Ann||19610102|F|||12 Main St^^Springfield^IL^62701"
        "||(217)555-0142|||||ACCT-991|123-45-6789",
        ["HN860382A", "Lee", "Ann", "19610102", "Main St", "Springfield", "555-0142", "ACCT-991"],
        "PID|1||",
    ),
    (
        "parsed 'MSH|^~\\\\&|LAB|CLINIC|||20261204||ADT^A01|77|P|2.5\\rPID|1||00123456^^^MRN"
        "||Garcia^Maria^L||19700305|F'",
        ["00123456", "Garcia", "Maria", "19700305"],
        "ADT^A01",
    ),
    ("NK1|1|Lee^Bob|SPO|12 Main St^^Springfield^IL|(217)555-0199", ["Bob", "Main St"], "|SPO|"),
    ("GT1|1|G-55012|Lee^Ann||12 Main St|(217)555-0142||19610102", ["G-55012", "Ann"], "GT1|1|"),
    ("MRG|00098765^^^MRN", ["00098765"], "MRG|"),
    # an empty field, or HL7's explicit null, is left
    ('PID|1||""||Lee^Ann', ["Lee"], 'PID|1||""||'),
]

BENIGN = [
    "MSH|^~\\&|LAB|CLINIC|||20261204||ORM^O01|MSG00001|P|2.5",
    "OBR|1|ORD-123||CBC^Complete blood count",
    "ORC|NW|ORD-123|||SC",
    "x = a|b|c",
    "grep 'PIDS|NK' logs",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_the_fields_of_a_person_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_segments_about_no_person_are_left(line: str) -> None:
    assert scrub_text(line) == line
