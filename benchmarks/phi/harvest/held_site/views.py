"""Views of the clinic site: their answers depend only on the request, so the server's log
(statuses, sizes) is the same on every run."""

from __future__ import annotations

import datetime
import json
import zlib

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils._os import safe_join
from django.utils.http import url_has_allowed_host_and_scheme

RECORDS_ROOT = "/srv/clinic/records"


def _code(request: HttpRequest) -> int:
    return zlib.crc32(request.get_full_path().encode("utf-8", "surrogateescape"))


def _found(request: HttpRequest, share: int) -> bool:
    return _code(request) % 100 < share


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok", "checks": {"db": "ok", "cache": "ok"}})


def static(request: HttpRequest, path: str) -> HttpResponse:
    if request.headers.get("If-None-Match"):
        return HttpResponse(status=304)
    if path.endswith(".map") and not _found(request, 50):
        raise Http404("no source map")
    return HttpResponse(b"/* asset */" * (1 + _code(request) % 300))


def version(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"version": "4.12.3", "build": "9f3c2e1", "python": "3.11"})


def events(request: HttpRequest) -> HttpResponse:
    date = request.GET.get("date") or request.GET.get("start", "")
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        return HttpResponseBadRequest("bad date")
    return JsonResponse({"results": [], "count": _code(request) % 40})


def order(request: HttpRequest, number: str) -> HttpResponse:
    if not _found(request, 60):
        raise Http404("No Order matches the given query.")
    return JsonResponse({"number": number, "status": "shipped"})


def invoices(request: HttpRequest) -> HttpResponse:
    if request.GET.get("number", "").startswith("X"):
        raise PermissionDenied
    return JsonResponse({"results": [], "count": _code(request) % 5})


def job(request: HttpRequest, job_id: str) -> HttpResponse:
    if _found(request, 15):
        raise RuntimeError("job store unavailable")
    return JsonResponse({"id": job_id, "state": "done", "rows": _code(request) % 999})


def go(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(request.GET.get("to", "/"))


def patient_by(request: HttpRequest, value: str, given: str = "") -> HttpResponse:
    if not _found(request, 25):
        raise Http404("No Patient matches the given query.")
    return JsonResponse({"id": _code(request) % 9999, "match": "exact"})


def patient_search(request: HttpRequest) -> HttpResponse:
    dob = request.GET.get("dob", "")
    if dob:
        try:
            datetime.date.fromisoformat(dob)
        except ValueError:
            return HttpResponseBadRequest("dob must be YYYY-MM-DD")
    if not request.GET.get("q") and not request.GET.get("last_name") and not dob:
        return HttpResponseBadRequest("empty search")
    return JsonResponse({"results": [], "count": _code(request) % 7})


def patient(request: HttpRequest, pk: int) -> HttpResponse:
    if _found(request, 40):
        raise PermissionDenied("not in care team")
    return JsonResponse({"id": pk})


def chart(request: HttpRequest, pk: int) -> HttpResponse:
    raise ValueError(f"chart {pk}: no encounter for the given dates")


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return JsonResponse({"id": pk, "saved": json.loads(request.body or b"{}") != {}})


def record_file(request: HttpRequest, name: str) -> HttpResponse:
    path = safe_join(RECORDS_ROOT, name)  # raises SuspiciousFileOperation outside the root
    raise Http404(f"{path} does not exist")


def login(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        raise SuspiciousOperation("login redirect to a foreign host refused")
    return HttpResponse(b"<form>login</form>")
