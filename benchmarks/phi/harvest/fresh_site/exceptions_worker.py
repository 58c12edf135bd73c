"""Python exceptions over the patients, logged the ways apps log them:
`python -m fresh_site.exceptions_worker SEED`.

Reads the patients (JSON) on stdin and runs `services.py` over each: the stdlib (`KeyError`,
`int()`, `strptime`/`fromisoformat`, `json`, codecs, `ipaddress`, format specs, `assert`),
Django's ORM over SQLite (`DoesNotExist`, `MultipleObjectsReturned`, `IntegrityError`) and
`ValidationError`, and the app's own f-string messages. Each failure is logged one way of
several: `logger.exception`, `str(exc)` or `repr(exc)` in the message, `traceback.format_exc()`,
`traceback.format_exception_only()`, or `traceback.TracebackException(...,
capture_locals=True)`. Orders, invoices, products and events go the same way for the lines
without a patient. Records go to `FRESH_SITE_LOG`.
"""

from __future__ import annotations

import logging
import random
import sys
import traceback
from collections.abc import Callable
from typing import Any

from fresh_site.common import about, day, invoice_no, money, order_no, read_patients, setup_django
from fresh_site.common import sku as sku_no
from fresh_site.common import uid as uid_no
from fresh_site.common import version as version_no

setup_django()

from fresh_site import services  # noqa: E402
from fresh_site.models import Patient as PatientRow  # noqa: E402

log = logging.getLogger("clinic.app")
tasks = logging.getLogger("clinic.tasks")

PATIENT_CONTEXT = {
    "chart_for": ("chart lookup failed for MRN %s", "mrn"),
    "phone_digits": ("could not normalise the phone number of %s", "last_name"),
    "parse_dob": ("bad date of birth for %s %s", "first_name last_name"),
    "read_intake": ("intake form of MRN %s could not be read", "mrn"),
    "decode_upload": ("upload for %s rejected", "email"),
    "find_patient": ("no patient with MRN %s", "mrn"),
    "find_duplicates": ("duplicate charts for %s, %s", "last_name first_name"),
    "register": ("could not register %s %s (SSN %s)", "first_name last_name ssn"),
    "check_consent": ("consent check failed for MRN %s", "mrn"),
    "coverage": ("eligibility check failed for member %s", "member_id"),
    "client_address": ("login from an unparseable address for %s", "email"),
    "masked_ssn": ("could not mask the SSN of %s", "mrn"),
    "upload_row": ("row for %s %s skipped", "first_name last_name"),
    "validate_mrn": ("chart %s failed validation", "mrn"),
    "street_number": ("geocoding failed for %s", "street"),
    "zip_region": ("no region for ZIP %s", "zip"),
}
BENIGN_CONTEXT = {
    "order_total": ("total of order %s unavailable", "order"),
    "quantity": ("bad quantity on order %s", "order"),
    "event_day": ("event calendar for %s not built", "day"),
    "read_webhook": ("webhook %s rejected", "uid"),
    "decode_catalogue": ("catalogue line for %s rejected", "sku"),
    "find_order": ("order %s not found", "order"),
    "add_product": ("could not add product %s", "sku"),
    "check_invoice": ("invoice %s does not add up", "invoice"),
    "gateway": ("job %s failed", "uid"),
    "upstream_address": ("bad upstream address in version %s", "version"),
    "price": ("could not price %s", "sku"),
    "catalogue_row": ("catalogue import of %s failed", "product"),
}
PRODUCTS = ["Nitrile gloves (M)", "Syringe 5 ml", "Gauze swabs", "Surgical masks",
            "Digital thermometer", "Sharps container", "Rapid strep test kit"]  # fmt: skip


def attempt(fn: Callable[[Any, int], Any], subject: Any, kind: int) -> BaseException | None:
    try:
        fn(subject, kind)
    except Exception as exc:
        return exc
    return None


def report(r: random.Random, exc: BaseException, message: str, args: tuple[Any, ...]) -> None:
    style = r.randrange(8)
    if style == 0:
        log.exception(message, *args, exc_info=exc)
    elif style == 1:
        log.error(message + ": %s", *args, exc)
    elif style == 2:
        log.warning(message + " (%r)", *args, exc)
    elif style == 3:
        log.error("%s", "".join(traceback.format_exception(exc)).rstrip())
    elif style == 4:
        frames = traceback.TracebackException.from_exception(exc, capture_locals=True)
        log.error(message + "\n%s", *args, "".join(frames.format()).rstrip())
    elif style == 5:
        log.info("%s", "".join(traceback.format_exception_only(exc)).strip())
    elif style == 6:
        tasks.error("task %s raised %s: %s", r.choice(["intake.sync", "billing.run", "reminders"]),
                    type(exc).__name__, exc)  # fmt: skip
    else:
        log.warning("%s: %s", message % args, exc)


def benign_data(r: random.Random) -> dict[str, Any]:
    d = day(r)
    return {
        "order": order_no(r),
        "invoice": invoice_no(r),
        "day": str(d),
        "us_day": f"{d:%m/%d/%Y}",
        "bad_day": f"{d.year}-{d.month:02d}-{r.randint(30, 34)}",
        "qty": r.choice(["12 boxes", "ten", "3.5", "", "1,200"]),
        "qty_n": r.randint(1, 90),
        "sku": sku_no(r),
        "product": r.choice(PRODUCTS),
        "price": money(r),
        "ip": f"10.{r.randint(0, 20)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
        "uid": uid_no(r),
        "n": r.randint(1000, 99999),
        "version": version_no(r),
    }


def main() -> int:
    seed = int(sys.argv[1])
    r = random.Random(seed)
    patients = read_patients()
    for index, p in enumerate(patients):
        with about(index):
            for fn in r.sample(services.PATIENT, 3):
                exc = attempt(fn, p, r.randrange(12))
                if exc is None:
                    continue
                message, fields = PATIENT_CONTEXT[fn.__name__]
                report(r, exc, message, tuple(getattr(p, f) for f in fields.split()))
        # No other patient's row may show up in the next patient's querysets.
        PatientRow.objects.all().delete()
        for fn in r.sample(services.BENIGN, 3):
            data = benign_data(r)
            exc = attempt(fn, data, r.randrange(12))
            if exc is None:
                continue
            message, field = BENIGN_CONTEXT[fn.__name__]
            report(r, exc, message, (data[field],))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
