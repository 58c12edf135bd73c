"""The `dramatiq` emitter of `twelfth_held.py`: the app's background jobs as Dramatiq actors
(reminders, eligibility and identity checks, billing, record exports, geocoding, lab notices)
sent to an in-memory `StubBroker` and run by a real `dramatiq.Worker` (one worker thread) in
this process, with the `AgeLimit`, `Callbacks`, `Pipelines` and `Retries` middleware. Captured:
the worker's records (`Received message send_sms('...', ...) with id '...'`, `Failed to process
message ... with unhandled exception.` with the traceback, expected exceptions, acks and
rejections), each actor's own `Received args=... kwargs=...` and `Completed after ...ms`,
`Retries` (retrying, exceeded, aborting), the `on_failure` callback's and the dead-letter
actor's messages (a message's `asdict()` with the failed job's arguments and its options), and
what the actors log themselves. Inventory syncs, report builds, clean-ups and device pings for
the benign lines.

Each message is sent on its own and the broker joined before the next, so the records keep one
order on every run; the delay-queue consumers' records (which race the worker thread's) and the
workers' start and stop are not kept. Message ids, timestamps, ETAs, durations and backoff
delays are replaced by seeded values."""

from __future__ import annotations

import datetime
import logging
import random
import re
import time
import uuid
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AgeLimit, Callbacks, Pipelines, Retries
from patients import Patient

log = logging.getLogger("clinic.tasks")
QUEUES = ("reminders", "eligibility", "billing", "records", "intake", "labs", "ops", "failures")
BROKER = StubBroker(middleware=[AgeLimit(), Callbacks(), Pipelines()])
BROKER.add_middleware(Retries(max_retries=2, min_backoff=100, max_backoff=400))
dramatiq.set_broker(BROKER)


class GatewayRejected(RuntimeError):
    pass


class CoverageNotFound(LookupError):
    pass


class CardDeclined(RuntimeError):
    pass


for _cls in (GatewayRejected, CoverageNotFound, CardDeclined):
    _cls.__module__ = "clinic.tasks.errors"


def _actor(**options: Any) -> Any:
    """`dramatiq.actor`, the function shown as the app's `clinic.tasks` module (its loggers are
    `clinic.tasks.<actor>`)."""

    def wrap(fn: Any) -> Any:
        fn.__module__ = "clinic.tasks"
        return dramatiq.actor(fn, **options)

    return wrap


def _tail(value: str) -> int:
    digits = [int(c) for c in value if c.isdigit()]
    return digits[-1] if digits else 0


@_actor(queue_name="reminders", max_retries=1, on_failure="report_failure")
def send_sms(mrn: str, phone: str, when: str, site: str) -> None:
    if _tail(phone) in (1, 4):
        raise GatewayRejected(f"SMS gateway rejected {phone}: number is a landline")
    if _tail(phone) == 7:
        raise TimeoutError(f"SMS gateway timed out sending reminder for {mrn}")
    log.info("reminder for %s at %s queued with the SMS gateway", when, site)


@_actor(queue_name="reminders", max_retries=0)
def send_email(email: str, given: str, slot: str) -> None:
    if email.split("@")[-1].endswith(".mk"):
        raise ConnectionRefusedError(111, f"relay refused mail for {email}")
    log.debug("reminder mail for slot %s rendered (%d bytes)", slot, 1800 + len(given) * 3)


@_actor(queue_name="eligibility", throws=(CoverageNotFound,), max_retries=1)
def check_coverage(member_id: str, mbi: str, born: str) -> None:
    if _tail(member_id) in (0, 3, 6):
        raise CoverageNotFound(f"no active coverage for member {member_id} born {born}")
    if _tail(mbi) in (2, 5):
        raise ValueError(f"payer answered 271 with an MBI mismatch for {mbi}")


@_actor(queue_name="eligibility", max_retries=0, on_failure="report_failure")
def verify_identity(mrn: str, licence: str, *, ssn: str | None = None) -> None:
    if ssn is not None and _tail(ssn) % 2:
        raise ValueError(f"SSN {ssn} does not match the payer's record for {mrn}")
    if _tail(licence) in (0, 5):
        raise LookupError(f"licence {licence} not found at the state registry")


@_actor(queue_name="billing", max_retries=2, on_retry_exhausted="dead_letter")
def charge_card(account: str, card: str, cents: int) -> None:
    if _tail(card) in (0, 1, 2, 3):
        raise CardDeclined(f"card {card} declined for account {account} (do not honor)")
    log.info("charged %d cents", cents)


