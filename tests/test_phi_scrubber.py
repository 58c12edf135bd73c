"""The PHI scrubbing engine on single lines: what it finds, what it keeps (pure logic)."""

from __future__ import annotations

import pytest

from upstream_preflight.phi import scrub_text
from upstream_preflight.phi.keys import Kind, classify
from upstream_preflight.phi.luhn import is_card_number, luhn_valid

FOUND = [
    # (line, planted value that must be gone)
    ("eligibility failed ssn=123-45-6789 payer=aetna", "123-45-6789"),
    ("Duplicate patient with SSN 123 45 6789", "123 45 6789"),
    ("SMS to (415) 555-0142 failed", "(415) 555-0142"),
    ("call +1-415-555-0142 ext. 12", "415-555-0142"),
    ("fax: +44 20 7946 0958", "7946 0958"),
    ("reminder sent to jane.doe@gmail.com", "jane.doe@gmail.com"),
    ('"GET /invite/?email=jane.doe%40gmail.com HTTP/1.1" 302 0', "jane.doe%40gmail.com"),
    ("intake dob=03/15/1980 ok", "03/15/1980"),
    ("born on March 15, 1980 in Ohio", "March 15, 1980"),
    ("admission_date=2024-03-01 discharge_date=2024-03-05", "2024-03-01"),
    ("Patient record updated mrn=00481234", "00481234"),
    ("lookup MRN 00481234 failed", "00481234"),
    ("claim member_id=W123456789 rejected", "W123456789"),
    ("eligibility for MBI 1EG4-TE5-MK73: active", "1EG4-TE5-MK73"),
    ("270 built for 1EG4TE5MK73", "1EG4TE5MK73"),
    ("payment declined for card 4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("charge failed pm=5555555555554444", "5555555555554444"),
    ("refund account_number=000123456789", "000123456789"),
    ("verified drivers_license=D1234567", "D1234567"),
    ("login from 203.0.113.7 ok", "203.0.113.7"),
    ("login client_ip=73.1.2.3", "73.1.2.3"),
    ("peer 2001:db8:85a3::8a2e:370:7334 connected", "2001:db8:85a3::8a2e:370:7334"),
    ('"GET /api/patients/?q=Smith&page=2 HTTP/1.1" 200 12', "Smith"),
    ("patient_name=John Smith mrn=1", "John Smith"),
    ('{"first_name": "Maria", "last_name": "Garcia"}', "Garcia"),
    ("{'ssn': '123-45-6789', 'id': 4}", "123-45-6789"),
    ("<QueryDict: {'first_name': ['Olga'], 'zip': ['62704']}>", "Olga"),
    ("<QueryDict: {'first_name': ['Olga'], 'zip': ['62704']}>", "62704"),
    ("address=12 Main St, Springfield, IL 62704 saved", "12 Main St"),
    ("Mailing statement to 12 Oak Ave, Austin, TX 73301", "73301"),
    ("Voicemail left for Mr. O'Brien", "O'Brien"),
    ("Patient Grace O'Brien checked in", "O'Brien"),
    ("patientFirstName=Wei sent", "Wei"),
    ('"dateOfBirth": "1980-03-15"', "1980-03-15"),
    ("home_phone=415.555.0142", "415.555.0142"),
    # Values whose field is named apart from them: validation errors, database errors, SQL.
    (
        "1 validation error for PatientIn\nssn\n  String should match pattern '^\\d{3}-\\d{2}-"
        "\\d{4}$' [type=string_pattern_mismatch, input_value='123456789', input_type=str]",
        "123456789",
    ),
    (
        "2 validation errors for list[PatientIn]\n0.mrn\n  Input should be a valid integer "
        "[type=int_parsing, input_value='MR0449139', input_type=str]",
        "MR0449139",
    ),
    (
        "[{'type': 'string_too_short', 'loc': ('address', 'zip'), 'msg': 'String should have at "
        "least 5 characters', 'input': '6270'}]",
        "6270",
    ),
    (
        '[{"type":"string_pattern_mismatch","loc":["body","member_id"],"msg":"String should '
        'match pattern","input":"W123456789"}]',
        "W123456789",
    ),
    (
        "invalid insurance.member_id: String should match pattern '^[A-Z]{3}\\d{9}$' "
        "(input='36833232985')",
        "36833232985",
    ),
    (
        '[{"type":"extra_forbidden","loc":["notes"],"msg":"Extra inputs are not permitted",'
        '"input":"Ann Okafor"}]',
        "Okafor",
    ),
    ("(1062, \"Duplicate entry 'MRN-0048123' for key 'patient_mrn_uniq'\")", "MRN-0048123"),
    (
        "(1366, \"Incorrect integer value: 'W1234567' for column `clinic`.`patient`.`member_id` at "
        'row 1")',
        "W1234567",
    ),
    ("SELECT id FROM patient WHERE `patient`.`last_name` = 'Okafor'", "Okafor"),
    ("SELECT id FROM patient WHERE last_name LIKE '%Okafor%'", "Okafor"),
    ("SELECT id FROM patient WHERE ssn IN ('123456789', '987654321')", "987654321"),
    ("SELECT id FROM patient WHERE dob BETWEEN '1960-01-01' AND '1961-01-01'", "1961-01-01"),
    ("INSERT INTO `patient` (`first_name`, `mrn`) VALUES ('Ann', 48123456)", "48123456"),
    ("INSERT INTO patient (first_name, ssn) VALUES ('Ann', '123456789')", "123456789"),
    ("PatientIn(first_name='Ann', dob=datetime.date(1969, 12, 1))", "datetime.date(1969"),
    ("{'ssn_last4': '6789', 'name_on_card': 'ANN OKAFOR'}", "OKAFOR"),
    # A row with PHI found in it is about a person; a template's arguments are read through it.
    ("(0.007) None; args=('Ann', 'Okafor', '1967-09-02', '806871228'); alias=default", "Okafor"),
    ("(0.007) None; args=('Ann', 'Okafor', '1967-09-02', '806871228'); alias=default", "806871228"),
    ('{"message":"patient %s %s has chart %s","params":["Susan","Wright","58896980"]}', "Wright"),
    ('{"message":"patient %s %s has chart %s","params":["Susan","Wright","58896980"]}', "58896980"),
    ("could not save patient 00479137: timeout", "00479137"),
    ("no patient matches 'Okafor'", "Okafor"),
    # URLs: encoded values read decoded, people's path segments.
    ('"GET /api/patients/?name=Mar%C3%ADa+Garc%C3%ADa HTTP/1.1" 200 5', "Garc%C3%ADa"),
    ("GET /api/sms/send?to=%2B1%20%28415%29%20555-0142&template=reminder", "555-0142"),
    ("GET /api/cards/verify?card=4111+1111+1111+1111&v=2", "4111+1111"),
    ('"args":"q=Omar+Kowalski&page=4"', "Kowalski"),
    ("GET /api/patients/E256348125/chart/ HTTP/1.1", "E256348125"),
    ("GET /charts/Sanchez-Jonathan/ HTTP/1.1", "Sanchez"),
    ("GET /api/licences/086%20293%20422/verify HTTP/1.1", "086%20293%20422"),
    ("reminder queued: (415)\\xa0555\\u20110142", "555\\u20110142"),
    ("ValueError: duplicate SSN 828-76-4222 for Okafor.", "Okafor"),
    ("GET /api/sms/send?to=6885188492&template=reminder HTTP/1.1", "6885188492"),
    (
        "(0.016) UPDATE p SET phone = %s WHERE mrn = %s; args=[('(943) 275-3895', 'MR5087000'), "
        "('541.279.1180', 'MRN-6281703')]; alias=default",
        "MRN-6281703",
    ),
    ("x\nids\n  Too long [type=too_long, input_value=['5UF4MJ7AF54', 'MR0405284']]", "MR0405284"),
    (
        "(1366, \"Incorrect integer value: 'MRN-0167593' for column `clinic`.`visit`.`patient_id` "
        'at row 1")',
        "MRN-0167593",
    ),
    ("GET /api/patients/?last_name=O'Brien&first_name=Wei HTTP/1.1", "Brien"),
    # A query inside a query value, encoded once or twice: read with the key rules.
    (
        "GET /accounts/login/?next=%2Fpatients%2Fsearch%2F%3Fdob%3D07%2F16%2F2008%26last_name"
        "%3DCarter HTTP/1.1",
        "Carter",
    ),
    ("GET /accounts/login/?next=%2Fsearch%2F%3Fdob%3D07%2F16%2F2008 HTTP/1.1", "07%2F16%2F2008"),
    ("GET /login/?next=%2Fp%2F%3Flast_name%3DO%2527Brien%26page%3D2 HTTP/1.1", "Brien"),
    (
        '"https://portal.example.org/login/?next=%2Fpatients%2F%3Fmrn%3DMR4840542%26dob%3D1947-'
        '04-15" "curl/8.5.0"',
        "MR4840542",
    ),
    (
        "GET /sso/?return_to=https%3A%2F%2Fportal.example.org%2Fvisits%2F%253Fmrn%253DMR4840542"
        "%2526dob%253D1947-04-15 HTTP/1.1",
        "1947-04-15",
    ),
    ("redirect=%2Fsms%2F%3Fto%3D%2B1%20%28415%29%20555-0142 status=302", "555-0142"),
    ("GET /login/?next=%2Fpatients%2FE1234567%2Fchart%2F%3Ftab%3Dlabs HTTP/1.1", "E1234567"),
]

KEPT = [
    "Task upstream.tasks.send[550e8400-e29b-41d4-a716-446655440000] succeeded in 0.0423s: None",
    "[2024-03-15 10:22:01 +0000] [4821] [INFO] Booting worker with pid: 4821",
    '10.0.1.5 - - [15/Mar/2024:10:22:01 +0000] "GET /api/claims/ HTTP/1.1" 200 1532 "-"',
    "March 15, 2024 - 10:22:01",
    "order_number=4111111111111111 created for clinic_id=3",
    "Order #5555555555554444 shipped via ups",
    "upstream v2.14.3 starting: Django 5.0.3, Python 3.11.7",
    "Listening at: http://0.0.0.0:8000 (4821)",
    "Connected to redis://10.0.3.12:6379/0",
    "celery@worker-1.internal ready.",
    "registered task name=upstream.tasks.export queue name=default",
    '{"name": "upstream.audit", "status": 200, "duration_ms": 42.1, "port": 8000}',
    "cache refreshed at epoch 1710498121 (ms 1710498121123) ttl=60s",
    "message id 171049812112345678 queued",
    "Patient 4821 updated by user 7",
    "report created_at=2024-03-15 period=2024-03-01",
    "Listening at: http://[::1]:8000 (4821)",
    "  Applying appointments.0012_auto_20240315_1022... OK",
    "bind_address=0.0.0.0 task_name=cleanup filename=report.pdf",
    # What a validator says about a field is not the field's value.
    "invalid last_name: String should have at least 3 characters",
    "POST /api/patients/.email value_error: value is not a valid email address: An email "
    "address must have an @-sign.",
    "[{'type': 'enum', 'loc': ('insurance', 'plan'), 'msg': \"Input should be 'HMO' or 'PPO'\", "
    "'input': 'Medicare Advantage'}]",
    # Machines of the deployment under address keys; days no calendar has; order numbers.
    '{"remote_addr":"192.168.46.77","x_forwarded_for":"10.1.2.3, 172.16.0.4"}',
    "(1292, \"Incorrect date value: '1975-02-30' for column 'day' at row 1\")",
    "(1062, \"Duplicate entry 'ORD-2024-00017' for key 'orders.order_number'\")",
    "(0.022) None; args=('SO9631754', 'INV-2024-559803', Decimal('10.00'), '2024-05-01 "
    "00:00:00'); alias=default",
    '{"message":"order %s shipped in %s days","params":["ORD-2024-1","3"]}',
    '"query":"\'order=ORD-2024-79462&invoice=INV-2024-652343\'"',
    # Database ids, UUIDs and events' days in URLs.
    "GET /api/patients/4821/visits/ HTTP/1.1",
    "GET /patients/550e8400-e29b-41d4-a716-446655440000/ HTTP/1.1",
    "GET /accounts/login/?next=%2Fevents%2F%3Fdate%3D2024-06-24 HTTP/1.1",
    "GET /api/reports/?start=2024-05-01&tag=flu%20clinic HTTP/1.1",
    "GET /login/?next=%2Fevents%2F%3Fdate%3D2024-10-15%26tag%3Dflu-clinic HTTP/1.1",
    "GET /sso/?redirect=%2Forders%2F%253Forder%253D12345678%2526v%253D2.4.1 HTTP/1.1",
    "redirect=%2Fclaims%2F%3Fstatus%3Ddenied%26page%3D2%26port%3D8000 took=0.042s",
    "GET /x/?state=abc%3Ddef%26ghi&next=%3F HTTP/1.1",
    # A day no calendar has, even under a date key; one or two letters under a name key.
    "(1292, \"Incorrect date value: '1969-02-30' for column `clinic`.`patient`.`dob` at row 1\")",
    "search rejected: last_name: String should have at least 3 characters (input='Wi')",
]


@pytest.mark.parametrize(("line", "value"), FOUND)
def test_planted_value_is_removed(line: str, value: str) -> None:
    assert value not in scrub_text(line)


@pytest.mark.parametrize("line", KEPT)
def test_benign_line_is_unchanged(line: str) -> None:
    assert scrub_text(line) == line


def test_labels_survive_and_tags_name_the_kind() -> None:
    assert scrub_text("ssn=123-45-6789 dob=1980-03-15") == "ssn=[SSN] dob=[DATE]"
    assert scrub_text('{"email": "a.b@example.org"}') == '{"email": "[EMAIL]"}'


def test_a_nested_query_keeps_its_path_and_keys() -> None:
    line = (
        '"GET /accounts/login/?next=%2Fpatients%2Fsearch%2F%3Fdob%3D07%2F16%2F2008%26last_name'
        '%3DCarter%26page%3D2 HTTP/1.1" 200 1623'
    )
    assert scrub_text(line) == (
        '"GET /accounts/login/?next=%2Fpatients%2Fsearch%2F%3Fdob%3D[DATE]%26last_name'
        '%3D[NAME]%26page%3D2 HTTP/1.1" 200 1623'
    )


def test_scrubbing_is_idempotent() -> None:
    once = scrub_text("patient_name=John Smith ssn=123-45-6789 phone=(415) 555-0142")
    assert scrub_text(once) == once


def test_text_without_phi_is_returned_as_is() -> None:
    line = "nothing to see here: status=200"
    assert scrub_text(line) is line


def test_null_values_under_labels_are_left_alone() -> None:
    assert scrub_text('{"ssn": null, "dob": ""}') == '{"ssn": null, "dob": ""}'


def test_key_classification_respects_owner_prefixes() -> None:
    assert classify("patient_first_name") == (Kind.ALWAYS, "NAME")
    assert classify("billingAddress") == (Kind.ALWAYS, "ADDRESS")
    assert classify("bind_address") is None
    assert classify("task_name") is None
    assert classify("name") == (Kind.PERSON, "NAME")


def test_luhn_and_card_prefixes() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert is_card_number("378282246310005")
    assert not is_card_number("1710498121123")  # epoch milliseconds that happen to pass Luhn?
    assert not is_card_number("79927398713")  # Luhn-valid, but no card network


@pytest.mark.parametrize(
    "text", ["", "\x00\x01", "é" * 500, "=" * 1000, ":" * 1000, "@" * 300, "0" * 5000]
)
def test_odd_input_never_raises(text: str) -> None:
    assert isinstance(scrub_text(text), str)
