"""The `rq` emitter of `fifth_held.py`: a real `redis-server` on a free loopback port, jobs with
patients' values in their arguments, and a real rq worker (`SimpleWorker`, burst mode) running
them; the job functions live here too (the worker imports them as `fifth_jobs.<name>`)."""

from __future__ import annotations

import contextlib
import random
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2] / "tests")]

from patients import Patient  # noqa: E402
from servers import free_port, stop_pid, wait_for_port  # noqa: E402

REDIS = "/usr/bin/redis-server"


class EligibilityError(Exception):
    pass


class CardDeclined(Exception):
    pass


# --- the jobs ---------------------------------------------------------------------------------


def send_reminder(name: str, phone: str, when: str, channel: str = "sms") -> str:
    if channel == "voice":
        raise RuntimeError(f"voice channel disabled; could not call {phone} for {name}")
    return f"reminder for {when} sent to {phone}"


def check_eligibility(member_id: str, dob: str, payer: str = "aetna") -> dict[str, Any]:
    if payer == "legacy":
        raise EligibilityError(f"member {member_id} (dob {dob}) not found at {payer}")
    return {"member_id": member_id, "active": True, "payer": payer}


def build_statement(account: str, email: str, period: str) -> str:
    if period.endswith("13"):
        raise ValueError(f"bad period {period!r} for account {account}")
    return f"statement {period} for account {account} mailed to {email}"


def export_record(mrn: str, sections: list[str]) -> int:
    if "psych" in sections:
        raise PermissionError(f"export of restricted sections for MRN {mrn} needs consent")
    charts: dict[str, int] = {}
    return charts[mrn]  # no chart in this worker: KeyError with the MRN


def update_address(patient: str, street: str, city: str, zip_code: str) -> str:
    if len(zip_code) > 5:
        raise ValueError(f"ZIP {zip_code} is not a 5-digit ZIP for {city}")
    return f"{patient}: {street}, {city} {zip_code}"


def verify_identity(ssn: str, licence: str, mbi: str | None = None) -> bool:
    if mbi is None:
        raise LookupError(f"identity check for SSN {ssn} and licence {licence} inconclusive")
    return True


def charge_card(card: str, amount: float, ip: str) -> str:
    if amount > 300:
        raise CardDeclined(f"card {card} declined (request from {ip})")
    return f"charged {amount:.2f}"


def sync_inventory(sku: str, warehouse: str) -> int:
    if warehouse == "W9":
        raise ConnectionError(f"warehouse {warehouse} unreachable while syncing {sku}")
    return sum(ord(c) for c in sku) % 400


def rebuild_report(day: str, kind: str = "daily") -> str:
    if kind == "quarterly":
        raise NotImplementedError(f"{kind} reports are built by the warehouse job ({day})")
    return f"{kind} report for {day}: 3 files"


def purge_sessions(older_than_days: int) -> int:
    return older_than_days * 17


def reindex_products(batch: int, size: int = 500) -> dict[str, int]:
    if batch % 7 == 0:
        raise TimeoutError(f"search index did not answer for batch {batch}")
    return {"batch": batch, "indexed": size}


# --- the server and the run -------------------------------------------------------------------


@contextlib.contextmanager
def redis_server() -> Iterator[int]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="harvest-fifth-redis-") as tmp:
        process = subprocess.Popen(
            [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", tmp],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for_port(port)
            yield port
        finally:
            stop_pid(process.pid)


def _patient_jobs(p: Patient, r: random.Random) -> list[tuple[str, str, tuple[Any, ...], dict]]:
    day = f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    when = f"{day} {r.randint(8, 17)}:{r.choice(['00', '30'])}"
    jobs: list[tuple[str, str, tuple[Any, ...], dict]] = [
        ("reminders", "send_reminder", (p.full_name, p.phone, when),
         {"channel": r.choice(["sms", "sms", "voice"])}),
        ("billing", "check_eligibility", (p.member_id,),
         {"dob": p.dob.isoformat(), "payer": r.choice(["aetna", "cigna", "legacy"])}),
        ("billing", "build_statement", (p.account, p.email, f"2026-{r.choice(['03', '07', '13'])}"),
         {}),
        ("records", "export_record", (p.mrn, r.choice([["labs"], ["labs", "psych"]])), {}),
        ("records", "update_address", (p.last_name, p.street, p.city, p.zip), {}),
        ("records", "verify_identity", (p.ssn, p.licence), r.choice([{}, {"mbi": p.mbi}])),
        ("billing", "charge_card", (p.card, r.choice([45.0, 120.5, 480.0]), p.ip), {}),
    ]  # fmt: skip
    return r.sample(jobs, 4)


def _benign_job(r: random.Random) -> tuple[str, str, tuple[Any, ...], dict]:
    kinds = ["GLV", "SYR", "BND", "MSK", "TST", "GAU", "SWB"]
    sku = f"{r.choice(kinds)}-{r.randint(100, 999)}-{r.choice('ABCDK')}"
    day = f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    return r.choice(
        [
            ("default", "sync_inventory", (sku, r.choice(["W1", "W3", "W9"])), {}),
            ("default", "rebuild_report", (day,), {"kind": r.choice(["daily", "quarterly"])}),
            ("default", "purge_sessions", (r.choice([7, 14, 30, 90]),), {}),
            ("default", "reindex_products", (r.randint(1, 400),), {"size": r.choice([100, 500])}),
        ]
    )


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    from redis import Redis
    from rq import Queue, Retry, SimpleWorker

    r = random.Random(seed + 31)
    with redis_server() as port:
        conn = Redis(host="127.0.0.1", port=port)
        queues = {
            name: Queue(name, connection=conn)
            for name in ("reminders", "billing", "records", "default")
        }
        for p in patients:
            batch = [(job, p) for job in _patient_jobs(p, r)]
            batch += [(_benign_job(r), None) for _ in range(5)]
            for (queue, func, args, kwargs), owner in batch:
                job_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
                cap.jobs[job_id] = [owner] if owner is not None else []
                options: dict[str, Any] = {"job_id": job_id}
                if r.random() < 0.2:
                    options["retry"] = Retry(max=1)
                if r.random() < 0.15 and owner is not None:
                    options["description"] = f"{func} for {owner.full_name}"
                cap.current = job_id
                queues[queue].enqueue(f"fifth_jobs.{func}", *args, **kwargs, **options)
        cap.current = None
        worker = SimpleWorker(list(queues.values()), connection=conn, name="clinic-worker-1")
        worker.work(burst=True, logging_level="DEBUG")
