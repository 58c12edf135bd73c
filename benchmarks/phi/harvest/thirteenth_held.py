"""The held-out emitters of the thirteenth corpus (see `thirteenth.py`), each a real library run
over the synthetic patients of `thirteenth_people.py` as the services and jobs of a Django
application handling patients run it (loopback only: 127.0.0.1):

- `flask`: the app's referral and pre-registration service (`thirteenth_flask.py`), a Flask
  application behind werkzeug's `ProxyFix`, served by werkzeug's own server on a free loopback
  port and called by `http.client`: werkzeug's request lines (client address, clock, request
  line with its query string as werkzeug decodes it, status, size), its errors for broken
  request lines, Flask's `Exception on ...` records with their tracebacks, and what the views
  log. Health checks, static files, slots, orders, inventory and devices for the benign lines.
- `huey`: the background jobs (`thirteenth_huey.py`), huey tasks on a `MemoryHuey` in
  immediate mode: the `huey` logger's execution, failure, retry, lock and revocation records
  with tracebacks, the error signal handler's lines with each task's `args` and `kwargs`, and
  the failed results the callers read back. Inventory syncs, reports, device pings and
  clean-ups for the benign lines.
- `lxml`: the XML intake of partners' referrals (`thirteenth_lxml.py`), parsed, checked against
  an XML Schema and transformed by XSLT with lxml: `error_log` entries, `DocumentInvalid` and
  `XMLSyntaxError`s with tracebacks, `xsl:message` lines, `xpath` results, `tostring` output.
  Supply orders and their schema errors for the benign lines.
- `pydicom`: the imaging bridge (`thirteenth_dicom.py`), DICOM headers built from the chart,
  checked, written and read back with pydicom: the `pydicom` and `py.warnings` records
  (validation warnings, `dcmread`'s DEBUG trace), `str(ds)`, element and `PersonName` reprs,
  `to_json()`, `ValueError`s with tracebacks, `InvalidDicomError`s, de-identification. QA
  phantoms, stations, equipment and accession numbers for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`); so is one
that holds a piece of a value cut by an emitter (`tenth_held._pieces_shown`), or, from
`dcmread`'s DEBUG trace, a value's bytes in hex (`thirteenth_dicom.hex_shown`). A benign line
is checked once more against every patient (`sixth_held._benign_checked`). Up to
`sixth_held.LINES` distinct lines of each emitter (a seeded choice) are labelled; the driver
samples 300 with PHI and 300 benign of them.

Memory addresses, paths, ports, task ids, durations and werkzeug's clock are replaced by fixed
or seeded values; every date and id is drawn from seeded sources. Needs the `bench` extra
(Faker) and flask (werkzeug), huey, lxml and pydicom.

The helpers this module shares with the earlier corpora import the test suite's `servers`
module, which no emitter here uses: `held_apart` puts a stand-in in its place, and `collect`
checks that nothing of `tests/` (nor the project's package) was imported.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

import re  # noqa: E402
import urllib.parse  # noqa: E402

import held_apart  # noqa: E402

held_apart.stand_in_for_test_servers("thirteenth")

import fifth_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from harvest import label  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402
from thirteenth_people import ThirteenthPeople  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("flask", "huey", "lxml", "pydicom")
PATIENTS = 520
Row = dict[str, Any]


class ThirteenthFix(FifthFix):
    """`fifth_held.FifthFix`, then the emitter's own replacements (`extra`, in order)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.extra: list[Callable[[str], str]] = []

    def __call__(self, text: str) -> str:
        text = super().__call__(text)
        for fix in self.extra:
            text = fix(text)
        return text


# --- the emitters ---------------------------------------------------------------------------


def flask_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import thirteenth_flask

    fix = ThirteenthFix(seed)
    fix.extra.append(thirteenth_flask.Clock(seed + 277))
    with Capture("werkzeug", "clinic.referrals") as cap:
        thirteenth_flask.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def huey_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import thirteenth_huey

    fix = ThirteenthFix(seed)
    fix.extra.append(thirteenth_huey.Ids(seed + 287))
    with Capture("huey", "clinic.jobs") as cap:
        thirteenth_huey.drive(seed, patients, cap)
    return cap.lines(fix)


def lxml_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import thirteenth_lxml

    fix = ThirteenthFix(seed)
    with Capture("clinic.intake") as cap:
        thirteenth_lxml.drive(seed, patients, cap)
    return cap.lines(fix)


def pydicom_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import thirteenth_dicom

    fix = ThirteenthFix(seed)
    with Capture("pydicom", "py.warnings", "clinic.imaging") as cap:
        thirteenth_dicom.drive(seed, patients, cap)
    lines = cap.lines(fix)
    return [ln for ln in lines if not thirteenth_dicom.hex_shown(ln.text, _values(ln))]


def _values(line: Line) -> list[str]:
    out: list[str] = []
    for p in line.patients:
        out += [str(v) for k, v in p.planted() if k != "dob" and len(str(v)) >= 3]
        out.append(p.dob.strftime("%Y%m%d"))
    return out


def _decoded_shown(line: Line) -> bool:
    """A patient's value that shows only once the line is percent- and plus-decoded, outside its
    labelled spans (werkzeug decodes a request line's `%2F` but keeps its `+`: `1/9+Gauri+Kadam`).
    `harvest.label` does not know such a form: the line is dropped, never labelled."""
    if not line.patients:
        return False
    spans = label(line.text, line.patients)
    if spans is None:
        return False  # dropped by the labelling anyway
    rest = line.text
    for start, end, _ in reversed(spans):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    decoded = urllib.parse.unquote_plus(rest).lower()
    for value in _values(line):
        if len(value) >= 4 and re.search(rf"(?<!\w){re.escape(value.lower())}(?!\w)", decoded):
            return True
    return False


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = ThirteenthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("flask", flask_lines, patients[:130]),
        ("huey", huey_lines, patients[130:260]),
        ("lxml", lxml_lines, patients[260:390]),
        ("pydicom", pydicom_lines, patients[390:520]),
    ]
    everyone = _Everyone(patients)
    rows: list[Row] = []
    for emitter, lines_of, some in parts:
        if only and emitter not in only:
            continue
        whole = [
            ln for ln in lines_of(seed, some) if not _pieces_shown(ln) and not _decoded_shown(ln)
        ]
        lines = _some(whole, seed + len(rows))
        with _cached_renderings():
            rows += _benign_checked(fifth_held._rows(emitter, lines, patients), everyone)
    held_apart.nothing_of_the_project()
    return rows
