"""The `backoff` emitter of `eighteenth_held.py`: the clinic's outbound calls and slow jobs retried
with `backoff` 2.2.1, as a Django app's task module decorates them: SMS reminders and portal
invitations posted with `requests` to a loopback fake of the SMS gateway, eligibility checks
against a loopback fake of the insurer, address checks against a verification service that is
down (a loopback port nothing listens on), chart exports that raise the app's own error while
another export holds the chart, lab results polled with `on_predicate` until they are final.
The fakes answer from a plan the driver draws from a seeded source (503, 429 with
`Retry-After`, 404, 500, then 200), one request at a time.

Captured: backoff's default handlers on the `backoff` logger and on the app's `clinic.retry`
logger (`Backing off send_sms_reminder(...) for 0.7s (requests.exceptions.HTTPError: 503 Server
Error: Service Unavailable for url: http://127.0.0.1:18080/v1/messages?to=...)`, `Giving up
check_eligibility(...) after 4 tries (...)`, and for `on_predicate` the polled value, a dict with
the patient's details); the app's own `on_backoff`, `on_giveup` and `on_success` handlers
logging the details backoff hands them (`args`, `kwargs`, `tries`, `elapsed`, `wait`,
`exception`, `value`), whole or field by field; what the jobs log before and after, and
`logger.exception` tracebacks when a job gives up for good. Stock syncs, health pings, exchange
rate refreshes and metric pushes retried the same ways for the benign lines.

No clock of this machine is read: backoff's `datetime` and `time` are given a fake clock that
each wait (`time.sleep`) and each call moves on by a seeded amount, so `elapsed` is the same on
every run; the jitter is drawn from the `random` module seeded by the driver."""

from __future__ import annotations

import collections
import contextlib
import datetime
import json
import logging
import random
import types
from collections.abc import Iterator
from typing import Any

import backoff
import backoff._sync
import requests
import seventeenth_http
from patients import Patient

log = logging.getLogger("clinic.retry")
jobs = logging.getLogger("clinic.jobs")
SHOWN_PORT = 18080
SHOWN_CLOSED_PORT = 18081
REASONS = {
    200: b'{"status": "queued"}',
    404: b'{"detail": "not found"}',
    429: b'{"detail": "rate limited"}',
    500: b'{"detail": "internal error"}',
    503: b'{"detail": "upstream unavailable"}',
}


class Clock:
    """The time backoff reads: moved on by each wait and each call."""

    def __init__(self, r: random.Random) -> None:
        self.now = datetime.datetime(2026, 10, 5, 7, 15, 0)
        self.r = r

    def sleep(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)

    def call(self) -> None:
        self.now += datetime.timedelta(microseconds=self.r.randint(4000, 380000))


