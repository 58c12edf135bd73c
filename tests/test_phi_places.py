"""Streets as the world writes them, names in scripts beyond Latin-1, a chart's `Pt`, an identifier
that ends a message after `for`, and the arguments of a call about a person; each beside the
look-alikes that must stay (pure logic: each case is a line as an emitter writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    # American streets end with any suffix of USPS Publication 28
    (
        "address 972 Brian Ranch Suite 291, Frenchton 18908 verified",
        ["Brian Ranch", "Frenchton", "18908"],
        "verified",
    ),
    ("street '67470 Mccullough Trafficway Apt. 319' is too long", ["Mccullough"], "too long"),
    ("moved to 20502 Woods Tunnel", ["Woods Tunnel"], "moved to"),
    # a suffix that is also a word of software, before a unit or a city with its ZIP code
    ("street 7465 Hidir Port Suite 499", ["Hidir", "499"], "street"),
    ("at 12 Maple View, Springfield 62704 today", ["Maple", "Springfield", "62704"], "today"),
    # the number after the street, or before it with a comma; a city of several words
    (
        "address Strada Priscilla, 189, Mareson 77457 verified",
        ["Priscilla", "189", "Mareson", "77457"],
        "verified",
    ),
    ("Morvan: 747, rue Fleury, Grondin-les-Bains 18027", ["Fleury", "Grondin"], "Morvan: "),
    ("address Scholzplatz 3046, Recklinghausen 21863 ok", ["Scholzplatz", "21863"], "ok"),
    ("ulica Kusocińskiego 44, Tarnobrzeg 99725-1234 ok", ["Tarnobrzeg", "99725"], "ok"),
    # names written with letters of Latin Extended-B and Latin Extended Additional
    ("Created Trần, John (0006786479)", ["Trần", "John", "0006786479"], "Created "),
    # a quote may open `Last, First (identifier)`
    (
        "LogEntry(object_repr='Nguyen, Maria (E1234567)', action=1)",
        ["Nguyen", "Maria", "E1234567"],
        "action=1",
    ),
    # `Pt` as a chart writes "patient"
    ("note 'Pt Dunn asked to be called after 5pm'", ["Dunn"], "asked to be called"),
    ("Pt. Ann Lee seen in clinic", ["Ann", "Lee"], "seen in clinic"),
    # an identifier ending a message after `for`
    ("FHIR search failed for P4251939", ["P4251939"], "FHIR search failed for "),
    ("eligibility check failed for 93809188115: timeout", ["93809188115"], ": timeout"),
    # the positional arguments of a call that names a person's data
    (
        "records: jobs.update_address('Jennings', '09524 Elizabeth Mill', 'Alisonchester', "
        "'75341') (396c3f44)",
        ["Jennings", "Elizabeth Mill", "Alisonchester", "75341"],
        "jobs.update_address(",
    ),
    (
        "send_reminder('Ante Mentzel', '489/235-8709', channel='sms')",
        ["Ante Mentzel", "489/235-8709"],
        "channel='sms'",
    ),
    # learnt from the eighth corpus (after its measurement): iCalendar's common name, a header of
    # one's own that names its owner, `Last\, First (MRN ...)`, a name after `of` or `from`, an
    # identifier after `of`, a name before `born`, a city with its state's code and no comma
    (
        'ATTENDEE;CN="Elvin Padmasari";PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:e.p@example.org',
        ["Elvin", "Padmasari"],
        ";PARTSTAT=ACCEPTED",
    ),
    ("params {'CN': 'Eden Remy', 'ROLE': 'REQ-PARTICIPANT'}", ["Eden", "Remy"], "ROLE"),
    ("ics invite | X-CLINIC-MRN:CHART2041883", ["2041883"], "X-CLINIC-MRN:"),
    ('variables={"member": "PLN20418.8371"}', ["20418"], "member"),
    ("SUMMARY:Follow-up - Vaz\\, Rodrigo (MRN N2041-8837)", ["Vaz", "Rodrigo", "2041"], "SUMMARY"),
    ("not allowed to read the SSN of Ana Maldonado", ["Ana", "Maldonado"], "read the SSN of "),
    ("reply comment from Alojz Uramová: cannot make it", ["Alojz", "Uramová"], "cannot make it"),
    ("address of N2041-8837 rejected", ["2041"], "rejected"),
    ("eligibility lookup for PLN20418.8371 failed", ["20418"], "failed"),
    ("search Rangel born 1961-01-02: 1 match", ["Rangel", "1961"], "search "),
    ("Home visit: 9 Main Road, Dúbrava TN 30112; notes", ["Dúbrava", "30112"], "; notes"),
    (
        "[parameters: ('T00028', 'Rama', 'Hutasoit', '1962-02-27', None, '+1 851 829-1514', "
        "'Jl. Cikutra Timur No. 931', 'Tangerang', 'ME', '057')]",
        ["Hutasoit", "Cikutra", "Tangerang"],
        "None",
    ),
    # a name or a place a schema validator quotes
    ("'Ruda Śląska' does not match '^[A-Za-z .-]+$'", ["Ruda", "Śląska"], "does not match"),
    ("intake: 'Höfig' is too long", ["Höfig"], "is too long"),
    # ... or a parser could not read where a date was asked for
    ("ParserError: Unknown string format: Eva Ville", ["Eva", "Ville"], "Unknown string format: "),
    ("time data 'Lee' does not match format '%Y-%m-%d'", ["Lee"], "does not match format"),
    (
        "Row (22, 'Antonio', 'Roa', datetime.date(1969, 9, 27), '123-45-6789', 'Venecia')",
        ["Antonio", "Roa", "1969", "Venecia"],
        "Row (22, ",
    ),
]

BENIGN = [
    "started 3 Worker Threads Run",
    "port 8000 Admin View loaded",
    "batch 7, Size 10000 rows",
    "Pt Portal login ok",
    "waiting for 100000 rows",
    "paid for ORD-2026-269041.",
    "cache warmed for 20261203",
    "bind_address('0.0.0.0')",
    "update_patient_status('active')",
    "export_record('labs', ['psych'])",
    "listening on 0.0.0.0:8000, Workers 12000",
    # learnt from the eighth corpus: UIDs and Message-IDs are no one's address, GraphQL variables
    # and bound SQL placeholders hold no value, certificates' common names are hosts
    "UID:11aef783-7f20-40ce-a36f-6f99cb110b74@northgate-clinic.example",
    "VEVENT({'UID': vText(b'd49d2b8e-daf0-4667-a229-3463a6fc134d@clinic.example')})",
    "PO-2025-62834 confirmation done: '<2f38950358a39b28@mail.clinic.example>'",
    "  searchPatients(lastName: $last, dob: $dob) { mrn firstName phone }",
    "[SQL: SELECT id FROM coverages WHERE member_id = ? AND mbi = ?]",
    "WHERE ssn = %s",
    "subject=CN=api.example.com,O=Acme",
    "X-Request-Id: 12345678",
    "member=staff",
    "list of Active Users refreshed",
    "message from Celery Beat",
    "request from Load Balancer",
    "Build OK 12345 passed",
    "copy of v2.10.1",
    "for INV-20250012 x",
    "[cached since 2.476s ago] ('SKU-64070', 'ECG electrodes', '3M', 534, 1.97)",
    "ValidationError: 'PO27689' does not match '^ORD-\\\\d{4}-\\\\d{6}$'",
    "'Nightly Build' is too long",
    "Unknown string format: tomorrow",
    "Unknown string format: ORD-2026-1",
    "time data '07.11.2025' does not match format '%m/%d/%Y'",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_the_values_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_look_alikes_are_left_alone(line: str) -> None:
    assert scrub_text(line) == line