@_actor(queue_name="records", max_retries=0)
def export_chart(mrn: str, requester: str, *, fmt: str = "pdf", pages: int = 1) -> None:
    if fmt == "ccda" and _tail(mrn) % 2:
        raise KeyError(f"no encounter summary for {mrn}")
    log.debug("export of %d pages as %s done", pages, fmt)


@_actor(queue_name="intake", max_retries=0, on_failure="report_failure")
def geocode(*, street: str, city: str, state: str, zip_code: str) -> dict[str, Any]:
    if zip_code[:1] in "0189":
        raise LookupError(f"no geocode for {street}, {city}, {state} {zip_code}")
    return {"lat": 40.0 + int(zip_code[:2]) / 100, "lon": -90.0 - int(zip_code[2:4]) / 100}


@_actor(queue_name="intake", max_retries=0)
def store_location(mrn: str, location: dict[str, Any]) -> None:
    log.debug("location stored: %s", sorted(location))


@_actor(queue_name="labs", max_retries=1)
def notify_result(mrn: str, patient: str, panel: str, *, flagged: bool = False) -> None:
    if flagged and panel == "lipid":
        raise RuntimeError(f"critical value callback failed for {patient} ({mrn})")
    log.info("result notice for panel %s sent", panel)


@_actor(queue_name="failures", max_retries=0)
def report_failure(message: dict[str, Any], exception: dict[str, Any]) -> None:
    log.warning("job %s failed: %s", message["actor_name"], exception["type"])


@_actor(queue_name="failures", max_retries=0)
def dead_letter(message: dict[str, Any], info: dict[str, Any]) -> None:
    log.error("job %s gave up after %d retries", message["actor_name"], info["retries"])


@_actor(queue_name="ops", max_retries=1)
def sync_inventory(ndc: str, item: str, on_hand: int) -> None:
    if on_hand < 0:
        raise ValueError(f"negative stock {on_hand} for {item} ({ndc})")


@_actor(queue_name="ops", max_retries=0)
def build_report(name: str, day: str, *, rows: int = 0) -> None:
    if rows > 90000:
        raise MemoryError(f"report {name} for {day} too large ({rows} rows)")


@_actor(queue_name="ops", max_retries=0, on_failure="report_failure")
def ping_device(serial: str, firmware: str) -> None:
    if serial.endswith("9"):
        raise TimeoutError(f"device {serial} did not answer (firmware {firmware})")


@_actor(queue_name="ops", max_retries=0)
def purge_sessions(older_than_days: int) -> int:
    return older_than_days * 17


class Quiet(logging.Filter):
    """Keeps the records of the run, and normalises what changes from run to run: the worker's
    start and stop and the delay-queue consumers are left out, durations and backoff delays are
    seeded."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.muted = True
        self.r = random.Random(seed)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.muted or record.name.endswith(".DQ)"):
            return False
        if record.msg == "Completed after %.02fms." and isinstance(record.args, tuple):
            record.args = (round(self.r.uniform(0.05, 40.0), 2),)
        elif str(record.msg).startswith("Retrying message") and isinstance(record.args, tuple):
            record.args = (record.args[0], self.r.randint(100, 800))
        return True


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_MILLIS = re.compile(r"('(?:message_timestamp|requeue_timestamp|eta)': )\d{13}")


class Ids:
    """Message ids and epoch milliseconds replaced by seeded ones, each real one always by the
    same."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.ids: dict[str, str] = {}
        self.millis = 1_780_000_000_000

    def _id(self, match: re.Match[str]) -> str:
        real = match.group(0)
        if real not in self.ids:
            self.ids[real] = str(uuid.UUID(int=self.r.getrandbits(128), version=4))
        return self.ids[real]

    def _ms(self, match: re.Match[str]) -> str:
        self.millis += self.r.randint(40, 90_000)
        return f"{match.group(1)}{self.millis}"

    def __call__(self, text: str) -> str:
        return _MILLIS.sub(self._ms, _UUID.sub(self._id, text))


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 2, 2) + datetime.timedelta(days=r.randint(0, 320))


class Jobs:
    def __init__(self, broker: StubBroker, worker: dramatiq.Worker) -> None:
        self.broker, self.worker = broker, worker

    def run(self, message: Any) -> None:
        """Sends one message (or pipeline) and waits for it and whatever it leads to."""
        if isinstance(message, dramatiq.pipeline):
            message.run()
        else:
            self.broker.enqueue(message)
        for _ in range(3):
            for queue in QUEUES:
                self.broker.join(queue, fail_fast=False)
            self.worker.join()


