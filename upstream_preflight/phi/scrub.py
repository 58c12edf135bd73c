"""Find PHI in a text and replace it with tags such as `[SSN]` or `[NAME]`.

Two passes over the original text collect spans: values that a key labels (`dob=...`,
`"first_name": "..."`, `MRN 0048123`; see `labels`), then identifiers found by their form
(SSNs, phone numbers, emails, dates, card numbers, IP addresses, MBIs, street addresses; see
`forms`). Overlapping spans are merged and the text is rebuilt once.
"""

from __future__ import annotations

import re

from upstream_preflight.phi.bound import bound_spans
from upstream_preflight.phi.calls import person_call_spans
from upstream_preflight.phi.columns import column_spans, row_spans
from upstream_preflight.phi.dicom import dicom_spans
from upstream_preflight.phi.fhir import about_things_only, fhir_spans
from upstream_preflight.phi.fields import field_spans, template_params
from upstream_preflight.phi.files import file_name_spans
from upstream_preflight.phi.forms import by_form
from upstream_preflight.phi.hl7 import hl7_spans
from upstream_preflight.phi.labels import (
    addressed,
    diagnose_values,
    field_values,
    labelled,
    named_values,
    pair_spans,
    series_values,
    space_labelled,
    unparsed_values,
)
from upstream_preflight.phi.ldap import ldap_spans
from upstream_preflight.phi.mime import encoded_word_spans
from upstream_preflight.phi.people import (
    encoded_file_names,
    identifiers_then_names,
    names_with_identifiers,
    people_spans,
)
from upstream_preflight.phi.tainted import tainted_spans
from upstream_preflight.phi.titles import title_spans
from upstream_preflight.phi.urls import url_spans
from upstream_preflight.phi.vcard import vcard_spans
from upstream_preflight.phi.xml import schema_error_spans, xml_spans

Span = tuple[int, int, str]

# Texts found clean lately: logs repeat their benign lines (`celery@worker-1 ready.`, health
# checks), and scrubbing is a pure function of the text. Only clean texts are kept, so the cache
# never holds a value the scrubber found to be PHI; it is emptied whole when full (a single
# atomic call, safe for threads that log at once).
CLEAN_CACHE_SIZE = 256
CLEAN_CACHE_MAX_CHARS = 2048
_clean: dict[str, None] = {}


def scrub_text(text: str) -> str:
    """`text` with every PHI value found replaced by its tag; the same object when none is."""
    if len(text) < 5 or text in _clean:
        return text
    spans = find_spans(text)
    if spans:
        return _rebuild(text, spans)
    if len(text) <= CLEAN_CACHE_MAX_CHARS:
        if len(_clean) >= CLEAN_CACHE_SIZE:
            _clean.clear()
        _clean[text] = None
    return text


