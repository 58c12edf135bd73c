"""The `tenacity` emitter of `eighth_held.py`: tenacity retrying the app's calls to flaky
partners (SMS and fax gateways, an eligibility API, a geocoder, a card processor, supplier
and webhook endpoints), with its `before_log`, `after_log` and `before_sleep_log` records and
what the app logs when it gives up. The partners are stand-ins in this process that fail on a
seeded schedule; nothing is sent anywhere and nothing sleeps."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

import tenacity
from patients import Patient
from tenacity import (
    RetryError,
    Retrying,
    after_log,
    before_log,
    before_sleep_log,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_fixed,
    wait_incrementing,
)

log = logging.getLogger("clinic.partners")


class GatewayError(Exception):
    pass


class PartnerTimeout(TimeoutError):
    pass


class Declined(Exception):
    pass


for _error in (GatewayError, PartnerTimeout, Declined):
    _error.__module__ = "clinic.partners.errors"


def _no_sleep(seconds: float) -> None:
    return None


class Partners:
    """The partner clients of the app: each call fails while its seeded budget of failures
    lasts, with the error text the partner sends back."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.failures = 0

    def arm(self, at_most: int) -> None:
        self.failures = self.r.randint(0, at_most)

    def _fail(self, exc: Exception) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise exc

    def send_sms(self, phone: str, body: str) -> str:
        code = self.r.choice([429, 500, 502, 503])
        self._fail(GatewayError(f"SMS gateway answered {code} for recipient {phone}"))
        return f"SM{self.r.getrandbits(64):016x}"

    def send_fax(self, number: str, pages: int, name: str) -> str:
        self._fail(PartnerTimeout(f"fax to {number} for {name} timed out after 30s"))
        return f"FX-{self.r.randint(100000, 999999)}"

    def check_eligibility(self, member_id: str, dob: str) -> dict[str, Any]:
        self._fail(
            GatewayError(f"eligibility API 503 for member {member_id} (dob {dob}): try later")
        )
        return {"member_id": member_id, "active": True, "plan": "PPO-3"}

    def geocode(self, address: str) -> tuple[float, float]:
        self._fail(ConnectionError(f"geocoder reset the connection while resolving '{address}'"))
        return (round(self.r.uniform(25, 48), 5), round(self.r.uniform(-122, -70), 5))

    def charge(self, card: str, account: str, cents: int) -> str:
        self._fail(Declined(f"processor error on card {card} for account {account}: code 91"))
        return f"ch_{self.r.getrandbits(48):012x}"

    def send_email(self, address: str, subject: str) -> str:
        self._fail(GatewayError(f"SMTP relay deferred <{address}>: 451 4.7.1 try again later"))
        return f"<{self.r.getrandbits(64):x}@mail.northgate-clinic.example>"

    def sync_supplier(self, supplier: str, lines: int) -> int:
        self._fail(PartnerTimeout(f"supplier portal {supplier} timed out after 20s"))
        return lines

    def post_webhook(self, url: str, event: str) -> int:
        self._fail(GatewayError(f"webhook {url} answered 502 for event {event}"))
        return 200

    def build_report(self, report: str, rows: int) -> str:
        self._fail(ConnectionError(f"warehouse connection lost after {rows} rows of {report}"))
        return f"s3://reports/{report}.csv"