@contextlib.contextmanager
def fixed_clock(clock: Clock) -> Iterator[None]:
    """backoff's `datetime.datetime.now()` and `time.sleep()` on `clock`."""

    class FixedDatetime(datetime.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
            return clock.now

    saved = backoff._sync.datetime, backoff._sync.time  # type: ignore[attr-defined]
    backoff._sync.datetime = types.SimpleNamespace(datetime=FixedDatetime)  # type: ignore[attr-defined]
    backoff._sync.time = types.SimpleNamespace(sleep=clock.sleep)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        backoff._sync.datetime, backoff._sync.time = saved  # type: ignore[attr-defined]


class Gateway:
    """The loopback fakes' answers: the next status of the plan, 200 once it is spent."""

    def __init__(self) -> None:
        self.plan: collections.deque[int] = collections.deque()

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        status = self.plan.popleft() if self.plan else 200
        extra = {"Content-Type": "application/json"}
        if status == 429:
            extra["Retry-After"] = "2"
        return status, extra, REASONS[status]


class ChartLocked(Exception):
    """The app's error while another export holds a patient's chart."""


class MetricsBusy(Exception):
    """The metrics backend asks the client to come back later."""


# --- the app's handlers ---------------------------------------------------------------------


def _call(details: dict[str, Any]) -> str:
    args = [repr(a) for a in details["args"]]
    args += [f"{k}={v!r}" for k, v in details["kwargs"].items()]
    return f"{details['target'].__name__}({', '.join(args)})"


def on_backoff_call(details: dict[str, Any]) -> None:
    log.warning(
        "retry %d of %s in %.2fs: %s",
        details["tries"],
        _call(details),
        details["wait"],
        details.get("exception", details.get("value")),
    )


def on_backoff_details(details: dict[str, Any]) -> None:
    log.info("backoff details: %s", details)


def on_backoff_fields(details: dict[str, Any]) -> None:
    log.warning(
        "%(target)s failed (try %(tries)d, %(elapsed).3fs elapsed), waiting %(wait).3fs; "
        "args=%(args)r kwargs=%(kwargs)r",
        details,
    )


def on_giveup_details(details: dict[str, Any]) -> None:
    log.error("giving up on %s: %r", details["target"].__name__, details)


def on_giveup_call(details: dict[str, Any]) -> None:
    log.error(
        "gave up after %d tries and %.1fs: %s raised %r",
        details["tries"],
        details["elapsed"],
        _call(details),
        details.get("exception"),
    )


def on_success_call(details: dict[str, Any]) -> None:
    if details["tries"] > 1:
        log.info("%s succeeded after %d tries", _call(details), details["tries"])


# --- the jobs (module-level, as a Django app's tasks module has them) -----------------------


class App:
    """What the jobs share: the HTTP session, the fakes' plan, the clock, seeded draws."""

    def __init__(self, seed: int, port: int, closed_port: int, clock: Clock, gateway: Gateway):
        self.r = random.Random(seed)
        self.base = f"http://127.0.0.1:{port}"
        self.down = f"http://127.0.0.1:{closed_port}"
        self.clock = clock
        self.gateway = gateway
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy from the environment: loopback only
        self.ready: dict[str, int] = {}


APP: App


def _not_found(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    return response is not None and response.status_code in (400, 404)


_HTTP = requests.exceptions.RequestException


@backoff.on_exception(
    backoff.expo, _HTTP, max_tries=4, on_backoff=on_backoff_call, on_giveup=on_giveup_call
)
def send_sms_reminder(phone: str, name: str, visit: str) -> dict[str, Any]:
    APP.clock.call()
    response = APP.session.post(
        f"{APP.base}/v1/messages",
        params={"to": phone},
        json={"body": f"Dear {name}, your visit is on {visit}. Reply C to confirm."},
        timeout=5,
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


@backoff.on_exception(
    backoff.expo,
    _HTTP,
    max_tries=4,
    giveup=_not_found,
    logger="clinic.retry",
    on_backoff=on_backoff_fields,
    on_success=on_success_call,
)
def check_eligibility(member_id: str, *, dob: str, last_name: str, mbi: str = "") -> Any:
    APP.clock.call()
    params = {"member_id": member_id, "dob": dob, "last_name": last_name}
    if mbi:
        params["mbi"] = mbi
    response = APP.session.get(f"{APP.base}/eligibility", params=params, timeout=5)
    response.raise_for_status()
    return response.json()


@backoff.on_exception(
    backoff.constant,
    requests.exceptions.ConnectionError,
    interval=3,
    max_tries=3,
    jitter=None,
    raise_on_giveup=False,
    on_giveup=on_giveup_details,
)
def verify_address(street: str, postal_code: str, city: str) -> Any:
    APP.clock.call()
    response = APP.session.get(
        f"{APP.down}/verify",
        params={"street": street, "zip": postal_code, "city": city},
        timeout=2,
    )
    return response.json()


@backoff.on_exception(
    backoff.fibo,
    ChartLocked,
    max_time=40,
    max_value=13,
    logger="clinic.retry",
    on_backoff=on_backoff_details,
    on_giveup=on_giveup_details,
)
def export_chart(mrn: str, patient_name: str, fmt: str = "pdf") -> str:
    APP.clock.call()
    left = APP.ready.get(mrn, 0)
    if left > 0:
        APP.ready[mrn] = left - 1
        raise ChartLocked(f"chart {mrn} ({patient_name}) is locked by another {fmt} export")
    return f"exports/{fmt}/{APP.r.randint(100000, 999999)}.{fmt}"


@backoff.on_predicate(
    backoff.constant,
    predicate=lambda r: r.get("status") == "pending",
    interval=5,
    max_tries=5,
    jitter=None,
    on_success=on_success_call,
)
def fetch_lab_result(mrn: str, order: str) -> dict[str, Any]:
    APP.clock.call()
    left = APP.ready.get(order, 0)
    APP.ready[order] = left - 1
    return {"order": order, "mrn": mrn, "status": "pending" if left > 0 else "final"}


@backoff.on_exception(
    backoff.expo,
    _HTTP,
    factor=2,
    max_tries=3,
    logger="clinic.retry",
    backoff_log_level=logging.WARNING,
    giveup_log_level=logging.CRITICAL,
    on_backoff=on_backoff_call,
)
def send_portal_invite(email: str, *, first_name: str) -> Any:
    APP.clock.call()
    response = APP.session.post(
        f"{APP.base}/v1/invites",
        params={"email": email},
        data=json.dumps({"first_name": first_name, "template": "portal-invite"}),
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()


# the benign jobs


@backoff.on_exception(backoff.expo, _HTTP, max_tries=4, on_backoff=on_backoff_fields)
def sync_stock(sku: str, quantity: int) -> Any:
    APP.clock.call()
    response = APP.session.put(f"{APP.base}/v1/stock/{sku}", json={"quantity": quantity}, timeout=5)
    response.raise_for_status()
    return response.json()


@backoff.on_exception(
    backoff.constant,
    requests.exceptions.ConnectionError,
    interval=2,
    max_tries=3,
    jitter=None,
    raise_on_giveup=False,
    logger="clinic.retry",
)
def ping_health(service: str) -> Any:
    APP.clock.call()
    response = APP.session.get(f"{APP.down}/healthz", params={"service": service})
    return response.status_code


@backoff.on_predicate(backoff.fibo, max_tries=4, max_value=8, on_backoff=on_backoff_details)
def refresh_rates(currency: str) -> dict[str, float] | None:
    APP.clock.call()
    left = APP.ready.get(currency, 0)
    APP.ready[currency] = left - 1
    return None if left > 0 else {currency: round(APP.r.uniform(0.5, 1.5), 4)}


@backoff.on_exception(
    backoff.expo, MetricsBusy, max_tries=3, on_backoff=on_backoff_call, on_giveup=on_giveup_call
)
def push_metrics(batch: str, points: int) -> int:
    APP.clock.call()
    left = APP.ready.get(batch, 0)
    APP.ready[batch] = left - 1
    if left > 0:
        raise MetricsBusy(f"metrics backend busy, batch {batch} of {points} points deferred")
    return points


class Jobs:
    """What the app runs, drawn from a seeded source."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.ready = APP.ready

    def plan(self, *statuses: int) -> None:
        APP.gateway.plan.clear()
        APP.gateway.plan.extend(statuses)

    def failures(self, allowed: tuple[int, ...] = (503, 429, 500)) -> list[int]:
        r = self.r
        n = r.choice([0, 1, 1, 2, 2, 3, 4])
        return [r.choice(allowed) for _ in range(n)]

    # --- what the app runs ---

    def patient(self, p: Patient) -> None:
        r = self.r
        kind = r.randrange(6)
        if kind == 0:
            visit = f"{r.randint(1, 28):02d}.{r.randint(10, 12):02d}.2026 {r.randint(8, 17)}:00"
            self.plan(*self.failures())
            jobs.info("sending SMS reminder to %s (%s)", p.phone, p.mrn)
            try:
                send_sms_reminder(p.phone, p.full_name, visit)
                jobs.info("reminder queued for %s", p.full_name)
            except requests.exceptions.RequestException:
                jobs.exception("SMS reminder for %s failed", p.mrn)
        elif kind == 1:
            self.plan(*self.failures((503, 429, 404, 500)))
            dob = p.dob.isoformat()
            try:
                mbi = p.mbi if r.random() < 0.4 else ""
                result = check_eligibility(p.member_id, dob=dob, last_name=p.last_name, mbi=mbi)
                jobs.info("eligibility of %s: %s", p.member_id, result)
            except requests.exceptions.HTTPError as exc:
                if r.random() < 0.5:
                    jobs.warning("eligibility check failed for %s: %s", p.member_id, exc)
                else:
                    jobs.exception("eligibility check for %s (%s) failed", p.full_name, dob)
        elif kind == 2:
            result = verify_address(p.street, p.zip, p.city)
            if result is None:
                jobs.warning("address of %s not verified, kept as entered", p.mrn)
        elif kind == 3:
            self.ready[p.mrn] = r.choice([0, 1, 2, 3, 9])
            try:
                path = export_chart(p.mrn, p.full_name, fmt=r.choice(["pdf", "ccda"]))
                jobs.info("chart of %s exported to %s", p.mrn, path)
            except ChartLocked:
                jobs.exception("chart export for %s abandoned", p.mrn)
        elif kind == 4:
            order = f"LAB-{r.randint(100000, 999999)}"
            self.ready[order] = r.choice([0, 1, 2, 4, 6])
            result = fetch_lab_result(p.mrn, order)
            if result["status"] == "pending":
                jobs.warning("lab order %s for %s still pending: %s", order, p.mrn, result)
            else:
                jobs.info("lab result %s for %s is final", order, p.full_name)
        else:
            self.plan(*self.failures((503, 500, 429)))
            jobs.info("inviting %s to the patient portal", p.email)
            try:
                send_portal_invite(p.email, first_name=p.first_name)
            except requests.exceptions.RequestException as exc:
                jobs.error("portal invite to %s failed: %r", p.email, exc)

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(4)
        if kind == 0:
            sku = f"SKU-{r.randint(10000, 99999)}"
            self.plan(*self.failures())
            try:
                sync_stock(sku, r.randint(0, 400))
                jobs.info("stock %s synced", sku)
            except requests.exceptions.RequestException as exc:
                jobs.warning("stock sync of %s failed: %s", sku, exc)
        elif kind == 1:
            service = r.choice(["pacs-bridge", "lab-gateway", "fax-relay", "print-spool"])
            if ping_health(service) is None:
                jobs.warning("%s did not answer its health check", service)
        elif kind == 2:
            currency = r.choice(["CHF", "EUR", "ETB", "BAM"])
            self.ready[currency] = r.choice([0, 1, 2, 5])
            rates = refresh_rates(currency)
            jobs.info("exchange rates refreshed: %s", rates)
        else:
            batch = f"m{r.randint(1000, 9999)}"
            self.ready[batch] = r.choice([0, 1, 3])
            try:
                sent = push_metrics(batch, r.randint(50, 900))
                jobs.debug("pushed %d metric points", sent)
            except MetricsBusy:
                jobs.exception("metrics batch %s dropped", batch)


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    global APP
    r = random.Random(seed + 5)
    clock = Clock(random.Random(seed + 6))
    state = random.getstate()
    random.seed(seed + 7)  # backoff's jitter draws from the `random` module
    gateway = Gateway()
    try:
        with seventeenth_http.serving(gateway.answer) as port, fixed_clock(clock):
            closed = seventeenth_http.closed_port()
            fix.port(port, SHOWN_PORT)
            fix.port(closed, SHOWN_CLOSED_PORT)
            APP = App(seed + 8, port, closed, clock, gateway)
            app = Jobs(seed + 9)
            try:
                for p in patients:
                    with cap.about(p):
                        for _ in range(5):
                            app.patient(p)
                    for _ in range(r.randint(3, 5)):
                        app.benign()
            finally:
                APP.session.close()  # the server serves one connection at a time
    finally:
        random.setstate(state)
