"""The `schedule` emitter of `eighteenth_held.py`: the clinic's in-process scheduler, `schedule`
1.2.2 as a Django management command (`manage.py run_scheduler`) runs it. For each patient the
app schedules its jobs with `schedule.every(...).do(job, *args, **kwargs)`, the patient's
values in their arguments (reminder calls to the patient's phone, recall letters to their
address, follow-ups by MRN and date of birth, portal invitations by e-mail, card-on-file
renewals), tags them with the MRN, then `run_pending()` runs them as the fixed clock reaches
their next run; a job that is done returns `schedule.CancelJob`, a patient who opts out has
their jobs cleared by tag, a job that fails raises and the app's `catch_exceptions` wrapper
logs the traceback.

Captured: the `schedule` logger at DEBUG, as the command's logging configuration has it
(`Running job Job(interval=1, unit=days, do=call_reminder, args=('+41 91 923 45 67',),
kwargs={'name': ...})`, `Cancelling job ...`, `Deleting all jobs tagged "..."`, `Running *all*
3 jobs with 0s delay in between`), and what the app logs around it: each job's `repr` with its
last and next run (`Every 1 day at 10:30:00 do call_reminder('+41 ...') (last run: [never],
next run: 2026-10-05 10:30:00)`), `get_jobs(tag)`, `idle_seconds()`, `next_run()`, the jobs'
own lines and the tracebacks of those that fail. Database backups, cache warm-ups, report
builds, log rotation and stock clean-ups scheduled and run the same way for the benign lines.

No clock of this machine is read: `schedule`'s `datetime` is given a fake clock that the driver
moves to each job's next run (and a seeded few minutes past it), so every `last run` and `next
run` is the same on every run; `.to()`'s random intervals come from the `random` module seeded
by the driver, and `time.sleep` between jobs (`run_all`) is not waited for."""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import random
import types
from collections.abc import Callable, Iterator
from typing import Any

import schedule
from patients import Patient

log = logging.getLogger("clinic.scheduler")


class Clock:
    def __init__(self) -> None:
        self.now = datetime.datetime(2026, 10, 5, 6, 0, 0)


