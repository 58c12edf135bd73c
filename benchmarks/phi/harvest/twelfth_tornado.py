"""The `tornado` emitter of `twelfth_held.py`: the app's patient-portal and lab-results service,
a Tornado application behind a proxy (`xheaders=True`, so the client's address comes from
`X-Real-Ip` or `X-Forwarded-For`) on a free loopback port (127.0.0.1), called by Tornado's own
`AsyncHTTPClient` in the same event loop. Captured: Tornado's access log (`tornado.access`:
status, method, URI with its query string, remote address, duration), the `HTTPError` log
messages of `tornado.general` (`404 GET /... (ip): no chart for MRN ...`, missing arguments),
the `Uncaught exception` records of `tornado.application` with the request's `repr` and the
traceback, `Malformed HTTP message` for broken request lines sent over a raw socket, and what
the app logs about the calls it makes: `HTTPClientError`s, refused connections, response bodies.
Health checks, static files, slots, orders, inventory, devices and metrics for the benign lines.
The port is replaced by a fixed one and every duration by a seeded one; no clock is logged."""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import random
import socket
import urllib.parse
from typing import Any

import tornado.httpclient
import tornado.httpserver
import tornado.netutil
import tornado.web
from patients import Patient

log = logging.getLogger("clinic.portal")
AGENTS = (
    "PatientPortal/4.2 (iOS 17.4)",
    "PatientPortal/4.1 (Android 14)",
    "lab-bridge/2.7",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15",
)


class ChartLocked(RuntimeError):
    pass


class CoverageMismatch(ValueError):
    pass


ChartLocked.__module__ = "clinic.portal.errors"
CoverageMismatch.__module__ = "clinic.portal.errors"


class Lookup(tornado.web.RequestHandler):
    def get(self) -> None:
        mrn = self.get_argument("mrn")
        dob = self.get_argument("dob", "")
        if mrn[-1:] in "13":
            raise tornado.web.HTTPError(404, "no chart for MRN %s (dob %s)", mrn, dob or "-")
        if mrn[-1:] in "57":
            family = self.get_argument("family", "")
            raise ChartLocked(f"chart {mrn} locked by merge job; family={family}")
        self.write({"mrn": mrn, "matches": 1})


class Labs(tornado.web.RequestHandler):
    def get(self, mrn: str) -> None:
        who = self.request.headers.get("X-Proxy-For", "")
        if who:
            raise tornado.web.HTTPError(403, "proxy %s may not read labs of %s", who, mrn)
        if mrn[-1:] in "02468":
            raise tornado.web.HTTPError(409, "results for %s still pending", mrn)
        self.write({"mrn": mrn, "panels": ["CMP", "CBC"], "status": "final"})


class Intake(tornado.web.RequestHandler):
    def post(self) -> None:
        body = json.loads(self.request.body)
        born = datetime.date.fromisoformat(body["birthDate"])
        if "ssn" in body:
            raise tornado.web.HTTPError(
                422, "intake for %s carries an SSN (%s)", body["mrn"], body["ssn"]
            )
        self.set_status(201)
        self.write(
            {
                "mrn": body["mrn"],
                "status": "queued",
                "checked": born.isoformat() == body["birthDate"],
            }
        )


class Coverage(tornado.web.RequestHandler):
    def post(self) -> None:
        member = self.get_body_argument("member_id")
        mbi = self.get_body_argument("mbi")
        if mbi[:1] in "1234":
            raise tornado.web.HTTPError(422, "MBI %s does not belong to member %s", mbi, member)
        if mbi[:1] in "56":
            raise CoverageMismatch(f"member {member} has MBI {mbi} on file with another payer")
        self.write({"member_id": member, "eligible": True})


class Address(tornado.web.RequestHandler):
    def put(self, mrn: str) -> None:
        body = json.loads(self.request.body)
        if body["zip"][:1] in "0123":
            raise ValueError(f"ZIP {body['zip']} outside the service area ({body['city']})")
        self.write({"mrn": mrn, "updated": sorted(body)})


