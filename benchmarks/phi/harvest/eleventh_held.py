"""The held-out emitters of the eleventh corpus (see `eleventh.py`), each a real library run over
the synthetic patients of `eleventh_people.py` as the jobs and services of a Django application
handling patients run it (loopback only: 127.0.0.1):

- `aiohttp`: the app's async partner gateway (`eleventh_aiohttp.py`), an aiohttp web app on a
  free loopback port called by an aiohttp `ClientSession` in the same event loop: the access
  log (forwarded-for address, request line with its query, status, size, referer, agent),
  `aiohttp.server`'s `Error handling request` tracebacks (handlers that raise, malformed
  requests over a raw socket), `ClientResponseError`s and `ClientConnectorError`s, bodies and
  headers. Health checks, static files, slots, orders, inventory for the benign lines.
- `cattrs`: attrs classes with validators and a cattrs `Converter` in the intake pipeline
  (`eleventh_cattrs.py`): `repr`s, `unstructure`d dicts, `evolve`d copies,
  `ClassValidationError` groups (with their tracebacks), `transform_error` messages, the
  validators' `TypeError`s and `ValueError`s. Products, slots and orders for the benign lines.
- `msgspec`: msgspec Structs in the patient-messaging API (`eleventh_msgspec.py`): JSON and
  MessagePack decoded with `type=`, `repr`s, encoded and pretty-printed JSON, `to_builtins`,
  `ValidationError`s, `DecodeError`s, `EncodeError`s. Products, slots and devices for the
  benign lines.
- `xmltodict`: CDA-like documents of the document exchange (`eleventh_xml.py`): `unparse`
  (pretty, line by line, one line), `parse` results (`repr`s with `@` attributes), the
  `ExpatError`s of malformed uploads and `unparse`'s `ValueError`s. Formulary, device,
  purchase-order and schedule documents for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`); so is one
that holds a piece of a value cut by an emitter (`tenth_held._pieces_shown`). A benign line is
checked once more against every patient (`sixth_held._benign_checked`). Up to
`sixth_held.LINES` distinct lines of each emitter (a seeded choice) are labelled; the driver
samples 300 with PHI and 300 benign of them.

Memory addresses, paths and ports are replaced by fixed values; every date and id is drawn
from seeded sources. Needs the `bench` extra (Faker) and aiohttp, cattrs (with attrs),
msgspec and xmltodict.

The helpers this module shares with the earlier corpora import the test suite's `servers`
module, which no emitter here uses: `held_apart` puts a stand-in in its place, and `collect`
checks that nothing of `tests/` (nor the project's package) was imported.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

import held_apart  # noqa: E402

held_apart.stand_in_for_test_servers("eleventh")

import fifth_held  # noqa: E402
from eleventh_people import EleventhPeople  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("aiohttp", "cattrs", "msgspec", "xmltodict")
PATIENTS = 520
Row = dict[str, Any]


# --- the emitters ---------------------------------------------------------------------------


def aiohttp_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eleventh_aiohttp

    fix = FifthFix(seed)
    with Capture("aiohttp", "clinic.gateway") as cap:
        eleventh_aiohttp.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def cattrs_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eleventh_cattrs

    with Capture("clinic.intake") as cap:
        eleventh_cattrs.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def msgspec_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eleventh_msgspec

    with Capture("clinic.messaging") as cap:
        eleventh_msgspec.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def xmltodict_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import eleventh_xml

    with Capture("clinic.cda") as cap:
        eleventh_xml.drive(seed, patients, cap)
    return cap.lines(FifthFix(seed))


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = EleventhPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("aiohttp", aiohttp_lines, patients[:130]),
        ("cattrs", cattrs_lines, patients[130:260]),
        ("msgspec", msgspec_lines, patients[260:390]),
        ("xmltodict", xmltodict_lines, patients[390:520]),
    ]
    everyone = _Everyone(patients)
    rows: list[Row] = []
    for emitter, lines_of, some in parts:
        if only and emitter not in only:
            continue
        whole = [ln for ln in lines_of(seed, some) if not _pieces_shown(ln)]
        lines = _some(whole, seed + len(rows))
        with _cached_renderings():
            rows += _benign_checked(fifth_held._rows(emitter, lines, patients), everyone)
    held_apart.nothing_of_the_project()
    return rows
