"""SQL statements beside their bound parameters, task calls that pair a name with an identifier,
escaped line breaks of a message in a `repr`, SQL's columns that are values, a surname before its
record's label and `Last, First` after an exception's name; each beside the look-alikes that must
stay (pure logic: each case is a line as an emitter writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    # a statement of the DB-API's positional styles and its parameters: peewee, SQLAlchemy, Django
    (
        '(\'SELECT "t1"."id" FROM "patient" AS "t1" WHERE (("t1"."last_name" = ?) '
        'AND ("t1"."dob" = ?))\', [\'Mihajlovska\', datetime.date(1942, 1, 22)])',
        ["Mihajlovska", "1942, 1, 22"],
        '"t1"."last_name" = ?',
    ),
    (
        '(\'INSERT INTO "coverage" ("patient_id", "member_id", "account", "priority") '
        "VALUES (?, ?, ?, ?)', [17, 'WV5015-0084', '64643.54702', 1])",
        ["WV5015-0084", "64643.54702"],
        "[17, ",
    ),
    (
        "statement was INSERT INTO coverages (patient_id, member_id, account) VALUES (?, ?, ?) "
        "with (48, 'HRD/12150106', 'SP.65916252')",
        ["HRD/12150106", "SP.65916252"],
        "with (48, ",
    ),
    (
        "SELECT * FROM p WHERE p.last_name LIKE ? AND p.mrn IN (?, ?) LIMIT ? OFFSET ?', "
        "['Park%', 'AMC1', 'AMC2', 1, 0])",
        ["Park", "AMC1", "AMC2"],
        "%', ",
    ),
    (
        "UPDATE clinic_patient SET phone = %s WHERE mrn = %s; args=[('555 0142', 'MR5087000'), "
        "('555 0199', 'MRN-6847339')]; alias=default",
        ["555 0142", "MR5087000", "555 0199", "MRN-6847339"],
        "; alias=default",
    ),
    (
        'peewee.OperationalError: SELECT * FROM "patient" AS "t1" WHERE ("t1"."mrn" = ?)'
        "\\nParams: [\\'C85-80855\\', 1, 0]",
        ["C85-80855"],
        "Params: [",
    ),
    # a task's call that pairs a name with an identifier, and a call about a chart
    (
        "Received message notify_result('AMC1080972', 'Seunghyeon Choi', 'cbc', flagged=False) "
        "with id '69663e40-41fd-4c37-803b-e0b4a24c6f2e'.",
        ["AMC1080972", "Seunghyeon"],
        "'cbc', flagged=False",
    ),
    (
        "Received args=('7874-65-268', 'Rostiashvili', 'lipid') kwargs={'flagged': True}.",
        ["7874-65-268", "Rostiashvili"],
        "'lipid'",
    ),
    ("export_chart('P294.487.60', fmt='ccda', pages=20)", ["P294.487.60"], "fmt='ccda'"),
    (
        "verify_identity('P857.311.54', '10 026 798', ssn='123-45-6789')",
        ["P857.311.54", "10 026 798"],
        "verify_identity(",
    ),
    # a row whose identifier the record-wide pass found: its other cells go with it
    (
        "Received args=('HC1515290XK', '93 849 656') kwargs={'ssn': '123-45-6789'}.",
        ["HC1515290XK", "93 849 656"],
        "kwargs=",
    ),
    # a message in a `repr`: its escaped line breaks end each line's values
    (
        "send: b'Hello Sanasar,\\r\\n\\r\\nPatient: Kechoghlyan, Sanasar\\r\\n"
        "Date of birth: 1961-01-02\\r\\n'",
        ["Sanasar", "Kechoghlyan", "1961-01-02"],
        "\\r\\nDate of birth: ",
    ),
    # a value SQL took for a column's name
    ("raw lookup: OperationalError('no such column: Kobaidze')", ["Kobaidze"], "no such column"),
    ("Unknown column 'Lomidze' in 'where clause'", ["Lomidze"], "in 'where clause'"),
    # a surname before its record's label, `Last, First` after an exception's name
    ("Visit summary for Kim, MRN AMC1234567", ["Kim", "AMC1234567"], "Visit summary for "),
    (
        "LookupError: Simonovski, Sanja: several charts match, date of birth needed",
        ["Simonovski", "Sanja"],
        "several charts match",
    ),
]

BENIGN = [
    '(\'UPDATE "device" SET "last_seen" = ? WHERE ("device"."serial" = ?)\', '
    "[datetime.datetime(2026, 3, 15, 8, 30), 'PUMP-2025-144'])",
    '(\'SELECT "t1"."id" FROM "order" AS "t1" WHERE ("t1"."status" IN (?, ?))\', '
    "['open', 'held'])",
    "SELECT id FROM visit WHERE room = ? AND starts > ?', ['Exam 2', '2026-06-04'])",
    "ship_order('ORD-2026-269041', 'Express')",
    "Received args=('2026-06-04', 'Weekly') kwargs={}.",
    "run_report('Quarterly Summary', 'Cardiology')",
    "no such column: patient.mrn",
    "Unknown column 'last_name' in 'field list'",
    "('127.0.0.1', 51586) >> b'rcpt TO:<triage@clinic.example>'",
    "('127.0.0.1', 38533) sender: pharmacy@clinic.example",
    "send: b'From: billing@clinic.example\\r\\nTo: finance@clinic.example\\r\\n'",
    "b'Subject: Daily batch totals\\r\\n\\r\\nClaims batch 3909 closed: 39 claims.\\r\\n'",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_the_values_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_look_alikes_are_left_alone(line: str) -> None:
    assert scrub_text(line) == line
