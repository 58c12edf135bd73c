"""Views of the fresh clinic site that fail the way real views fail: their exceptions reach
Django's `django.request` logger, whose `AdminEmailHandler` mails the report to the admins."""

from __future__ import annotations

import datetime
import decimal
import zlib

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from fresh_site.models import Order, Patient


def _code(request: HttpRequest) -> int:
    return zlib.crc32(request.get_full_path().encode("utf-8", "surrogateescape"))


def by_ssn(request: HttpRequest, value: str) -> HttpResponse:
    patient = Patient.objects.get(ssn=value)
    return JsonResponse({"id": patient.pk})


def by_mrn(request: HttpRequest, value: str) -> HttpResponse:
    if _code(request) % 3 == 0:
        raise Http404("No Patient matches the given query.")
    charts = {"MRN-0000001": 1}
    return JsonResponse({"chart": charts[value]})


def search(request: HttpRequest) -> HttpResponse:
    born = datetime.date.fromisoformat(request.GET["dob"])
    name = request.GET.get("q", "")
    if born.year < 1900:
        raise ValueError(f"implausible date of birth {born} for {name}")
    raise LookupError(f"search index unavailable for {name!r} born {born}")


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    phone = request.POST["phone"]
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) != 10:
        raise ValueError(f"cannot send a confirmation SMS to {phone}")
    raise RuntimeError(f"mail relay refused {request.POST['email']}")


def chart(request: HttpRequest, pk: int) -> HttpResponse:
    raise SuspiciousOperation(f"chart {pk} requested with a session from another clinic")


def eligibility(request: HttpRequest) -> HttpResponse:
    member = request.GET["member_id"]
    raise PermissionError(f"payer rejected member {member} (DOB {request.GET['dob']})")


def order(request: HttpRequest, number: str) -> HttpResponse:
    return JsonResponse({"total": str(Order.objects.get(number=number).total)})


def events(request: HttpRequest) -> HttpResponse:
    day = datetime.date.fromisoformat(request.GET["date"])
    return JsonResponse({"day": str(day), "free": 100 // (day.day % 3)})


def invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    amount = decimal.Decimal(request.GET.get("amount", "0"))
    raise TimeoutError(f"renderer timed out after 30s on invoice {number} ({amount} USD)")
