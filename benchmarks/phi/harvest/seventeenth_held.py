"""The held-out emitters of the seventeenth corpus (see `seventeenth.py`), each a real library run
over the synthetic patients of `seventeenth_people.py` as the services and jobs of a Django
application handling patients run it (loopback only: 127.0.0.1):

- `pynetdicom`: the clinic's imaging bridge (`seventeenth_dicom.py`), a pynetdicom SCP (the
  archive: Verification, Patient and Study Root C-FIND, C-STORE of CT, MR, digital X-ray and
  secondary captures) on a free loopback port and the bridge's SCU, with the `pynetdicom` and
  `pydicom` loggers at DEBUG as an operator who turned on `debug_logger()` sees them: the
  A-ASSOCIATE summaries, each DIMSE message, the C-FIND request and response identifiers
  dumped element by element (`PatientName`, `PatientID`, `PatientBirthDate`,
  `AccessionNumber`, `OtherPatientIDs`, `PatientAddress`, `PatientTelephoneNumbers`), C-STORE
  requests and their statuses, rejected associations with their reasons, failure statuses,
  handler exceptions with their tracebacks; and what the app logs around them (matches, stored
  datasets as pydicom prints them, failures). C-ECHO health checks, phantom QC images, study
  counts and archive statistics for the benign lines.
- `slack_sdk`: the app posting alerts to staff channels (`seventeenth_slack.py`), a
  `WebClient` whose `base_url` is a loopback fake of Slack's Web API and `WebhookClient`s
  posting to loopback incoming-webhook URLs, the `slack_sdk` loggers at DEBUG (each request's
  URL, parameters, JSON body and headers; each response's status, headers and body), Slack API
  errors (`SlackApiError`'s message with the response), rate limits with their retry handler,
  failed connections, and blocks and attachments that carry patients' details as a careless
  developer writes them. Deploy notices, stock alerts, on-call rotations and backups for the
  benign lines.
- `elasticsearch`: the app indexing and searching patients in a loopback fake of Elasticsearch
  (`seventeenth_es.py`) through `elasticsearch` and its `elastic_transport`, their loggers at
  DEBUG (the request line with its duration; each request's and response's headers and body),
  `BulkIndexError`s with the failed documents, `ApiError`, `BadRequestError`,
  `NotFoundError` and `ConflictError` messages (mapping errors quoting the document's value),
  search queries with patients' names, phones and e-mails in their DSL, retries after a failed
  node. Cluster health, stock indices, index templates and aliases for the benign lines.
- `voluptuous`: intake payloads and settings validated with voluptuous schemas
  (`seventeenth_voluptuous.py`): `MultipleInvalid` and `Invalid` messages and their `path`s for
  patient records that fail (dates in the wrong format, bad phones and e-mails, missing and
  extra keys, `Coerce`, `Match`, `Email`, `Url`, `In`, `Range`, `All`, `Any`), logged as the
  app logs them, and `humanize_error`'s text, which quotes the offending data. Stock items,
  settings and schedules for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`).
A seeded share of each emitter's records (`JSON_SHARE`, `DICOM_JSON_SHARE`) is written instead
as the app's JSON log handler writes a record, one line (`time`, `level`, `logger`, `message`
and, with an exception, `exc_info`), which keeps no template. A line about a patient that holds
one of their values in a form `harvest.label` does not know, or that shows another patient, is
dropped, never labelled benign (`fifth_held._rows`); so is one that holds a piece of a value cut
by an emitter (`tenth_held._pieces_shown`). A benign line is checked once more against every
patient (`sixth_held._benign_checked`). Up to `sixth_held.LINES` distinct lines of each emitter (a
seeded choice) are labelled; the driver samples 300 with PHI and 300 benign of them.

Memory addresses, thread ids, ports, clocks, durations, UIDs and paths are replaced by fixed or
seeded values; the libraries' and the standard library's files are shown relative to where they
are installed (`pynetdicom/service_class.py`), wherever they are written. Needs the `bench`
extra (Faker) and pynetdicom (pydicom), slack_sdk, elasticsearch (elastic-transport) and
voluptuous.

The helpers this module shares with the earlier corpora import the test suite's `servers`
module, which no emitter here uses: `held_apart` puts a stand-in in its place, and `collect`
checks that nothing of `tests/` (nor the project's package) was imported.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import platform
import random
import re
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

import held_apart  # noqa: E402

held_apart.stand_in_for_test_servers("seventeenth")

import fifth_held  # noqa: E402
import fresh_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from patients import Patient  # noqa: E402
from seventeenth_people import SeventeenthPeople  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402
from tenth_held import _pieces_shown  # noqa: E402

held_apart.drop_tests_from_path()

EMITTERS = ("elasticsearch", "pynetdicom", "slack_sdk", "voluptuous")
PATIENTS = 520
JSON_SHARE = 0.25
# pynetdicom writes many records per association, most of them without a patient's value: a
# smaller share of them as JSON lines (each distinct by its time) keeps its lines about patients
# from being crowded out of the lines `sixth_held._some` keeps
DICOM_JSON_SHARE = 0.08
Row = dict[str, Any]
SHOWN_RELEASE = "6.1.0-28-amd64"  # the kernel release slack_sdk's User-Agent shows


def _installed() -> list[str]:
    """Where libraries, the standard library and these modules live, longest first: a file
    below one of them is shown by its path relative to it."""
    places = {
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        sysconfig.get_paths()["stdlib"],
        os.path.dirname(os.__file__),
        str(HERE),
    }
    for path in list(places):
        places.add(os.path.realpath(path))
    return sorted(places, key=len, reverse=True)


class SeventeenthFix(FifthFix):
    """The installed files relative to where they are installed, wherever they are written,
    this machine's kernel release (in slack_sdk's User-Agent) as a fixed one, then
    `fifth_held.FifthFix`, then the emitter's own replacements (`extra`, in order)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.places = re.compile("|".join(re.escape(p.rstrip("/") + "/") for p in _installed()))
        self.release = f"{platform.system()}/{platform.release()}"
        self.extra: list[Callable[[str], str]] = []

    def __call__(self, text: str) -> str:
        text = self.places.sub("", text)
        text = text.replace(self.release, f"{platform.system()}/{SHOWN_RELEASE}")
        text = super().__call__(text)
        for fix in self.extra:
            text = fix(text)
        return text


