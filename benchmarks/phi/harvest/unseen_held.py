"""The held-out emitters of the unseen corpus (see `unseen.py`), each a real library or server:

- `django.request`: the `held_site` Django project served by `manage.py runserver --noreload
  --nothreading` on a free loopback port; requests carry patients' values in paths and query
  strings (also nested and percent-encoded), some with a Host header not in `ALLOWED_HOSTS`;
  views answer 200, 304, 400, 403 (also CSRF), 404 and 500 and raise `DisallowedHost`,
  `SuspiciousOperation` and `SuspiciousFileOperation`. The records of `django.server`,
  `django.request` and `django.security.*` are written by a JSON-lines handler in the server
  process, with their templates and arguments.
- `django.validation`: `held_site.validate` in a child process: `full_clean()`/`save()` of real
  models over SQLite in a temp dir, the `ValidationError`s (`message_dict`, `messages`, `repr`),
  the instances' `str`/`repr`, and the admin's `LogEntry` texts, logged as application code logs
  them; events, orders and invoices for the benign lines.
- `loguru`: `held_site.loguru_worker` in a child process, loguru's own sinks (default format, the
  default format with `{extra}`, `serialize=True`; `backtrace=True, diagnose=True`), `bind`,
  `contextualize`, `opt(lazy=True)`, `logger.exception`. One row per line loguru writes (a
  traceback stays in its line's row).
- `urllib3`: `requests` and `urllib3` in this process calling `held_site.ehr_api` (a stand-in
  EHR/insurer API on a free loopback port), with urllib3's DEBUG logger and the client's own
  logger captured: connections, request lines with query strings, retries after dropped
  connections and 503s, `raise_for_status()` texts, JSON bodies logged at debug.

Clock times, pids, thread ids, ports, paths and memory addresses are replaced by seeded values.
Needs the `bench` extra (loguru; Django and requests are runtime dependencies); no Debian
package. One to two minutes on two shared cores.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

from harvest import Normaliser, _row, template_and_args  # noqa: E402
from patients import Patient, People  # noqa: E402
from servers import free_port, stop_pid, wait_for_port  # noqa: E402

EMITTERS = ("django.request", "django.validation", "loguru", "urllib3")
PATIENTS = 450
Row = dict[str, Any]


# --- shared -----------------------------------------------------------------------------------


class Shown:
    """A logged argument that is not a primitive, as its `str` and `repr` (normalised)."""

    def __init__(self, text: str, representation: str) -> None:
        self.text, self.representation = text, representation

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.representation


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = "held_site.settings"
    env.update(extra)
    return env


def _patients_json(patients: list[Patient]) -> str:
    return json.dumps([{**dataclasses.asdict(p), "dob": p.dob.isoformat()} for p in patients])


def _value(v: Any, fix: Callable[[str], str]) -> Any:
    if isinstance(v, dict) and set(v) == {"str", "repr"}:
        return Shown(fix(v["str"]), fix(v["repr"]))
    return fix(v) if isinstance(v, str) else v


def _record(row: dict[str, Any], fix: Callable[[str], str]) -> logging.LogRecord:
    """The record the JSON-lines handler wrote (`held_site/jsonlog.py`), made again."""
    args = row["args"]
    if isinstance(args, dict):
        args = {k: _value(v, fix) for k, v in args.items()}
    elif args:
        args = tuple(_value(v, fix) for v in args)
    return logging.makeLogRecord({"name": row["name"], "msg": fix(row["msg"]), "args": args})


def _rows(emitter: str, items: list[tuple[logging.LogRecord | str, list[Patient]]]) -> list[Row]:
    out: list[Row] = []
    for item, patients in items:
        if isinstance(item, str):
            text, template, args = item, "%s", [item]
        else:
            text = item.getMessage()
            template, args = template_and_args(item, text)
        row = _row(emitter, text, template, args, patients)
        if row is not None:
            out.append(row)
    return out


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@contextmanager
def _workdir() -> Iterator[Path]:
    tmp = Path(tempfile.mkdtemp(prefix="harvest-held-"))
    try:
        yield tmp
    finally:
        for child in tmp.iterdir():
            child.unlink()
        tmp.rmdir()


def _day(r: random.Random) -> Any:
    import datetime

    return datetime.date(2024, 1, 1) + datetime.timedelta(days=r.randint(0, 700))


def _uid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def _order(r: random.Random) -> str:
    return r.choice(
        [
            f"ORD-{r.randint(2023, 2025)}-{r.randint(1, 99999):05d}",
            f"{r.randint(100000, 99999999)}",
            f"SO{r.randint(1000000, 9999999)}",
        ]
    )


def _version(r: random.Random) -> str:
    return f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}"


# --- django.request ---------------------------------------------------------------------------

SCANNER_HOSTS = [
    "203.0.113.45",
    "198.51.100.7:8080",
    "clinic-prod-lb-1931.internal",
    "localhost.localdomain",
    "www.example.com",
    "10.0.3.17",
    "api.clinic.example",
    "[::ffff:192.0.2.1]",
]
Request = tuple[str, str, str | None, bytes, Patient | None]


def _site_requests(r: random.Random, patients: list[Patient]) -> list[Request]:
    q, qp = (lambda s: urllib.parse.quote(s, safe="")), urllib.parse.quote_plus
    out: list[Request] = []
    for p in patients:
        for kind in r.sample(range(14), 2):
            method, body = "GET", b""
            if kind == 0:
                target = f"/patients/by-ssn/{q(p.ssn)}/"
            elif kind == 1:
                target = f"/patients/by-mrn/{q(p.mrn)}/"
            elif kind == 2:
                target = f"/patients/by-email/{urllib.parse.quote(p.email, safe='@')}/"
            elif kind == 3:
                target = f"/patients/by-name/{q(p.last_name)}/{q(p.first_name)}/"
            elif kind == 4:
                target = f"/patients/search/?q={qp(p.full_name)}&dob={p.dob}"
            elif kind == 5:
                dob = r.choice([f"{p.dob:%m/%d/%Y}", f"{p.dob:%d.%m.%Y}"])
                target = f"/patients/search/?last_name={qp(p.last_name)}&dob={qp(dob)}"
            elif kind == 6:
                inner = f"/patients/search/?dob={p.dob}&last_name={qp(p.last_name)}"
                target = f"/accounts/login/?next={q(inner)}"
                if r.random() < 0.3:
                    target = f"/accounts/login/?next={q('https://portal.example.net' + inner)}"
            elif kind == 7:
                target = f"/patients/{r.randint(1, 99999)}/?mrn={qp(p.mrn)}"
            elif kind == 8:
                target = f"/patients/{r.randint(1, 99999)}/chart/?dob={p.dob}&zip={p.zip}"
            elif kind == 9:
                method = "POST"
                target = f"/patients/{r.randint(1, 99999)}/edit/?phone={qp(p.phone)}"
                body = urllib.parse.urlencode({"phone": p.phone, "email": p.email}).encode()
            elif kind == 10:
                name = f"{p.last_name}, {p.first_name} {p.dob}.pdf"
                target = f"/records/{r.choice(['../', '../../', '..%2F'])}{q(name)}"
            elif kind == 11:
                target = f"/patients/by-phone/{q(p.phone)}/"
            elif kind == 12:
                target = f"/patients/search/?q={qp(p.member_id)}&zip={p.zip}&city={qp(p.city)}"
            else:
                target = f"/patients/search/?q={qp(p.email)}&street={qp(p.street)}"
            host = r.choice(SCANNER_HOSTS) if r.random() < 0.08 else None
            out.append((method, target, host, body, p))
    for _ in range(len(patients) * 2):
        day = _day(r)
        method, body = "GET", b""
        target = r.choice(
            [
                f"/healthz?t={r.randint(1, 99999)}",
                f"/static/js/app.{_version(r)}.min.js",
                f"/static/css/site.css?v={day:%Y%m%d}",
                f"/static/js/vendor.{r.getrandbits(32):08x}.js.map",
                f"/api/events/?date={day}&page={r.randint(1, 9)}",
                f"/api/events/?start={day:%m/%d/%Y}&limit={r.choice([10, 25, 50])}",
                f"/api/orders/{_order(r)}/",
                f"/api/invoices/?number={r.choice(['INV-', 'X'])}{r.randint(10000, 999999)}",
                f"/api/jobs/{_uid(r)}/?rows={r.randint(1, 999)}",
                f"/api/version?client={_version(r)}",
                f"/go/?to={q(r.choice(['javascript:alert(1)', 'ftp://10.0.0.5/', '/dashboard/']))}",
                f"/wp-login.php?redirect_to={q('/wp-admin/')}&reauth=1",
                f"/records/../../etc/passwd.{r.randint(1, 99)}",
            ]
        )
        if target.startswith("/api/orders/") and r.random() < 0.3:
            method, body = "POST", json.dumps({"qty": r.randint(1, 9)}).encode()
        host = r.choice(SCANNER_HOSTS) if r.random() < 0.1 else None
        out.append((method, target, host, body, None))
    r.shuffle(out)
    return out


def django_request(seed: int, patients: list[Patient]) -> list[Row]:
    r = random.Random(seed)
    requests = _site_requests(r, patients)
    with _workdir() as tmp:
        log = tmp / "records.jsonl"
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", "--nothreading",
             "--skip-checks", f"127.0.0.1:{port}"],
            env=_env(HELD_SITE_LOG=str(log)), cwd=tmp,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for_port(port, 60)
            for method, target, host, body, _ in requests:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
                conn.putheader("Host", host or f"127.0.0.1:{port}")
                if target.startswith("/static/") and r.random() < 0.2:
                    conn.putheader("If-None-Match", f'"{r.getrandbits(40):010x}"')
                if body:
                    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body or None)
                conn.getresponse().read()
                conn.close()
            end = time.monotonic() + 20
            while time.monotonic() < end:
                served = [x for x in _read_jsonl(log) if x["name"] == "django.server"]
                if len(served) >= len(requests):
                    break
                time.sleep(0.1)
        finally:
            stop_pid(proc.pid)
        records = _read_jsonl(log)
    items: list[tuple[logging.LogRecord | str, list[Patient]]] = []
    index = 0
    for rec in records:
        if index >= len(requests):
            raise RuntimeError("the server logged more requests than were sent")
        patient = requests[index][4]
        items.append((_record(rec, lambda s: s), [patient] if patient else []))
        if rec["name"] == "django.server":
            index += 1
    if index != len(requests):
        raise RuntimeError(f"runserver logged {index} requests of {len(requests)}")
    return _rows("django.request", items)


# --- django.validation ------------------------------------------------------------------------


def django_validation(seed: int, patients: list[Patient]) -> list[Row]:
    with _workdir() as tmp:
        log = tmp / "records.jsonl"
        subprocess.run(
            [sys.executable, "-m", "held_site.validate", str(seed)],
            input=_patients_json(patients), text=True, check=True, cwd=tmp,
            env=_env(HELD_SITE_LOG=str(log), HELD_SITE_DB=str(tmp / "clinic.sqlite3")),
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        records = _read_jsonl(log)
    items: list[tuple[logging.LogRecord | str, list[Patient]]] = []
    for rec in records:
        about = rec["about"]
        items.append((_record(rec, lambda s: s), [patients[about]] if about is not None else []))
    return _rows("django.validation", items)


# --- loguru -----------------------------------------------------------------------------------


def loguru_rows(seed: int, patients: list[Patient]) -> list[Row]:
    done = subprocess.run(
        [sys.executable, "-m", "held_site.loguru_worker", str(seed)],
        input=_patients_json(patients), text=True, check=True, capture_output=True,
        env=_env(), cwd=HERE,
    )  # fmt: skip
    norm = Normaliser(seed)
    items: list[tuple[logging.LogRecord | str, list[Patient]]] = []
    for line in done.stdout.splitlines():
        row = json.loads(line)
        about = row["about"]
        items.append((norm.text(row["text"]), [patients[about]] if about is not None else []))
    return _rows("loguru", items)


# --- urllib3 ----------------------------------------------------------------------------------


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[logging.LogRecord, Patient | None]] = []
        self.about: Patient | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record, self.about))


class EhrClient:
    """What an app's EHR/insurer client does, with `requests` and `urllib3`."""

    def __init__(self, r: random.Random, base: str) -> None:
        self.r, self.base = r, base
        self.log = logging.getLogger("clinic.ehr")

    def session(self) -> Any:
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        s = requests.Session()
        retry = Retry(total=3, backoff_factor=0, status_forcelist=[502, 503, 504],
                      allowed_methods=None, raise_on_status=False)  # fmt: skip
        s.mount("http://", HTTPAdapter(max_retries=retry))
        return s

    def call(self, s: Any, method: str, path: str, **kw: Any) -> None:
        import requests

        if "json" in kw and self.r.random() < 0.7:
            self.log.debug("%s %s body=%s", method, path, json.dumps(kw["json"]))
        try:
            resp = s.request(method, self.base + path, timeout=10, **kw)
            resp.raise_for_status()
        except requests.HTTPError as exc:
            style = self.r.randrange(3)
            if style == 0:
                self.log.warning("EHR call failed: %s", exc)
            elif style == 1:
                self.log.error("%s", exc)
            else:
                self.log.warning("eligibility request %s failed (%s)", exc.request.url, exc)
        except requests.ConnectionError as exc:
            self.log.error("EHR unreachable: %s", exc)
        else:
            if self.r.random() < 0.3:
                self.log.debug("%s %s -> %s (%d bytes)", method, resp.url, resp.status_code,
                               len(resp.content))  # fmt: skip

    def patient(self, p: Patient) -> None:
        import urllib3

        r = self.r
        q = lambda s: urllib.parse.quote(s, safe="")  # noqa: E731
        with self.session() as s:
            for kind in r.sample(range(11), 2):
                if kind == 0:
                    params = {"family": p.last_name, "given": p.first_name, "birthdate": str(p.dob)}
                    self.call(s, "GET", "/fhir/Patient", params=params)
                elif kind == 1:
                    system = r.choice(
                        ["http://hl7.org/fhir/sid/us-ssn", "urn:oid:2.16.840.1.113883.4.1"]
                    )
                    self.call(s, "GET", "/fhir/Patient", params={"identifier": f"{system}|{p.ssn}"})
                elif kind == 2:
                    params = {"member_id": p.member_id, "dob": f"{p.dob:%m/%d/%Y}", "mbi": p.mbi}
                    self.call(s, "GET", "/busy/eligibility", params=params)
                elif kind == 3:
                    body = {"subscriber": {"memberId": p.member_id, "firstName": p.first_name,
                            "lastName": p.last_name, "dateOfBirth": str(p.dob)},
                            "serviceType": "30"}  # fmt: skip
                    self.call(s, "POST", f"/flaky/coverage/{r.randint(1, 99999)}", json=body)
                elif kind == 4:
                    self.call(s, "GET", f"/missing/Patient/{q(p.mrn)}")
                elif kind == 5:
                    http = urllib3.PoolManager()
                    resp = http.request(
                        "GET", f"{self.base}/fhir/Patient?email={q(p.email)}&_count=1"
                    )
                    if resp.status >= 400:
                        self.log.warning("lookup by email returned %s", resp.status)
                    http.clear()
                elif kind == 6:
                    params = {"subscriber": p.full_name, "zip": p.zip}
                    self.call(s, "GET", f"/coverage/{q(p.mbi)}", params=params)
                elif kind == 7:
                    body = {"resourceType": "Parameters", "parameter": [
                        {"name": "family", "valueString": p.last_name},
                        {"name": "birthDate", "valueDate": str(p.dob)},
                        {"name": "phone", "valueString": p.phone},
                        {"name": "address",
                         "valueString": f"{p.street}, {p.city}, {p.state} {p.zip}"},
                    ]}  # fmt: skip
                    self.call(s, "POST", "/fhir/Patient/$match", json=body)
                elif kind == 8:
                    self.call(s, "GET", "/fhir/Patient", params={"telecom": p.phone})
                elif kind == 9:
                    family = urllib.parse.quote_plus(p.last_name)
                    inner = f"/fhir/Patient?birthdate={p.dob}&family={family}"
                    self.call(s, "GET", f"/oauth/authorize?client_id=portal&state={q(inner)}")
                else:
                    params = {"account": p.account, "card_last4": p.card[-4:], "email": p.email}
                    self.call(s, "GET", "/flaky/billing/statement", params=params)

    def benign(self) -> None:
        import urllib3

        r = self.r
        day = _day(r)
        with self.session() as s:
            kind = r.randrange(9)
            if kind == 0:
                self.call(
                    s, "GET", "/api/events", params={"date": str(day), "page": r.randint(1, 9)}
                )
            elif kind == 1:
                self.call(s, "GET", f"/api/orders/{_order(r)}")
            elif kind == 2:
                self.call(s, "GET", "/fhir/metadata", params={"_format": "json", "v": _version(r)})
            elif kind == 3:
                self.call(s, "GET", "/fhir/Appointment", params={"date": f"ge{day}", "_count": 50})
            elif kind == 4:
                self.call(s, "GET", f"/missing/invoices/INV-{r.randint(10000, 999999)}")
            elif kind == 5:
                self.call(s, "GET", f"/busy/jobs/{_uid(r)}", params={"rows": r.randint(1, 999)})
            elif kind == 6:
                body = {"event": "order.shipped", "order": _order(r), "date": str(day),
                        "build": f"{r.getrandbits(28):07x}"}  # fmt: skip
                self.call(s, "POST", f"/flaky/webhooks/{r.randint(1, 99999)}", json=body)
            elif kind == 7:
                http = urllib3.PoolManager()
                http.request("GET", f"{self.base}/api/health?since={day}&v={_version(r)}")
                http.clear()
            else:
                body = {"invoice": f"INV-{r.randint(10000, 999999)}", "amount": r.randint(1, 9999)}
                self.call(s, "PUT", f"/api/invoices/{r.randint(1, 99999)}", json=body)


