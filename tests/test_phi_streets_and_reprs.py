"""Streets written name first (with no postal code, or with the code before the city), a date of
birth as Python's `repr` writes a `date`, an identifier with a letter and a digit after its digits
that ends a message after `for`, and one name that ends a phrase after `patient`; each beside the
look-alikes that must stay (pure logic: each case is a line as an emitter writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    ("DATA readline: b'Samuris St. 35\\r\\n'", ["Samuris", "35"], "DATA readline: b'"),
    ("address: Sarajishvili Davitis St. 91", ["Sarajishvili", "Davitis", "91"], "address: "),
    ("ship to Hauptstraße 5 today", ["Hauptstraße 5"], "ship to"),
    ("letter returned from Brivibas iela 12", ["Brivibas", "iela 12"], "letter returned from"),
    ("forwarding to Via Roma 12 failed", ["Roma 12"], "forwarding to"),
    ("new address ul. Długa 44", ["Długa 44"], "new address"),
    ("card posted to Calle Mayor, 5", ["Mayor, 5"], "card posted to"),
    ("Tartu mnt 12, 10115 Tallinn", ["Tartu", "12", "10115", "Tallinn"], ""),
    ("moved: Hauptstrasse 12, 10115 Berlin", ["Hauptstrasse", "10115", "Berlin"], "moved: "),
    ("Ann Lee, 5 Rue de Paris, 75001 Paris", ["Rue de Paris", "75001", "Paris"], ""),
    (
        "Params: ['AMC4803537', datetime.date(1968, 2, 9), 'WY', 1, 0]",
        ["AMC4803537", "1968, 2, 9"],
        "Params: ['",
    ),
    ("args = (datetime.date(1999, 12, 31), 3)", ["1999, 12, 31"], "args = ("),
    ("TimeoutError: SMS gateway timed out sending reminder for 595015U6", ["595015U6"], "for "),
    (
        "('INSERT ...', [None, datetime.datetime(2026, 6, 22, 14, 0), 'new patient Lomidze'])",
        ["Lomidze"],
        "'new patient ",
    ),
    ("no visit today for patient Kavtaradze.", ["Kavtaradze"], "for patient "),
]

BENIGN = [
    "took 35 ms",
    "retry 3, 10115 Berlin",  # a count before the comma: no street
    "Serving on port 5432",
    "GET /api/v2/rooms?floor=3 HTTP/1.1 200 512",
    "appointment booked for datetime.date(2026, 6, 4)",
    "args=(datetime.datetime(2019, 7, 6, 14, 0), 'Weekly')",  # when something happened
    "reminder batch for 20261203",
    "job failed for 100000 rows",
    "open patient Profile.",
    "patient Portal",
    "the patient Lookup failed",
    "Version 5 of Way 2 released",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_the_values_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_look_alikes_are_left_alone(line: str) -> None:
    assert scrub_text(line) == line
