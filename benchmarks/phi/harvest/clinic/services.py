"""Application code that fails with its locals in scope: the tracebacks the harvester formats."""

from __future__ import annotations

import datetime
from collections.abc import Callable


class ChartLocked(Exception):
    pass


class Chart:
    """What a view holds of a patient; its repr is the one Django gives a model instance."""

    def __init__(self, patient) -> None:  # type: ignore[no-untyped-def]
        self.pk = patient.pk
        self.first_name, self.last_name = patient.first_name, patient.last_name

    def __repr__(self) -> str:
        return f"<Patient: {self.last_name}, {self.first_name}>"


def attempt(fn: Callable[..., None], *args: object) -> Exception | None:
    try:
        fn(*args)
    except Exception as exc:
        return exc
    return None


def _lookup(chart: Chart, mrn: str, dob: datetime.date) -> None:
    query = {"mrn": mrn, "dob": dob, "last_name": chart.last_name}  # noqa: F841 (a local the traceback shows)
    raise LookupError(f"no chart for MRN {mrn}")


def _bill(chart: Chart, account: str, card: str) -> None:
    amount = "25.00"  # noqa: F841 (a local the traceback shows)
    raise ValueError("card declined")


def _notify(chart: Chart, phone: str, email: str) -> None:
    message = f"Dear {chart.first_name}, your appointment is confirmed."  # noqa: F841 (a local the traceback shows)
    raise ChartLocked("chart is locked by another user")


def _move(chart: Chart, street: str, city: str, zip_code: str) -> None:
    line = f"{street}, {city} {zip_code}"
    raise ValueError(f"address could not be verified: {line}")


def phi_failure(patient, kind: int) -> None:  # type: ignore[no-untyped-def]
    chart = Chart(patient)
    if kind == 0:
        _lookup(chart, patient.mrn, patient.dob)
    elif kind == 1:
        _bill(chart, patient.account, patient.card)
    elif kind == 2:
        _notify(chart, patient.phone, patient.email)
    else:
        _move(chart, patient.street, patient.city, patient.zip)


def benign_failure(day: datetime.date, order: str, job_id: str, rows: int) -> None:
    cache_key = f"events:{day}:list"
    if rows % 3 == 0:
        raise KeyError(cache_key)
    if rows % 3 == 1:
        raise TimeoutError(f"export of order {order} timed out after {rows} ms")
    version = f"3.{rows % 20}.{rows % 7}"
    raise RuntimeError(f"job {job_id} failed on schema version {version}")
