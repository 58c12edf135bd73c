"""A plain ASGI app (no framework) for the `uvicorn` emitter: `uvicorn fresh_site.asgi:app`.

Its answers depend only on the request, so uvicorn's log is the same on every run. Some routes
raise (uvicorn logs "Exception in ASGI application" with the traceback), one raises after the
response started, one returns without starting a response.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
import zlib
from typing import Any

CHARTS = {"MRN-0000001": 1, "00000002": 2}
REGIONS = {"02134": "Northeast", "94103": "West"}


def _code(scope: dict[str, Any]) -> int:
    return zlib.crc32(scope["raw_path"] + b"?" + scope["query_string"])


def _query(scope: dict[str, Any]) -> dict[str, str]:
    pairs = urllib.parse.parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    return dict(pairs)


async def _body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def _answer(send: Any, status: int, payload: Any = None, kind: str = "json") -> None:
    if payload is None:
        data = b""
    elif kind == "json":
        data = json.dumps(payload).encode()
    else:
        data = str(payload).encode()
    headers = [(b"content-type", b"application/json" if kind == "json" else b"text/plain"),
               (b"content-length", str(len(data)).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


async def lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
        return
    path, query, code = scope["path"], _query(scope), _code(scope)
    body = await _body(receive)
    parts = [p for p in path.split("/") if p]
    head = parts[0] if parts else ""
    if path == "/healthz":
        await _answer(send, 200, {"status": "ok"})
    elif head == "static":
        headers = dict(scope["headers"])
        if b"if-none-match" in headers:
            await _answer(send, 304)
        elif path.endswith(".map") and code % 2:
            await _answer(send, 404, "not found", "text")
        else:
            await _answer(send, 200, "/* asset */" * (1 + code % 50), "text")
    elif path == "/api/version":
        await _answer(send, 200, {"version": "4.12.3"})
    elif path == "/api/events":
        day = datetime.date.fromisoformat(query["date"])
        await _answer(send, 200, {"day": str(day), "free": code % 40})
    elif path.startswith("/api/orders/"):
        number = parts[-1]
        if code % 5 == 0:
            raise KeyError(number)
        await _answer(send, 404 if code % 5 == 1 else 200, {"order": number})
    elif path.startswith("/api/jobs/"):
        if code % 4 == 0:
            return  # a handler that forgot to answer
        await _answer(send, 202, {"job": parts[-1]})
    elif path == "/api/invoices":
        await _answer(send, 404 if code % 3 == 0 else 200, {"count": code % 9})
    elif path == "/metrics":
        await _answer(send, 200, "requests_total 1", "text")
    elif path.startswith("/patients/by-mrn/"):
        if code % 3 == 0:
            await _answer(send, 404, {"detail": "no such chart"})
            return
        await _answer(send, 200, {"chart": CHARTS[parts[-1]]})
    elif path.startswith("/patients/by-ssn/") or path.startswith("/patients/by-name/"):
        await _answer(send, [200, 404, 403][code % 3], {"matches": code % 2})
    elif path == "/patients/search":
        born = datetime.date.fromisoformat(query.get("dob", ""))
        await _answer(send, 200 if code % 4 else 404, {"born": str(born), "matches": code % 3})
    elif path.endswith("/contact") and scope["method"] == "POST":
        form = dict(urllib.parse.parse_qsl(body.decode()))
        phone = query.get("phone", "")
        if code % 3 == 0:
            raise ValueError(f"cannot text {phone}: not a mobile number")
        await _answer(send, 204 if form.get("email") else 422)
    elif path == "/eligibility":
        if code % 3 == 0:
            raise PermissionError(f"payer rejected member {query['member_id']}")
        await _answer(send, [200, 403][code % 2], {"eligible": bool(code % 2)})
    elif path == "/claims":
        if code % 2 == 0:
            raise LookupError(f"no claims for account {query['account']} in {query['zip']}")
        await _answer(send, 200, {"claims": code % 7})
    elif path == "/fhir/Patient":
        await _answer(send, [200, 400, 200, 404][code % 4], {"resourceType": "Bundle"})
    elif path == "/accounts/login":
        await _answer(send, 302)
    elif path == "/geo":
        if code % 3 == 0:
            raise ValueError(f"could not geocode {query['address']!r}")
        await _answer(send, 200, {"region": REGIONS.get(query["address"][-5:], "unknown")})
    elif path == "/export/patients.csv":
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/csv")]})  # fmt: skip
        await send({"type": "http.response.body", "body": b"mrn,email\n", "more_body": True})
        raise RuntimeError(f"export of chart {query['mrn']} aborted: record locked")
    else:
        await _answer(send, 404, {"detail": "Not Found"})