class JsonCapture(Capture):
    """`fifth_held.Capture`, with a seeded share of the records written as the app's JSON log
    handler writes them (one line each, a fixed clock moving on a little each record)."""

    def __init__(self, seed: int, *names: str, share: float = JSON_SHARE) -> None:
        super().__init__(*names)
        self.seed = seed
        self.share = share

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        self.records[-1]["level"] = record.levelname

    def lines(self, fix: Any) -> list[Line]:
        r = random.Random(self.seed)
        now = datetime.datetime(2026, 9, 14, 7, 30, 0, 0)
        out: list[Line] = []
        for rec in self.records:
            now += datetime.timedelta(milliseconds=r.randint(3, 2400))
            if r.random() >= self.share:
                out += fresh_held._lines(rec, fix, rec["about"])
                continue
            args = rec["args"]
            if isinstance(args, dict):
                args = {k: fresh_held._value(v, fix) for k, v in args.items()}
            elif args:
                args = tuple(fresh_held._value(v, fix) for v in args)
            record = logging.makeLogRecord(
                {"name": rec["name"], "msg": fix(rec["msg"]), "args": args}
            )
            payload: dict[str, Any] = {
                "time": now.isoformat(timespec="milliseconds") + "Z",
                "level": rec.get("level", "INFO"),
                "logger": rec["name"],
                "message": record.getMessage(),
            }
            if rec.get("exc"):
                payload["exc_info"] = fix(rec["exc"])
            text = json.dumps(payload, ensure_ascii=False)
            out.append(Line(text, "%s", [text], rec["name"], rec["about"]))
        return out


# --- the emitters ---------------------------------------------------------------------------


def dicom_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventeenth_dicom

    fix = SeventeenthFix(seed)
    # the emitter hands its records on itself, in a fixed order
    with JsonCapture(seed + 11, share=DICOM_JSON_SHARE) as cap:
        seventeenth_dicom.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def slack_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventeenth_slack

    fix = SeventeenthFix(seed)
    with JsonCapture(seed + 12, "slack_sdk", "clinic.alerts") as cap:
        seventeenth_slack.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def es_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventeenth_es

    fix = SeventeenthFix(seed)
    # `elastic_transport.node` does not propagate: the operator attaches the handler to it too,
    # as `elastic_transport.debug_logging()` does
    names = ("elasticsearch", "elastic_transport", "elastic_transport.node", "clinic.search")
    with JsonCapture(seed + 13, *names) as cap:
        seventeenth_es.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def voluptuous_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import seventeenth_voluptuous

    fix = SeventeenthFix(seed)
    with JsonCapture(seed + 14, "clinic.intake") as cap:
        seventeenth_voluptuous.drive(seed, patients, cap)
    return cap.lines(fix)


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = SeventeenthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("pynetdicom", dicom_lines, patients[:130]),
        ("slack_sdk", slack_lines, patients[130:260]),
        ("elasticsearch", es_lines, patients[260:390]),
        ("voluptuous", voluptuous_lines, patients[390:520]),
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
