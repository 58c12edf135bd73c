"""The held-out emitters of the ninth corpus (see `ninth.py`), each a real library run over the
synthetic patients of `ninth_people.py` as the jobs and services of a Django application
handling patients run it (loopback only: 127.0.0.1):

- `botocore`: boto3 clients of the app's notification, document and cache jobs
  (`ninth_aws.py`): SNS `publish` (SMS to the patient's phone, front-desk topics), SES
  `send_email` (statements, welcome mails), S3 `put_object` (consent forms under keys with the
  MRN, name and date of birth, `x-amz-meta-*` metadata), `get_object`/`head_object` of missing
  insurance-card and licence scans, DynamoDB `put_item`/`get_item` of a patient cache, against a
  stdlib `ThreadingHTTPServer` on a free loopback port answering as AWS does (XML and JSON
  bodies, AWS error documents: `InvalidParameter`, `MessageRejected`, `NoSuchKey`,
  `ConditionalCheckFailedException`, `ValidationException`). Captured: the `botocore` loggers
  at DEBUG (`Making request for OperationModel(...) with params: {...}`, `Sending http
  request: <AWSPreparedRequest ...>`, SigV4's `CanonicalRequest`/`StringToSign` lines,
  `Response headers`, `Response body`, endpoint resolution with bucket and key, hooks, retries)
  and what the jobs log: `ClientError` messages, `ParamValidationError`s quoting the value
  (`Invalid type for parameter ..., value: ...`), `logger.exception` tracebacks. Ops events,
  purchase orders to suppliers, inventory reports, slot and stock caches for the benign lines.
- `jinja2`: Jinja2 templates of the app's patient communications (`ninth_letters.py`): SMS
  reminders, recall letters, statements, portal e-mails (autoescaped HTML), referral faxes,
  rendered and logged (one line, or a letter line by line), `UndefinedError`s under
  `StrictUndefined`, `TemplateSyntaxError`s of templates staff edited (message, line, source)
  and `TemplateNotFound`; purchase orders, rota notices and maintenance texts for the benign
  lines.
- `pyjwt`: PyJWT issuing and checking the patient portal's tokens (`ninth_tokens.py`): the
  claims issued and decoded (name, e-mail, birthdate, phone, member id, address), the
  unverified claims and headers of rejected tokens with each PyJWT error (expired, audience,
  issuer, not yet valid, missing claim, bad signature, malformed, algorithm not allowed), some
  with `logger.exception` tracebacks; service-to-service tokens (logged whole) of the
  inventory, scheduling and backup jobs for the benign lines.
- `vobject`: vCards of patients and their emergency contacts (`ninth_cards.py`) serialised,
  parsed and walked with vobject in the contact export and import jobs: content lines (`N`,
  `FN`, `TEL`, `EMAIL`, `ADR`, `BDAY`, `NOTE`, `X-` properties), `repr`s of components and
  properties, and the `ParseError`s of malformed uploads (with tracebacks). Supplier and staff
  directory cards (folded as vobject folds them) for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`). A
line about a patient that holds one of their values in a form `harvest.label` does not know, or
that shows another patient, is dropped, never labelled benign (`fifth_held._rows`). A benign
line is checked once more against every patient (`sixth_held._benign_checked`). Up to `LINES`
distinct lines of each emitter (a seeded choice) are labelled; the driver samples 300 with PHI
and 300 benign of them.

Memory addresses, paths, the port, SigV4 timestamps (a seeded clock), botocore's invocation ids,
the portal's clock and the server's dates are replaced by fixed or seeded values. Needs the
`bench` extra (Faker) and boto3, Jinja2, PyJWT (with `cryptography`) and vobject.
"""

from __future__ import annotations

import collections.abc
import logging
import random
import re
import sys
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

import fifth_held  # noqa: E402
from fifth_held import Capture, FifthFix  # noqa: E402
from fresh_held import Line  # noqa: E402
from ninth_people import NinthPeople  # noqa: E402
from patients import Patient  # noqa: E402
from sixth_held import _benign_checked, _cached_renderings, _Everyone, _some  # noqa: E402

EMITTERS = ("botocore", "jinja2", "pyjwt", "vobject")
PATIENTS = 520
Row = dict[str, Any]


class NinthCapture(Capture):
    """`Capture`, keeping a record's one mapping argument that is not a `dict` (botocore logs
    its `HTTPHeaders` with `%r`) as the mapping it is."""

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if isinstance(args, collections.abc.Mapping) and not isinstance(args, dict):
            record.args = dict(args)
        super().emit(record)


class NinthFix(FifthFix):
    """`FifthFix`, then what this corpus's emitters write that changes from run to run as
    seeded values: botocore's `amz-sdk-invocation-id`s, and SigV4's signatures and the hashes
    of its canonical requests (they follow the server's real port: each distinct one gets the
    next seeded value, so a signature logged twice stays the same)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        ids = random.Random(seed + 13)
        hashes = random.Random(seed + 17)
        shown: dict[str, str] = {}

        def signed(real: str) -> str:
            if real not in shown:
                shown[real] = f"{hashes.getrandbits(256):064x}"
            return shown[real]

        self.patterns += [
            (
                re.compile(r"('amz-sdk-invocation-id': b?')[0-9a-f-]{36}'"),
                lambda m: f"{m.group(1)}{uuid.UUID(int=ids.getrandbits(128), version=4)}'",
            ),
            (re.compile(r"\A[0-9a-f]{64}\Z"), lambda m: signed(m.group(0))),
            (
                re.compile(r"(AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\S+\n)([0-9a-f]{64})\Z"),
                lambda m: m.group(1) + signed(m.group(2)),
            ),
            (re.compile(r"(Signature=)([0-9a-f]{64})"), lambda m: m.group(1) + signed(m.group(2))),
        ]


def botocore_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import ninth_aws

    fix = NinthFix(seed)
    with NinthCapture("botocore", "clinic.aws") as cap:
        ninth_aws.drive(seed, patients, cap, fix)
    return cap.lines(fix)


def jinja2_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import ninth_letters

    with NinthCapture("clinic.letters") as cap:
        ninth_letters.drive(seed, patients, cap)
    return cap.lines(NinthFix(seed))


def pyjwt_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import ninth_tokens

    with NinthCapture("clinic.portal.auth") as cap:
        ninth_tokens.drive(seed, patients, cap)
    return cap.lines(NinthFix(seed))


def vobject_lines(seed: int, patients: list[Patient]) -> list[Line]:
    import ninth_cards

    with NinthCapture("clinic.contacts") as cap:
        ninth_cards.drive(seed, patients, cap)
    return cap.lines(NinthFix(seed))


def collect(seed: int, only: list[str] | None = None) -> list[Row]:
    people = NinthPeople(seed + 1)
    patients = [people.patient() for _ in range(PATIENTS)]
    parts = [
        ("botocore", botocore_lines, patients[:130]),
        ("jinja2", jinja2_lines, patients[130:260]),
        ("pyjwt", pyjwt_lines, patients[260:390]),
        ("vobject", vobject_lines, patients[390:520]),
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