def _patient(jobs: Jobs, p: Patient, r: random.Random) -> None:
    kind = r.randrange(9)
    when = f"{_day(r).isoformat()}T{r.choice(['08:30', '09:15', '13:45', '16:00'])}"
    site = r.choice(["North Clinic", "Eastside Family Medicine", "Lab Annex"])
    if kind == 0:
        jobs.run(send_sms.message(p.mrn, p.phone, when, site))
    elif kind == 1:
        jobs.run(send_email.message(p.email, p.first_name, when))
    elif kind == 2:
        born = p.dob.isoformat() if r.random() < 0.7 else p.dob.strftime("%m/%d/%Y")
        jobs.run(check_coverage.message(p.member_id, p.mbi, born))
    elif kind == 3:
        jobs.run(charge_card.message(p.account, p.card, r.randint(500, 48000)))
    elif kind == 4:
        fmt = r.choice(["pdf", "ccda", "ccda"])
        requester = r.choice([p.email, "records@clinic.example", "legal@clinic.example"])
        jobs.run(export_chart.message_with_options(
            args=(p.mrn, requester), kwargs={"fmt": fmt, "pages": r.randint(1, 40)}
        ))  # fmt: skip
    elif kind == 5:
        address = {"street": p.street, "city": p.city, "state": p.state, "zip_code": p.zip}
        if r.random() < 0.5:
            jobs.run(dramatiq.pipeline([
                geocode.message(**address), store_location.message(p.mrn)
            ]))  # fmt: skip
        else:
            jobs.run(geocode.message(**address))
    elif kind == 6:
        panel = r.choice(["lipid", "cbc", "a1c"])
        name = f"{p.first_name} {p.last_name}" if r.random() < 0.5 else p.last_name
        jobs.run(notify_result.message(p.mrn, name, panel, flagged=r.random() < 0.6))
    elif kind == 7:
        jobs.run(send_sms.message_with_options(args=(p.mrn, p.phone, when, site), max_retries=0))
    else:
        ssn = {"ssn": p.ssn} if r.random() < 0.6 else {}
        jobs.run(verify_identity.message(p.mrn, p.licence, **ssn))


DRUGS = (
    ("0093-7146-56", "Metformin HCl 500 mg tab"),
    ("0071-0155-23", "Atorvastatin 20 mg tab"),
    ("0173-0682-20", "Albuterol HFA 90 mcg inh"),
    ("0002-7510-01", "Insulin lispro 100 U/mL"),
    ("0378-1800-10", "Lisinopril 10 mg tab"),
)


def _benign(jobs: Jobs, r: random.Random, n: int) -> None:
    kind = r.randrange(4)
    if kind == 0:
        ndc, item = r.choice(DRUGS)
        jobs.run(sync_inventory.message(ndc, item, r.choice([r.randint(0, 900), -r.randint(1, 9)])))
    elif kind == 1:
        name = r.choice(["daily-census", "no-show-rate", "claims-aging", "supply-usage"])
        rows = r.choice([r.randint(10, 5000), r.randint(90001, 200000)])
        jobs.run(build_report.message_with_options(
            args=(name, _day(r).isoformat()), kwargs={"rows": rows}
        ))  # fmt: skip
    elif kind == 2:
        serial = (
            f"{r.choice(['ECG', 'SPO2', 'BPM'])}-{r.randint(2020, 2026)}-{r.randint(10000, 99999)}"
        )
        firmware = f"{r.randint(1, 5)}.{r.randint(0, 20)}.{r.randint(0, 9)}"
        jobs.run(ping_device.message(serial, firmware))
    else:
        jobs.run(purge_sessions.message(r.choice([7, 14, 30, 90])))


def drive(seed: int, patients: list[Patient], cap: Any) -> Ids:
    r = random.Random(seed + 223)
    quiet = Quiet(seed + 227)
    cap.addFilter(quiet)
    broker = BROKER
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=20)
    worker.start()
    time.sleep(0.3)
    quiet.muted = False
    jobs = Jobs(broker, worker)
    try:
        for i, p in enumerate(patients):
            with cap.about(p):
                for _ in range(3):
                    _patient(jobs, p, r)
            for k in range(4):
                _benign(jobs, r, i * 4 + k)
    finally:
        quiet.muted = True
        worker.stop()
        broker.close()
        cap.removeFilter(quiet)
    return Ids(seed + 229)