class Confirm(tornado.web.RequestHandler):
    def get(self) -> None:
        phone = self.get_argument("phone")
        code = self.get_argument("code")
        if code.endswith("9"):
            raise tornado.web.HTTPError(410, "reminder %s for %s expired", code, phone)
        self.redirect("/portal/confirmed")


class Login(tornado.web.RequestHandler):
    def post(self) -> None:
        email = self.get_body_argument("email")
        if email[:1] in "abcdefghijk":
            raise tornado.web.HTTPError(401, "no portal account for %s", email)
        self.redirect("/portal/home")


class Search(tornado.web.RequestHandler):
    def get(self) -> None:
        given = self.get_argument("given")
        family = self.get_argument("family")
        born = self.get_argument("born", "")
        if len(family) % 3 == 0:
            raise tornado.web.HTTPError(404, "no patient named %s %s born %s", given, family, born)
        if len(family) % 3 == 1 and not born:
            raise LookupError(f"{family}, {given}: several charts match, date of birth needed")
        self.write({"matches": 1})


class VerifyAddress(tornado.web.RequestHandler):
    def get(self) -> None:
        street, city = self.get_argument("street"), self.get_argument("city")
        state, zip_code = self.get_argument("state"), self.get_argument("zip")
        if zip_code[-1:] in "02468":
            raise tornado.web.HTTPError(
                422, "address %s, %s, %s %s is not deliverable", street, city, state, zip_code
            )
        self.write({"deliverable": True})


class Identity(tornado.web.RequestHandler):
    def post(self, mrn: str) -> None:
        licence = self.get_body_argument("licence")
        ssn = self.get_body_argument("ssn", "")
        if ssn and ssn[-1:] in "13579":
            raise tornado.web.HTTPError(409, "SSN %s is on file for another chart", ssn)
        if licence[-1:] in "0123":
            raise ValueError(f"licence {licence!r} failed the state check for {mrn}")
        self.set_status(204)


class Benign(tornado.web.RequestHandler):
    def get(self, *parts: str) -> None:
        path = self.request.path
        if path.startswith("/api/v2/orders/") and path.endswith("9"):
            raise tornado.web.HTTPError(404, "unknown order %s", path.rsplit("/", 1)[-1])
        if path == "/api/v2/inventory":
            ndc = self.get_argument("ndc")
            if ndc.endswith("0"):
                raise RuntimeError(f"inventory sync lock held for NDC {ndc}")
        if path.startswith("/api/v2/devices/") and path.endswith("7"):
            raise tornado.web.HTTPError(503, "device %s is offline", path.rsplit("/", 1)[-1])
        if path == "/static/app.js":
            self.set_header("Content-Type", "application/javascript")
            self.write("console.log(1);")
            return
        self.write({"ok": True})


def _app() -> tornado.web.Application:
    return tornado.web.Application(
        [
            (r"/api/v2/patients/lookup", Lookup),
            (r"/api/v2/patients/([^/]+)/labs", Labs),
            (r"/api/v2/patients/([^/]+)/address", Address),
            (r"/api/v2/intake", Intake),
            (r"/api/v2/coverage", Coverage),
            (r"/api/v2/reminders/confirm", Confirm),
            (r"/portal/login", Login),
            (r"/api/v2/patients/search", Search),
            (r"/api/v2/addresses/verify", VerifyAddress),
            (r"/api/v2/patients/([^/]+)/identity", Identity),
            (
                r"/(health|metrics|static/app\.js|api/v2/slots|api/v2/inventory|api/v2/version)",
                Benign,
            ),
            (r"/api/v2/(orders|devices)/([^/]+)", Benign),
        ],
        xheaders=True,
    )


