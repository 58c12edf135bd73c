"""Which keys label PHI: `patient_name=`, `"dob": ...`, `{'ssn': ...}`, `?q=`.

A key is normalised (camelCase split, lower case, separators dropped) and looked up. A key may
carry a prefix that names whose value it is (`patient_`, `home_`, `billing_`); any other prefix
makes it a different key (`bind_address` is not an address, `task_name` not a name).
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from upstream_preflight.phi.patterns import has_digit


class Kind(Enum):
    ALWAYS = "always"
    """The value is PHI whatever it looks like."""
    PERSON = "person"
    """Ambiguous key (`name`, `patient`): PHI only when the value looks like a person's name."""
    DIGITS = "digits"
    """Ambiguous key (`account`, `license`): PHI only when the value holds digits."""
    NAME_WORD = "name word"
    """Ambiguous key (`family`, `given`): PHI when the value is a capitalised name, one word
    or more."""
    RECORD_NUMBER = "record number"
    """Ambiguous key (`patient_id`, `chart_id`): PHI only when the value is a number given outside
    the database, letters and digits together (`HN860382`), not a row's integer (`734`) nor a
    UUID or a hash."""
    QUERY = "query"
    """A search parameter (`q`, `search`): PHI only inside a URL query string."""


_GROUPS: dict[str, tuple[Kind, str]] = {
    # tag, kind: keys (already normalised: lower case, no separators)
    "firstname lastname fullname givenname familyname middlename maidenname surname fname lname "
    "patientname membername subscribername guarantorname guardianname insuredname legalname "
    "policyholdername beneficiaryname spousename contactname emergencycontact nextofkin "
    "mothersmaidenname preferredname nameoncard cardholder cardholdername accountholder "
    "accountholdername holdername payeename recipientname": (Kind.ALWAYS, "NAME"),
    # `fn`: vCard's formatted name (`fn=Ann Lee`), not a function's (`fn=send_reminder`, which
    # does not look like a person's name).
    # `cn`: iCalendar's common name of an attendee (`ATTENDEE;CN="Ann Lee":mailto:...`), not a
    # host name of a certificate (`CN=api.example.com`, which does not look like a person's name)
    # `signer`: who signed a consent or a form (a certificate's signer, a key's name, is no
    # person's name); `display`: FHIR's display of a reference (`"subject": {"reference":
    # "Patient/7", "display": "Taro Ishii"}`), not a coding's (`Lisinopril 10 MG Oral Tablet`) nor
    # an organisation's (`Summit Orthopedics`), which do not look like a person's name
    # `holder`: a card's or an account's (`{'card': ..., 'holder': 'Ann Lee'}`), not a lock's
    # (`holder=worker-1`, which does not look like a person's name)
    "name patient displayname guarantor guardian subscriber insured spouse contact person "
    "cn commonname fn holder signer signedby display": (Kind.PERSON, "NAME"),
    # FHIR's HumanName: `"family": "Lee", "given": ["Ann"]`, `?family=Lee&given=Ann`; a query's
    # variables named for a name's parts (`{"last": "Hauge"}`; a page's `"first": 10` is no name)
    # `sn`: LDAP's surname (`sn=Bishbas`, `'sn': ['Khatun']`), not a serial number (`sn=SN-1234`,
    # which is no capitalised name)
    "family given first last sn": (Kind.NAME_WORD, "NAME"),
    "address streetaddress street address1 address2 addressline1 addressline2 addr "
    "homeaddress mailingaddress billingaddress residentialaddress city town county locality "
    "streetaddressline line1 line2 zip zipcode zip5 postalcode postaladdress "
    "postcode": (Kind.ALWAYS, "ADDRESS"),
    "dob dateofbirth birthdate birthday bday birthtime born "
    "admissiondate admitdate admittedat admittedon "
    "dischargedate dischargedat dischargedon dateofdeath deathdate dod deceaseddate "
    "servicedate dateofservice visitdate appointmentdate appointmentat appointmenttime "
    "proceduredate surgerydate encounterdate injurydate dateofinjury": (Kind.ALWAYS, "DATE"),
    "ssn socialsecurity socialsecuritynumber socsec tin itin taxpayerid ssnlast4 ssnlastfour "
    "last4ssn": (Kind.ALWAYS, "SSN"),
    "social": (Kind.DIGITS, "SSN"),
    "mrn medicalrecordnumber medicalrecordno medicalrecord chartnumber chartno empi "
    "patientnumber": (Kind.ALWAYS, "MRN"),
    # `sub`: a token's subject (JWT, OpenID Connect), whom it was issued to: on a patient portal,
    # the patient's number (a service's name, with no digit, is kept)
    "sub": (Kind.DIGITS, "MRN"),
    "patientid chartid personid": (Kind.RECORD_NUMBER, "MRN"),
    "memberid membernumber memberno subscriberid subscribernumber policynumber policyno "
    "policyid groupnumber groupno healthplanid planmemberid insuranceid insurancenumber "
    "beneficiaryid medicaidid medicaidnumber medicareid medicarenumber mbi hicn insurancemember "
    "hicnumber": (Kind.ALWAYS, "PLAN_ID"),
    "accountnumber accountno acctno acctnumber bankaccount iban routingnumber cardnumber "
    "creditcard creditcardnumber ccnumber cardno pan cvv": (Kind.ALWAYS, "ACCOUNT"),
    "account acct": (Kind.DIGITS, "ACCOUNT"),
    "member": (Kind.DIGITS, "PLAN_ID"),
    "licensenumber licenseno licencenumber licenceno driverslicense driverslicence "
    "driverlicense dlnumber certificatenumber certificateno certnumber passportnumber "
    "passportno passport deanumber vin licenseplate platenumber deviceserial "
    "serialnumber": (Kind.ALWAYS, "LICENSE"),
    "license licence certificate plate serial dl": (Kind.DIGITS, "LICENSE"),
    "phone phonenumber phoneno telephone tel mobile mobilephone mobilenumber cell cellphone "
    "fax faxnumber homephone workphone contactnumber telephonenumber": (Kind.ALWAYS, "PHONE"),
    "email emailaddress mail": (Kind.ALWAYS, "EMAIL"),
    "ip ipaddress clientip remoteaddr remoteip xforwardedfor httpxforwardedfor realip xrealip "
    "sourceip srcip macaddress": (Kind.ALWAYS, "IP"),
    "q query search searchterm term keyword": (Kind.QUERY, "QUERY"),
}

