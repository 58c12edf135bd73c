"""The `flask` emitter of `thirteenth_held.py`: the app's referral and pre-registration service,
a Flask application behind a proxy (werkzeug's `ProxyFix`, so the client's address comes from
`X-Forwarded-For`) served by werkzeug's own server (`make_server`, the server behind
`flask run`) on a free loopback port (127.0.0.1) in a thread, called by `http.client` one
request at a time. Captured: werkzeug's request lines (`werkzeug`: the address, the server's
clock, the request line with its query string as werkzeug decodes it, status and size, coloured
as werkzeug colours them), its `code 400, message Bad request syntax` and version errors for
broken request lines sent over a raw socket, Flask's `Exception on /path [GET]` records with
their tracebacks, and what the views log: `repr(request)`, arguments, form fields,
`BadRequestKeyError`s and `abort` descriptions. Health checks, static files, slots, orders,
inventory, devices and versions for the benign lines. The server's clock is replaced by seeded
times and the port by a fixed one."""

from __future__ import annotations

import datetime
import http.client
import json
import random
import re
import socket
import threading
import urllib.parse
from typing import Any

from flask import Flask, abort, jsonify, request
from patients import Patient
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import make_server

AGENTS = (
    "ReferralPortal/3.4 (iPadOS 17.5)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/125.0 Safari/537.36",
    "python-requests/2.32.3",
    "fax-gateway/1.9",
)


class ReferralConflict(RuntimeError):
    pass


class PayerTimeout(TimeoutError):
    pass


ReferralConflict.__module__ = "clinic.referrals.errors"
PayerTimeout.__module__ = "clinic.referrals.errors"