class Portal:
    def __init__(self, port: int, closed: int, cap: Any, r: random.Random) -> None:
        self.port, self.closed, self.cap, self.r = port, closed, cap, r
        self.base = f"http://127.0.0.1:{port}"
        self.client = tornado.httpclient.AsyncHTTPClient()

    def _access(self) -> int:
        return sum(1 for rec in self.cap.records if rec["name"] == "tornado.access")

    async def settle(self, before: int) -> None:
        """Waits for the access line of the last request (the lines keep one order on every
        run)."""
        for _ in range(2000):
            if self._access() > before:
                break
            await asyncio.sleep(0.001)
        await asyncio.sleep(0)

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: str | None = None,
        form: dict[str, str] | None = None,
        ip: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        r = self.r
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        sent = {"User-Agent": r.choice(AGENTS), **(headers or {})}
        if ip:
            sent[r.choice(["X-Real-Ip", "X-Forwarded-For"])] = ip
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            sent["Content-Type"] = "application/json"
        before = self._access()
        how = r.randrange(4)
        try:
            response = await self.client.fetch(
                url, method=method, body=body, headers=sent, follow_redirects=False
            )
        except tornado.httpclient.HTTPClientError as exc:
            await self.settle(before)
            shown = path if how < 2 else url.replace(self.base, "")
            if how == 0:
                log.warning("portal call %s %s failed: %s", method, shown, exc)
            elif how == 1:
                log.error("%s from %s", exc, shown)
            elif exc.response is not None and exc.code < 500:
                log.info("%s %s answered %d %s", method, shown, exc.code, exc.response.reason)
            else:
                log.error("portal error %r for %s", exc, shown)
            return
        await self.settle(before)
        if how == 0:
            log.info(
                "%s %s -> %d %s",
                method,
                url.replace(self.base, ""),
                response.code,
                response.body.decode(),
            )
        elif how == 1:
            log.debug("answered %d in %s", response.code, response.headers.get("Content-Type"))

    async def refused(self, path: str, query: dict[str, str]) -> None:
        url = f"http://127.0.0.1:{self.closed}{path}?{urllib.parse.urlencode(query)}"
        try:
            await self.client.fetch(url, request_timeout=5)
        except OSError as exc:
            if self.r.random() < 0.5:
                log.error("fax relay unreachable: %s (%s)", exc, url)
            else:
                log.exception("could not reach the fax relay for %s", path)

    async def raw(self, line: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(line.encode() + b"\r\nHost: portal.clinic.example\r\n\r\n")
        await writer.drain()
        await reader.read()
        writer.close()
        await writer.wait_closed()
        await asyncio.sleep(0.002)


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 3, 2) + datetime.timedelta(days=r.randint(0, 300))


async def _patient(g: Portal, p: Patient) -> None:
    r = g.r
    ip = p.ip if r.random() < 0.55 else None
    kind = r.randrange(13)
    if kind == 10:
        query = {"given": p.first_name, "family": p.last_name}
        if r.random() < 0.5:
            query["born"] = p.dob.isoformat()
        await g.call("GET", "/api/v2/patients/search", query=query, ip=ip)
        return
    if kind == 11:
        query = {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip}
        await g.call("GET", "/api/v2/addresses/verify", query=query, ip=ip)
        return
    if kind == 12:
        form = {"licence": p.licence}
        if r.random() < 0.5:
            form["ssn"] = p.ssn
        await g.call("POST", f"/api/v2/patients/{p.mrn}/identity", form=form, ip=ip)
        return
    if kind == 0:
        query = {"mrn": p.mrn, "dob": p.dob.isoformat()}
        if r.random() < 0.5:
            query["family"] = p.last_name
        await g.call("GET", "/api/v2/patients/lookup", query=query, ip=ip)
    elif kind == 1:
        headers = {"X-Proxy-For": p.email} if r.random() < 0.4 else None
        await g.call("GET", f"/api/v2/patients/{p.mrn}/labs", ip=ip, headers=headers)
    elif kind == 2:
        born = p.dob.isoformat() if r.random() < 0.6 else p.dob.strftime("%m/%d/%Y")
        body: dict[str, Any] = {
            "mrn": p.mrn,
            "name": {"given": p.first_name, "family": p.last_name},
            "birthDate": born,
            "phone": p.phone,
        }
        if r.random() < 0.4:
            body["ssn"] = p.ssn
        await g.call("POST", "/api/v2/intake", body=json.dumps(body), ip=ip)
    elif kind == 3:
        form = {"member_id": p.member_id, "mbi": p.mbi}
        await g.call("POST", "/api/v2/coverage", form=form, ip=ip)
    elif kind == 4:
        body = {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip}
        await g.call("PUT", f"/api/v2/patients/{p.mrn}/address", body=json.dumps(body), ip=ip)
    elif kind == 5:
        query = {"phone": p.phone, "code": f"R{r.randint(10000, 99999)}"}
        await g.call("GET", "/api/v2/reminders/confirm", query=query, ip=ip)
    elif kind == 6:
        await g.call("POST", "/portal/login", form={"email": p.email, "next": "/labs"}, ip=ip)
    elif kind == 7:
        await g.refused("/fax/send", {"to": p.phone, "mrn": p.mrn})
    elif kind == 8:
        query = {"mrn": p.mrn}
        if r.random() < 0.5:
            query["dob"] = p.dob.isoformat()
        await g.call("GET", "/api/v2/patients/lookup", query=query, ip=ip)
    else:
        await g.raw(f"GET /api/v2/patients/lookup?mrn={p.mrn}&family={p.last_name} x HTTP/1.1")


