"""A record found to hold PHI gives away the rest of its identifiers and the cells of its rows;
a record with nothing found is left alone (pure logic: each case is a line as its emitter
writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    # identifiers beside a value found, whatever their shape
    (
        "failed: W034304712,MRN-3726843,BCBS,9RY9-PX6-WN30,03855753,Patient matching query",
        ["W034304712", "3726843", "03855753"],
        "Patient matching query",
    ),
    ("new BCBS H20924861-01 for 123-45-6789", ["H20924861-01"], "new BCBS"),
    ("coverage 36355 for ssn 493-38-2001 saved", ["36355"], "saved"),
    # the cells of a CSV row, a tab-separated row, a table in HTML cells, a `;` row in a string
    (
        "failed: MR0761120,Raymond,Ramirez,20010408,888-11-7196,x@example.com,Salt Lake City,"
        "UT,38328",
        ["Raymond", "Ramirez", "20010408", "Salt Lake City", "38328"],
        "failed: ",
    ),
    ("143-770-178\tYuki\tRobinson\t1969-10-03\tBoise\tID\t05749", ["Yuki", "Boise", "05749"], "\t"),
    (
        'new Ibáñez, Sandra: <ins style="x">MRN-2673941</ins> | <ins style="x">Sandra</ins>'
        ' | <ins style="x">Ibáñez</ins> | <ins style="x">1934-02-20</ins>'
        ' | <ins style="x">Baton Rouge</ins>',
        ["Ibáñez", "Sandra", "2673941", "Baton Rouge"],
        "<ins ",
    ),
    ("  line = 'McDonald;Mary-Kate;12/29/1946;MRN-0555596'", ["McDonald", "Mary-Kate"], "line = '"),
    (
        "row 5 values: ['MR9214843', 'Chloe', 'King', '04.04.1962', 'Des Moines', 'IA', '68321']",
        ["MR9214843", "Chloe", "King", "Des Moines", "68321"],
        "row 5 values: [",
    ),
    # a CSV cell quoted whole is read whole
    ('"Lee, Ann",1961-01-02,123-45-6789,Springfield', ["Lee", "Ann", "Springfield"], '"'),
    # labels that a value follows in other shapes
    ("no region for ZIP 49305", ["49305"], "no region for ZIP"),
    ("postal code: 49305-1234", ["49305"], "postal code"),
    ("X-Patient-MRN: E815753073", ["E815753073"], "X-Patient-MRN: "),
    ("<p>Statement for account <b>827872196050</b></p>", ["827872196050"], "<b>"),
    ("KeyError: 'MRN-0555596'", ["0555596"], "KeyError"),
    ("time data '19780219' does not match format '%m/%d/%Y'", ["19780219"], "time data"),
    # what a parser could not read, when it holds an old year
    ("Unknown string format: 19780219x", ["19780219"], "Unknown string format"),
    ("invalid literal for int() with base 10: '12/09/1990'", ["1990"], "base 10"),
    # a key in brackets; a call's quoted arguments beside a value found
    ("instance['last_name'] = 'Lee'", ["Lee"], "instance['last_name']"),
    ("remind('Ann', 'Lee', '1969-12-01')", ["Ann", "Lee"], "remind("),
    # whom a message speaks to
    ("sending reminder 'Park, your visit on 07/26 is confirmed'", ["Park"], "your visit"),
    # an audit trail's changes: dotted and JSON-path keys, old -> new, a diff's tuples
    ("patient.licence: '' -> 'CCC385481'", ["CCC385481"], "patient.licence"),
    ("coverage.member_id: 'None' -> 'U18872948A'", ["U18872948A"], "coverage.member_id"),
    ("invalid at $.address.zip: '54823-8366' does not match", ["54823"], "$.address.zip"),
    ("at $.dob: 19621103 is not of type 'string'", ["19621103"], "is not of type"),
    ("diff {'street': ('', '117 Gutierrez Views Apt. 870')}", ["Gutierrez"], "diff {'street'"),
    # `Last, First (identifier)`, and a name found once hidden where the record repeats it
    ("audit create Vaughan, Leah (P4417348) by clerk", ["Vaughan", "Leah", "P4417348"], "by"),
    (
        "Nguyen, Maria (X) changes: {'first_name': ['None', 'Maria'], 'last_name': ['None', 'Ng']}",
        ["Maria"],
        "changes",
    ),
    # httpcore's headers, bytes in pairs; a path segment beside a name found
    ("[(b'X-Patient-Mrn', b'T8321884'), (b'Server', b'x')]", ["T8321884"], "(b'Server', b'x')"),
    ("Patient Ann Lee created at /fhir/Patient/HN860382A/_history/1", ["HN860382A"], "/fhir/"),
    ("card declined (request from 205.208.85.191)", ["205.208.85.191"], "request from"),
    # FHIR: a record number in a resource's path, an identifier token of any system
    ("PUT http://127.0.0.1:8443/fhir/r4/Patient/PT415691G", ["PT415691G"], "/Patient/"),
    ("GET /fhir/Patient?identifier=urn%3Aoid%3A2.16.840%7C0007028191", ["0007028191"], "oid"),
    # pandas: a Series line under a PHI index, a DataFrame row padded with spaces
    ("last_name                de Groot", ["Groot"], "last_name"),
    (
        "3   MRN1096-CK    de Vos      Aiden 1943-03-14    Exmorra    MO  23097-2360    25.0",
        ["MRN1096", "Vos", "Aiden", "Exmorra", "23097"],
        "25.0",
    ),
    # what was typed into a field, quoted after its name; an MRN that says so; an account's path
    ("phone field 'Isak Carlsson' (looks like the name) rejected", ["Isak"], "phone field"),
    ("date of birth 'Eva Ville' not understood", ["Eva"], "not understood"),
    ('"GET /patients/MRN3577-SV HTTP/1.1" 301 0', ["MRN3577"], "/patients/"),
    ('"HEAD /billing/accounts/SB-276-82094/statement/ HTTP/1.1"', ["82094"], "/statement/"),
    # a value of capitalised words, quoted or an element's text, whatever its key
    (
        "payload {'ssn': '123-45-6789', 'holder': 'Amal Rahman', 'l': [b'Port Kendra']}",
        ["Amal", "Rahman", "Kendra"],
        "'holder'",
    ),
    (
        "<ns1:alias>Inesita</ns1:alias><ns1:birthDate>1961-02-03</ns1:birthDate>",
        ["Inesita"],
        "<ns1:alias>",
    ),
    (
        '{"dob": "1961-02-03", "home": ["Room 1136 Tower 7 5551 96th Street"], "note": "x"}',
        ["Room 1136", "96th Street"],
        '"note": "x"',
    ),
    # a name that ends a description or a note, after a comma or a dash
    (
        '{"mrn": "P967.137.23", "note": "duplicate copay, Faredus Al-Hakir"}',
        ["Faredus", "Al-Hakir"],
        '"note": "duplicate copay, ',
    ),
    (
        "x=1&metadata[note]=duplicate+copay%2C+Shira+Mosa&metadata[mrn]=UVH0206-94",
        ["Shira", "Mosa"],
        "metadata[note]=duplicate+copay%2C+",
    ),
    (
        '{"dob": "1961-02-03", "description": "Telehealth follow-up - Meya Tamir"}',
        ["Meya", "Tamir"],
        "Telehealth follow-up - ",
    ),
    # an identifier whose prefix a dot or a slash parts from its digits
    (
        "entry {'mrn': 'MRN-3726843', 'employeeNumber': [b'CL.221615'], 'ref': 'MBR.513.324211'}",
        ["CL.221615", "MBR.513.324211"],
        "employeeNumber",
    ),
    ("statement HMC/1246/1150 for ssn 123-45-6789", ["HMC/1246/1150"], "statement"),
    # a name on the line before a street address
    ("<p>Frank Rodriguez<br>2 River Lane<br>Salt Lake City, UT 61968</p>", ["Frank"], "<p>"),
]

# Kept as they are in a record with PHI: what identifies a run, an object or a time, not a person.
KEPT_BESIDE_PHI = [
    ("req 3f2a9c1e-8b7d-4e2f-9a6b-1c2d3e4f5a6b ssn=123-45-6789", "3f2a9c1e-8b7d-4e2f-9a6b"),
    ("digest e3b0c44298fc1c149afbf4c8996fb924 ssn=123-45-6789", "e3b0c44298fc1c149afbf4c8996fb924"),
    ("<Patient at 0x7f3a2c1d9e80> ssn=123-45-6789", "0x7f3a2c1d9e80"),
    ("django 5.1.40000 ssn=123-45-6789", "5.1.40000"),
    ("GET /static/app.12345678.js ssn=123-45-6789", "/static/app.12345678.js"),
    ("at 12:30:45.123456 ssn=123-45-6789", "12:30:45.123456"),
    ("ssn=123-45-6789 took 1234 ms", "1234 ms"),
    ("a,b,c,ssn=123-45-6789,status,ok", "status,ok"),
    ("{'ssn': '123-45-6789', 'status': 'active', 'st': ['NY'], 'x': 'None'}", "'active'"),
    ("{'ssn': '123-45-6789', 'status': 'active', 'st': ['NY'], 'x': 'None'}", "['NY']"),
    ("{'ssn': '123-45-6789', 'status': 'active', 'st': ['NY'], 'x': 'None'}", "'None'"),
    ("{'ssn': '123-45-6789', 'source': 'Patient Portal'}", "'Patient Portal'"),
    ("{'ssn': '123-45-6789', 'state': 'New Mexico'}", "'New Mexico'"),
    ('{"ssn": "123-45-6789", "from": "Reports, Lakeside Family Clinic"}', "Lakeside Family Clinic"),
    ("{'ssn': '123-45-6789', 'size': '3 items', 'build': 'Build 42'}", "'3 items'"),
    ("GET /x HTTP/1.1 TLS1.2 v2.10.3 ssn=123-45-6789", "HTTP/1.1 TLS1.2 v2.10.3"),
    ("{'Ann Lee': 'x'} ssn=123-45-6789", "'Ann Lee'"),
]

# Nothing found in them: no identifier and no row is touched.
BENIGN = [
    "order SO2611610 shipped to warehouse 77",
    "KeyError: 'SO5685537'",
    "KeyError: 'ORD-2025-03288'",
    "SKU-00012,Sharps container,14,460.30,Acme Medical,Boise",
    "BND-4694\tSharps container 1.4 l\tx14\t$460.30",
    "<span>ORD-12345</span> | <span>Widget</span> | <span>Springfield</span>",
    "row 5 values: ['ORD-1', 'Widget', 'Springfield', '12345']",
    "2025-05-28 15:36:52.483 | INFO     | app.services:chart:59 - Chart opened by nurse.k",
    "time data '2026-13-01' does not match format '%Y-%m-%d'",
    "zip 3 files into backup-20261204.zip",
    "X-Request-Id: 12345678",
    "Thanks, your order shipped",
    "items['count'] = 3",
    "remind('daily', 'all', 'now')",
    "bind.address=127.0.0.1",
    "status: active -> review",
    "celery.task.name: upstream.tasks.export",
    "(b'Server', b'PartnerAPI/2.3')",
    "Smith, John (2024)",
    "GET /api/patients/12345/",
    "GET /api/devices?identifier=sensor-12",
    "city                     str",
    "dob    NaT",
    "count     12",
    "0   ORD-1    Widget    2024-01-01    Springfield    3",
    "status field 'active' ok",
    "could not convert string to float: '12,345.67'",
    "Unknown string format: next tuesday",
    "delivery date 'ORD-2026-418840' not understood: Unknown string format: ORD-2026-418840",
    "GET /accounts/login/",
    "vendor Cardinal phone 1-800-938-3408: valid=True type=TOLL_FREE",
    "vendor e-mail billing@cardinal.example ok: domain=cardinal.example",
    "write to it.helpdesk@henry.example",
    "payload {'team': 'Night Shift', 'ward': 'North Wing', 'ref': 'CL.221615'}",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_what_a_record_with_phi_gives_away_is_hidden(
    line: str, values: list[str], kept: str
) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize(("line", "kept"), KEPT_BESIDE_PHI)
def test_what_identifies_no_person_is_kept_beside_phi(line: str, kept: str) -> None:
    out = scrub_text(line)
    assert "123-45-6789" not in out, out
    assert kept in out, (line, out)


@pytest.mark.parametrize("line", BENIGN)
def test_a_record_with_nothing_found_is_left_alone(line: str) -> None:
    assert scrub_text(line) == line
