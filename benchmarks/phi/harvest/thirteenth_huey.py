"""The `huey` emitter of `thirteenth_held.py`: the app's background jobs as huey tasks
(reminders, eligibility checks under a per-patient lock, card charges with retries, chart
exports, address checks, result notices, pipelines of them) on a `MemoryHuey` in immediate mode,
as a Django app runs huey in development and in its test settings. Captured: the `huey`
logger (`Executing clinic.jobs.send_sms: <id>`, `... executed in 0.004s`, `Unhandled exception
in task <id>.` with the traceback, `Requeueing <id>, 1 retries`, `Task ... not run, unable to
acquire lock ...`, `Task ... was revoked, not executing`, pre- and post-execute hooks), and what
the app logs: the error signal handler's line with the task's `args` and `kwargs`, each task's
own lines, and the failed results the callers read back (`TaskException`s: `str`, the
`error` repr and the stored traceback, line by line). Inventory syncs, report builds,
clean-ups and device pings for the benign lines. Task ids are replaced by seeded ones and
durations by seeded values; no eta or delay reads the clock."""

from __future__ import annotations

import datetime
import logging
import random
import re
import uuid
from typing import Any

from huey import MemoryHuey, signals
from huey.exceptions import TaskException
from patients import Patient

log = logging.getLogger("clinic.jobs")
HUEY = MemoryHuey("clinic-jobs", immediate=True, utc=True)


class GatewayRejected(RuntimeError):
    pass


class NoCoverage(LookupError):
    pass


class Declined(RuntimeError):
    pass


for _cls in (GatewayRejected, NoCoverage, Declined):
    _cls.__module__ = "clinic.jobs.errors"


def _task(**options: Any) -> Any:
    """`HUEY.task`, the function shown as the app's `clinic.jobs` module."""

    def wrap(fn: Any) -> Any:
        fn.__module__ = "clinic.jobs"
        return HUEY.task(**options)(fn)

    return wrap


def _tail(value: str) -> int:
    digits = [int(c) for c in value if c.isdigit()]
    return digits[-1] if digits else 0


@_task(retries=1)
def send_sms(mrn: str, phone: str, when: str) -> str:
    if _tail(phone) in (1, 4):
        raise GatewayRejected(f"SMS gateway rejected {phone}: landline")
    if _tail(phone) == 7:
        raise TimeoutError(f"gateway timed out on the reminder for {mrn}")
    log.info("reminder for %s queued with the gateway", when)
    return f"SM{_tail(mrn)}{len(phone)}"


@_task()
def send_letter(name: str, street: str, city: str, zip_code: str) -> None:
    if zip_code[:1] in "0189":
        raise ValueError(f"print vendor refused address {street}, {city} {zip_code} for {name}")
    log.debug("letter queued for print run (%d lines)", 3 + len(street) % 4)


@_task(retries=1)
def check_coverage(mrn: str, member_id: str, born: str) -> bool:
    with HUEY.lock_task(f"eligibility-{mrn}"):
        if _tail(member_id) in (0, 3, 6):
            raise NoCoverage(f"no active coverage for member {member_id} born {born}")
    return True


@_task(retries=2)
def charge_card(account: str, card: str, cents: int) -> int:
    if _tail(card) in (0, 1, 2):
        raise Declined(f"card {card} declined for account {account}")
    log.info("charged %d cents", cents)
    return cents


@_task()
def export_chart(mrn: str, requester: str, fmt: str = "pdf") -> str:
    if fmt == "ccda" and _tail(mrn) % 2:
        raise KeyError(f"no encounter summary for {mrn}")
    return f"exports/{fmt}/{_tail(mrn)}"


@_task()
def verify_identity(mrn: str, *, ssn: str | None = None, licence: str | None = None) -> None:
    if ssn and _tail(ssn) % 2:
        raise ValueError(f"SSN {ssn} does not match the record for {mrn}")
    if licence and _tail(licence) in (0, 5):
        raise LookupError(f"licence {licence} not found at the state registry")


@_task()
def notify_result(mrn: str, patient: str, panel: str) -> None:
    if panel == "lipid":
        raise RuntimeError(f"critical value callback failed for {patient} ({mrn})")
    log.info("result notice for panel %s sent", panel)


@_task()
def file_result(previous: Any, mrn: str) -> None:
    log.debug("filed %r", previous)


@_task(retries=1)
def sync_inventory(ndc: str, item: str, on_hand: int) -> int:
    if on_hand < 0:
        raise ValueError(f"negative stock {on_hand} for {item} ({ndc})")
    return on_hand


@_task()
def build_report(name: str, day: str, rows: int = 0) -> int:
    if rows > 90000:
        raise MemoryError(f"report {name} for {day} too large ({rows} rows)")
    return rows


@_task()
def ping_device(serial: str, firmware: str) -> None:
    if serial.endswith("9"):
        raise TimeoutError(f"device {serial} did not answer (firmware {firmware})")


@_task()
def purge_sessions(older_than_days: int) -> int:
    return older_than_days * 17


@HUEY.signal(signals.SIGNAL_ERROR)
def _on_error(signal: str, task: Any, exc: BaseException | None = None) -> None:
    log.error("%s %s args=%r kwargs=%r: %r", signal, task.name, task.args, task.kwargs, exc)


@HUEY.signal(signals.SIGNAL_LOCKED, signals.SIGNAL_REVOKED)
def _on_skip(signal: str, task: Any, *rest: Any) -> None:
    log.warning("task %s %s (args %s)", task.name, signal, task.args)