DRUGS = (
    "amoxicillin-500mg-cap",
    "metformin-er-750mg",
    "atorvastatin-20mg",
    "lisinopril-10mg",
    "albuterol-hfa-90mcg",
    "insulin-lispro-100u",
)


async def _benign(g: Portal, n: int) -> None:
    r = g.r
    kind = r.randrange(9)
    staff = f"10.40.{r.randint(0, 255)}.{r.randint(2, 250)}"
    if kind == 0:
        await g.call("GET", "/health", ip=staff if r.random() < 0.3 else None)
    elif kind == 1:
        await g.call("GET", "/static/app.js", query={"v": f"4.{r.randint(0, 9)}.{n % 40}"})
    elif kind == 2:
        query = {"date": _day(r).isoformat(), "room": r.choice(["exam-2", "exam-5", "lab"])}
        await g.call("GET", "/api/v2/slots", query=query)
    elif kind == 3:
        await g.call("GET", f"/api/v2/orders/ORD-2026-{r.randint(1, 99999):05d}")
    elif kind == 4:
        ndc = f"{r.randint(1000, 99999)}-{r.randint(100, 999)}-{r.randint(10, 99)}"
        await g.call("GET", "/api/v2/inventory", query={"ndc": ndc, "item": r.choice(DRUGS)})
    elif kind == 5:
        serial = f"SN-{r.choice(['ECG', 'BP', 'SPO2'])}-{r.randint(100000, 999999)}"
        await g.call("GET", f"/api/v2/devices/{serial}", ip=staff)
    elif kind == 6:
        await g.call("GET", "/metrics", query={"since": f"{r.randint(1, 59)}m"})
    elif kind == 7:
        await g.call(
            "GET", "/api/v2/version", headers={"X-Request-Id": f"req-{r.getrandbits(40):010x}"}
        )
    else:
        await g.raw(f"GET /api/v2/slots?room={n} HTTP/{r.randint(2, 9)}.x")


class Durations(logging.Filter):
    """Each access line's duration replaced by a seeded one."""

    def __init__(self, seed: int) -> None:
        super().__init__()
        self.r = random.Random(seed)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "tornado.access" and isinstance(record.args, tuple):
            status, summary, _ = record.args
            record.args = (status, summary, round(self.r.uniform(0.3, 45.0), 2))
        return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _run(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    r = random.Random(seed + 211)
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(_app(), xheaders=True)
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    closed = _free_port()
    fix.port(port, 8888)
    fix.port(closed, 8891)
    g = Portal(port, closed, cap, r)
    durations = Durations(seed + 212)
    cap.addFilter(durations)
    try:
        for i, p in enumerate(patients):
            with cap.about(p):
                for _ in range(3):
                    await _patient(g, p)
            for k in range(5):
                await _benign(g, i * 5 + k)
    finally:
        g.client.close()
        server.stop()
        await server.close_all_connections()
        cap.removeFilter(durations)


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    asyncio.run(_run(seed, patients, cap, fix))