def urllib3_rows(seed: int, patients: list[Patient]) -> list[Row]:
    r = random.Random(seed)
    port, shown_port = free_port(), r.randint(20000, 60999)
    capture = Capture()
    loggers = [logging.getLogger(name) for name in ("urllib3", "clinic.ehr")]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    proc = subprocess.Popen(
        [sys.executable, "-m", "held_site.ehr_api", str(port)], env=_env(), cwd=HERE,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.propagate = False
        lg.addHandler(capture)
    try:
        wait_for_port(port, 30)
        client = EhrClient(r, f"http://127.0.0.1:{port}")
        for p in patients:
            capture.about = p
            client.patient(p)
            capture.about = None
            for _ in range(2):
                client.benign()
    finally:
        for lg, (level, propagate) in zip(loggers, saved, strict=True):
            lg.removeHandler(capture)
            lg.setLevel(level)
            lg.propagate = propagate
        stop_pid(proc.pid)

    def fix(text: str) -> str:
        return text.replace(f"127.0.0.1:{port}", f"127.0.0.1:{shown_port}")

    items: list[tuple[logging.LogRecord | str, list[Patient]]] = []
    for record, patient in capture.records:
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(
                shown_port if a == port and isinstance(a, int) else
                fix(a) if isinstance(a, str) else
                a if isinstance(a, (int, float, bool, type(None))) else
                Shown(fix(str(a)), fix(repr(a)))
                for a in args
            )  # fmt: skip
        items.append((record, [patient] if patient else []))
    return _rows("urllib3", items)


# --- the run ----------------------------------------------------------------------------------


def collect(seed: int) -> list[Row]:
    people = People(seed)
    patients = [people.patient() for _ in range(PATIENTS)]
    return [
        *django_request(seed + 1, patients),
        *django_validation(seed + 2, patients),
        *loguru_rows(seed + 3, patients),
        *urllib3_rows(seed + 4, patients),
    ]
