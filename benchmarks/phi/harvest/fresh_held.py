"""The held-out emitters of the fresh corpus (see `fresh.py`), each a real library or server, run
in child processes over the `fresh_site` Django project (SQLite in a temp dir):

- `django.mail`: `fresh_site.mail_worker`, Django's e-mail machinery with a backend that logs
  each message as the console backend prints it (`message().as_bytes()`, line by line):
  `send_mail` appointment reminders, `EmailMessage` lab result notices (cc, reply-to, extra
  headers), `EmailMultiAlternatives` statements with an HTML part, a text attachment,
  `mail_managers`, `PasswordResetForm.save()`, the error reports `AdminEmailHandler` mails for
  requests (Django's test `Client`) that fail with a patient in the path, query or POST data,
  and `BrokenLinkEmailsMiddleware`'s reports; newsletters, backups, orders and invoices, and
  failing requests about orders and events for the benign lines. A header line whose patient
  value a fold cuts, and the patient's lines of a quoted-printable or base64 body, are dropped.
- `import-export`: `fresh_site.import_worker`, django-import-export resources over real models:
  batches of patients (tablib datasets, built or loaded from CSV or JSON) with invalid rows,
  updates, coverage rows with a foreign key by MRN; the totals, `InvalidRow`s, row `Error`s with
  their tracebacks, `RowResult` diffs and `object_repr`s, failed rows and exports (CSV, TSV,
  JSON), logged as an app logs them, and import-export's own DEBUG records; products, slots,
  stock and orders for the benign lines.
- `python.exceptions`: `fresh_site.exceptions_worker`, `fresh_site.services` failing over each
  patient: the stdlib (`KeyError`, `int()`, `strptime`/`fromisoformat`, `json`, codecs,
  `ipaddress`, format specs, `assert`), Django's `DoesNotExist`, `MultipleObjectsReturned`,
  `IntegrityError` and `ValidationError`, and the app's f-string messages; logged with
  `logger.exception`, `str(exc)`/`repr(exc)` in a message, `traceback.format_exc()`,
  `format_exception_only()` or `TracebackException(..., capture_locals=True)`; orders,
  invoices, products and events for the benign lines.
- `uvicorn`: a real uvicorn (h11) serving `fresh_site.asgi:app`, a plain ASGI app, on a free
  loopback port; its `uvicorn.error` and `uvicorn.access` records are written as JSON lines
  by a `--log-config` handler, with their templates and arguments. Requests carry patients'
  values in paths and query strings (percent-encoded, nested), some with the patient's address
  in `X-Forwarded-For` (uvicorn trusts it from 127.0.0.1), some over HTTP/1.0, some invalid
  (raw socket), some with an unsupported upgrade; the app answers 2xx to 4xx, raises (logged
  with the traceback), fails after the response started or never answers. Health checks,
  static files, events, orders, jobs and versions for the benign lines.

One row per logged line: a record of one line keeps its template and arguments; each line of a
longer message, and of the traceback logged with it, is a row of its own (template `None`).
A line about a patient that holds one of their values in a form `harvest.label` does not know
(another date format, an escaped or encoded name, a lower-cased address, an e-mail's local
part) or that shows another patient is dropped, never labelled benign.

Clock times, pids, ports, paths, memory addresses, mail dates and ids, MIME boundaries and reset
tokens are replaced by seeded values. Needs the `bench` extra (django-import-export, uvicorn;
Django is a runtime dependency); no Debian package. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import datetime
import email.header
import email.utils
import json
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

from harvest import Normaliser, _row, label, template_and_args  # noqa: E402
from patients import Patient, People  # noqa: E402
from servers import free_port, stop_pid, wait_for_port  # noqa: E402

EMITTERS = ("django.mail", "import-export", "python.exceptions", "uvicorn")
PATIENTS = 450
Row = dict[str, Any]
SHOWN_TMP = "/var/lib/clinic"


# --- shared -----------------------------------------------------------------------------------


class Shown:
    """A logged argument that is not a primitive, as its `str` and `repr` (normalised)."""

    def __init__(self, text: str, representation: str) -> None:
        self.text, self.representation = text, representation

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.representation


@dataclasses.dataclass
class Line:
    """One logged line: its text, the record's template and arguments, the logger, the
    patients whose action wrote it."""

    text: str
    template: str
    args: Any
    name: str
    patients: list[Patient]


class Fix:
    """Replaces what changes from run to run (paths, the temp dir, memory addresses, mail dates
    and ids, MIME boundaries, reset tokens, server times) by seeded values, in record order."""

    def __init__(self, seed: int, tmp: Path | None = None) -> None:
        self.r = random.Random(seed)
        self.norm = Normaliser(seed)
        self.paths: list[tuple[str, str]] = []
        if tmp is not None:
            self.paths += [(str(tmp.resolve()), SHOWN_TMP), (str(tmp), SHOWN_TMP)]
        self.after = [(sys.executable, "/usr/bin/python3"), (sys.prefix, "/usr")]
        if sys.base_prefix != sys.prefix:
            self.after.append((sys.base_prefix, "/usr"))
        self.after.append((os.path.expanduser("~"), "/home/app"))
        self.boundaries: dict[str, str] = {}

    def stamp(self) -> str:
        moment = datetime.datetime(2025, 1, 1) + datetime.timedelta(
            seconds=self.r.randint(0, 364 * 86400)
        )
        return email.utils.format_datetime(moment)

    def boundary(self, match: re.Match[str]) -> str:
        real = match.group(0)
        if real not in self.boundaries:
            self.boundaries[real] = f"==============={self.r.randint(10**18, 10**19 - 1)}=="
        return self.boundaries[real]

    def __call__(self, text: str) -> str:
        for real, fake in self.paths:
            text = text.replace(real, fake)
        text = self.norm.text(text)
        for real, fake in self.after:
            text = text.replace(real, fake)
        text = re.sub(r"(?m)^Date: .+$", lambda m: f"Date: {self.stamp()}", text)
        text = re.sub(r"(?m)^Server time: .+$", lambda m: f"Server time: {self.stamp()}", text)
        text = re.sub(
            r"(?mi)^Message-ID: <[^>]+>",
            lambda m: (
                f"Message-ID: <{self.r.getrandbits(64):x}.{self.r.randint(1000, 99999)}"
                "@mail.clinic.example>"
            ),
            text,
        )
        text = re.sub(r"={15}\d+==", self.boundary, text)
        text = re.sub(
            r"(/reset/[\w-]+/)[0-9a-z]+-[0-9a-f]+/",
            lambda m: f"{m.group(1)}{self.r.getrandbits(36):x}-{self.r.getrandbits(128):032x}/",
            text,
        )
        return re.sub(r"\b0x[0-9a-f]{8,16}\b", lambda m: "0x7f3a2c1d9e80", text)


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = "fresh_site.settings"
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def _patients_json(patients: list[Patient]) -> str:
    return json.dumps([{**dataclasses.asdict(p), "dob": p.dob.isoformat()} for p in patients])


@contextmanager
def _workdir() -> Iterator[Path]:
    tmp = Path(tempfile.mkdtemp(prefix="harvest-fresh-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _value(v: Any, fix: Fix) -> Any:
    if isinstance(v, dict) and set(v) == {"str", "repr"}:
        return Shown(fix(v["str"]), fix(v["repr"]))
    return fix(v) if isinstance(v, str) else v


def _lines(rec: dict[str, Any], fix: Fix, patients: list[Patient]) -> list[Line]:
    """The lines of one record written by `fresh_site/jsonlog.py`: a one-line message keeps its
    template and arguments; the lines of a longer message and of its exception are each one
    finished string (`%s`)."""
    args = rec["args"]
    if isinstance(args, dict):
        args = {k: _value(v, fix) for k, v in args.items()}
    elif args:
        args = tuple(_value(v, fix) for v in args)
    record = logging.makeLogRecord({"name": rec["name"], "msg": fix(rec["msg"]), "args": args})
    text = record.getMessage()
    out: list[Line] = []
    if "\n" not in text:
        template, targs = template_and_args(record, text)
        out.append(Line(text, template, targs, rec["name"], patients))
    else:
        out += [Line(t, "%s", [t], rec["name"], patients) for t in text.split("\n")]
    if rec.get("exc"):
        out += [Line(t, "%s", [t], rec["name"], patients) for t in fix(rec["exc"]).split("\n")]
    return out


# --- what the labeller cannot see -----------------------------------------------------------

# A character written as an escape: \xe9, \\u00e9, =C3=A9 (quoted-printable), %C3%A9, &eacute;,
# or `?` for a character an encoding could not hold.
_ESCAPE = (
    r"(?:\\{1,2}x[0-9a-fA-F]{2}|\\{1,2}u[0-9a-fA-F]{4}|\\{1,2}U[0-9a-fA-F]{8}|=[0-9A-F]{2}"
    r"|%[0-9A-Fa-f]{2}|&#?\w+;|\?)+"
)


_HIDDEN: dict[int, tuple[Patient, list[re.Pattern[str]]]] = {}


def _hidden_forms(p: Patient) -> list[re.Pattern[str]]:
    """Patterns of a patient's values in forms `harvest.label` does not know: a line that holds
    one (outside its labelled spans) is dropped, never labelled benign."""
    if id(p) not in _HIDDEN:
        _HIDDEN[id(p)] = (p, _hidden_patterns(p))
    return _HIDDEN[id(p)][1]


def _hidden_patterns(p: Patient) -> list[re.Pattern[str]]:
    d = p.dob
    dates = {
        f"{d:%d/%m/%Y}",
        f"{d:%Y/%m/%d}",
        f"{d:%d-%m-%Y}",
        f"{d:%m-%d-%Y}",
        f"{d:%m/%d/%y}",
        f"{d:%d%m%Y}",
        f"{d:%m%d%Y}",
        f"{d:%b} {d.day:02d}",
        f"{d:%b} {d.day}, {d.year}",
        f"{d:%B} {d.day:02d}, {d.year}",
        f"{d:%d} {d:%B} {d.year}",
        f"{d.year}, {d.month}, {d.day}",
        f"tm_year={d.year}, tm_mon={d.month}, tm_mday={d.day}",
    }
    out = [re.compile(rf"(?<![\w/.-]){re.escape(f)}(?![\w/.-])") for f in dates]
    local = p.email.split("@")[0]
    if len(local) >= 4:
        out.append(re.compile(rf"(?<![\w.]){re.escape(local)}(?![\w.@])", re.IGNORECASE))
    for value in (p.street, p.city):
        out.append(re.compile(re.escape(value), re.IGNORECASE))
    for value in (p.first_name, p.last_name, p.street, p.city, p.email):
        if not any(ord(c) > 127 or c == "'" for c in value):
            continue
        pieces = []
        for c in value:
            if ord(c) > 127 or c == "'":
                pieces.append(_ESCAPE)
            elif c == " ":
                pieces.append(r"(?:[ _+]|%20|=20)")
            else:
                pieces.append(re.escape(c))
        out.append(re.compile("".join(pieces), re.IGNORECASE))
    return out


def _decoded_header(text: str) -> str:
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except (ValueError, LookupError, UnicodeDecodeError, email.errors.HeaderParseError):
        return text


def _checked_row(emitter: str, line: Line) -> Row | None:
    row = _row(emitter, line.text, line.template, line.args, line.patients)
    if row is None or not line.patients:
        return row
    text = line.text
    if "=?" in text:
        decoded = _decoded_header(text)
        if decoded != text:
            again = label(decoded, line.patients)
            if again is None or len(again) != len(row["spans"]):
                return None
    rest = text
    for start, end, _ in reversed(row["spans"]):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for p in line.patients:
        if any(pattern.search(rest) for pattern in _hidden_forms(p)):
            return None
    return row


class Leaks:
    """Finds another patient's e-mail, IP address, model `repr` or number (SSN, phone, MRN,
    account, member id, card: their digits) in a line: a line that shows a patient other than
    those whose action wrote it is dropped (the workers keep other patients out of their
    lines; this checks that they did)."""

    _TOKENS = re.compile(
        r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"
        r"|<Patient: [^>]+>"
    )
    _NUMBER = re.compile(r"\d(?:[\d \-.()\u00a0\u2011\u2013]*\d)?")

    def __init__(self, patients: list[Patient]) -> None:
        self.owners: dict[str, set[int]] = {}
        for p in patients:
            for value in (p.email, p.ip, repr(p)):
                self.owners.setdefault(value, set()).add(id(p))
            for value in (p.ssn, p.phone, p.mrn, p.account, p.member_id, p.card):
                digits = re.sub(r"\D", "", value)
                if len(digits) >= 7:
                    self.owners.setdefault(digits, set()).add(id(p))
        self.sizes = sorted({len(k) for k in self.owners if k.isdigit()})

    def __call__(self, text: str, patients: list[Patient]) -> bool:
        ids = {id(p) for p in patients}
        found = [m.group(0) for m in self._TOKENS.finditer(text)]
        for match in self._NUMBER.finditer(text):
            digits = re.sub(r"\D", "", match.group(0))
            for size in self.sizes:
                found += [digits[i : i + size] for i in range(len(digits) - size + 1)]
        for token in found:
            owners = self.owners.get(token)
            if owners is not None and not owners & ids:
                return True
        return False


def _rows(emitter: str, lines: list[Line], everyone: list[Patient]) -> list[Row]:
    leaks = Leaks(everyone)
    out: list[Row] = []
    # `harvest.label` compiles some hundreds of patterns per patient: keep them all in re's
    # cache while labelling the lines of several patients (only the speed changes).
    cache_size = re._MAXCACHE  # type: ignore[attr-defined]
    re._MAXCACHE = 20_000  # type: ignore[attr-defined]
    try:
        for line in lines:
            if not line.text.strip() or leaks(line.text, line.patients):
                continue
            row = _checked_row(emitter, line)
            if row is not None:
                out.append(row)
    finally:
        re._MAXCACHE = cache_size  # type: ignore[attr-defined]
    return out


def _worker(module: str, seed: int, patients: list[Patient]) -> list[Line]:
    """Runs `fresh_site.<module>` in a child process over SQLite in a temp dir; its lines."""
    with _workdir() as tmp:
        log = tmp / "records.jsonl"
        subprocess.run(
            [sys.executable, "-m", f"fresh_site.{module}", str(seed)],
            input=_patients_json(patients), text=True, check=True, cwd=tmp,
            env=_env(FRESH_SITE_LOG=str(log), FRESH_SITE_DB=str(tmp / "clinic.sqlite3")),
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        records = _read_jsonl(log)
        fix = Fix(seed, tmp)
        lines: list[Line] = []
        for rec in records:
            about = rec["about"]
            if about is None:
                about = []
            elif isinstance(about, int):
                about = [about]
            lines += _lines(rec, fix, [patients[i] for i in about])
    return lines


# --- django.mail ------------------------------------------------------------------------------


def _mail_drop(lines: list[Line]) -> set[int]:
    """The lines of the mails whose patient values a header fold splits (a value cut over two
    lines is in neither line whole), and the patient's lines of a body sent quoted-printable or
    base64 (where values are cut and escaped)."""
    groups: list[list[int]] = []
    drop: set[int] = set()
    in_headers, encoded = True, False
    for i, line in enumerate(lines):
        if line.name != "clinic.mail.outbox":
            continue
        text = line.text
        if text == "-" * 79 or text.startswith("--="):
            in_headers, encoded = True, False
        elif in_headers:
            if not text:
                in_headers = False
            elif text[:1] in " \t" and groups:
                groups[-1].append(i)
            else:
                groups.append([i])
                cte = text.lower().startswith("content-transfer-encoding:")
                if cte and text.split(":", 1)[1].strip().lower() in ("quoted-printable", "base64"):
                    encoded = True
        elif encoded and line.patients:
            drop.add(i)
    for group in groups:
        patients = lines[group[0]].patients
        if len(group) < 2 or not patients:
            continue
        whole = "".join(lines[i].text for i in group)
        spans = label(whole, patients)
        parts = [(lines[i].text, label(lines[i].text, patients)) for i in group]
        if spans is None or any(s is None for _, s in parts):
            drop.update(group)
            continue
        found = sorted(whole[s:e] for s, e, _ in spans)
        split = sorted(t[s:e] for t, ss in parts for s, e, _ in ss or [])
        if found != split:
            drop.update(group)
    return drop


def django_mail(seed: int, patients: list[Patient]) -> list[Row]:
    lines = _worker("mail_worker", seed, patients)
    drop = _mail_drop(lines)
    return _rows("django.mail", [line for i, line in enumerate(lines) if i not in drop], patients)


# --- import-export ----------------------------------------------------------------------------


def import_export(seed: int, patients: list[Patient]) -> list[Row]:
    return _rows("import-export", _worker("import_worker", seed, patients), patients)


# --- python.exceptions ------------------------------------------------------------------------


def python_exceptions(seed: int, patients: list[Patient]) -> list[Row]:
    return _rows("python.exceptions", _worker("exceptions_worker", seed, patients), patients)


# --- uvicorn ----------------------------------------------------------------------------------

UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "python-httpx/0.27.0",
    "okhttp/4.12.0",
    "kube-probe/1.29",
]
# (how to send it, method, target, extra headers, body, the patient it carries)
Request = tuple[str, str, str, dict[str, str], bytes, Patient | None]


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2024, 1, 1) + datetime.timedelta(days=r.randint(0, 700))


def _url_dob(p: Patient, r: random.Random) -> str:
    """The date of birth as clients put it in URLs (forms whose encoding the labeller knows)."""
    d = p.dob
    return r.choice(
        [
            d.isoformat(),
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            urllib.parse.quote(f"{d.month:02d}/{d.day:02d}/{d.year}", safe=""),
            f"{d.day:02d}.{d.month:02d}.{d.year}",
            f"{d.year}{d.month:02d}{d.day:02d}",
        ]
    )


def _uvicorn_requests(r: random.Random, patients: list[Patient]) -> list[Request]:
    q, qp = (lambda s: urllib.parse.quote(s, safe="")), urllib.parse.quote_plus
    out: list[Request] = []
    for p in patients:
        for kind in r.sample(range(14), 2):
            method, body, how = "GET", b"", "http"
            headers = {"User-Agent": r.choice(UAS)}
            if r.random() < 0.5:
                headers["X-Forwarded-For"] = p.ip
            if kind == 0:
                target = f"/patients/by-mrn/{q(p.mrn)}"
            elif kind == 1:
                target = f"/patients/by-ssn/{q(p.ssn)}"
            elif kind == 2:
                target = f"/patients/by-name/{q(p.last_name)}/{q(p.first_name)}"
            elif kind == 3:
                target = f"/patients/search?q={qp(p.full_name)}&dob={_url_dob(p, r)}"
            elif kind == 4:
                inner = f"/patients/search?dob={p.dob}&last_name={qp(p.last_name)}"
                target = f"/accounts/login?next={q(inner)}"
                if r.random() < 0.3:
                    target = f"/accounts/login?next={q(q(inner))}"
            elif kind == 5:
                method = "POST"
                target = f"/patients/{r.randint(1, 99999)}/contact?phone={qp(p.phone)}"
                body = urllib.parse.urlencode({"email": p.email}).encode()
            elif kind == 6:
                target = f"/eligibility?member_id={qp(p.member_id)}&dob={p.dob}&mbi={qp(p.mbi)}"
            elif kind == 7:
                target = f"/claims?account={p.account}&zip={p.zip}"
            elif kind == 8:
                system = "urn:oid:2.16.840.1.113883.4.1"
                target = f"/fhir/Patient?identifier={q(system + '|' + p.ssn)}&birthdate={p.dob}"
            elif kind == 9:
                address = f"{p.street}, {p.city}, {p.state} {p.zip}"
                target = f"/geo?address={qp(address)}"
            elif kind == 10:
                target = f"/export/patients.csv?mrn={qp(p.mrn)}&email={q(p.email)}"
            elif kind == 11:
                target = f"/fhir/Patient?telecom={q(p.phone)}&email={q(p.email)}"
            elif kind == 12:
                how = "http10"
                target = f"/patients/by-mrn/{q(p.mrn)}?licence={qp(p.licence)}"
            else:
                how = "invalid"
                target = r.choice([f"/patients/search?q={p.full_name}",
                                   f"/patients/{q(p.mrn)} /chart"])  # fmt: skip
            out.append((how, method, target, headers, body, p))
    for _ in range(len(patients) * 2):
        day = _day(r)
        method, body, how = "GET", b"", "http"
        headers = {"User-Agent": r.choice(UAS)}
        if r.random() < 0.3:
            headers["X-Forwarded-For"] = (
                f"10.{r.randint(0, 9)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
            )
        version = f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}"
        order = f"ORD-{r.randint(2023, 2025)}-{r.randint(1, 99999):05d}"
        target = r.choice(
            [
                f"/healthz?t={r.randint(1, 99999)}",
                f"/static/js/app.{version}.min.js",
                f"/static/css/site.css?v={day:%Y%m%d}",
                f"/static/js/vendor.{r.getrandbits(32):08x}.js.map",
                f"/api/events?date={day}&page={r.randint(1, 9)}",
                f"/api/events?date={day.year}-{day.month:02d}-{r.randint(29, 33)}",
                f"/api/orders/{order}",
                f"/api/orders/SO{r.randint(1000000, 9999999)}?expand=lines",
                f"/api/invoices?number=INV-{r.randint(10000, 999999)}",
                f"/api/jobs/{uuid.UUID(int=r.getrandbits(128), version=4)}?rows={r.randint(1, 9)}",
                f"/api/version?client={version}",
                f"/metrics?since={day}",
                f"/wp-login.php?redirect_to={urllib.parse.quote('/wp-admin/', safe='')}",
            ]
        )
        if target.startswith("/static/") and r.random() < 0.2:
            headers["If-None-Match"] = f'"{r.getrandbits(40):010x}"'
        roll = r.random()
        if roll < 0.05:
            how = "invalid"
            target = r.choice([f"/api/events?date={day} page=2", "/static/../../etc/passwd HTTP"])
        elif roll < 0.1:
            how = "upgrade"
        elif roll < 0.15:
            how = "http10"
        elif roll < 0.2:
            method = r.choice(["HEAD", "OPTIONS", "DELETE"])
        out.append((how, method, target, headers, body, None))
    r.shuffle(out)
    return out


def _send(port: int, request: Request) -> None:
    import http.client
    import socket

    how, method, target, headers, body, _ = request
    if how in ("http", "upgrade"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if how == "upgrade":
            headers = {**headers, "Connection": "Upgrade", "Upgrade": "h2c"}
        if body:
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            conn.request(method, target, body=body or None, headers=headers)
            conn.getresponse().read()
        except http.client.HTTPException:
            pass  # the app failed after the response started: uvicorn closed the connection
        finally:
            conn.close()
        return
    version = "HTTP/1.0" if how == "http10" else "HTTP/1.1"
    raw = f"{method} {target} {version}\r\nHost: 127.0.0.1:{port}\r\n"
    raw += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(raw.encode("utf-8"))
        while sock.recv(65536):
            pass


class _Tail:
    """The records the server has written since the last call."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset = path, 0

    def read(self, at_least: int = 0, wait_s: float = 5.0) -> list[dict[str, Any]]:
        end = time.monotonic() + wait_s
        out: list[dict[str, Any]] = []
        while True:
            if self.path.exists():
                with self.path.open("rb") as f:
                    f.seek(self.offset)
                    data = f.read()
                complete = data[: data.rfind(b"\n") + 1]
                self.offset += len(complete)
                out += [json.loads(x) for x in complete.decode("utf-8").splitlines() if x]
            if len(out) >= at_least or time.monotonic() > end:
                return out
            time.sleep(0.02)


