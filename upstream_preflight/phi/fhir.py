"""FHIR resources read by their structure, as JSON or as the `repr` of their mappings
(`OrderedDict([('system', ...), ('value', ...)])`):

- an identifier's value after its system (`{"system": "urn:oid:2.16.840.1.113883.3.7204.1",
  "value": "3786 0640"}`; a telecom's too, `{"system": "phone", "value": ...}`), whatever it looks
  like; not a quantity's (`http://unitsofmeasure.org`) nor a provider's National Provider
  Identifier (`http://hl7.org/fhir/sid/us-npi`: a public registry's);
- the display of a reference to a person (`{"reference": "Patient/pt-1", "display": "Yui
  Sato"}`): the person's name;
- the lines of an address (`"address": [{"use": "home", "line": ["12 Main St"], ...}]`).

Resources about things only (an `Organization`, a `Location`, a `Device`) are left whole before
anything else is read (`about_things_only`, asked first by `scrub`).
"""

from __future__ import annotations

import re

Span = tuple[int, int, str]

_SYSTEM_VALUE = re.compile(
    r"""(["'])system\1[ \t]*[:,][ \t]*(["'])([^"'\n]{1,256})\2[ \t]*\)?[ \t]*,[ \t]*\(?[ \t]*"""
    r"""(["'])value\4[ \t]*[:,][ \t]*(["'])([^"'\n]{1,128})\5"""
)
_NOT_A_PERSON_SYSTEM = re.compile(r"unitsofmeasure\.org|/us-npi$|^urn:ietf:rfc:3986$")
_SYSTEM_TAG = (("us-ssn", "SSN"), ("us-mbi", "PLAN_ID"), ("phone", "PHONE"), ("email", "EMAIL"))
_PERSON_DISPLAY = re.compile(
    r"""(["'])reference\1[ \t]*[:,][ \t]*(["'])(?:Patient|RelatedPerson|Person)/[^"'\n]{0,64}\2"""
    r"""[ \t]*\)?[ \t]*,[ \t]*\(?[ \t]*(["'])display\3[ \t]*[:,][ \t]*(["'])([^"'\n]{1,128})\4"""
)
_ADDRESS_LINES = re.compile(r"""(["'])line\1[ \t]*[:,][ \t]*\[([^\]\n]{1,256})\]""")
_QUOTED_ITEM = re.compile(r"""(["'])([^"'\n]{1,128})\1""")
_ADDRESS_BEFORE = 160

# FHIR resources about things and places, not people: a text whose every `resourceType` is one
# of these holds no PHI (an organisation's name, address and phone, a device's serial number).
THING_RESOURCES = frozenset(
    [
        *("Organization", "Location", "Device", "DeviceDefinition", "Medication", "Substance"),
        *("HealthcareService", "Endpoint", "Schedule", "Slot", "Bundle", "CapabilityStatement"),
        *("ValueSet", "CodeSystem"),
    ]
)
_RESOURCE_TYPE = re.compile(r"""resourceType\\?["']?[ \t]*[:=,][ \t]*\\?["']?(\w+)""")


def about_things_only(text: str) -> bool:
    """Whether every FHIR resource in `text` is about a thing or a place (`THING_RESOURCES`: an
    `Organization`, a `Location`, a `Device`, a `Bundle` of `Slot`s), none about a person."""
    kinds = {match.group(1) for match in _RESOURCE_TYPE.finditer(text)}
    return bool(kinds) and kinds <= THING_RESOURCES


def fhir_spans(text: str, spans: list[Span]) -> None:
    """Add the identifiers, the names of referenced people and the address lines of FHIR
    resources (see the module)."""
    if "system" in text and "value" in text:
        for match in _SYSTEM_VALUE.finditer(text):
            system = match.group(3)
            if _NOT_A_PERSON_SYSTEM.search(system) is None:
                tag = next((t for word, t in _SYSTEM_TAG if system.endswith(word)), "PHI")
                spans.append((match.start(6), match.end(6), tag))
    if "display" in text and "reference" in text:
        for match in _PERSON_DISPLAY.finditer(text):
            spans.append((match.start(5), match.end(5), "NAME"))
    if "line" in text and "address" in text:
        for match in _ADDRESS_LINES.finditer(text):
            if "address" in text[max(0, match.start() - _ADDRESS_BEFORE) : match.start()]:
                for item in _QUOTED_ITEM.finditer(match.group(2)):
                    start = match.start(2) + item.start(2)
                    spans.append((start, start + len(item.group(2)), "ADDRESS"))