def _app() -> Flask:
    app = Flask("clinic.referrals")
    log = app.logger

    @app.get("/api/referrals/lookup")
    def lookup() -> Any:
        mrn = request.args["mrn"]
        born = request.args.get("dob", "")
        if mrn[-1:] in "13":
            abort(404, description=f"no chart for MRN {mrn}")
        if mrn[-1:] in "57":
            raise ReferralConflict(f"chart {mrn} has an open referral; dob={born}")
        if mrn[-1:] in "9":
            log.info("lookup %r", request)
        return jsonify(mrn=mrn, matches=1)

    @app.get("/api/referrals/search")
    def search() -> Any:
        family = request.args["family"]
        given = request.args.get("given", "")
        if len(family) % 4 == 0:
            log.warning("no patient named %s %s", given, family)
            abort(404)
        if len(family) % 4 == 1:
            raise LookupError(f"{family}, {given}: several charts match, date of birth needed")
        return jsonify(matches=1)

    @app.post("/api/preregistration")
    def prereg() -> Any:
        body = request.get_json()
        born = datetime.date.fromisoformat(body["birthDate"])
        if "ssn" in body and body["ssn"][-1:] in "02468":
            log.error("pre-registration for %s carries SSN %s", body["mrn"], body["ssn"])
            abort(422)
        log.debug("pre-registration fields: %s", sorted(body))
        return jsonify(mrn=body["mrn"], born=born.isoformat()), 201

    @app.post("/api/eligibility")
    def eligibility() -> Any:
        member = request.form["member_id"]
        mbi = request.form.get("mbi", "")
        if mbi[:1] in "123":
            raise PayerTimeout(f"payer did not answer for member {member} (MBI {mbi})")
        if mbi[:1] in "45":
            log.info("eligibility form %s", request.form.to_dict())
        return jsonify(member_id=member, eligible=True)

    @app.get("/api/addresses/verify")
    def verify() -> Any:
        zip_code = request.args["zip"]
        if zip_code[-1:] in "0246":
            raise ValueError(
                f"address {request.args['street']}, {request.args['city']} {zip_code} "
                "is not deliverable"
            )
        return jsonify(deliverable=True)

    @app.get("/r/confirm")
    def confirm() -> Any:
        phone = request.args["phone"]
        if phone[-1:] in "79":
            log.warning("confirmation link for %s expired (%s)", phone, request.args["code"])
            abort(410)
        return "", 204

    @app.post("/portal/login")
    def login() -> Any:
        email = request.form["email"]
        if email[:1] in "abcdefghijklm":
            log.info("failed portal login for %s from %s", email, request.remote_addr)
            abort(401, description=f"no portal account for {email}")
        return "", 302, {"Location": "/portal/home"}

    @app.post("/api/payments")
    def payments() -> Any:
        card = request.form["card"]
        if card[-1:] in "0123":
            raise RuntimeError(f"card {card} declined for account {request.form['account']}")
        return jsonify(status="authorized")

    @app.put("/api/patients/<mrn>/identity")
    def identity(mrn: str) -> Any:
        body = request.get_json()
        if body["licence"][-1:] in "0123":
            raise ValueError(f"licence {body['licence']!r} failed the state check for {mrn}")
        return "", 204

    @app.get("/health")
    def health() -> Any:
        return jsonify(ok=True)

    @app.get("/static/app.<version>.js")
    def script(version: str) -> Any:
        return "console.log(1);", 200, {"Content-Type": "application/javascript"}

    @app.get("/api/slots")
    def slots() -> Any:
        day = datetime.date.fromisoformat(request.args["date"])
        if day.weekday() == 6:
            abort(404, description=f"no slots on {day}")
        return jsonify(date=day.isoformat(), free=3)

    @app.get("/api/orders/<number>")
    def order(number: str) -> Any:
        if number.endswith("9"):
            raise KeyError(number)
        if number.endswith("7"):
            abort(404)
        return jsonify(order=number)

    @app.get("/api/inventory")
    def inventory() -> Any:
        ndc = request.args["ndc"]
        if ndc.endswith("0"):
            raise RuntimeError(f"inventory sync lock held for NDC {ndc}")
        return jsonify(ndc=ndc, on_hand=12)

    @app.get("/api/devices/<serial>")
    def device(serial: str) -> Any:
        if serial.endswith("7"):
            log.warning("device %s offline since %s", serial, request.args.get("since", "-"))
            abort(503)
        return jsonify(serial=serial)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if exc.code == 400:
            log.warning("bad request to %s: %s", request.path, exc)
        return jsonify(error=exc.name), exc.code

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)  # type: ignore[method-assign]
    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Client:
    def __init__(self, port: int, cap: Any, r: random.Random) -> None:
        self.port, self.cap, self.r = port, cap, r

    def _served(self) -> int:
        return sum(1 for rec in self.cap.records if rec["name"] == "werkzeug")

    def _settle(self, before: int) -> None:
        for _ in range(4000):
            if self._served() > before:
                return
            threading.Event().wait(0.0005)

    def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        body: Any = None,
        ip: str | None = None,
    ) -> None:
        r = self.r
        target = path
        if query:
            target += "?" + (
                urllib.parse.urlencode(query)
                if r.random() < 0.7
                else urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
            )
        headers = {"User-Agent": r.choice(AGENTS)}
        if ip:
            headers["X-Forwarded-For"] = ip
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        before = self._served()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, target, body=data, headers=headers)
            conn.getresponse().read()
        finally:
            conn.close()
        self._settle(before)

    def raw(self, line: str) -> None:
        before = self._served()
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(line.encode() + b"\r\nHost: referrals.clinic.example\r\n\r\n")
            while s.recv(4096):
                pass
        self._settle(before)


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 2, 9) + datetime.timedelta(days=r.randint(0, 300))


