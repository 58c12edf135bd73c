"""The shapes the harvested corpus brought in: SQL debug lines and PostgreSQL details read by
column, names with accents or in capitals, recent dates, field-error lists (pure logic)."""

from __future__ import annotations

import pytest

from upstream_preflight.phi import scrub_text

INSERT = (
    '(0.001) INSERT INTO "clinic_patient" ("first_name", "last_name", "dob", "mrn", "name") '
    "VALUES ('Zoë', 'O''Brien', '1950-01-02'::date, 'E123456789', 'flu-clinic'), "
    "('Ann', 'Lee', '1960-03-04'::date, '00123456', 'Ann Lee') "
    'RETURNING "clinic_patient"."id"; args=(\'Zoë\', "O\'Brien", datetime.date(1950, 1, 2), '
    "'E123456789', 'flu-clinic', 'Ann', 'Lee', datetime.date(1960, 3, 4), '00123456', "
    "'Ann Lee'); alias=default"
)

FOUND = [
    (INSERT, ["Zoë", "O''Brien", "O'Brien", "1950-01-02", "datetime.date(1950, 1, 2)",
              "E123456789", "00123456", "'Ann Lee'", "datetime.date(1960, 3, 4)"]),
    (
        '(0.002) SELECT "p"."id" FROM "p" WHERE ("p"."dob" = \'1950-01-02\'::date AND '
        'UPPER("p"."last_name"::text) = UPPER(\'Núñez\')) LIMIT 5; '
        "args=(datetime.date(1950, 1, 2), 'Núñez'); alias=default",
        ["1950-01-02", "Núñez", "datetime.date(1950, 1, 2)"],
    ),
    ("DETAIL:  Key (mrn)=(994-078-354) already exists.", ["994-078-354"]),
    ("DETAIL:  Key (ssn)=(225418975) already exists.", ["225418975"]),
    (
        "DETAIL:  Failing row contains (420, Scott, Kim, 1960-01-01, null, 44089, H317-01).",
        ["Scott", "Kim", "1960-01-01", "44089", "H317-01"],
    ),
    ("Unhandled LookupError: Patient GARCÍA, MARÍA not found", ["GARCÍA", "MARÍA"]),
    ("Could not reach MRS. ANA PEÑA at +15365737149", ["PEÑA", "+15365737149"]),
    ('{"patient": "Zo\\u00eb W\\u00f3jcik", "dob": "1969-12-01"}', ["W\\u00f3jcik"]),
    ("statement for Anthony McDonald mailed", ["McDonald"]),
    ("sms queued for 2987999230 at 2025-05-25 09:30", ["2987999230"]),
    ("Dear Matthew, your appointment is confirmed.", ["Matthew"]),
    ("Nelson\u00a0\u2013\u00a0DOB 03/04/1965: chart locked", ["Nelson", "03/04/1965"]),
    ("call (415)\u00a0555\u20110142 now", ["555\u20110142"]),
    ("no coverage for account 52185541", ["52185541"]),
    ("invalid licence S095-608-90-616-0 for state NM", ["S095-608-90-616-0"]),
    ('"GET /api/patients/by-mrn/00418890/ HTTP/1.1" 200 12', ["00418890"]),
    ("intake dob=2021-06-01 ok", ["2021-06-01"]),
    ("duplicate patient born 1969-12-01", ["1969-12-01"]),
]  # fmt: skip

KEPT = [
    "cache key events:2024-05-01:list expired after 30s",
    "GET /api/events/?start=2024-11-05&end=2024-12-05 HTTP/1.1",
    'intake form invalid: {"first_name": [{"message": "This field is required.", "code": '
    '"required"}], "dob": [{"message": "Enter a valid date.", "code": "invalid"}]}',
    "POST /api/patients/ rejected: {'email': [ErrorDetail(string='Enter a valid email "
    "address.', code='invalid')]}",
    'validation errors={"phone": ["n/a is not a valid phone number"], "dob": ["Date has wrong '
    'format. Use one of these formats instead: YYYY-MM-DD."]}',
    "DETAIL:  Failing row contains (486, null, 2025-05-04, events:2025-05-04:list, 90, 200).",
    "DETAIL:  Key (number)=(ORD-2024-00123) already exists.",
    'DETAIL:  Key (patient_id)=(100123) is not present in table "clinic_patient".',
    '(0.001) INSERT INTO "clinic_event" ("name", "day") VALUES (\'flu-clinic\', '
    "'2024-01-02'::date) RETURNING \"clinic_event\".\"id\"; args=('flu-clinic', "
    "datetime.date(2024, 1, 2)); alias=default",
    "order for 2024051234 shipped",
    "sent at 1700000000",
    "Report for May 2025 is not ready yet",
]


@pytest.mark.parametrize(("line", "values"), FOUND)
def test_planted_values_are_removed(line: str, values: list[str]) -> None:
    out = scrub_text(line)
    for value in values:
        assert value not in out, (value, out)


@pytest.mark.parametrize("line", KEPT)
def test_benign_line_is_unchanged(line: str) -> None:
    assert scrub_text(line) == line


def test_sql_keeps_its_statement_and_hides_only_values() -> None:
    out = scrub_text(INSERT)
    assert out.startswith('(0.001) INSERT INTO "clinic_patient" ("first_name", "last_name"')
    assert "'flu-clinic'" in out and out.endswith("; alias=default")