KEYS: dict[str, tuple[Kind, str]] = {
    key: value for words, value in _GROUPS.items() for key in words.split()
}

# Prefixes that say whose value a key holds; anything else names a different thing.
OWNER_PREFIXES = frozenset(
    [
        "patient",
        "pt",
        "member",
        "subscriber",
        "guarantor",
        "guardian",
        "insured",
        "policyholder",
        "beneficiary",
        "spouse",
        "parent",
        "mother",
        "father",
        "contact",
        "emergency",
        "user",
        "customer",
        "client",
        "person",
        "home",
        "work",
        "primary",
        "secondary",
        "billing",
        "mailing",
        "shipping",
        "residential",
        "legal",
        "current",
        "previous",
        "new",
        "old",
        "x",  # a header of one's own: `X-Patient-MRN: ...`
    ]
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[_.\-\s]+")


@lru_cache(maxsize=8192)
def classify(key: str) -> tuple[Kind, str] | None:
    """The kind and tag of a PHI key, or None for any other key. A dotted path names the field of
    its last part (`coverage.member_id`, `$.address.zip`)."""
    found = _classify_words(key)
    if found is None and "." in key:
        field = key.rsplit(".", 1)[1]
        if field.lower() not in _NOT_A_FIELD_ALONE:
            found = _classify_words(field)
    return found


# After a dot, words that name a machine's as often as a person's: `bind.address`, `server.addr`.
_NOT_A_FIELD_ALONE = frozenset(["address", "addr"])


def _classify_words(key: str) -> tuple[Kind, str] | None:
    words = [w for w in _SEPARATORS.split(_CAMEL.sub("_", key).lower()) if w]
    if not words:
        return None
    # A store's metadata header names its key last: `x-amz-meta-patient`, `x-goog-meta-dob`.
    first = 3 if len(words) > 3 and words[0] == "x" and words[2] == "meta" else 0
    for start in range(first, len(words)):
        found = KEYS.get("".join(words[start:]))
        if found is not None:
            return found
        if words[start] not in OWNER_PREFIXES and not (start == 1 and words[0] == "x"):
            return None  # (a header of one's own may name its owner first: `X-Clinic-MRN`)
    return None


_RECORD_NUMBER = re.compile(r"(?=.*\d)(?=.*[A-Z])[A-Z0-9][A-Z0-9./\-]{3,31}")


def refuses(kind: Kind, value: str) -> bool:
    """Whether `value` is not what an ambiguous key of `kind` holds when it is PHI: no digit for
    `Kind.DIGITS`; for `Kind.RECORD_NUMBER`, anything but capitals and digits together
    (`HN860382`, `MR-0042-17`)."""
    if kind is Kind.DIGITS:
        return not has_digit(value)
    if kind is Kind.RECORD_NUMBER:
        return _RECORD_NUMBER.fullmatch(value) is None
    return False