def uvicorn_rows(seed: int, patients: list[Patient]) -> list[Row]:
    r = random.Random(seed)
    requests = _uvicorn_requests(r, patients)
    items: list[tuple[dict[str, Any], list[Patient]]] = []
    with _workdir() as tmp:
        log, config = tmp / "records.jsonl", tmp / "logging.json"
        handler = {"()": "fresh_site.jsonlog.JsonLines", "path": str(log)}
        loggers = {name: {"handlers": ["jsonl"], "level": "INFO", "propagate": False}
                   for name in ("uvicorn", "uvicorn.error", "uvicorn.access")}  # fmt: skip
        settings = {"version": 1, "disable_existing_loggers": False,
                    "handlers": {"jsonl": handler}, "loggers": loggers}  # fmt: skip
        config.write_text(json.dumps(settings))
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "fresh_site.asgi:app", "--host", "127.0.0.1",
             "--port", str(port), "--log-config", str(config), "--lifespan", "on",
             "--no-use-colors"],
            env=_env(), cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        tail = _Tail(log)
        try:
            wait_for_port(port, 30)
            items += [(rec, []) for rec in tail.read(at_least=4)]
            for request in requests:
                _send(port, request)
                patient = request[5]
                items += [(rec, [patient] if patient else []) for rec in tail.read(at_least=1)]
        finally:
            stop_pid(proc.pid)
        items += [(rec, []) for rec in tail.read(wait_s=0)]
        fix = Fix(seed, tmp)
    shown_port = r.randint(8000, 8999)
    pid = r.randint(1000, 60000)
    lines: list[Line] = []
    for rec, about in items:
        args = rec["args"]
        if rec["msg"] in ("Started server process [%d]", "Finished server process [%d]"):
            rec["args"] = [pid]
        elif rec["msg"].startswith("Uvicorn running on") and args:
            rec["args"] = [args[0], args[1], shown_port]
        elif rec["name"] == "uvicorn.access" and args:
            client = args[0]
            if client.startswith("127.0.0.1:"):
                client = f"127.0.0.1:{r.randint(32768, 60999)}"
            rec["args"] = [client, *args[1:]]
        lines += _lines(rec, fix, about)
    return _rows("uvicorn", lines, patients)


# --- the run ----------------------------------------------------------------------------------


def collect(seed: int) -> list[Row]:
    people = People(seed)
    patients = [people.patient() for _ in range(PATIENTS)]
    # Each emitter gets the patients it needs for well over 300 distinct lines with PHI (the
    # labeller's time grows with the lines about patients); the slices overlap.
    return [
        *django_mail(seed + 1, patients[:250]),
        *import_export(seed + 2, patients[200:]),
        *python_exceptions(seed + 3, patients[100:400]),
        *uvicorn_rows(seed + 4, patients),
    ]