# No-break spaces and the Unicode dashes people and word processors put between the groups of a
# number: read as a space and a hyphen (one character for one, so offsets stay the same).
_SEPARATORS = str.maketrans(
    {c: " " for c in "\u00a0\u2007\u202f\u2009"}
    | {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"}
)


_HAS_SEPARATOR = re.compile("[\u00a0\u2007\u202f\u2009\u2010-\u2014\u2212]")


# A line of a hex dump (pydicom's `hexdump`, `xxd`): an offset and the bytes, in hex.
_HEX_DUMP = re.compile(r"[0-9a-fA-F]{8}:(?: [0-9a-fA-F]{2}){4,16}")


def find_spans(text: str) -> list[Span]:
    return _find(text, decode=True)


def _find_decoded(text: str) -> list[Span]:
    return _find(text, decode=False)


def _query_value(text: str) -> list[Span]:
    """What a decoded query value holds: by its forms alone, or read whole where it quotes a
    value, as a search's own syntax does (`query=phone:'055-197-0486'`, `name:"Ann Lee"`) or a
    JSON object does (SMART's `launch={"mrn": "UK/836659"}`)."""
    if ("'" in text or '"' in text) and ("/" not in text or text[:1] == "{"):
        return _find_decoded(text)
    return _forms(text)


def _forms(text: str) -> list[Span]:
    """The identifiers found by their form alone in `text` (a decoded query value)."""
    if not text.isascii() and _HAS_SEPARATOR.search(text):
        text = text.translate(_SEPARATORS)
    lower = text.lower()
    spans: list[Span] = []
    if len(lower) == len(text):
        by_form(text, lower, lower[::-1], spans)
    return spans


def _find(text: str, decode: bool) -> list[Span]:
    if "resourceType" in text and about_things_only(text):
        return []
    if not text.isascii() and _HAS_SEPARATOR.search(text):
        text = text.translate(_SEPARATORS)
    # Gates of two characters or more scan the line: where one has a rare character (`\\`, `%`,
    # `?`, `<`, `>`), a one-character test (a `memchr`) goes first.
    if "\\" in text and "\\r\\n" in text:
        # A message in a `repr` (`b'Hello Ann,\\r\\nPatient: Lee, Ann\\r\\n'`): its escaped line
        # breaks are read as breaks, in as many characters, so each line's values end there.
        text = text.replace("\\r\\n", "  \r\n")
    spans: list[Span] = []
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two ("İ"): keep offsets aligned
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    reversed_lower = lower[::-1]
    labelled(text, reversed_lower, spans)
    space_labelled(text, lower, spans)
    named_values(text, lower, spans)
    if "\u2514" in text and "\n" in text:
        diagnose_values(text, spans)
    by_form(text, lower, reversed_lower, spans)
    if (
        "string" in text
        or "time data" in text
        or "invalid literal" in text
        or ("failed " in text and ("failed validating" in text or "failed decoding" in text))
        or "Invalid datetime" in text
        or "Invalid email address" in text
        or ("lumn" in text and ("no such column: " in text or "Unknown column " in text))
    ):
        # strptime's `time data`, `invalid literal for int()`, the three messages that hold
        # `string` (`Unable to parse string`, `could not convert string`, `Unknown string
        # format`), SQL's column that is a value (`no such column: Lee`), and what a schema or an
        # address validator refused (`failed validating '...'`, `Invalid email address '...'`)
        unparsed_values(text, spans)
    if ", your " in text:
        addressed(text, spans)
    if "  " in text:
        series_values(text, spans)
    if " field " in text:
        field_values(text, spans)
    args = "args" in text
    if (
        args
        or ("K" in text and "Key (" in text)  # a rarer character first: a `memchr`, not a scan
        or ("F" in text and "Failing row" in text)
        or ("insert" in lower and "into" in lower)
    ):
        column_spans(text, lower, spans)
    if ("?" in text or ("%" in text and "%s" in text)) and (
        "select" in lower or "insert" in lower or "update" in lower or "delete" in lower
    ):
        bound_spans(text, spans)  # `('... WHERE ("t1"."mrn" = ?)', ['AMC4803537'])`
    field_spans(text, lower, reversed_lower, spans)
    url_spans(text, lower, reversed_lower, spans, _query_value if decode else None)
    params = "params" in text
    if decode and (params or args) and "%" in text:
        template_params(text, spans, _find_decoded)
    if spans and (args or params or "values" in lower or "input" in text):
        row_spans(text, lower, spans)
    if decode and "?" in text and "=?" in text and "?=" in text:
        encoded_word_spans(text, spans, _find_decoded)
    if "%" in text and "%2" in text and "/" in text:
        encoded_file_names(text, lower, reversed_lower, spans)
    if "/" in text and "." in text:
        file_name_spans(text, spans)  # `/inbound/results/CH-0610-62996.Tamir.20220502.hl7`
    if "|" in text and (
        "PID|" in text or "NK1|" in text or "GT1|" in text or "IN1|" in text or "MRG|" in text
    ):
        hl7_spans(text, spans)
    if ":" in text or "{" in text:
        vcard_spans(text, spans)  # `N:Lee;Ann;;;`, `FN:Ann Lee`, `BDAY:...`, `ADR;...:`
    if "system" in text or "display" in text or "address" in text:
        fhir_spans(text, spans)  # `{"system": "urn:oid:...", "value": "3786 0640"}`
    if "0010" in text or "^" in text or "Patient" in text:
        dicom_spans(text, spans)  # `(0010,0010) Patient's Name  PN: 'Doe^John'`, DICOM JSON
    ldap_spans(text, spans)  # `'l': ['Port Bhabagrahi']`, `{'type': 'postalCode', 'value': ...}`
    if "The value '" in text:
        schema_error_spans(text, spans)  # `Element 'mrn': [facet 'pattern'] The value '...'`
    if ("<" in text and "</" in text) or (">" in text and "/>" in text):
        xml_spans(text, spans)  # `<given>Ann</given>`, `<birthTime value="19610102"/>`
    if "summary" in lower:
        title_spans(text, lower, spans)  # `SUMMARY:Ann Lee - Lab review`
    if "(" in text:
        if " (" in text:  # `Ann Lee (HN860382)`, `statement RM615/72415 (Manas Aboo Qamar)`
            names_with_identifiers(text, spans)
            identifiers_then_names(text, spans)
        elif ", " in text or " for " in text or " of " in text or "atient " in text:
            names_with_identifiers(text, spans)  # `Nguyen, Maria(HN780876B)`
        if "('" in text or '("' in text:
            pair_spans(text, spans)  # `OrderedDict([('birthDate', datetime.date(1961, 1, 2))])`
            person_call_spans(text, lower, spans)
    if spans:
        people_spans(text, reversed_lower, spans)
        tainted_spans(text, spans)
        if ": " in text[8:10]:
            dump = _HEX_DUMP.match(text)
            if dump is not None:
                _read_as_hex_dump(dump.end(), spans)
    return spans


def _read_as_hex_dump(bytes_end: int, spans: list[Span]) -> None:
    """A hex dump's offset and bytes hold no value by their form (`53 51 00 00 38 00 00 00` is
    no card); but where its text column holds one, its bytes spell it too and are hidden."""
    spans[:] = [span for span in spans if span[0] >= bytes_end]
    if spans:
        spans.append((10, bytes_end, "PHI"))


def _rebuild(text: str, spans: list[Span]) -> str:
    spans.sort()
    out: list[str] = []
    position = 0
    last_end = -1
    for start, end, tag in spans:
        if start < last_end:  # overlaps the previous span: widen it, keep its tag
            if end > last_end:
                last_end = end
                position = end
            continue
        out.append(text[position:start])
        out.append(f"[{tag}]")
        position = last_end = end
    out.append(text[position:])
    return "".join(out)
