"""The held-out emitters of the seventh corpus (see `seventh.py`), each a real library run over the
synthetic patients of `seventh_people.py` as the integration and import jobs of a Django
application handling patients run it (nothing listens: no network at all):

- `hl7`: python-hl7 parsing HL7 v2 messages from the lab and registration interfaces
  (`seventh_hl7.py`): ADT^A04/A08/A31 and ORU^R01 messages with PID, PV1, IN1 and NK1 segments
  built from each patient; logged as an interface engine logs them: the raw message one segment
  a line, `str(segment)`, `repr(segment)` (python-hl7's nested lists), fields by key
  (`msg["PID.F5.R1.C1"]`), `extract_field`, `hl7.parse_datetime` results, and the errors
  python-hl7 raises (`ParseException`, `KeyError` for a missing segment, `IndexError`) with
  `logger.exception` tracebacks. Pharmacy supply orders, location master files, slot
  notifications and ACKs for the benign lines.
- `openpyxl`: a spreadsheet of patients imported row by row (`seventh_sheets.py`): workbooks
  built and saved with openpyxl, loaded again (normal and read-only mode); rows from
  `ws.iter_rows(values_only=True)` (tuples), cells (`<Cell 'Patients'.C5>`, values, data types,
  number formats), the app's per-cell validation warnings, and openpyxl's own errors
  (`IllegalCharacterError`, `Cannot convert ... to Excel`, `InvalidFileException`,
  `BadZipFile`). Inventory, product and supplier sheets for the benign lines.
- `csv`: the stdlib `csv` module in an export/import job (`seventh_csv.py`): `DictWriter`
  exports (the written lines), `DictReader` imports (row dicts, `restkey`/`restval` rows,
  `line_num`), dialects found by `csv.Sniffer`, and `csv.Error`s (new-line in an unquoted field,
  strict quoting, field larger than the limit) and `DictWriter`'s `ValueError`s, logged with the
  raw line. Order, inventory and appointment-slot files for the benign lines.
- `xml.etree`: FHIR XML `Patient` resources and HL7 CDA `recordTarget` headers built and parsed
  with `xml.etree.ElementTree` (`seventh_xml.py`): serialised documents (`ET.tostring`, one line,
  and indented by `ET.indent`, one row per line), elements walked (`tag`, attributes,
  `findtext`), `Element` reprs, and `ET.ParseError`s (invalid tokens, mismatched tags, unclosed
  tokens) with the offending line of the document. Location, Device, Slot and
  CapabilityStatement resources for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`). A benign
line is checked once more against every patient (`sixth_held._benign_checked`). Up to `LINES`
distinct lines of each emitter (a seeded choice) are labelled; the driver samples 300 with PHI
and 300 benign of them.

Memory addresses, paths and timestamps are replaced by fixed or seeded values. Needs the `bench`
extra (hl7, openpyxl, Faker).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

import fifth_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from seventh_people import SeventhPeople  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402

EMITTERS = ("csv", "hl7", "openpyxl", "xml.etree")
PATIENTS = 520
Row = dict[str, Any]


def hl7_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventh_hl7

    with Capture("clinic.hl7") as cap:
        seventh_hl7.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def openpyxl_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventh_sheets

    with Capture("clinic.sheets") as cap:
        seventh_sheets.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def csv_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventh_csv

    with Capture("clinic.csvio") as cap:
        seventh_csv.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def xml_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventh_xml

    with Capture("clinic.fhirxml") as cap:
        seventh_xml.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = SeventhPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("csv", csv_lines, patients[:130]),
        ("hl7", hl7_lines, patients[130:260]),
        ("openpyxl", openpyxl_lines, patients[260:390]),
        ("xml.etree", xml_lines, patients[390:520]),
    ]
    everyone = _Everyone(patients)
    rows: list[Row] = []
    for emitter, lines_of, some in parts:
        if only and emitter not in only:
            continue
        lines = _some(lines_of(seed, some), seed + len(rows))
        with _cached_renderings():
            rows += _benign_checked(fifth_held._rows(emitter, lines, patients), everyone)
    return rows
