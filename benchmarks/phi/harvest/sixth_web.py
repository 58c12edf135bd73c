"""The `django.server` emitter of `sixth_held.py`: Django's development server (the `WSGIServer`
and `WSGIRequestHandler` behind `manage.py runserver`) on a free loopback port, serving a small
Django app configured in this process (no database), and requests sent over raw sockets (each
read to the end, so every record of a request is logged before the next one starts)."""

from __future__ import annotations

import datetime
import logging
import random
import socket
import threading
import urllib.parse
import uuid
from typing import Any

from patients import Patient
from servers import free_port

SHOWN_HOSTS = ("portal.clinic.example", "10.0.3.17:8000", "billing-api.internal", "0.0.0.0:8000")


# --- the app ----------------------------------------------------------------------------------


def _configure() -> None:
    from django.conf import settings

    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="harvest-sixth-not-a-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ],
        INSTALLED_APPS=[],
        DATABASES={},
        LOGGING_CONFIG=None,
        USE_TZ=True,
        APPEND_SLASH=True,
        DATA_UPLOAD_MAX_MEMORY_SIZE=4096,
        DATA_UPLOAD_MAX_NUMBER_FIELDS=25,
    )
    import django

    django.setup()


def _views() -> list[Any]:
    from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
    from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    def patient(request: HttpRequest, mrn: str) -> HttpResponse:
        if mrn.endswith("7"):
            raise Http404("no such patient")
        return JsonResponse({"ok": True, "fields": 14})

    def chart(request: HttpRequest, mrn: str) -> HttpResponse:
        if "dob" in request.GET and len(request.GET["dob"]) != 10:
            return JsonResponse({"error": "dob must be YYYY-MM-DD"}, status=400)
        return JsonResponse({"ok": True, "sections": 6})

    def search(request: HttpRequest) -> HttpResponse:
        hits = sum(map(ord, request.GET.get("q", ""))) % 4
        return JsonResponse({"hits": hits}, status=200 if hits else 404)

    def intake(request: HttpRequest, ref: str = "") -> HttpResponse:
        return JsonResponse({"fields": len(request.POST)}, status=201)

    def update(request: HttpRequest, mrn: str) -> HttpResponse:
        return JsonResponse({"updated": True})

    def record_file(request: HttpRequest, mrn: str, name: str) -> HttpResponse:
        if ".." in name or name.startswith("/"):
            raise SuspiciousFileOperation(f"Detected path traversal attempt in '{name}'")
        raise SuspiciousOperation(f"record {mrn} requested outside the patient's clinic ({name})")

    def statement(request: HttpRequest, account: str) -> HttpResponse:
        raise KeyError(account)

    def health(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"status": "ok", "db": "skipped", "cache": "ok"})

    def version(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"version": "4.12.3", "build": "2026.11.28"})

    def order(request: HttpRequest, order_id: str) -> HttpResponse:
        if order_id.endswith("9"):
            raise Http404("no such order")
        return JsonResponse({"order": "found", "lines": 3})

    def slots(request: HttpRequest) -> HttpResponse:
        return JsonResponse({"free": len(request.GET.get("room", "")) + 2})

    def inventory(request: HttpRequest, sku: str) -> HttpResponse:
        if sku.startswith("Z"):
            raise ValueError("unknown warehouse bin")
        return JsonResponse({"on_hand": 120})

    def upload(request: HttpRequest, ref: str) -> HttpResponse:
        return JsonResponse({"rows": len(request.POST)}, status=201)

    def export(request: HttpRequest, name: str) -> HttpResponse:
        raise SuspiciousFileOperation(f"The joined path ({name}) is located outside of the base")

    def cancel(request: HttpRequest, order_id: str) -> HttpResponse:
        return JsonResponse({"cancelled": True})

    return [
        path("patients/search/", search),
        path("patients/<str:mrn>/", patient),
        path("patients/<str:mrn>/chart/", chart),
        path("patients/<str:mrn>/update/", update),
        path("records/<str:mrn>/files/<path:name>", record_file),
        path("intake/", csrf_exempt(intake)),
        path("intake/<str:ref>/", csrf_exempt(intake)),
        path("billing/accounts/<str:account>/statement/", statement),
        path("coverage/<str:member>/eligibility/", lambda r, member: chart(r, member)),
        path("health/", health),
        path("version/", version),
        path("api/orders/<str:order_id>/", order),
        path("api/orders/<str:order_id>/cancel/", cancel),
        path("slots/", slots),
        path("inventory/<str:sku>/", inventory),
        path("uploads/<str:ref>/", csrf_exempt(upload)),
        path("exports/<path:name>", export),
    ]


urlpatterns: list[Any] = []


# --- the client -------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int) -> None:
        self.port = port

    def raw(self, data: bytes) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(data)
            while s.recv(65536):
                pass

    def send(
        self,
        method: str,
        target: str,
        body: bytes = b"",
        host: str | None = None,
        headers: dict[str, str] | None = None,
        version: str = "HTTP/1.1",
    ) -> None:
        lines = [
            f"{method} {target} {version}",
            f"Host: {host or f'127.0.0.1:{self.port}'}",
            "User-Agent: clinic-portal/2.3",
            "Connection: close",
        ]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body or method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + body)


def q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def qp(value: str) -> str:
    return urllib.parse.quote_plus(value)


def _dob(p: Patient, r: random.Random) -> str:
    d = p.dob
    return r.choice([d.isoformat(), q(f"{d.month:02d}/{d.day:02d}/{d.year}"), d.isoformat()])


