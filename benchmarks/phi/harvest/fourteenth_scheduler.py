"""The `apscheduler` emitter of `fourteenth_held.py`: the app's scheduled jobs (appointment
reminders, eligibility re-checks, statement charges, result mailings, recall letters, identity
checks) on APScheduler 3, as a Django app runs it beside its web process: a scheduler whose
wake-ups the driver makes by hand (a `BaseScheduler` whose `wakeup` does nothing; the driver calls
`_process_jobs` as the blocking scheduler's loop does) over a fixed clock that the driver moves
on, with a `MemoryJobStore` and a `DebugExecutor`, so every job runs in the calling thread, one
at a time. Captured: the `apscheduler.scheduler` and `apscheduler.executors.default` records
(`Added job "..." to job store "default"`, `Running job "..." (scheduled at ...)`, `Job "..."
executed successfully`, `Job "..." raised an exception` with the traceback, `Run time of job
"..." was missed by ...`, `Removed job ...`, the wake-up trace), and what the app logs: its event
listener's lines (job ids, exceptions, tracebacks, return values, missed run times), the jobs'
own lines, `ConflictingIdError` and `JobLookupError` messages, `get_jobs()` reprs and
`print_jobs()` listings. Inventory syncs, reports, backups and device pings for the benign
lines. No line reads the real clock: `datetime.now` in the scheduler and the executors reads the
driver's."""

from __future__ import annotations

import datetime
import io
import logging
import random
from typing import Any

import apscheduler.executors.base as executors_base
import apscheduler.schedulers.base as schedulers_base
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.base import BaseScheduler
from patients import Patient

log = logging.getLogger("clinic.scheduler")
jobs_log = logging.getLogger("clinic.scheduler.jobs")
UTC = datetime.UTC


class _Clock:
    now = datetime.datetime(2026, 5, 4, 6, 0, 0, tzinfo=UTC)


