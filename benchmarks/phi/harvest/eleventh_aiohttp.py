"""The `aiohttp` emitter of `eleventh_held.py`: the app's async partner gateway, an aiohttp web
application on a free loopback port (127.0.0.1) called by an aiohttp `ClientSession` in the
same event loop. Captured: the server's access log (`aiohttp.access`, a format with the
forwarded-for address, the request line with its query string, status, size, referer and user
agent), `aiohttp.server`'s `Error handling request` with its traceback (a handler that raises,
a malformed request sent over a raw socket), and what the app logs: `ClientResponseError`s of
`raise_for_status()` (status, message and the URL with its query), `ClientConnectorError`s of a
closed port, response bodies and headers (all but `Date`; `Server` names aiohttp's release).
Health checks, static files, slots, orders, inventory and versions for the benign lines. The
port is replaced by a fixed one; no clock is logged."""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import random
import socket
from typing import Any

import aiohttp
from aiohttp import web
from patients import Patient

log = logging.getLogger("clinic.gateway")
ACCESS_FORMAT = '%a %{X-Forwarded-For}i "%r" %s %b "%{Referer}i" "%{User-Agent}i"'
AGENTS = (
    "clinic-gateway/3.2 (+ops@clinic.example)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148",
    "ClinicKiosk/1.8",
)
REFERERS = ("-", "https://portal.clinic.example/intake/", "https://portal.clinic.example/chart/")


class PartnerDown(RuntimeError):
    pass


PartnerDown.__module__ = "clinic.gateway.views"


async def _search(request: web.Request) -> web.StreamResponse:
    q = request.query
    if "fail" in q:
        raise PartnerDown(f"eligibility partner timed out for member {q.get('member_id')}")
    if q.get("mrn", "").endswith(("1", "4", "7")):
        raise web.HTTPNotFound(text=json.dumps({"detail": "no such patient"}))
    return web.json_response({"matches": 1, "query": dict(q)})


async def _chart(request: web.Request) -> web.StreamResponse:
    mrn = request.match_info["mrn"]
    if mrn[-1:] in "02468":
        raise web.HTTPForbidden(text=json.dumps({"detail": "consent missing", "mrn": mrn}))
    return web.json_response({"mrn": mrn, "encounters": 3})


async def _intake(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    if "ssn" in body:
        raise web.HTTPUnprocessableEntity(
            text=json.dumps({"errors": {"ssn": [f"unexpected field {body['ssn']}"]}})
        )
    if body.get("crash"):
        raise KeyError(f"no coverage row for {body.get('member_id')}")
    return web.json_response({"status": "queued", "echo": body}, status=201)


async def _benign(request: web.Request) -> web.StreamResponse:
    path = request.path
    if path.startswith("/api/orders/") and path.endswith("9"):
        raise web.HTTPNotFound()
    if path.startswith("/api/inventory") and request.query.get("ndc", "").endswith("0"):
        raise RuntimeError(f"inventory sync lock held for ndc {request.query['ndc']}")
    if path == "/static/app.js":
        return web.Response(text="console.log(1);", content_type="application/javascript")
    return web.json_response({"ok": True, "path": path})


def _app() -> web.Application:
    app = web.Application()
    app.router.add_get("/api/patients/search", _search)
    app.router.add_get("/api/patients/{mrn}/chart", _chart)
    app.router.add_post("/api/intake", _intake)
    for path in ("/health", "/static/app.js", "/api/slots", "/api/version", "/api/inventory"):
        app.router.add_get(path, _benign)
    app.router.add_get("/api/orders/{no}", _benign)
    return app


class Gateway:
    def __init__(self, base: str, closed: str, cap: Any, r: random.Random) -> None:
        self.base, self.closed, self.cap, self.r = base, closed, cap, r

    async def settle(self, before: int) -> None:
        """Waits for the server's access line of the last request (so the lines keep one order
        on every run)."""
        for _ in range(2000):
            if self._access() > before:
                break
            await asyncio.sleep(0.001)
        await asyncio.sleep(0)

    def _access(self) -> int:
        return sum(1 for rec in self.cap.records if rec["name"] == "aiohttp.access")

    async def call(
        self,
        session: aiohttp.ClientSession,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: Any = None,
        ip: str | None = None,
    ) -> None:
        r = self.r
        headers = {"User-Agent": r.choice(AGENTS)}
        referer = r.choice(REFERERS)
        if referer != "-":
            headers["Referer"] = referer
        if ip:
            headers["X-Forwarded-For"] = ip
        before = self._access()
        how = r.randrange(4)
        try:
            async with session.request(
                method, self.base + path, params=params, json=body, headers=headers
            ) as resp:
                text = await resp.text()
                await self.settle(before)
                if how == 0:
                    resp.raise_for_status()
                    log.info("%s %s -> %s %s", method, resp.url, resp.status, text)
                elif how == 1:
                    log.debug("partner answered %d for %s", resp.status, resp.url.path_qs)
                    resp.raise_for_status()
                elif how == 2:
                    resp.raise_for_status()
                    shown = {k: v for k, v in resp.headers.items() if k != "Date"}
                    log.debug("response headers: %s", shown)
                else:
                    log.info("%s %s: %s", resp.status, resp.reason, text)
        except aiohttp.ClientResponseError as exc:
            await self.settle(before)
            if r.random() < 0.6:
                log.warning("partner call failed: %s", exc)
            else:
                log.error("gateway error %s (%r)", exc.status, exc.request_info.real_url)
        except aiohttp.ClientError as exc:
            log.error("partner unreachable: %s", exc)

    async def closed_port(self, session: aiohttp.ClientSession, path: str) -> None:
        try:
            async with session.get(self.closed + path) as resp:
                await resp.read()
        except aiohttp.ClientConnectorError as exc:
            if self.r.random() < 0.5:
                log.error("fax relay down: %s", exc)
            else:
                log.exception("could not reach %s", self.closed + path)

    async def raw(self, port: int, request_line: bytes) -> None:
        before = self._access()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request_line + b"\r\nHost: 127.0.0.1\r\n\r\n")
        await writer.drain()
        await reader.read()
        writer.close()
        await writer.wait_closed()
        await self.settle(before)


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 5, 4) + datetime.timedelta(days=r.randint(0, 220))