def _patient(c: Client, p: Patient, r: random.Random) -> None:
    mrn = q(p.mrn)
    c.send("GET", f"/patients/{mrn}/")
    c.send("GET", f"/patients/{mrn}")  # APPEND_SLASH: a redirect
    c.send("GET", f"/patients/{mrn}/chart/?name={qp(p.full_name)}&dob={_dob(p, r)}")
    c.send("GET", f"/patients/search/?q={qp(p.last_name)}&zip={p.zip}&state={p.state}")
    if r.random() < 0.6:
        c.send("GET", f"/patients/search/?phone={qp(p.phone)}&email={qp(p.email)}")
    if r.random() < 0.5:
        c.send("GET", f"/coverage/{q(p.member_id)}/eligibility/?mbi={p.mbi}&dob={_dob(p, r)}")
    if r.random() < 0.5:
        c.send("HEAD", f"/billing/accounts/{q(p.account)}/statement/")
    body = urllib.parse.urlencode({"phone": p.phone, "email": p.email, "street": p.street})
    c.send("POST", f"/patients/{mrn}/update/", body.encode())
    if r.random() < 0.5:
        token = "".join(r.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(32))
        c.send("POST", f"/patients/{mrn}/update/", b"", headers={"Cookie": f"csrftoken={token}"})
    roll = r.random()
    if roll < 0.25:
        c.send("GET", f"/records/{mrn}/files/{q(p.last_name)}_{p.dob.isoformat()}.pdf")
    elif roll < 0.4:
        c.send("GET", f"/records/{mrn}/files/..%2F{q(p.ssn)}.pdf")
    elif roll < 0.55:
        note = "x" * 5000
        body = urllib.parse.urlencode({"mrn": p.mrn, "ssn": p.ssn, "note": note}).encode()
        c.send("POST", f"/intake/{mrn}/", body, headers={"X-CSRFToken": "none"})
    elif roll < 0.7:
        text = p.full_name
        if text.isascii():
            c.raw(f"GET /patients/search/?q={text} HTTP/1.1\r\nConnection: close\r\n\r\n".encode())
        else:
            c.send(
                "GET", f"/patients/search/?q={qp(text)}&licence={q(p.licence)}", version="HTTP/1.0"
            )
    elif roll < 0.8:
        c.raw(f"GET /patients/{mrn}/chart/ HTTP/2.7\r\n\r\n".encode())
    elif roll < 0.9:
        c.send("GET", f"/billing/accounts/{q(p.account)}/statement/?card={qp(p.card)}")
    else:
        c.send("GET", f"/patients/search/?ip={p.ip}&ssn={qp(p.ssn)}")


def _benign(c: Client, r: random.Random, n: int) -> None:
    day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 330))
    order = f"ORD-2026-{r.randint(1000, 999999):06d}"
    sku = f"{r.choice('ABCDEFGHZ')}{r.randint(100, 999)}-{r.randint(10, 99)}"
    digest = f"{r.getrandbits(32):08x}"
    pick = r.randint(0, 13)
    if pick == 0:
        c.send("GET", "/health/")
    elif pick == 1:
        c.send("GET", "/version/")
    elif pick == 2:
        c.send("GET", f"/static/css/app.{digest}.css")
    elif pick == 3:
        c.send("GET", f"/api/orders/{order}/")
    elif pick == 4:
        room = r.choice(["A01", "B11", "C07", "TELE"])
        c.send("GET", f"/slots/?date={day.isoformat()}&room={room}&minutes=30")
    elif pick == 5:
        c.send("GET", f"/inventory/{sku}/")
    elif pick == 6:
        c.send("POST", f"/api/orders/{order}/cancel/", b"reason=duplicate")
    elif pick == 7:
        c.send("GET", "/health/", host=r.choice(SHOWN_HOSTS))
    elif pick == 8:
        body = urllib.parse.urlencode([(f"sku{i}", f"A{100 + i}-10") for i in range(40)])
        c.send("POST", f"/uploads/stock-{day:%Y%m%d}/", body.encode())
    elif pick == 9:
        c.send("GET", f"/exports/../../etc/stock-{day.isoformat()}.csv")
    elif pick == 10:
        c.raw(f"GET /api/orders/{order}/ HTTP/3.0\r\n\r\n".encode())
    elif pick == 11:
        c.raw(
            b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03"
            + bytes(r.getrandbits(7) | 0x10 for _ in range(8))
            + b"\r\n\r\n"
        )
    elif pick == 12:
        c.send("GET", f"/slots?date={day.isoformat()}")
    else:
        slot = uuid.UUID(int=r.getrandbits(128), version=4)
        c.send("GET", f"/api/orders/{order}/?slot={slot}&event={day.isoformat()}T09:30:00Z")
    if n % 7 == 0:
        c.send("GET", "/favicon.ico")


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    _configure()
    urlpatterns[:] = _views()
    quiet = logging.getLogger("django.request")
    was = quiet.propagate
    quiet.propagate = False
    null = logging.NullHandler()
    quiet.addHandler(null)
    port = free_port()
    fix.port(port, 8000)
    server = WSGIServer(("127.0.0.1", port), WSGIRequestHandler, ipv6=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        r = random.Random(seed + 81)
        c = Client(port)
        for p in patients:
            with cap.about(p):
                _patient(c, p, r)
        for n in range(1, 900):
            _benign(c, r, n)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        quiet.removeHandler(null)
        quiet.propagate = was