@contextlib.contextmanager
def fixed_clock(clock: Clock) -> Iterator[None]:
    """`schedule`'s `datetime.datetime.now()` on `clock`, its `time.sleep` a no-op."""

    class FixedDatetime(datetime.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
            return clock.now if tz is None else clock.now.replace(tzinfo=tz)

    shim = types.SimpleNamespace(
        datetime=FixedDatetime,
        timedelta=datetime.timedelta,
        time=datetime.time,
        date=datetime.date,
        tzinfo=datetime.tzinfo,
    )
    saved_datetime, saved_time = schedule.datetime, schedule.time  # type: ignore[attr-defined]
    schedule.datetime = shim  # type: ignore[attr-defined]
    schedule.time = types.SimpleNamespace(sleep=lambda seconds: None)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        schedule.datetime = saved_datetime  # type: ignore[attr-defined]
        schedule.time = saved_time  # type: ignore[attr-defined]


class Unreachable(Exception):
    """The phone line or the mail room refused the job."""


def catch_exceptions(cancel_on_failure: bool = False) -> Callable[[Callable[..., Any]], Any]:
    """The wrapper schedule's documentation suggests: log a failing job, go on."""

    def decorator(job_func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(job_func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return job_func(*args, **kwargs)
            except Exception:
                log.exception("scheduled job %s failed", job_func.__name__)
                if cancel_on_failure:
                    return schedule.CancelJob
                return None

        return wrapper

    return decorator


class Jobs:
    """The jobs' bodies: what they log, whether they fail, from a seeded source."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def fails(self, share: float) -> bool:
        return self.r.random() < share

    # --- patients' jobs ---

    def call_reminder(self, phone: str, name: str = "", slot: str = "") -> Any:
        if self.fails(0.3):
            raise Unreachable(f"no answer at {phone} after {self.r.randint(3, 9)} rings")
        if slot:
            log.info("reminder call placed to %s for the %s appointment", phone, slot)
        else:
            log.info("reminder call placed to %s (%s)", phone, name or "no name on file")
        return schedule.CancelJob if self.fails(0.5) else None

    def recall_letter(self, name: str, street: str, town: str) -> None:
        if self.fails(0.25):
            raise Unreachable(f"mail room rejected the letter to {name}, {street}, {town}")
        log.info("recall letter printed for %s", name)

    def follow_up(self, mrn: str, dob: datetime.date, reason: str = "") -> Any:
        if self.fails(0.25):
            raise KeyError(mrn)
        log.info("follow-up task opened for %s (%s)", mrn, reason)
        return schedule.CancelJob

    def portal_invite(self, email: str, first_name: str) -> None:
        if self.fails(0.2):
            raise Unreachable(f"mailbox {email} is full")
        log.info("portal invitation sent to %s", email)

    def card_renewal(self, account: str, card: str) -> None:
        if self.fails(0.3):
            raise ValueError(f"card {card} on account {account} expired")
        log.info("card on file renewed for account %s", account)

    # --- the benign jobs ---

    def backup(self, database: str, target: str) -> None:
        if self.fails(0.2):
            raise OSError(28, "No space left on device")
        log.info("backup of %s written to %s", database, target)

    def warm_cache(self, name: str, keys: int) -> None:
        log.info("cache %s warmed with %d keys", name, keys)

    def build_report(self, report: str, *, fmt: str = "pdf") -> Any:
        if self.fails(0.2):
            raise RuntimeError(f"report {report} has no data for the period")
        log.info("report %s built as %s", report, fmt)
        return None

    def rotate_logs(self, keep: int) -> None:
        log.info("rotated logs, kept %d", keep)

    def purge_stock(self, older_than_days: int) -> None:
        log.info("purged stock movements older than %d days", older_than_days)


class Scheduler:
    def __init__(self, seed: int, clock: Clock) -> None:
        self.r = random.Random(seed)
        self.clock = clock
        self.jobs = Jobs(seed + 1)
        self.sched = schedule.Scheduler()

    def _wrap(self, func: Callable[..., Any], cancel: bool) -> Callable[..., Any]:
        return catch_exceptions(cancel_on_failure=cancel)(func)

    def _show(self, job: schedule.Job) -> None:
        how = self.r.randrange(4)
        if how == 0:
            log.info("scheduled %r", job)
        elif how == 1:
            log.debug("job added: %s", job)
        elif how == 2:
            log.info("next run of %s at %s", job.job_func.__name__, job.next_run)  # type: ignore[union-attr]
        # else: nothing logged

    def _run(self, rounds: int) -> None:
        for _ in range(rounds):
            if not self.sched.jobs:
                break
            nxt = self.sched.next_run
            if nxt is None:
                break
            if self.r.random() < 0.3:
                log.debug("idle for %.0f seconds", self.sched.idle_seconds)
            self.clock.now = nxt + datetime.timedelta(seconds=self.r.randint(0, 240))
            self.sched.run_pending()

    def patient(self, p: Patient) -> None:
        r = self.r
        j = self.jobs
        s = self.sched
        tag = p.mrn
        added: list[schedule.Job] = []
        for _ in range(r.randint(1, 3)):
            kind = r.randrange(6)
            at = f"{r.randint(8, 17):02d}:{r.choice(['00', '15', '30', '45'])}"
            if kind == 0:
                func = self._wrap(j.call_reminder, cancel=False)
                slot = f"{r.randint(1, 28):02d}.{r.randint(10, 12):02d}. {at}"
                job = s.every().day.at(at).do(func, p.phone, name=p.full_name, slot=slot)
            elif kind == 1:
                func = self._wrap(j.recall_letter, cancel=True)
                job = s.every(r.choice([3, 7, 14])).days.do(
                    func, p.full_name, p.street, f"{p.zip} {p.city}"
                )
            elif kind == 2:
                func = self._wrap(j.follow_up, cancel=True)
                reason = r.choice(["lab review", "wound check", "medication review", "x-ray"])
                day = r.choice(["monday", "wednesday", "friday"])
                job = getattr(s.every(), day).at(at).do(func, mrn=p.mrn, dob=p.dob, reason=reason)
            elif kind == 3:
                func = self._wrap(j.portal_invite, cancel=False)
                job = (
                    s.every(r.randint(2, 6))
                    .to(r.randint(8, 12))
                    .hours.do(func, p.email, p.first_name)
                )
            elif kind == 4:
                func = self._wrap(j.card_renewal, cancel=True)
                job = s.every(r.choice([1, 4])).weeks.do(func, p.account, p.card)
            else:
                func = self._wrap(j.call_reminder, cancel=True)
                job = s.every(r.choice([30, 45, 90])).minutes.do(func, p.phone)
            job.tag("patients", tag)
            added.append(job)
            self._show(job)
        if r.random() < 0.3:
            log.debug("jobs of %s: %s", tag, s.get_jobs(tag))
        if r.random() < 0.15:
            s.run_all()
        else:
            self._run(r.randint(2, 5))
        if s.jobs and r.random() < 0.35:
            job = r.choice(s.jobs)
            log.info("patient %s changed their preferences", p.mrn)
            s.cancel_job(job)
        if r.random() < 0.5:
            log.info("patient %s opted out of reminders", p.full_name)
        s.clear(tag)

    def benign(self) -> None:
        r = self.r
        j = self.jobs
        s = self.sched
        for _ in range(r.randint(1, 3)):
            kind = r.randrange(5)
            at = f"{r.randint(0, 5):02d}:{r.choice(['00', '10', '30'])}"
            if kind == 0:
                db = r.choice(["clinic", "billing", "imaging"])
                target = f"s3-backups/{db}/{r.randint(1000, 9999)}.dump"
                job = s.every().day.at(at).do(self._wrap(j.backup, False), db, target)
            elif kind == 1:
                name = r.choice(["formulary", "rooms", "tariffs"])
                job = s.every(r.choice([10, 15, 30])).minutes.do(
                    self._wrap(j.warm_cache, False), name, keys=r.randint(50, 5000)
                )
            elif kind == 2:
                report = r.choice(["occupancy", "no-shows", "stock-levels", "claims-aging"])
                job = (
                    s.every()
                    .sunday.at(at)
                    .do(self._wrap(j.build_report, False), report, fmt=r.choice(["pdf", "xlsx"]))
                )
            elif kind == 3:
                job = s.every(r.randint(6, 12)).hours.do(
                    self._wrap(j.rotate_logs, False), r.randint(5, 30)
                )
            else:
                job = s.every(2).to(4).days.do(self._wrap(j.purge_stock, True), r.randint(90, 365))
            job.tag("maintenance")
            self._show(job)
        if r.random() < 0.3:
            log.debug("maintenance jobs: %s", s.get_jobs("maintenance"))
        if r.random() < 0.15:
            s.run_all()
        else:
            self._run(r.randint(2, 5))
        if r.random() < 0.4:
            s.clear("maintenance")
        else:
            s.clear()


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    clock = Clock()
    state = random.getstate()
    random.seed(seed + 31)  # `every(a).to(b)` draws its interval from the `random` module
    try:
        with fixed_clock(clock):
            sched = Scheduler(seed + 32, clock)
            start = clock.now
            batch = 0
            for p in patients:
                # each batch's jobs are cleared at its end: the next one starts a little later
                # on the first day, not after the weeks the last one ran through
                batch += 1
                clock.now = start + datetime.timedelta(minutes=7 * batch)
                with cap.about(p):
                    sched.patient(p)
                for _ in range(sched.r.randint(1, 3)):
                    batch += 1
                    clock.now = start + datetime.timedelta(minutes=7 * batch)
                    sched.benign()
    finally:
        random.setstate(state)