async def _patient(g: Gateway, s: aiohttp.ClientSession, p: Patient, port: int) -> None:
    r = g.r
    ip = p.ip if r.random() < 0.5 else None
    kind = r.randrange(7)
    if kind == 0:
        params = {"mrn": p.mrn, "dob": p.dob.isoformat()}
        if r.random() < 0.5:
            params["family"] = p.last_name
        await g.call(s, "GET", "/api/patients/search", params=params, ip=ip)
    elif kind == 1:
        await g.call(s, "GET", f"/api/patients/{p.mrn.replace('/', '-')}/chart", ip=ip)
    elif kind == 2:
        params = {"member_id": p.member_id, "fail": "1"}
        await g.call(s, "GET", "/api/patients/search", params=params, ip=ip)
    elif kind == 3:
        body: dict[str, Any] = {
            "name": {"given": p.first_name, "family": p.last_name},
            "birthDate": p.dob.isoformat(),
            "phone": p.phone,
            "email": p.email,
        }
        if r.random() < 0.4:
            body["ssn"] = p.ssn
        elif r.random() < 0.4:
            body.update(crash=True, member_id=p.member_id)
        else:
            body["address"] = {"line": p.street, "city": p.city, "state": p.state, "zip": p.zip}
        await g.call(s, "POST", "/api/intake", body=body, ip=ip)
    elif kind == 4:
        params = {"email": p.email, "phone": p.phone}
        await g.call(s, "GET", "/api/patients/search", params=params, ip=ip)
    elif kind == 5:
        await g.closed_port(s, f"/fax/send?to={p.phone.replace(' ', '')}&mrn={p.mrn}")
    else:
        line = f"GET /api/patients/search?mrn={p.mrn}&name={p.first_name} {p.last_name} HTTP/1.1"
        await g.raw(port, line.encode())


async def _benign_call(g: Gateway, s: aiohttp.ClientSession, n: int, port: int) -> None:
    r = g.r
    kind = r.randrange(7)
    if kind == 0:
        await g.call(s, "GET", "/health")
    elif kind == 1:
        await g.call(s, "GET", "/static/app.js", params={"v": f"{r.randint(1, 9)}.{n}"})
    elif kind == 2:
        await g.call(s, "GET", "/api/slots", params={"date": _day(r).isoformat(), "room": "2"})
    elif kind == 3:
        await g.call(s, "GET", f"/api/orders/ORD-2026-{r.randint(1, 99999):05d}")
    elif kind == 4:
        ndc = f"{r.randint(1000, 99999)}-{r.randint(100, 999)}-{r.randint(10, 99)}"
        await g.call(s, "GET", "/api/inventory", params={"ndc": ndc, "site": "north"})
    elif kind == 5:
        await g.call(s, "GET", "/api/version", ip=f"10.20.{r.randint(0, 255)}.{r.randint(2, 250)}")
    else:
        await g.raw(port, f"GET /api/slots?room={n} HTTP/9.{r.randint(2, 9)}".encode())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _run(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    r = random.Random(seed + 191)
    runner = web.AppRunner(_app(), access_log_format=ACCESS_FORMAT)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    closed = _free_port()
    fix.port(port, 8087)
    fix.port(closed, 8089)
    g = Gateway(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{closed}", cap, r)
    try:
        async with aiohttp.ClientSession() as s:
            for i, p in enumerate(patients):
                with cap.about(p):
                    for _ in range(2):
                        await _patient(g, s, p, port)
                for k in range(4):
                    await _benign_call(g, s, i * 4 + k, port)
    finally:
        await runner.cleanup()


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    asyncio.run(_run(seed, patients, cap, fix))
