"""Celery tasks run eagerly through Celery's own tracer, which logs their results and failures."""

from __future__ import annotations

from celery import Celery
from celery.utils.log import get_task_logger

app = Celery("clinic", set_as_current=False)
app.conf.update(task_always_eager=True, task_eager_propagates=False, broker_url="memory://")
log = get_task_logger("clinic.tasks")


class EligibilityError(Exception):
    pass


@app.task(name="clinic.send_reminder")
def send_reminder(appointment_id: int, phone: str, when: str) -> str:
    log.info("sending reminder for appointment %s to %s", appointment_id, phone)
    return f"sms queued for {phone} at {when}"


@app.task(name="clinic.check_eligibility")
def check_eligibility(member_id: str, dob: str, mbi: str = "") -> dict:
    if member_id[-1] in "02468":
        raise EligibilityError(f"no active coverage for member {member_id} (dob {dob})")
    return {"member_id": member_id, "mbi": mbi, "eligible": True}


@app.task(name="clinic.charge_copay")
def charge_copay(account: str, card: str, amount: str) -> dict:
    if card[-1] in "13579":
        raise ValueError(f"card {card} declined for account {account}")
    log.info("charged %s to account %s", amount, account)
    return {"account": account, "status": "ok", "amount": amount}


@app.task(name="clinic.send_statement")
def send_statement(name: str, email: str, address: str) -> str:
    log.info("statement for %s mailed to %s", name, address)
    return f"statement sent to {email}"


@app.task(name="clinic.rebuild_event_cache")
def rebuild_event_cache(day: str) -> dict:
    return {"key": f"events:{day}:list", "rows": sum(map(ord, day)) % 500}


@app.task(name="clinic.export_orders")
def export_orders(batch: str, invoice: str) -> int:
    log.info("exporting batch %s (invoice %s)", batch, invoice)
    return len(batch) * 37


@app.task(name="clinic.sync_gateway")
def sync_gateway(host: str, port: int) -> None:
    raise TimeoutError(f"gateway {host}:{port} timed out after 30s")


@app.task(name="clinic.purge_sessions")
def purge_sessions(days: int) -> str:
    return f"purged {days * 13} sessions older than {days} days"
