"""Files named for a person, as SFTP clients, storage backends and jobs log their paths; the
objects a mailer names beside a recipient; what an XML Schema validator refused (pure logic: each
case is a line as its emitter writes it, values of our own)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    (
        "[chan 0] open(b'/inbound/results/KL-0710-52996.Warda.20210502.hl7', 'rb')",
        ["KL-0710-52996", "Warda", "20210502"],
        "/inbound/results/",
    ),
    (
        "[chan 0] stat(b'/outbound/270/Noura Haddad.20190115.270')",
        ["Noura", "Haddad", "20190115"],
        ".270')",
    ),
    (
        "claim uploaded: /outbound/837p/837P-Q4601593-09-Al-Haddad.x12 (72 bytes)",
        ["Q4601593-09", "Al-Haddad"],
        "(72 bytes)",
    ),
    (
        "eligibility request /outbound/270/Mansour, Rim.19710109.270 failed: [Errno 2]",
        ["Mansour", "Rim", "19710109"],
        "failed: [Errno 2]",
    ),
    (
        "statement failed for /outbound/statements/2026-05/Khalil-36942-0812.pdf (errno 2)",
        ["Khalil", "36942"],
        "/outbound/statements/2026-05/",
    ),
    # an identifier beside a day of birth, no name
    (
        "[chan 0] rename(b'/outbound/270/K37.7874.2513.1944-03-02.270', b'/archive/x.270')",
        ["K37.7874.2513", "1944-03-02"],
        "/outbound/270/",
    ),
    (
        "uploaded: /outbound/270/QW986 754 687.1966-05-20.270 (192 bytes)",
        ["QW986 754 687", "1966-05-20"],
        "(192 bytes)",
    ),
    ("[chan 0] open(b'/in/SZL3805-14.Ban Laden.19860912.hl7', 'rb')", ["Ban Laden"], ".hl7'"),
]

# No person's file: words of files, dates, digits alone, words alone.
KEPT = [
    "sent /outbound/invoices/INV-204938.20260501.pdf (3 kB)",
    "uploaded /exports/Monthly Report 20260504.pdf (12 kB)",
    "wrote /backups/Backup-2026-05-14.tar (2 GB)",
    "saved /media/IMG_20260304_101010.jpg",
    "GET /static/css/Site.12345678.css",
    "rename(b'/outbound/Annual Summary.pdf', b'/archive/Annual Summary.pdf')",
    "sent /outbound/837p/837P-20260501-000123.x12 (900 bytes)",
    "opened /srv/app/Invoice-INV-204938.pdf",
]

# A mailer's Message-ID and a recipient's status object name messages, not people.
MAIL_KEPT = [
    '{"messageId": "<202605041717.25696390859@smtp-relay.mailin.example>"}',
    "notice sent, message id <202605041402.38950968495@smtp-relay.mailin.example>",
    "recipients {'frontdesk@clinic.example': AnymailRecipientStatus("
    "'8ab2811a-c5df-4e5e-bdce-82e330078bed', 'queued')}",
    "Welcome Back!",
    "Welcome aboard, team",
    "Insurance: Aetna PPO verified",
    "vendor Cardinal phone 1-800-938-3408: valid=True type=TOLL_FREE",
    "phone 5 rings before voicemail",
    "client encrypt: aes128-ctr, aes128-gcm@openssh.com, chacha20-poly1305@openssh.com",
    '{"sender": {"email": "noreply@clinic.example", "name": "Clinic"}, "tags": ["staff"]}',
]

# An address's first line under `line1` (Stripe's, many APIs'); a name of four words.
ADDRESS_CASES = [
    ('{"line1": "16 Tariq Fareh Salehi", "city": null}', ["Tariq Fareh"], '"city": null'),
    (
        "post_data=address[line1]=Mavetza+Haral+37&address[state]=MS",
        ["Mavetza"],
        "&address[state]=MS",
    ),
    ("billing_details[name]=Abd+Al-Rahim+Abu+Dawud&type=card", ["Rahim", "Dawud"], "&type=card"),
    # a search's own syntax inside a form's value (Stripe's `query=phone:'...'`)
    (
        "message='Post details' post_data=query=phone%3A%27055-197-0486%27",
        ["197-0486"],
        "post_data=query=",
    ),
    ("post_data=query=name%3A%27Shiral+Sini%27&limit=10", ["Shiral"], "&limit=10"),
    # a mailer's display names, `Last, First` and JSON-escaped; a portal's welcome; insurance
    ('{"To": "\\"Aderi, Sara\\" <aderisara@mail.example>", "x": 1}', ["Aderi", "Sara"], '"x": 1'),
    ("parsed from 'Sala, Ama <ama.sala@mail.example>' (maybe", ["Sala", "Ama"], "parsed from"),
    ("Welcome Manir!\n\nYour portal user name is", ["Manir"], "Your portal"),
    ("Insurance: RG898 781 782 (MBI x)", ["RG898", "781 782"], "(MBI x)"),
    ('"TextBody": "Patient: X\\nInsurance: RG898 781 782 (MBI"', ["781 782"], "\\nInsurance: "),
    ('"Code: 1\\nPhone on file: 0636 60 10 85", "x"', ["60 10 85"], "Phone on file: "),
    ("Invalid email address 'Mimuni' in `to`", ["Mimuni"], "in `to`"),
    ("Invalid email address 'Salim Bushareb s.b@mail.example'", ["Bushareb"], "Invalid email"),
    ('{"To": "Amani Bu Abd Allah <amanib55@mail.example>"}', ["Amani", "Allah"], '{"To": "'),
    ("Hello Nazenin Zahera Abedalali,\\n\\nYour balance", ["Abedalali"], "Your balance"),
]

# What an XML Schema validator refused, quoted back: a person's value is hidden, a code is not.
VALIDATOR_CASES = [
    (
        "failed decoding '19890417' with XsdAtomicBuiltin(name='xs:date'):",
        ["19890417"],
        "XsdAtomicBuiltin",
    ),
    (
        "Invalid datetime string '19381008' for <class 'elementpath.datatypes.datetime.Date10'>",
        ["19381008"],
        "Date10",
    ),
    (
        "failed validating 'Maresa Ban Mahidi' with XsdMaxLengthFacet(value=14, fixed=False).",
        ["Maresa Ban Mahidi"],
        "XsdMaxLengthFacet",
    ),
    (
        "failed validating '246 Taghata Vahed 140' with XsdMaxLengthFacet(value=26, fixed=False):",
        ["Taghata Vahed"],
        "XsdMaxLengthFacet",
    ),
]
VALIDATOR_CASES += [
    (
        "failed validating 'CH-6800-34944' with XsdPatternFacets(['[A-Z]{2}\\\\d{7}']):",
        ["CH-6800-34944"],
        "XsdPatternFacets",
    ),
    ("failed validating '85360-6738' with XsdPatternFacets(['\\\\d{5}']):", ["85360"], "failed"),
]
VALIDATOR_KEPT = [
    "heartbeat: failed validating '2026-05-04T10:00' with XsdPatternFacets(['x']).",
    "failed validating 'ORD-2026-00123' with XsdPatternFacets(['ORD-\\\\d{6}']).",
    "referral rejected: failed validating 'Female' with XsdEnumerationFacets(['F', 'M', 'U']):",
    "failed validating 'follow-up' with XsdEnumerationFacets(['new', 'routine']):",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES + VALIDATOR_CASES + ADDRESS_CASES)
def test_the_values_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", KEPT + MAIL_KEPT + VALIDATOR_KEPT)
def test_what_names_no_one_is_left_alone(line: str) -> None:
    assert scrub_text(line) == line


def test_a_date_among_a_call_about_a_person_is_still_hidden() -> None:
    out = scrub_text("Received message check_coverage('Q77123456', '1EG4TE5MK73', '1961-06-20')")
    assert "1961-06-20" not in out and "Q77123456" not in out, out