def _named(fn: Callable[..., Any], module: str) -> Callable[..., Any]:
    """The partner call as the app's own function (tenacity logs `module.qualname`)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    call.__module__ = module
    call.__name__ = call.__qualname__ = fn.__name__
    return call


MODULES = {
    "send_sms": "clinic.notifications.sms",
    "send_fax": "clinic.referrals.fax",
    "check_eligibility": "clinic.billing.eligibility",
    "geocode": "clinic.outreach.geo",
    "charge": "clinic.billing.payments",
    "send_email": "clinic.notifications.mail",
    "sync_supplier": "clinic.inventory.suppliers",
    "post_webhook": "clinic.integrations.webhooks",
    "build_report": "clinic.reports.warehouse",
}


def _retrying(r: random.Random, attempts: int) -> Retrying:
    wait = r.choice(
        [
            wait_exponential(multiplier=0.5, max=8),
            wait_fixed(r.choice([1, 2, 5])),
            wait_incrementing(start=1, increment=2),
        ]
    )
    options: dict[str, Any] = {
        "stop": stop_after_attempt(attempts),
        "wait": wait,
        "sleep": _no_sleep,
        "before_sleep": before_sleep_log(log, logging.WARNING, exc_info=r.random() < 0.25),
        "retry": retry_if_exception_type((GatewayError, PartnerTimeout, ConnectionError, Declined)),
    }
    if r.random() < 0.5:
        options["after"] = after_log(log, logging.INFO)
    if r.random() < 0.4:
        options["before"] = before_log(log, logging.DEBUG)
    if r.random() < 0.15:
        options["reraise"] = True
    return Retrying(**options)


def _call(
    partners: Partners, r: random.Random, name: str, args: tuple[Any, ...], what: str
) -> None:
    fn = _named(getattr(partners, name), MODULES[name])
    attempts = r.randint(2, 4)
    partners.arm(attempts + 1)
    retrying = _retrying(r, attempts)
    try:
        result = retrying(fn, *args)
    except RetryError as exc:
        style = r.randrange(4)
        if style == 0:
            log.exception("%s: giving up after %d attempts", what, attempts)
        elif style == 1:
            log.error("%s failed: %s", what, exc.last_attempt.exception())
        elif style == 2:
            log.error("%s: %s (last error %r)", what, exc, exc.last_attempt.exception())
        else:
            log.error("%s: %s", what, retrying.statistics)
        return
    except Exception:
        log.exception("%s failed", what)
        return
    log.info("%s done: %r", what, result)
    if r.random() < 0.2:
        log.debug("%s retry statistics %s", what, retrying.statistics)


def _about(partners: Partners, p: Patient, r: random.Random) -> None:
    calls = [
        ("send_sms", (p.phone, "Reminder: your appointment is tomorrow"), f"reminder to {p.phone}"),
        ("send_sms", (p.phone, f"Hi {p.first_name}, your results are ready"), "results text"),
        ("send_fax", (p.phone, r.randint(1, 6), p.full_name), f"referral of {p.full_name}"),
        (
            "check_eligibility",
            (p.member_id, p.dob.isoformat()),
            f"eligibility of member {p.member_id}",
        ),
        ("geocode", (f"{p.street}, {p.city}, {p.state} {p.zip}",), f"geocoding MRN {p.mrn}"),
        (
            "charge",
            (p.card, p.account, r.randint(1500, 90000)),
            f"co-pay charge on account {p.account}",
        ),
        ("send_email", (p.email, "Your statement"), f"statement for {p.last_name}"),
    ]
    for name, args, what in r.sample(calls, 4):
        _call(partners, r, name, args, what)
    if r.random() < 0.3:
        state = tenacity.RetryCallState(
            retry_object=_retrying(r, 3), fn=_named(partners.send_sms, MODULES["send_sms"]),
            args=(p.phone, "reminder"), kwargs={},
        )  # fmt: skip
        state.attempt_number = r.randint(1, 3)
        log.debug("retry state for %s: %r", p.phone, state)


def _benign(partners: Partners, r: random.Random) -> None:
    supplier = r.choice(["Medline", "Cardinal", "McKesson", "Henry Schein", "Owens", "BD"])
    event = r.choice(["order.shipped", "invoice.paid", "slot.released", "stock.low"])
    calls = [
        ("sync_supplier", (supplier, r.randint(5, 400)), f"nightly sync with {supplier}"),
        (
            "post_webhook",
            (f"https://hooks.partner.example/v{r.randint(1, 3)}/events", event),
            f"webhook {event} #{r.randint(1000, 9999)}",
        ),
        (
            "build_report",
            (f"inventory-{r.randint(2025, 2026)}-{r.randint(1, 12):02d}", r.randint(100, 9999)),
            "monthly inventory report",
        ),
        (
            "send_email",
            (f"orders@{supplier.lower().replace(' ', '')}.example", "PO confirmation"),
            f"PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d} confirmation",
        ),
    ]
    name, args, what = r.choice(calls)
    _call(partners, r, name, args, what)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 103)
    partners = Partners(r)
    for p in patients:
        with cap.about(p):
            _about(partners, p, r)
        for _ in range(5):
            _benign(partners, r)