def _patient(c: Client, p: Patient) -> None:
    r = c.r
    ip = p.ip if r.random() < 0.6 else None
    kind = r.randrange(12)
    if kind in (0, 1):
        query = {"mrn": p.mrn}
        if r.random() < 0.6:
            query["dob"] = p.dob.isoformat() if r.random() < 0.7 else f"{p.dob:%m/%d/%Y}"
        c.call("GET", "/api/referrals/lookup", query=query, ip=ip)
    elif kind == 2:
        query = {"family": p.last_name, "given": p.first_name}
        c.call("GET", "/api/referrals/search", query=query, ip=ip)
    elif kind == 3:
        body: dict[str, Any] = {
            "mrn": p.mrn,
            "name": {"given": p.first_name, "family": p.last_name},
            "birthDate": p.dob.isoformat() if r.random() < 0.7 else f"{p.dob:%m/%d/%Y}",
            "email": p.email,
        }
        if r.random() < 0.5:
            body["ssn"] = p.ssn
        c.call("POST", "/api/preregistration", body=body, ip=ip)
    elif kind == 4:
        form = {"member_id": p.member_id, "mbi": p.mbi}
        c.call("POST", "/api/eligibility", form=form, ip=ip)
    elif kind == 5:
        query = {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip}
        c.call("GET", "/api/addresses/verify", query=query, ip=ip)
    elif kind == 6:
        query = {"phone": p.phone, "code": f"{r.randint(100000, 999999)}"}
        c.call("GET", "/r/confirm", query=query, ip=ip)
    elif kind == 7:
        c.call("POST", "/portal/login", form={"email": p.email, "next": "/referrals"}, ip=ip)
    elif kind == 8:
        c.call("POST", "/api/payments", form={"card": p.card, "account": p.account}, ip=ip)
    elif kind == 9:
        c.call("PUT", f"/api/patients/{urllib.parse.quote(p.mrn, safe='')}/identity",
               body={"licence": p.licence}, ip=ip)  # fmt: skip
    elif kind == 10:
        c.call("GET", "/api/referrals/lookup", query={"dob": p.dob.isoformat()}, ip=ip)
    else:
        target = urllib.parse.quote(f"/api/referrals/lookup?mrn={p.mrn}&family={p.last_name}",
                                    safe="/?=&")  # fmt: skip
        c.raw(f"GET {target} HTTP/{r.choice(['1.1 x', '2.7', '1'])}")


DRUGS = ("amoxicillin-500mg-cap", "metformin-er-750mg", "atorvastatin-20mg", "lisinopril-10mg")


def _benign(c: Client, n: int) -> None:
    r = c.r
    kind = r.randrange(8)
    staff = f"10.{r.randint(20, 60)}.{r.randint(0, 255)}.{r.randint(2, 250)}"
    if kind == 0:
        c.call("GET", "/health", ip=staff if r.random() < 0.4 else None)
    elif kind == 1:
        c.call("GET", f"/static/app.{r.randint(3, 5)}.{r.randint(0, 20)}.{n % 50}.js")
    elif kind == 2:
        c.call("GET", "/api/slots", query={"date": _day(r).isoformat(), "room": f"exam-{n % 9}"})
    elif kind == 3:
        c.call("GET", f"/api/orders/PO-2026-{r.randint(1, 99999):05d}", ip=staff)
    elif kind == 4:
        ndc = f"{r.randint(1000, 99999)}-{r.randint(100, 999)}-{r.randint(10, 99)}"
        c.call("GET", "/api/inventory", query={"ndc": ndc, "item": r.choice(DRUGS)})
    elif kind == 5:
        serial = f"{r.choice(['INF', 'ECG', 'SPO2'])}-{r.randint(100000, 999999)}"
        since = f"{_day(r).isoformat()}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
        c.call("GET", f"/api/devices/{serial}", query={"since": since}, ip=staff)
    elif kind == 6:
        c.call("GET", "/api/slots", query={"room": f"lab-{n % 4}"})
    else:
        c.raw(f"GET /api/slots?date={_day(r).isoformat()} HTTP/{r.randint(3, 9)}.0")


_STAMP = re.compile(r"\[\d{2}/[A-Z][a-z]{2}/\d{4} \d{2}:\d{2}:\d{2}\]")


class Clock:
    """werkzeug's clock in each request line replaced by a seeded time (in record order)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.now = datetime.datetime(2026, 3, 2, 7, 0, 0)

    def _stamp(self, match: re.Match[str]) -> str:
        self.now += datetime.timedelta(seconds=self.r.randint(1, 900))
        return f"[{self.now:%d/%b/%Y %H:%M:%S}]"

    def __call__(self, text: str) -> str:
        return _STAMP.sub(self._stamp, text)


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    r = random.Random(seed + 271)
    server = make_server("127.0.0.1", 0, _app(), threaded=False)
    port = server.server_port
    fix.port(port, 5000)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    c = Client(port, cap, r)
    try:
        for i, p in enumerate(patients):
            with cap.about(p):
                for _ in range(3):
                    _patient(c, p)
            for k in range(5):
                _benign(c, i * 5 + k)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
