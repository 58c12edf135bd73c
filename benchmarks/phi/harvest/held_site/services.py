"""Clinic services that log with loguru, the way application code calls it (see
`loguru_worker.py`). Each function is one action of a patient or of the back office."""

from __future__ import annotations

import datetime
import json
import random
import uuid
from typing import Any

from loguru import logger

PLANS = {"W000000001": "PPO Gold", "MBR000000002": "HMO Silver"}


def parse_dob(patient: Any, typed: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(typed, "%Y-%m-%d").date()
    except ValueError:
        logger.exception("Could not parse date of birth for {}", patient.last_name)
        return None


def intake(patient: Any, r: random.Random) -> None:
    dob = patient.dob
    typed = r.choice([f"{dob:%m/%d/%Y}", f"{dob:%d.%m.%Y}", f"{dob:%B} {dob.day}, {dob.year}"])
    parse_dob(patient, typed)


def coverage(patient: Any) -> str | None:
    member_id = patient.member_id
    try:
        return PLANS[member_id]
    except KeyError:
        logger.exception("Coverage lookup failed")
        return None


def verify_address(patient: Any, r: random.Random) -> None:
    street, city, zip_code = patient.street, patient.city, patient.zip
    if r.random() < 0.5:
        logger.warning("Address verification failed for {}, {} {}", street, city, zip_code)
        return
    try:
        int(zip_code.replace("0", "x"))
    except ValueError:
        logger.opt(exception=True).error("USPS lookup error for {street}", street=street)


def search(patient: Any, r: random.Random) -> None:
    q = r.choice([patient.last_name, f"{patient.first_name} {patient.last_name}"])
    logger.info("Patient search q={!r} dob={}", q, patient.dob)
    logger.debug("search returned {n} rows for {q}", n=r.randint(0, 4), q=q)


def chart(patient: Any, r: random.Random) -> None:
    log = logger.bind(patient_id=r.randint(1, 99999), mrn=patient.mrn)
    log.info("Chart opened by {user}", user=r.choice(["dr.smith", "nurse.k", "frontdesk"]))
    if r.random() < 0.5:
        log.warning("Allergy list empty for {} {}", patient.first_name, patient.last_name)


def eligibility(patient: Any, r: random.Random) -> None:
    request_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
    payload = {
        "member_id": patient.member_id,
        "dob": patient.dob.isoformat(),
        "name": {"given": patient.first_name, "family": patient.last_name},
        "service_date": "2025-03-14",
    }
    with logger.contextualize(request_id=request_id, member_id=patient.member_id):
        logger.info("Eligibility check started")
        logger.opt(lazy=True).debug("Eligibility payload: {}", lambda: json.dumps(payload))
        if r.random() < 0.5:
            logger.warning("Coverage inactive for member {} (MBI {})", patient.member_id,
                           patient.mbi)  # fmt: skip


def reminder(patient: Any, r: random.Random) -> None:
    when = datetime.datetime(2025, 1, 6, 8) + datetime.timedelta(hours=r.randint(0, 4000))
    channel = r.choice(["sms", "email"])
    to = patient.phone if channel == "sms" else patient.email
    logger.info("Sent {channel} reminder to {to} for appointment on {when:%Y-%m-%d %H:%M}",
                channel=channel, to=to, when=when)  # fmt: skip


def claim(patient: Any, r: random.Random) -> None:
    claim_no = f"CLM-{r.randint(100000, 999999)}"
    style = r.randrange(4)
    if style == 0:
        logger.error("Claim {} rejected: SSN {} does not match member {}", claim_no, patient.ssn,
                     patient.member_id)  # fmt: skip
    elif style == 1:
        logger.info("Charging card {} for account {}", patient.card, patient.account)
    elif style == 2:
        logger.warning("Licence {} on file for {} has expired", patient.licence,
                       patient.full_name)  # fmt: skip
    else:
        logger.success("Patient {} merged into MRN {}", patient.full_name, patient.mrn)


def login(patient: Any, r: random.Random) -> None:
    logger.bind(ip=patient.ip, user=patient.email).info("Portal login")
    if r.random() < 0.3:
        logger.warning("Failed login for {} from {}", patient.email, patient.ip)


PATIENT_ACTIONS = [search, chart, eligibility, reminder, claim, login, verify_address]


# --- the back office: the same shapes without patients --------------------------------------


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2024, 1, 1) + datetime.timedelta(days=r.randint(0, 700))


def orders(r: random.Random) -> None:
    number = f"ORD-{r.randint(2023, 2025)}-{r.randint(1, 99999):05d}"
    log = logger.bind(order=number, warehouse=r.choice(["DAL-2", "PDX-1", "CMH-3"]))
    log.info("Order {} shipped on {} ({} items)", number, _day(r), r.randint(1, 40))
    if r.random() < 0.3:
        log.warning("Invoice INV-{} overdue since {}", r.randint(10000, 999999), _day(r))


def cache(r: random.Random) -> None:
    day = _day(r)
    logger.debug("cache miss key=events:{}:page:{} ttl={}s", day, r.randint(1, 9),
                 r.choice([60, 300, 3600]))  # fmt: skip
    logger.opt(lazy=True).debug(
        "cache stats {}",
        lambda: json.dumps(
            {"hits": r.randint(0, 99999), "misses": r.randint(0, 999), "date": str(day)}
        ),
    )


def deploy(r: random.Random) -> None:
    version = f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}"
    build = f"{r.getrandbits(28):07x}"
    with logger.contextualize(build=build, version=version):
        logger.info("Worker started version={} build={} port={}", version, build,
                    r.choice([8000, 8080, 9090]))  # fmt: skip
        logger.info(
            "Migrations applied in {:.3f}s ({} rows)", r.uniform(0.01, 9), r.randint(0, 99999)
        )


def job(r: random.Random) -> None:
    job_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
    rows = r.randint(0, 50000)
    logger.bind(job_id=job_id).info(
        "Report job finished: {} rows in {:.2f}s", rows, r.uniform(0.1, 60)
    )
    if r.random() < 0.3:
        try:
            batch = rows // (r.randint(0, 1) * 0)
        except ZeroDivisionError:
            logger.exception("Report job {} failed on batch of {} rows", job_id, rows)
            batch = 0
        logger.debug("batch={}", batch)


def upstream(r: random.Random) -> None:
    host = f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
    logger.warning("Upstream {}:{} slow: {} ms (status {})", host, r.choice([5432, 6379, 8443]),
                   r.randint(200, 9000), r.choice([200, 502, 503, 504]))  # fmt: skip
    try:
        json.loads("{" + f'"event_date": "{_day(r)}", "count": ' + "}")
    except json.JSONDecodeError:
        logger.exception("Bad webhook body from {}", host)


BENIGN_ACTIONS = [orders, cache, deploy, job, upstream]
