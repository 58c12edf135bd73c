"""XML elements that a PHI key names, as a CDA document, an HL7 v3 message or a SOAP body writes
them: the element's text (`<given>Ann</given>`, `<postalCode>62701</postalCode>`), its `value`
attribute (`<birthTime value="19610102"/>`), and the `extension` of a patient's identifier
(CDA's `<patientRole><id root="2.16.840.1.113883.19.5" extension="HN860382A"/>`: whatever it
looks like, as FHIR's `value` after its `system`; the ids of documents, authors and
organisations are left).

An element's name is read without its namespace prefix (`<v3:family>`) and classified as a key
is (`labels.value_key`); its text ends at the next `<`. A value inside an organisation's or a
thing's element (`<representedOrganization>`, `<manufacturer>`, `<location>`, ...) is left: the
last such element or a person's (`<patientRole>`, `<guardian>`, ...) opened before it says whose
it is. A schema's error quotes the value it refused under the element's name, and that value is
hidden the same way.
"""

from __future__ import annotations

import re

from upstream_preflight.phi.keys import Kind
from upstream_preflight.phi.labels import value_key, value_span

Span = tuple[int, int, str]

_ELEMENT_TEXT = re.compile(
    r"<(?:[\w\-]{1,32}:)?([A-Za-z][\w.\-]{0,63})(?:\s[^<>]{0,256})?>(?=[^<])"
)
_VALUE_ATTRIBUTE = re.compile(
    r"<(?:[\w\-]{1,32}:)?([A-Za-z][\w.\-]{0,63})\s[^<>]{0,256}?\bvalue=\"([^\"<>]{1,64})\""
)
_PATIENT_BEFORE = 160  # how far back `patientRole`/`patient` makes an `<id>` the patient's
_ID_EXTENSION = re.compile(r"<(?:[\w\-]{1,32}:)?id\s[^<>]{0,256}?\bextension=\"([^\"<>]{1,64})\"")


# The elements that open a person's part of a document (a SOAP operation about a patient too:
# `<LocatePatientResponse>`), and an organisation's or a thing's: the last one opened before a
# value says whose it is (`<representedOrganization><name>Northwind
# Clinic</name><addr>...`: the clinic's; `<patientRole>...<addr>...`: the patient's).
_WHOSE = re.compile(
    r"<(?:[\w\-]{1,32}:)?(?:(\w{0,32}[Pp]atient\w*|person|recordTarget|subject|member|subscriber|guarantor"
    r"|guardian|relatedPerson|informant)"
    r"|(\w*[Oo]rganization|facility|provider\w*|custodian|manufacturer\w*|supplier|location"
    r"|device|author|performer|assignedEntity|vendor|site))[\s>/]"
)
_WHOSE_BEFORE = 512


# Fields whose value needs no owner element to be PHI: those only a person has (`<given>`,
# `<familyName>`, `<birthTime>`, an SSN), and an address's parts, which a document written one
# element to a line logs alone (`<city>Kavala</city>`): hiding a clinic's is the lesser harm. A
# phone or a `<name>` with no owner may be anyone's.
_NEEDS_NO_OWNER = frozenset(["DATE", "SSN", "MRN", "PLAN_ID", "ACCOUNT", "ADDRESS"])


def _an_entitys(text: str, element: re.Match[str], kind: Kind, tag: str) -> bool:
    """Whether the value of `element` is not a person's: the last person's or entity's element
    opened before it (within `_WHOSE_BEFORE` characters) is an organisation's or a thing's, or
    none is and the field is not one that needs no owner (`_NEEDS_NO_OWNER`)."""
    opened = list(_WHOSE.finditer(text, max(0, element.start() - _WHOSE_BEFORE), element.start()))
    if opened:
        return opened[-1].group(2) is not None
    return not (
        kind is Kind.NAME_WORD or tag in _NEEDS_NO_OWNER or (tag == "NAME" and kind is Kind.ALWAYS)
    )


# libxml2's schema errors, as lxml raises and logs them, quote the value refused under its
# element's (or attribute's) name: `Element 'mrn': [facet 'pattern'] The value 'HMC/1526/0878'
# is not accepted by the pattern '...'`.
_SCHEMA_ERROR = re.compile(
    r"Element '(?:\{[^}']{0,256}\})?([\w.\-]{1,64})'(?:, attribute '([\w.\-:]{1,64})')?:"
    r"[ \t]+(?:\[facet '\w+'\][ \t]+)?The value '([^'\n]{1,256})'"
)


def schema_error_spans(text: str, spans: list[Span]) -> None:
    """Add the values an XML schema refused under a PHI element or attribute."""
    for match in _SCHEMA_ERROR.finditer(text):
        found = value_key(match.group(2) or match.group(1))
        if found is not None:
            spans.append((match.start(3), match.end(3), found[1]))


def xml_spans(text: str, spans: list[Span]) -> None:
    """Add the values of XML elements a PHI key names (see the module)."""
    for match in _ELEMENT_TEXT.finditer(text):
        found = value_key(match.group(1))
        if found is not None and not _an_entitys(text, match, *found):
            span = value_span(text, match.end(), found[0], found[1])
            if span is not None:
                spans.append(span)
    if "value=" in text:
        for match in _VALUE_ATTRIBUTE.finditer(text):
            found = value_key(match.group(1))
            if found is not None and not _an_entitys(text, match, *found):
                spans.append((match.start(2), match.end(2), found[1]))
    if "extension=" in text and "atient" in text:
        for match in _ID_EXTENSION.finditer(text):
            if "atient" in text[max(0, match.start() - _PATIENT_BEFORE) : match.start()]:
                spans.append((match.start(1), match.end(1), "PHI"))
