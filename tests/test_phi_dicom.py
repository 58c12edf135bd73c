"""DICOM headers as pydicom logs them, libxml2's schema errors, `MR#` numbers, names beside a
bracketed identifier, a preposition that starts the text, a thing's `Name` label, hex dumps,
titles in capitals and names in columns; each beside the look-alikes that must stay (pure logic:
each case is a line as an emitter writes it)."""

from __future__ import annotations

import pytest

from tests.phi_cases import assert_values_hidden
from upstream_preflight.phi import scrub_text

# (line, the values that must be gone, what must stay)
CASES = [
    (
        "(0010,0010) Patient's Name                      PN: 'Chopara^Shani'",
        ["Chopara", "Shani"],
        "Patient's Name",
    ),
    (
        "removing (0010,0020) Patient ID                          LO: 'HP9695505603'",
        ["HP9695505603"],
        "Patient ID",
    ),
    ("(0010,0030) Patient's Birth Date   DA: '19291209'", ["19291209"], "Birth Date"),
    (
        "(0010,1040) Patient's Address      LO: '01/708 Nantan Airavati, Karur, SD 66913'",
        ["Nantan", "Karur", "66913"],
        "Patient's Address",
    ),
    ("(0010,2154) Patient's Telephone Numbers  SH: '6994525082'", ["6994525082"], "SH: "),
    (
        "raw RawDataElement(tag=(0010,0020), VR=None, length=12, value=b'Z2-910-5442 ', "
        "value_tell=660, is_implicit_VR=True)",
        ["Z2-910-5442"],
        "value_tell=660",
    ),
    (
        "study received: Study Date: '20260814' | Accession Number: 'RAD160506' | Patient's "
        "Name: 'Deshapande^Dipti' | Patient ID: 'MR#8566868' | Issuer of Patient ID: "
        "'CLINIC-MRN' | Patient's Birth Date: '20131010' | Rows: 512",
        ["Deshapande", "Dipti", "8566868", "20131010"],
        "Issuer of Patient ID: 'CLINIC-MRN'",
    ),
    (
        'header: {"00100010": {"Value": [{"Alphabetic": "Ramjan^Unnati^^^"}], "vr": "PN"}, '
        '"00100020": {"Value": ["MR#3401509"], "vr": "LO"}, "00100030": {"Value": ["19850712"], '
        '"vr": "DA"}, "00080050": {"Value": ["A26-95815"], "vr": "SH"}}',
        ["Ramjan", "Unnati", "3401509", "19850712"],
        '"00080050": {"Value": ["',  # a key, not an identifier; the record's numbers go too
    ),
    (
        "json dict {'00100010': {'vr': 'PN', 'Value': [{'Alphabetic': 'Kumar^Kiran^^^'}]}}",
        ["Kumar", "Kiran"],
        "{'00100010': {'vr': 'PN', 'Value': [{'Alphabetic': '",
    ),
    ("patient Deshamukh^Asha (31470098-Z) born 19650731", ["Deshamukh", "Asha", "31470098"], ""),
    ("name components ('Pradhan^Baladev',)", ["Pradhan", "Baladev"], "name components"),
    (
        "<string>:4:0:ERROR:SCHEMASV:SCHEMAV_CVC_PATTERN_VALID: Element 'mrn': [facet "
        "'pattern'] The value 'HMC/1526/0878' is not accepted by the pattern '\\d{8}'.",
        ["HMC/1526/0878"],
        "Element 'mrn': [facet 'pattern'] The value '",
    ),
    (
        "Element 'referral', attribute 'dob': '1961-13-45' is not a valid value",
        ["1961-13-45"],
        "attribute 'dob'",
    ),
    ("birth date of MR#1429132 not convertible", ["1429132"], "birth date of"),
    ("unable to acquire lock eligibility-MR#3289726", ["3289726"], "lock eligibility-"),
    ("for Kanakavalli, Yutika", ["Kanakavalli", "Yutika"], "for "),
    (
        "RuntimeError: critical value callback failed for Chaugule (601XD22753)",
        ["Chaugule", "601XD22753"],
        "failed for ",
    ),
    ("KeyError: 'no encounter summary for 63088853-P'", ["63088853-P"], "summary for"),
    ("retrying send_sms('985NJ98179', '6449631662'), 1 retries left", ["6449631662"], "send_sms"),
    (
        "00000266: 54 45 53 54 5e 44 41 49 4c 59 51 41     b'Lee^Ann'",
        ["Lee", "Ann", "54 45 53"],
        "00000266: ",
    ),
    ("letter to MR JOHN SMITH", ["JOHN", "SMITH"], "letter to"),
    ("Display Name: Ann Lee", ["Ann Lee"], "Display Name: "),
]

BENIGN = [
    "(0010,0010) Patient's Name                      PN: 'ACR^PHANTOM'",
    "raw RawDataElement(tag=(0010,0020), VR=None, length=14, value=b'QA-MG-BREAST-1', x=6)",
    "study received: SOP Class UID: MR Image Storage | Modality: 'MR' | Manufacturer's Model "
    "Name: 'MAGNETOM Vida' | Station Name: 'MG-BREAST-1' | Rows: 256",
    "(0008,0080) Institution Name                    LO: 'North Clinic Imaging'",
    "removing (0010,4000) Patient Comments                    LT: Array of 52 elements",
    "000002c4: 10 00 02 10 53 51 00 00 38 00 00 00    (0010,1002) SQ Length: 56",
    "OBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F",
    "regex ^[A-Z]{3}\\d{9}$ failed for value",
    "Element 'status': [facet 'enumeration'] The value 'held' is not an element of the set.",
    "xslt: referral from Metro Payer Gateway",
    "referral from Lakeview Cardiology line 13: Element 'account': This element is not expected.",
    "report for Cardiology (2026-03-01)",
    "job for ORD-2026-269041 failed",
]


@pytest.mark.parametrize(("line", "values", "kept"), CASES)
def test_the_values_are_hidden(line: str, values: list[str], kept: str) -> None:
    assert_values_hidden(line, values, kept)


@pytest.mark.parametrize("line", BENIGN)
def test_look_alikes_are_left_alone(line: str) -> None:
    assert scrub_text(line) == line