@HUEY.signal(signals.SIGNAL_RETRYING)
def _on_retry(signal: str, task: Any) -> None:
    shown = ", ".join([*map(repr, task.args), *(f"{k}={v!r}" for k, v in task.kwargs.items())])
    log.warning("retrying %s(%s), %d retries left", task.name, shown, task.retries)


@HUEY.pre_execute("audit")
def _audit(task: Any) -> None:
    pass


class Durations(logging.Filter):
    """Each `executed in` duration replaced by a seeded one."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.r = random.Random(seed)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "%s executed in %0.3fs" and isinstance(record.args, tuple):
            record.args = (record.args[0], round(self.r.uniform(0.0004, 2.5), 3))
        return True


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


class Ids:
    """Task ids replaced by seeded ones, each real one always by the same."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.ids: dict[str, str] = {}

    def _id(self, match: re.Match[str]) -> str:
        real = match.group(0)
        if real not in self.ids:
            self.ids[real] = str(uuid.UUID(int=self.r.getrandbits(128), version=4))
        return self.ids[real]

    def __call__(self, text: str) -> str:
        return _UUID.sub(self._id, text)


def _read(result: Any, r: random.Random, what: str) -> None:
    """The caller reads the result back, as a view waiting on a job does."""
    if result is None:
        return
    try:
        value = result.get()
        if r.random() < 0.3:
            log.debug("%s returned %r", what, value)
    except TaskException as exc:
        how = r.randrange(3)
        if how == 0:
            log.warning("%s failed: %s", what, exc)
        elif how == 1:
            log.error("%s failed after %s retries: %s", what, exc.metadata["retries"],
                      exc.metadata["error"])  # fmt: skip
        else:
            log.error("%s failed:\n%s", what, exc.metadata["traceback"].rstrip())


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 2, 16) + datetime.timedelta(days=r.randint(0, 300))


def _patient(p: Patient, r: random.Random) -> None:
    kind = r.randrange(10)
    when = f"{_day(r).isoformat()} {r.choice(['08:30', '10:15', '14:45'])}"
    if kind == 0:
        _read(send_sms(p.mrn, p.phone, when), r, "reminder")
    elif kind == 1:
        name = f"{p.first_name} {p.last_name}"
        _read(send_letter(name, p.street, p.city, p.zip), r, "letter")
    elif kind == 2:
        born = p.dob.isoformat() if r.random() < 0.7 else f"{p.dob:%m/%d/%Y}"
        if r.random() < 0.3:
            with HUEY.lock_task(f"eligibility-{p.mrn}"):
                _read(check_coverage(p.mrn, p.member_id, born), r, "eligibility")
        else:
            _read(check_coverage(p.mrn, p.member_id, born), r, "eligibility")
    elif kind == 3:
        _read(charge_card(p.account, p.card, r.randint(500, 60000)), r, "payment")
    elif kind == 4:
        requester = r.choice([p.email, "records@clinic.example"])
        _read(export_chart(p.mrn, requester, fmt=r.choice(["pdf", "ccda"])), r, "export")
    elif kind == 5:
        options = {"ssn": p.ssn} if r.random() < 0.5 else {"licence": p.licence}
        _read(verify_identity(p.mrn, **options), r, "identity check")
    elif kind == 6:
        panel = r.choice(["lipid", "cbc", "a1c"])
        who = f"{p.first_name} {p.last_name}" if r.random() < 0.5 else p.last_name
        pipe = notify_result.s(p.mrn, who, panel).then(file_result, p.mrn)
        for result in HUEY.enqueue(pipe):
            _read(result, r, "result notice")
    elif kind == 7:
        task = send_sms.s(p.mrn, p.phone, when)
        HUEY.revoke_by_id(task.id, revoke_once=True)
        HUEY.enqueue(task)
    elif kind == 8:
        log.info("queued reminder %s", send_sms.s(p.mrn, p.phone, when))
        _read(send_sms(p.mrn, p.phone, when), r, "reminder")
    else:
        _read(check_coverage(p.mrn, p.member_id, p.dob.isoformat()), r, "eligibility")


DRUGS = (
    ("0093-7146-56", "Metformin HCl 500 mg tab"),
    ("0071-0155-23", "Atorvastatin 20 mg tab"),
    ("0173-0682-20", "Albuterol HFA 90 mcg inh"),
    ("0378-1800-10", "Lisinopril 10 mg tab"),
)


def _benign(r: random.Random) -> None:
    kind = r.randrange(4)
    if kind == 0:
        ndc, item = r.choice(DRUGS)
        on_hand = r.choice([r.randint(0, 900), -r.randint(1, 9)])
        _read(sync_inventory(ndc, item, on_hand), r, "inventory sync")
    elif kind == 1:
        name = r.choice(["daily-census", "no-show-rate", "claims-aging", "supply-usage"])
        rows = r.choice([r.randint(10, 5000), r.randint(90001, 200000)])
        _read(build_report(name, _day(r).isoformat(), rows=rows), r, "report")
    elif kind == 2:
        serial = (
            f"{r.choice(['ECG', 'SPO2', 'INF'])}-{r.randint(2020, 2026)}-{r.randint(10000, 99999)}"
        )
        _read(ping_device(serial, f"{r.randint(1, 5)}.{r.randint(0, 20)}.{r.randint(0, 9)}"), r,
              "device ping")  # fmt: skip
    else:
        _read(purge_sessions(r.choice([7, 14, 30, 90])), r, "session purge")


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 281)
    durations = Durations(seed + 283)
    cap.addFilter(durations)
    try:
        for p in patients:
            with cap.about(p):
                for _ in range(9):
                    _patient(p, r)
            for _ in range(4):
                _benign(r)
    finally:
        cap.removeFilter(durations)