class _Datetime(datetime.datetime):
    """`datetime.datetime` whose `now()` is the driver's clock."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
        return _Clock.now.astimezone(tz) if tz else _Clock.now.replace(tzinfo=None)


class ClinicScheduler(BaseScheduler):
    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def tick(self) -> None:
        self._process_jobs()


class GatewayRejected(RuntimeError):
    pass


class NoCoverage(LookupError):
    pass


class Declined(RuntimeError):
    pass


for _cls in (GatewayRejected, NoCoverage, Declined):
    _cls.__module__ = "clinic.scheduler.errors"


def _tail(value: str) -> int:
    digits = [int(c) for c in value if c.isdigit()]
    return digits[-1] if digits else 0


def send_reminder(mrn: str, phone: str, when: str) -> str:
    if _tail(phone) in (2, 5):
        raise GatewayRejected(f"SMS to {phone} rejected by carrier (reminder for {mrn})")
    if _tail(mrn) % 2:
        jobs_log.info("reminder SMS for %s queued to %s", when, phone)
    return f"queued SMS for {when}"


def recheck_eligibility(member_id: str, born: str) -> bool:
    if _tail(member_id) in (1, 4, 8):
        raise NoCoverage(f"payer returned no active plan for {member_id} (dob {born})")
    jobs_log.debug("coverage active for member %s", member_id)
    return True


def charge_statement(account: str, card: str, cents: int) -> int:
    if _tail(card) in (3, 6):
        raise Declined(f"card {card} on account {account} declined: do not honor")
    return cents


def mail_results(email: str, name: str, panel: str) -> None:
    if email.split("@")[1].endswith(".lk") and panel == "cbc":
        raise ConnectionRefusedError(f"SMTP relay refused result mail to {name} <{email}>")


def recall_letter(name: str, street: str, city: str, zip_code: str) -> str:
    if zip_code[-1:] in "0147":
        raise ValueError(f"address {street}, {city} {zip_code} failed CASS for {name}")
    jobs_log.info("recall letter for %s sent to print (%s)", name, city)
    return "printed"


def verify_identity(mrn: str, ssn: str | None = None, licence: str | None = None) -> None:
    if ssn and _tail(ssn) % 3 == 0:
        raise PermissionError(f"SSN {ssn} does not match chart {mrn}")
    if licence and _tail(licence) in (0, 9):
        raise LookupError(f"licence {licence} unknown to the DMV service")


def sync_inventory(ndc: str, item: str, on_hand: int) -> int:
    if on_hand < 0:
        raise ValueError(f"negative stock {on_hand} for {item} (NDC {ndc})")
    return on_hand


def build_report(name: str, day: str) -> int:
    if name == "claims-aging" and day.endswith("5"):
        raise TimeoutError(f"report {name} for {day} timed out after 300 s")
    return len(name) * 37


def backup_database(target: str) -> str:
    if target.endswith("-2"):
        raise OSError(28, "No space left on device", target)
    return target


def ping_devices(room: str) -> int:
    return len(room)


for _fn in (
    send_reminder,
    recheck_eligibility,
    charge_statement,
    mail_results,
    recall_letter,
    verify_identity,
    sync_inventory,
    build_report,
    backup_database,
    ping_devices,
):
    _fn.__module__ = "clinic.scheduler.jobs"


def _listener(event: Any) -> None:
    if event.code == EVENT_JOB_ERROR:
        if _Clock.now.minute % 3 == 0:
            log.error(
                "job %s failed: %r\n%s", event.job_id, event.exception, event.traceback.rstrip()
            )
        else:
            log.error(
                "job %s failed at %s: %s", event.job_id, event.scheduled_run_time, event.exception
            )
    elif event.code == EVENT_JOB_MISSED:
        log.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
    elif event.retval is not None and _Clock.now.minute % 2 == 0:
        log.debug("job %s returned %r", event.job_id, event.retval)


def _at(r: random.Random) -> datetime.datetime:
    return _Clock.now + datetime.timedelta(minutes=r.randint(1, 50))


def _add(
    s: ClinicScheduler,
    r: random.Random,
    fn: Any,
    args: list[Any],
    job_id: str,
    name: str | None = None,
    **kw: Any,
) -> None:
    try:
        s.add_job(
            fn,
            "date",
            run_date=_at(r),
            args=args,
            id=job_id,
            name=name,
            misfire_grace_time=r.choice([60, 300, 900]),
            **kw,
        )
    except ConflictingIdError as exc:
        log.warning("not scheduled: %s", exc)


def _patient(s: ClinicScheduler, p: Patient, r: random.Random) -> None:
    kind = r.randrange(10)
    full = f"{p.first_name} {p.last_name}"
    when = f"{(_Clock.now + datetime.timedelta(days=r.randint(1, 20))).date()} 09:30"
    if kind in (0, 1):
        name = r.choice([None, f"reminder for {full}", f"reminder {p.mrn}"])
        _add(s, r, send_reminder, [p.mrn, p.phone, when], f"reminder:{p.mrn}", name)
        if r.random() < 0.3:
            _add(s, r, send_reminder, [p.mrn, p.phone, when], f"reminder:{p.mrn}", name)
    elif kind == 2:
        born = r.choice([p.dob.isoformat(), f"{p.dob:%m/%d/%Y}"])
        _add(s, r, recheck_eligibility, [p.member_id, born], f"eligibility-{p.member_id}")
    elif kind == 3:
        _add(
            s,
            r,
            charge_statement,
            [p.account, p.card, r.randint(500, 90000)],
            f"statement/{p.account}",
            f"statement {p.account}",
        )
    elif kind == 4:
        _add(
            s,
            r,
            mail_results,
            [p.email, full, r.choice(["cbc", "lipid", "a1c"])],
            f"results:{r.randint(10000, 99999)}",
            f"results mail to {p.email}",
        )
    elif kind == 5:
        _add(s, r, recall_letter, [full, p.street, p.city, p.zip], f"recall:{p.mrn}")
    elif kind == 6:
        kw = {"ssn": p.ssn} if r.random() < 0.5 else {"licence": p.licence}
        _add(s, r, verify_identity, [p.mrn], f"identity:{p.mrn}", kwargs=kw)
    elif kind == 7:
        try:
            s.remove_job(r.choice([f"reminder:{p.mrn}", f"recall:{p.mrn}", f"identity:{p.mrn}"]))
        except JobLookupError as exc:
            log.info("nothing to cancel: %s", exc)
    elif kind == 8:
        _add(
            s, r, send_reminder, [p.mrn, p.phone, when], f"reminder:{p.mrn}", f"reminder for {full}"
        )
        jobs = s.get_jobs()
        log.debug("%d scheduled: %r", len(jobs), jobs[-2:])
    else:
        _add(
            s,
            r,
            recheck_eligibility,
            [p.member_id, p.dob.isoformat()],
            f"eligibility-{p.member_id}",
            f"eligibility {full} ({p.dob.isoformat()})",
        )
        out = io.StringIO()
        s.print_jobs(out=out)
        log.info("scheduled jobs:\n%s", out.getvalue().rstrip())


DRUGS = (
    ("0093-7146-56", "Metformin 500 mg"),
    ("0378-1800-10", "Lisinopril 10 mg"),
    ("0071-0155-23", "Atorvastatin 20 mg"),
)


def _benign(s: ClinicScheduler, n: int, r: random.Random) -> None:
    kind = r.randrange(5)
    if kind == 0:
        ndc, item = r.choice(DRUGS)
        _add(
            s,
            r,
            sync_inventory,
            [ndc, item, r.choice([r.randint(0, 900), -r.randint(1, 9)])],
            f"inventory-{n}",
        )
    elif kind == 1:
        day = (_Clock.now - datetime.timedelta(days=1)).date().isoformat()
        name = r.choice(["daily-census", "claims-aging", "no-show-rate"])
        _add(s, r, build_report, [name, day], f"report:{name}:{day}", f"report {name}")
    elif kind == 2:
        target = f"s3-archive-{r.randint(1, 3)}"
        _add(s, r, backup_database, [target], f"backup-{n}", "nightly backup")
    elif kind == 3:
        room = f"ward-{r.randint(1, 9)}{r.choice('ABC')}"
        _add(s, r, ping_devices, [room], f"ping:{room}:{n}", None, max_instances=1)
    else:
        try:
            s.remove_job(f"backup-{r.randint(0, n + 2)}")
        except JobLookupError as exc:
            log.debug("no backup job to drop: %s", exc)


def _run_all(s: ClinicScheduler, r: random.Random) -> None:
    """Moves the clock on to each job's run time (a few milliseconds to a second late, as the
    scheduler's thread wakes up) until none is left; now and then the process was down for a
    while first, and the jobs whose grace time has passed are missed."""
    store = s._jobstores["default"]
    if r.random() < 0.12:
        _Clock.now += datetime.timedelta(seconds=r.randint(600, 5400))
        s.tick()
    for _ in range(200):
        due = store.get_next_run_time()
        if due is None:
            return
        late = datetime.timedelta(milliseconds=r.randint(1, 1500))
        _Clock.now = max(_Clock.now, due + late)
        s.tick()


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 331)
    real = (schedulers_base.datetime, executors_base.datetime)
    schedulers_base.datetime = _Datetime  # type: ignore[misc]
    executors_base.datetime = _Datetime  # type: ignore[misc]
    _Clock.now = datetime.datetime(2026, 5, 4, 6, 0, 0, tzinfo=UTC)
    s = ClinicScheduler(
        timezone=UTC,
        jobstores={"default": MemoryJobStore()},
        executors={"default": DebugExecutor()},
    )
    s.add_listener(_listener, EVENT_JOB_ERROR | EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
    try:
        s.start()
        for i, p in enumerate(patients):
            with cap.about(p):
                for _ in range(3):
                    _patient(s, p, r)
                _run_all(s, r)
            for k in range(3):
                _benign(s, i * 3 + k, r)
            _run_all(s, r)
        s.shutdown(wait=False)
    finally:
        schedulers_base.datetime, executors_base.datetime = real  # type: ignore[misc]
