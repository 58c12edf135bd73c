"""Directory entries (LDAP), SOAP bodies about a patient, Cerberus's errors, jobs and locks named
for a person's identifier, and identifiers whose letters sit between their digits; each beside
the look-alikes that must stay (pure logic: each case is a line as an emitter writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    (
        "PROTOCOL:ADD request <{'entry': 'cn=Ann Lee,ou=patients,dc=clinic', 'attributes': "
        "{'sn': ['Khatun'], 'l': ['Port Bhabagrahi'], 'st': ['WA'], 'telephoneNumber': "
        "['4155550142']}}>",
        ["Khatun", "Bhabagrahi", "4155550142"],
        "'st': ['WA']",
    ),
    ("FILTER : '(&(objectClass=inetOrgPerson)(sn=Chatarji))'", ["Chatarji"], "objectClass"),
    ("    l: Port Tammy", ["Tammy"], "    l: "),
    (
        "{'operation': 0, 'attribute': {'type': 'postalCode', 'value': ['64009']}}",
        ["64009"],
        "'type': 'postalCode'",
    ),
    (
        '<soap:Body><t:LocatePatientResponse xmlns:t="urn:x"><t:givenName>Damodar</t:givenName>'
        "<t:familyName>Mahapatr</t:familyName><t:phone>4155550142</t:phone>",
        ["Damodar", "Mahapatr", "4155550142"],
        "<t:givenName>",
    ),
    (
        "identity check error: ValidationError @ 0x7f3a2c1d9e80 ( document_path=('licence',),"
        "schema_path=('licence', 'regex'),code=0x41,constraint=\"[A-Z]\\d{8}\","
        'value="X 898 063 806 185",info=() )',
        ["898 063"],
        "document_path=('licence',)",
    ),
    ("card on file invalid document {'card': '1', 'holder': 'Damsat Vijesinha'}", ["Damsat"], ""),
    ("Removed job reminder:CL.126031", ["126031"], "Removed job reminder:"),
    ("unable to acquire lock eligibility-HMC/1246/1150.", ["1246/1150"], "lock eligibility-"),
    (
        "not scheduled: 'Job identifier (reminder:GJ9647399) conflicts with an existing job'",
        ["GJ9647399"],
        "conflicts with an existing job",
    ),
    ("contact update for H3230M385 not applied", ["H3230M385"], "not applied"),
]

BENIGN = [
    "PROTOCOL:MODIFY request <{'entry': 'cn=nurses,ou=groups,dc=clinic', 'changes': "
    "[{'operation': 0, 'attribute': {'type': 'member', 'value': ['uid=locum5,ou=staff']}}]}>",
    "PROTOCOL:ADD request <{'entry': 'cn=pump,ou=devices,dc=clinic', 'attributes': "
    "{'l': ['room 4'], 'objectClass': ['device']}}>",
    "device sn=SN-12345 ok",
    "lock holder=worker-1",
    "{'type': 'status', 'value': 'open'}",
    "intake error: ValidationError @ 0x7f3a2c1d9e80 ( document_path=('dob',),schema_path=('dob', "
    "'nullable'),code=0x23,constraint=False,value=None,info=() )",
    "intake field dob: [ValidationError @ 0x7f3a2c1d9e80 ( document_path=('dob',),code=0x23 )]",
    "device heartbeat error: ValidationError @ 0x7f ( document_path=('serial',),schema_path=("
    "'serial', 'regex'),code=0x41,value=\"PUMP-228111\",info=() )",
    "intake rejected: {'address': [{'street': ['max length is 28']}], 'dob': ['null value not "
    "allowed'], 'phone': [\"value does not match regex '\\\\d{3}-\\\\d{4}'\"]}",
    "CheckEligibility not sent: Signature: `memberId: xsd:string, givenName: xsd:string`",
    "reminder 2026-05-06 sent",
    "letter-2026-000123 printed",
    "reminder for 2026-05-13T13:45 at Lab Annex queued with the SMS gateway",
    "job for ORD-2026-269041 failed",
    "station CT-NORTH-01 sent 669 images for 2026CT1750 in 8.1s",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_the_values_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_look_alikes_are_left_alone(line: str) -> None:
    assert scrub_text(line) == line
