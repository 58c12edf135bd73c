"""The held-out emitters of the sixth corpus (see `sixth.py`), each a real library or server run
over the synthetic patients of `sixth_people.py`, loopback only (127.0.0.1):

- `pandas`: the app's patient batches as pandas DataFrames and Series (`sixth_frames.py`):
  rosters, coverage and contact frames logged as apps log them: `repr(df)`, `df.to_string()`,
  `df.head()`, `df.iloc[i]` (a Series, one field a line), `df.to_dict("records")`,
  `df.to_csv()`, merges, `groupby`/`value_counts`, and the errors pandas raises on patient data
  (`KeyError`s from `.loc`, `pd.to_datetime` and `astype` failures, merge validation errors)
  with `logger.exception` tracebacks. Orders, products, appointment slots and stock frames for
  the benign lines. pandas output is multi-line: one row per line.
- `marshmallow`: intake, coverage and contact payloads loaded by marshmallow schemas
  (`sixth_schemas.py`) with validators whose error messages quote the input (`{input}`),
  nested schemas, `many=True`, `validates_schema` and unknown fields; logged as an app logs
  them: `ValidationError.messages`, `.valid_data`, `.data`, `normalized_messages()`, `dumps`
  and `load` results. Orders, products, slots and stock payloads for the benign lines.
- `django.server`: Django's own development server (`django.core.servers.basehttp.WSGIServer`
  with its `WSGIRequestHandler`, the server behind `manage.py runserver`) on a free loopback
  port, serving a small Django app configured in this process (`sixth_web.py`, no database);
  requests from `http.client` with patients' values in paths and query strings (quoted,
  plus-encoded), form posts without a CSRF token, oversized bodies, too many fields, bad hosts,
  bad request lines and views raising `SuspiciousOperation`; the `django.server` and
  `django.security.*` records (with their tracebacks). Health checks, static files, orders,
  slots, inventory and versions for the benign lines.
- `phonenumbers`: the contact-normalising step of an intake pipeline (`sixth_contact.py`):
  `phonenumbers` parsing each patient's phone (regions, validity, number types, geocoder
  descriptions, time zones, `NumberParseException`s), `email-validator` checking e-mails
  (`EmailNotValidError`s) and `dateutil.parser` reading dates of birth in the forms people type
  (`ParserError`s); values typed in the wrong field raise errors that quote them. Supplier
  phone lines, order e-mails and event dates for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`). A benign
line is checked once more against every patient. Up to `LINES` distinct lines of each emitter
(a seeded choice) are labelled; the driver samples 300 with PHI and 300 benign of them.

Ports, pids, memory addresses, temp dirs and paths are replaced by fixed or seeded values.
Needs the `bench` extra (pandas, marshmallow, phonenumbers, email-validator, python-dateutil,
Faker; Django is a runtime dependency). Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

import fifth_held  # noqa: E402
import harvest  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from harvest import renderings  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_people import SixthPeople  # noqa: E402

EMITTERS = ("django.server", "marshmallow", "pandas", "phonenumbers")
PATIENTS = 520
LINES = 2400
Row = dict[str, Any]


# --- pandas -----------------------------------------------------------------------------------


def pandas_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixth_frames

    with Capture("clinic.frames") as cap:
        sixth_frames.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


# --- marshmallow ------------------------------------------------------------------------------


def marshmallow_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixth_schemas

    with Capture("clinic.schemas") as cap:
        sixth_schemas.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


# --- django.server ----------------------------------------------------------------------------


def django_server_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixth_web

    fix = FifthFix(seed)
    with Capture("django.server", "django.security") as cap:
        sixth_web.drive(seed, patients, cap, fix)
    return cap.lines(fix)


# --- phonenumbers -----------------------------------------------------------------------------


def phonenumbers_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import sixth_contact

    with Capture("clinic.contact") as cap:
        sixth_contact.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


# --- collect ----------------------------------------------------------------------------------


class _Everyone:
    """Finds any patient's value (each rendering `harvest.label` knows, in any case) in a line:
    the forms indexed by their first three characters, looked up at each word start."""

    def __init__(self, patients: list[Patient]) -> None:
        self.forms: dict[str, set[str]] = {}
        for p in patients:
            for _, value in p.planted():
                for form in renderings(value):
                    if len(form) >= 3:
                        self.forms.setdefault(form[:3].lower(), set()).add(form.lower())

    def __call__(self, text: str) -> bool:
        low = text.lower()
        for match in re.finditer(r"(?<!\w)\S", low):
            at = match.start()
            for form in self.forms.get(low[at : at + 3], ()):
                end = at + len(form)
                if low.startswith(form, at) and not (end < len(low) and low[end].isalnum()):
                    return True
        return False


@contextlib.contextmanager
def _cached_renderings() -> Iterator[None]:
    """`harvest.label` works out each value's renderings for every line: keep them (the same
    sets, only faster)."""
    real = harvest.renderings
    harvest.renderings = functools.lru_cache(maxsize=None)(lambda v: frozenset(real(v)))
    try:
        yield
    finally:
        harvest.renderings = real


def _some(lines: list[Line], seed: int) -> list[Line]:
    """Up to `LINES` distinct lines of an emitter, a seeded choice in their order (labelling
    every line would take minutes; the corpus samples 600 of them)."""
    seen: set[str] = set()
    distinct = [ln for ln in lines if not (ln.text in seen or seen.add(ln.text))]
    if len(distinct) <= LINES:
        return distinct
    keep = set(random.Random(seed).sample(range(len(distinct)), LINES))
    return [ln for i, ln in enumerate(distinct) if i in keep]


def _benign_checked(rows: list[Row], everyone: _Everyone) -> list[Row]:
    """Drops a benign line that holds any patient's value (it would be a mislabelled line)."""
    return [row for row in rows if row["spans"] or not everyone(row["text"])]


def collect(seed: int) -> list[Row]:
    people = SixthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("django.server", django_server_lines, patients[:130]),
        ("marshmallow", marshmallow_lines, patients[130:260]),
        ("pandas", pandas_lines, patients[260:390]),
        ("phonenumbers", phonenumbers_lines, patients[390:520]),
    ]
    everyone = _Everyone(patients)
    rows: list[Row] = []
    for emitter, lines_of, some in parts:
        lines = _some(lines_of(seed, some), seed + len(rows))
        with _cached_renderings():
            rows += _benign_checked(fifth_held._rows(emitter, lines, patients), everyone)
    return rows
