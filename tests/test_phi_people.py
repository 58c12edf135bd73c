"""Names found beside the identifiers they own, and the key shapes of FHIR and of JSON inside
JSON (pure logic: each case is a line as its emitter writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    # a display name before an address in angle brackets (`str()` of a model, e-mail headers)
    ("created contact María Wójcik <mwjcik@outlook.com>", ["María", "Wójcik"], "created contact"),
    ("rejected <Contact: Jackson <kjackson@gmail.com>>: bad", ["Jackson"], "<Contact: "),
    ("To: Maria Garcia <maria.garcia@example.com>", ["Maria", "Garcia"], "To: "),
    # `Last, First` before a labelled identifier, also in capitals and with an apostrophe
    ("saved KIM, Zoë (MRN MR6080910)", ["KIM", "Zoë", "MR6080910"], "saved "),
    ("created patient O'BRIEN, Jerry (MRN E796990833)", ["O'BRIEN", "Jerry"], "created patient"),
    ("Changed “VANDERBERG, Lisa (MRN 00012269)” — Changed Phone.", ["VANDERBERG", "Lisa"], "—"),
    ("invalid patient SINGH,  (MRN 00700435): blank", ["SINGH", "00700435"], "invalid patient"),
    ("Patient Ann Lee (ssn 123-45-6789) saved", ["Ann", "Lee"], "Patient "),
    # a file name made of a name and a date, as it is and percent-encoded in a path
    ("The joined path (/srv/Adams, Emma 2013-11-06.pdf) is outside", ["Adams", "Emma"], "/srv/"),
    ('"GET /records/../Carter%2C%20Pamela%201999-04-27.pdf HTTP/1.1" 400', ["Carter"], "/records"),
    # a label whose value is not in the line, then whose it is
    ("Could not parse date of birth for Moore", ["Moore"], "date of birth for"),
    # FHIR: HumanName keys, `Parameters` name/value pairs, an SSN identifier's system
    ('{"name": {"given": "Fran\\u00e7ois", "family": "Smith-Jones"}}', ["Fran", "Smith"], "given"),
    ("GET /fhir/Patient?family=Robinson&given=Frank HTTP/1.1", ["Robinson", "Frank"], "family="),
    ('[{"name": "family", "valueString": "Fischer"}]', ["Fischer"], '"name": "family"'),
    (
        "GET /fhir/Patient?identifier=urn%3Aoid%3A2.16.840.1.113883.4.1%7C451412014",
        ["451412014"],
        "oid",
    ),
    ("identifier=http://hl7.org/fhir/sid/us-ssn|180159922", ["180159922"], "us-ssn|"),
    # JSON written inside a JSON string
    (
        '{"text": "{\\"member_id\\": \\"W213024332\\", \\"dob\\": \\"1964-08-26\\"}"}',
        ["W213024332", "1964"],
        "member_id",
    ),
    # a search term in quotes outside a URL; one word under a patient key in a query
    ("patient search q='Søren Ramirez' took 3 ms", ["Søren", "Ramirez"], "took 3 ms"),
    ("GET /visits/?patient=Kaur&dob=1935-01-01", ["Kaur"], "/visits/?patient="),
    # the given name after `/by-name/<family>/`
    ("Not Found: /patients/by-name/Roberts/Larry/", ["Roberts", "Larry"], "/by-name/"),
    # a row: CSV fields, quoted items of a list before an identifier
    ("row 3: 17,Ann,Lee,1961-01-02,123-45-6789", ["Ann", "Lee"], "row 3: 17,"),
    ("values ['Ann', 'Lee', '1961-01-02']", ["Ann", "Lee"], "values ["),
    ("17,1961-01-02,Ann,Lee,F", ["Ann", "Lee"], ",F"),
    ('id,first,last,dob\r\n17,Ann,"Lee",1961-01-02\r\n', ["Ann", "Lee"], "id,first,last,dob"),
    ("Cardiology,Ann Lee,555-201-0142,x", ["Ann Lee"], ",x"),
    # greetings
    ("Hello Maria Garcia, your appointment is confirmed", ["Maria", "Garcia"], "your appointment"),
    ("Hi Maria,", ["Maria"], "Hi "),
    # the closing parenthesis after a labelled number is not part of it
    ("saved DVOŘÁK, Björn (MRN 477-379-635)", ["DVOŘÁK", "477-379-635"], "(MRN [MRN])"),
    (
        "created address 58193 Lake Lane, Worcester, MA 33742",
        ["58193", "Lake Lane"],
        "created address",
    ),
    # a record that is only a name: a letter's or a card's line, one line to a record
    ("Safari Magombo", ["Safari", "Magombo"], ""),
    ("  Jessica DeLuca,", ["Jessica", "DeLuca"], "  "),
    ("Mary Ann Kaur", ["Mary", "Ann", "Kaur"], ""),
    # a patient's id that is a record number, not a row's integer
    ("attributes={'patient_id': 'HN860382', 'op': 'chart.view'}", ["HN860382"], "chart.view"),
    ('{"chartId": "MR-0042-17", "status": "open"}', ["MR-0042-17"], '"status": "open"'),
    # a name before an address in parentheses; `Last, First` ending a line after any `: `
    ("signed in Sanaan Aboo El-Saood (sanaan@example.com), born", ["Sanaan", "El-Saood"], "born"),
    ("userinfo for pt-2e16f184d6c0: Namtwat, Monrat", ["Namtwat", "Monrat"], "userinfo for"),
    # a name before its identifier in parentheses, and an identifier before its name
    ("checked in Thitiyapra Thanatkanyon (H90Y67039)", ["Thitiyapra", "H90Y67039"], "checked in"),
    (
        "statement RM615/72415 (Manas Aboo Qamar): File has not been decrypted",
        ["RM615/72415", "Manas", "Qamar"],
        "File has not",
    ),
    # thanks to someone; a name of three words before what they did
    ('{"from": "front desk", "text": "Thanks, Rafah!"}', ["Rafah"], "Thanks, "),
    (
        "access_denied: Hala Aboo Shalabak declined to share records",
        ["Hala", "Shalabak"],
        "declined",
    ),
    # a name key's value in a query, encoded with no digit, before `: `; SQL's ILIKE
    ("refused for /ws?kiosk=lobby-3&name=Rafah%20El-Adagham: server rejected", ["Rafah"], "kiosk"),
    ("SELECT * FROM patients WHERE last_name ILIKE 'El-Namari%' LIMIT 25", ["El-Namari"], "LIMIT"),
    # a PDF form's fields by their `/T` name, a PDF's author, subject and title
    (
        "field signer: {'/T': 'signer', '/FT': '/Tx', '/V': 'Kawang Thonparathip'}",
        ["Kawang"],
        "/FT",
    ),
    ("field mrn: {'/T': 'mrn', '/FT': '/Tx', '/V': 'CJ/439863'}", ["CJ/439863"], "'/V'"),
    (
        "metadata: {'/Title': 'Consent GN/751856', '/Author': 'Raamah Maramash', '/Subject': "
        "'Laqaa Bakar'}",
        ["GN/751856", "Raamah", "Laqaa"],
        "'/Title': 'Consent ",
    ),
    # identifiers after `for` of digits, a dot and a capital, or of three colon groups
    ("consent form for 8604.C9915 unreadable", ["8604.C9915"], "unreadable"),
    ("intake packet for 516:4218:2 unreadable", ["516:4218:2"], "unreadable"),
    # a name in parentheses after an address; a Markdown table's row with PHI in it
    ("ann.lee@example.com (Ann Lee) requested a callback", ["Ann", "Lee"], "requested"),
    ("| Ann Lee | 1961-01-02 | HN860382 |", ["Ann", "HN860382"], "| "),
    # FHIR's display of a reference; `Last, First` before a quote or an element's end tag
    ('      "display": "Taro Ishii"', ["Taro", "Ishii"], '"display": '),
    ("<faultstring>Member not found for Harichandan, Swarup</faultstring>", ["Swarup"], "for "),
    # DCMTK's and pynetdicom's dump of an element
    ("(0010,0010) PN [Selimović^Adnan*]                       # 1 PatientName", ["Adnan"], "PN ["),
    (
        "(0010,0030) DA [19391004]                               # 1 PatientBirthDate",
        ["19391004"],
        "# 1 PatientBirthDate",
    ),
    # a name before what they did in a quoted message, before a phone after `at`, before an
    # address after a comma; an identifier with a colon in parentheses
    ("json_body: {'text': 'Manwel Baldacchino checked in, insurance'}", ["Manwel"], "checked in"),
    ("'text': 'Page the on-call: Suela Basha at +356 2129 8822'", ["Suela", "Basha"], "on-call"),
    ('{"text": "New portal sign-up: Maronna Sciberras, maronna@example.com"}', ["Maronna"], "sign"),
    ("Read pending: Elona Toska (WN:3966370)", ["Elona", "WN:3966370"], "Read pending: "),
    # a Markdown label's value (Slack's mrkdwn)
    ("{'type': 'mrkdwn', 'text': '*MRN:* 135.517.78'}", ["135.517.78"], "*MRN:*"),
    ('{"type": "mrkdwn", "text": "*Patient:* Haris Hodžić"}', ["Haris"], "*Patient:*"),
    # a search index's documents of people, by their path and their `_id`
    (
        "PUT http://127.0.0.1:9200/patients/_doc/MR-94-01322-T?refresh=true",
        ["MR-94-01322-T"],
        "_doc",
    ),
    ('{"index":{"_index":"patients","_id":"5890V515","_version":1}}', ["5890V515"], "_version"),
    ('> {"index":{"_id":"272.299.93","_index":"patients"}}', ["272.299.93"], "_index"),
    (
        "{'multi_match': {'query': 'Jesús Figuera', 'fields': ['first_name', 'last_name']}}",
        ["Figuera"],
        "multi_match",
    ),
    # what a validator got at a key's path (voluptuous's `humanize_error`)
    (
        "expected str for dictionary value @ data['patient']['phone']. Got '4155550142'",
        ["4155550142"],
        "Got '",
    ),
    # identifiers after `for`: capitals and a colon; three dotted groups of digits
    ("intake rejected for TC:1438922: bad phone", ["TC:1438922"], "bad phone"),
    ("critical lab alert for 361.760.52 ok", ["361.760.52"], " ok"),
    # a phone after `Call` or `call back`, and after `at` in a line about calls
    ("Critical potassium, DOB 1961-01-02. Call 2762 9112", ["2762 9112"], "Call "),
    ("'*Callback:* 039 268 842'", ["039 268 842"], "Callback"),
    ("Call back Yuleisy at 0424-4379095", ["0424-4379095"], "Call back"),
    # an insurance member key; identifiers with letters between digit groups, or capitals, a
    # dash and a letter last
    ("extra keys not allowed @ data['insurance_member']. Got 'M695845/86'", ["M695845/86"], "Got"),
    ("eligibility rejected for 280-XF-891129: bad", ["891129"], "bad"),
    ("bulk load of MR-71-62058-R: 1 indexed", ["62058"], "1 indexed"),
    # a name before its verb deep in a JSON record; DICOM's PatientID keyword; a record's number
    # of three digits twice in parentheses (not a version)
    (
        '{"ts": "1", "a": "b", "c": "d", "e": "f", "g": "h", "i": "j", "k": "l", "text": '
        '"Luc Wolff checked in"}',
        ["Luc", "Wolff"],
        "checked in",
    ),
    ("store refused: PatientID 3520M730 does not match", ["3520M730"], "PatientID "),
    ("Read pending: Nicole Muller (896.063.76)", ["Nicole", "896.063.76"], "Read pending"),
    ("display name Shah, Ranjana", ["Shah", "Ranjana"], "display name "),
    # a node of a filter ldap3 logs parsed
    ("QUERY  : 'sn:=Aoyal' [AND]", ["Aoyal"], "QUERY"),
    # a name's list in JSON inside a JSON string
    ('{"x": "{\\"family\\": \\"Ito\\", \\"given\\": [\\"Sayuri\\"]}"}', ["Sayuri"], "given"),
    # a JSON object in a query value (SMART's launch context)
    ("GET /authorize?launch=%7B%22mrn%22%3A+%22UK%2F836659%22%7D&x=1", ["836659"], "&x=1"),
]

BENIGN = [
    # a name alone is two or three capitalised words, not a status's phrase nor a greeting
    "Unprocessable Entity",
    "Shutting Down",
    "Best Regards",
    "Patient Portal",
    "Active Users",
    "Celery Beat Scheduler",
    # a patient's id that is a row's integer, a UUID or a hash
    "attributes={'patient_id': '734', 'op': 'chart.view'}",
    "patient_id=42 status=ok",
    '{"patient_id": "3f2a9c1e-4b7d-4e8a-9c2f-1a2b3c4d5e6f"}',
    '{"patientId": "a3f9e2c1b4d5"}',
    # a clinician's name with a credential, a clinic's title and a supplier's, an IP under an
    # address key (the IP rule judges it), times after `for`
    "author='Imogen Vasquez, MD' signer='Ruth Okonkwo, RN'",
    "metadata: {'/Title': 'Invoice PO-2026-80734', '/Author': 'Medline AR'}",
    '        "client.address": "10.40.0.2"',
    "first line: Lakeview Family Medicine",
    '"display": "Lisinopril 10 MG Oral Tablet"',
    '"display": "Eastside Women"',
    '"display": "Pinecrest Benefit Plans"',
    "reminder for 10:30:00 sent",
    "GET http://127.0.0.1:9200/inventory/_doc/SKU-20931 [status:200]",
    '{"index":{"_index":"stock","_id":"A12345"}}',
    '{"query": "timeout", "fields": ["message", "logger"]}',
    "expected int for dictionary value @ data['retries']. Got '3x'",
    "backup for 2026.05.13 done, restored 10.0.0.12 for 127.0.0.1",
    "call scheduled at 2026-05-13 10:00, call at 12/05/2024",
    "call the front desk at 800-555-0199",
    "Invoice for ORD-2026-269041 sent",
    "recipients {'orders@medsupply.example': AnymailRecipientStatus('<202605041446.12072367113"
    "@smtp-relay.mailin.fr>', 'queued')}",
    "Patient ID: 'QA-CT-NORTH-01' | Modality: 'CT'",
    "upgraded Orthanc (1.12.40123) and Chrome (138.0.7204)",
    "x = 'cn:=admin'",
    'x "name": "DEBUG", "no": 10',
    "socket family=AF_INET",
    '{"family": "IPv4"}',
    "GET /x?name=Cardiology&x=1",
    "hi there",
    "Hi, this is the scheduler",
    "order created 4111 1111 1111 1111",
    "Order ORD-2025-46431 shipped on 2024-11-30 (31 items)",
    "Invoice INV-234851 overdue since 2024-03-22",
    "ERROR DEBUG (MRN lookup disabled)",
    "Release Notes 2024-05-01.pdf uploaded",
    "Message-ID: <176512345678.12345.9876543210987654321@clinic.example.com>",
    "From: Clinic <noreply@clinic.example>",
    "Message-ID: <3f9a1c0e7b2d4a55.48213@mail.clinic.example>",
    "In-Reply-To: <a81c.77@mail.clinic.example>",
    "Subject: =?utf-8?q?Caf=C3=A9_menu?=",
    "Subject: =?bogus?q?x?=",
    "RuntimeError('no chart for MRN lookup')",
    "<Name: Cardiology>",
    "contact=email",
    "a, b, c, 2024-01-01",
    '127.0.0.1:54321 - "GET /api/chart HTTP/1.1" 404',
    "[('status', 'ok'), ('count', '3')]",
    "Alpha,Beta,Gamma,Delta",
    "Subject: =?utf-8?b?!!!?=",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_values_beside_their_identifiers_are_hidden(
    line: str, values: list[str], kept: str
) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_look_alikes_are_kept(line: str) -> None:
    assert scrub_text(line) == line
