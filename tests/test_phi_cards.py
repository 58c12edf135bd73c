"""vCards, DynamoDB items, object-store metadata and file names, JWT subjects, appointments'
titles, welcomes, names that open a line before what their owner did, surnames' particles and
the letters Azerbaijani, Twi, Hausa and Uzbek names are written with; each beside the
look-alikes that must stay (pure logic: each case is a line as an emitter writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    # vCard properties, by what RFC 6350 says each holds
    ("emergency contact: N:Danjuma;Jamila;;;", ["Danjuma", "Jamila"], "emergency contact: N:"),
    ("export UH32871V43: FN:G\u00fclay Na\u011f\u0131o\u011flu", ["G\u00fclay"], "FN:"),
    ("BDAY:19691112", ["19691112"], "BDAY:"),
    (
        "ADR;TYPE=HOME:;;060 John Summit;Lopesport;IA;30423;USA",
        ["John Summit", "Lopesport", "30423"],
        ";IA;",
    ),
    (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ann;;;\r\nFN:Ann Lee\r\nEND:VCARD",
        ["Lee", "Ann"],
        "\r\nEND:VCARD",
    ),
    ("'BEGIN:VCARD\\r\\nN:Lee;Ann;;;\\r\\nEND:VCARD'", ["Lee", "Ann"], "\\r\\nEND"),
    ("parsed components: <N{} Ruqayya  Shehu >", ["Ruqayya", "Shehu"], "parsed components"),
    ("home address: <ADR{'TYPE': ['HOME']}5034 Main Road>", ["5034 Main Road"], "TYPE"),
    ("imported card: fn=Habibu Buhari tel=+234 803 555 0199", ["Habibu", "0199"], "card"),
    # DynamoDB's attribute values, their type named first
    (
        "{'name': {'S': 'Jitrin Prachayaroch'}, 'city': {'S': 'North Johnhaven'}}",
        ["Jitrin", "Johnhaven"],
        "'S'",
    ),
    ('"Key": {"mrn": {"S": "14F-89309-9"}}', ["14F-89309-9"], '"mrn"'),
    # an object store's metadata headers, and bytes in a `repr`
    ("x-amz-meta-patient:Phenphitcha Pitanuwat", ["Phenphitcha"], "x-amz-meta-patient:"),
    (
        "{'x-amz-meta-patient': b'Uche Anyanwu', 'x-amz-meta-dob': b'1962-03-13'}",
        ["Uche", "Anyanwu", "1962-03-13"],
        "x-amz-meta-dob': b'",
    ),
    # the AWS SDK's refusal of a parameter
    (
        "Invalid type for parameter Item.zip, value: 49305, type: <class 'int'>",
        ["49305"],
        "type: <class 'int'>",
    ),
    # OpenID Connect's address claim, a token's subject
    ("{'street_address': '12 Main St', 'locality': 'Chibuzoton'}", ["Chibuzoton"], "locality"),
    ("{'iss': 'https://portal.example', 'sub': 'CH9.999094', 'aud': 'app'}", ["999094"], "aud"),
    # a scan or a document stored under the person's number or name
    ("/clinic-documents/ids/FL/J-078-764-639-796.png", ["078-764"], "/ids/FL/"),
    ("'Key': 'ids/AZ/L 760 574 850 261.png'", ["760 574"], "'Key': 'ids/AZ/"),
    ("url=http://127.0.0.1/docs/ids/GA/N%20997%20936%20270%20900.png", ["997"], "/ids/GA/"),
    ("/insurance-cards/H066424-BM.jpg", ["H066424"], "/insurance-cards/"),
    (
        "stored as s3://docs/consents/CH5.875940/Juma-19520320.pdf",
        ["Juma", "19520320"],
        ".pdf",
    ),
    # names written with IPA letters (Azerbaijani's schwa) and a quote that opens them
    ("{'email': 'h@example.com', 'name': 'Hilal Cəfərzadə'}", ["Cəfərzadə"], "'name'"),
    ("Dear Mənsur Nəzirova,", ["Mənsur", "Nəzirova"], "Dear"),
    (
        "'Message': 'Ismail Sa\u2019idu (MRN 1234567) checked in'",
        ["Ismail", "Sa\u2019idu", "1234567"],
        "checked in",
    ),
    # a welcome to someone
    ("<p>Welcome Xolid Yunusov!</p>", ["Xolid", "Yunusov"], "<p>Welcome "),
    ("Welcome back, Ann Lee", ["Ann Lee"], "Welcome back"),
    # someone named at a line's start, then what they did; a surname's particles; `Last, First`
    ("Karanja Mutuku was asked to sign in again", ["Karanja", "Mutuku"], "was asked"),
    ("INFO portal: Ann Lee checked in", ["Ann Lee"], "INFO portal: "),
    ("fax for Marc \u00d3 Dubhl\u00e1in timed out", ["Marc", "Dubhl"], "timed out"),
    ("Telehealth visit for Marguerite de B\u00farc", ["Marguerite", "B\u00farc"], "visit for"),
    ("duplicate charts for Roberts, Ashley: get() returned 2", ["Roberts", "Ashley"], "get()"),
    # an appointment's title that names its patient, and an Irish surname first
    ("ics invite | SUMMARY:\u00cdris Ribeiro - Lab review", ["Ribeiro"], "- Lab review"),
    ("parsed {'SUMMARY': 'Follow-up: Malcolm \u00d3 Nearaigh', 'X': 1}", ["Nearaigh"], "Follow-up"),
    ("event summary 'Irwan Hidayat - Vaccination' created", ["Irwan"], "Vaccination' created"),
    ('ATTENDEE;CN="\u00d3 Muine\u00f3g, Arlene";PARTSTAT=ACCEPTED', ["Arlene"], "PARTSTAT"),
    # an insurance coverage named by its number
    ("Updated PPO coverage U49557205C", ["U49557205C"], "Updated PPO coverage"),
    ("audit delete Medicare coverage W530381548-02 by records.clerk", ["W530381548"], "by"),
    # pandas' Timestamp under a date key; a jsonschema error written with its path
    ("{'dob': Timestamp('1955-12-04 00:00:00'), 'state': 'IN'}", ["1955-12-04"], "'state'"),
    ("intake: '85-901130' failed '^[A-Z]\\d{7}$' at ['mrn']", ["85-901130"], "at ['mrn']"),
    ("intake: '54823-8366' failed '^\\d{5}$' at ['address', 'zip']", ["54823"], "failed"),
    # GraphQL: variables named for a name's parts, a quote a parser echoes open, graphql-core's
    # refusal of a variable's field
    ('SearchPatients variables={"last": "Hauge", "dob": "1961-01-02"}', ["Hauge"], "variables"),
    ('{ searchPatients(lastName: "Wibisono) { mrn email } }', ["Wibisono"], "{ mrn email }"),
    (
        "Variable '$input' has invalid value at .zip: Int cannot represent non-integer value: "
        "'15282'",
        ["15282"],
        "at .zip",
    ),
    # a person's row as django-import-export reports it, the database id kept
    ("new Wright, Jacob (id 95)", ["Wright", "Jacob"], "(id 95)"),
    # a licence in groups of three digits; `Last, First` of three words before a colon
    ("Driver licence: H 908 505 006 696", ["908 505"], "Driver licence: "),
    (
        "letter missing for Yudas, Lake Adiamouth: letters/x.txt",
        ["Yudas", "Adiamouth"],
        ": letters",
    ),
    # FHIR by its structure: an identifier's value after its system, a referenced person's
    # display, an address's lines; a mapping's items as pairs
    (
        '{"identifier":[{"system":"urn:oid:2.16.840.1.113883.3.7204.1","value":"3786 0640"}]}',
        ["3786 0640"],
        '"system":"urn:oid',
    ),
    (
        "OrderedDict([('system', 'urn:oid:1.2.3'), ('value', 'PT505830B')])",
        ["PT505830B"],
        "('value', '",
    ),
    (
        '{"beneficiary":{"reference":"Patient/pt-00012","display":"Yui Sato"}}',
        ["Yui Sato"],
        '"display":"',
    ),
    (
        '{"address":[{"use":"home","line":["999 boulevard Amrani"],"city":"Oran"}]}',
        ["Amrani", "Oran"],
        '"use":"home"',
    ),
    (
        "OrderedDict([('family', 'CHOU'), ('given', ['SU-CHU']), "
        "('birthDate', datetime.date(1961, 1, 2))])",
        ["CHOU", "SU-CHU", "1961"],
        "('birthDate', ",
    ),
    # a phone number with its area code before a slash; a thank-you to someone; a record
    # stored under a person's number
    ("reminder call to 509/555-0190 failed", ["555-0190"], "reminder call to "),
    ("<Message>Thanks Yosuke, your follow-up is confirmed.</Message>", ["Yosuke"], "Thanks "),
    ("ScannerError in inbox/PT505830M.yml at line 3, column 12", ["PT505830M"], "inbox/"),
    # XML elements a PHI key names, whose owner element is a person's (CDA)
    (
        '<recordTarget><patientRole><id root="2.16.840.1.113883.19.5" extension="HN860382A"/>'
        "<addr><city>Springfield</city><postalCode>62701</postalCode></addr><patient><name>"
        '<given>Ann</given><family>Lee</family></name><birthTime value="19610102"/>',
        ["HN860382A", "Springfield", "62701", "Ann", "Lee", "19610102"],
        "<recordTarget><patientRole>",
    ),
    ("CCD-12345 | <given>Zakhari</given>", ["Zakhari"], "<given>"),
    # an address's part logged alone, one element to a line, with no owner element before it
    ("        <city>Kavala</city>", ["Kavala"], "<city>"),
    ('  <postalCode xmlns="urn:hl7-org:v3">62701</postalCode>', ["62701"], "<postalCode"),
    ('  <birthTime value="19690101"></birthTime>', ["19690101"], "<birthTime"),
    # attrs' regex validator, a coverage checked for its number, an identifier after `of` with a
    # slash
    (
        "(\"'ssn' must match regex '\\\\d{9}' ('123456789' doesn't)\", Attribute(name='ssn'))",
        ["123456789"],
        "must match regex",
    ),
    ("coverage for U1234 5678 90 checked", ["5678"], "coverage for "),
    ("audit copy of RX/1234567 not written", ["1234567"], "audit copy of "),
    # a ZIP code kept as a string in a row beside a name (SQLAlchemy's `Row`, result lists)
    ("Row (33, 'Rangel', '39502')", ["Rangel", "39502"], "Row (33, '"),
    ("run for 2 patients: [(116, 'Polis', '11796'), (115, 'Zupan', '88176-1234')]", ["Zupan"], "2"),
]

BENIGN = [
    "TEL:ext. 2252",
    "ORG:Henry Schein;Orders",
    "NOTE:Account PO-2026-96835\\; net 45 days\\; 16 open orders",
    "REV:20261018T220000Z",
    "UID:urn:uuid:bc249fcf3e447a80dd6fd8147a0b1c2d",
    "WARN:retrying in 3 s",
    "fn=send_reminder",
    "N:;;;;",
    "Welcome Back Home",
    "SUMMARY:Sprint Review - Q3",
    "('12345',)",
    "coverage 12 files",
    "coverage for 12 files",
    "(\"'status' must match regex '\\\\w+' ('x y' doesn't)\", Attribute(name='status'))",
    "<custodian><representedCustodianOrganization><name>Northwind Clinic</name><addr>"
    "<city>Springfield</city><postalCode>62701</postalCode></addr>",
    '<document><id root="2.16.840.1.113883.19.5" extension="CCD-2026-00042"/></document>',
    "<site><city>Springfield</city></site>",
    "CCD-12345 |   <title>Continuity of Care Document</title>",
    '<device serial="SN12345678"><model>Spirometer SP9</model><firmware>1.2.3</firmware></device>',
    "stored {'serial': 'SN-1234567', 'model': 'BP monitor B2', 'firmware': '1.2.3'}",
    '"GET /static/app.js HTTP/1.1" 200 512 "-" "clinic-gateway/1.2 (+ops@clinic.example)"',
    "Thanks, your order shipped",
    "referral upload uploads/REF-2026-37698.yaml rejected",
    "fixtures/patients-2026-03-04.json loaded",
    # resources about things, quantities, a provider's NPI, an organisation's mapping, a drug, a
    # room, a product's version, a service's resource ids, a user's login
    '{"resourceType":"Organization","name":"Summit Orthopedics","telecom":[{"system":"phone",'
    '"value":"(253) 555-0101"}],"address":{"line":["3100 Summit Ave"],"city":"Spokane"}}',
    '{"resourceType":"Device","serialNumber":"SN-54549-351","lotNumber":"LOT793952"}',
    '{"valueQuantity":{"value":72.5,"unit":"kg","system":"http://unitsofmeasure.org"}}',
    '{"identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1091424816"}]}',
    "loaded: {'supplier': {'name': 'Henry Schein', 'po': 'PO-2026-97540', 'lines': 6}}",
    "  - {name: Albuterol HFA 90 mcg, ndc: 0173-0682-20, lot: A47843, on_hand: 24}",
    '  "name": "Infusion Bay 5",',
    "Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/133.0.0.0 Safari/537.36 Edg/133.0.0.0",
    "<Instance account_sid=AC5f3c0a9e1d7b4c2a8e6f0d3b9a1c7e42 "
    "sid=PN5d5e729c07523ea32b38e6ce458b1c02>",
    "portal account nurse.station4 locked out after failed login",
    "licence A 123 renewed",
    '{"first": 10, "after": "YXJyYXljb25uZWN0aW9uOjk="}',
    "Variable '$input' has invalid value at .limit: Int cannot represent non-integer value: 'ten'",
    "new Category (id 95)",
    "order: 'ORD-1' failed '^x$' at ['order_id']",
    "{'created': Timestamp('2026-01-04 10:00:00')}",
    "Coverage report: 87% of 120345 lines",
    "[cached since 2.476s ago] ('SKU-64070', 'ECG electrodes', '3M', 534, 1.97)",
    "Row (7, 'HTTP', '50000')",
    "SUMMARY:Team Sync - Weekly",
    "SUMMARY:Release: Data Platform",
    "SUMMARY:Flu Clinic - Walk-ins",
    "FN:McKesson Medical-Surgical",
    "Celery Beat was started",
    "Health Check was ok",
    "Load Balancer is healthy",
    "Nightly Build was green",
    "error for Windows, Linux",
    "Welcome To The Portal",
    "Welcome New Patients",
    "{'sub': 'svc-reports', 'aud': 'billing'}",
    "{'Region': {'S': 'us-east-1'}}",
    "Invalid type for parameter Item.status, value: 3, type: <class 'str'>",
    "/static/img/logo.4f3a2b91.png",
    "/media/uploads/IMG_20260304_101010.jpg",
    "/reports/Report-20260304.pdf",
    "/static/icons/icon-1024x768.png",
    "/media/9b2f6a1e-3c4d-4e5f-8a7b-1c2d3e4f5a6b.pdf",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_the_values_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_look_alikes_are_left_alone(line: str) -> None:
    assert scrub_text(line) == line
