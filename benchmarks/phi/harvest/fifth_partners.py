"""The `httpx` emitter of `fifth_held.py`: partner APIs served by a stdlib `http.server` on a free
loopback port, and the app's calls to them through a real `httpx.Client`.

The server answers as the client's `X-Scenario` header asks (a status, a redirect, a delay), so
every run gets the same answers; its headers (`Date`, `Server`, request ids) are fixed or derived
from the request. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import random
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[2] / "tests")]

from patients import Patient  # noqa: E402
from servers import free_port  # noqa: E402

log = logging.getLogger("clinic.partners")
REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    301: "Moved Permanently",
    400: "Bad Request",
    402: "Payment Required",
    404: "Not Found",
    409: "Conflict",
    412: "Precondition Failed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def _rid(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


class Partner(BaseHTTPRequestHandler):
    server_version = "PartnerAPI/2.3"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # headers and body in one write: no wait on a delayed ACK
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Sat, 05 Dec 2026 09:30:00 GMT"

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.answer()

    def do_PUT(self) -> None:
        self.answer()

    def do_DELETE(self) -> None:
        self.answer()

    def answer(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size) if size else b""
        scenario = self.headers.get("X-Scenario", "200")
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        data: dict[str, Any] = {}
        with contextlib.suppress(ValueError):
            data = json.loads(body or b"{}")
        headers: list[tuple[str, str]] = [("Content-Type", "application/json")]
        headers.append(("X-Request-Id", _rid(self.command, self.path, body.decode())))
        if scenario.startswith("sleep"):
            time.sleep(float(scenario[5:]))
            scenario = "200"
        if scenario.startswith("redirect:") and url.path.startswith("/payer/v1/"):
            status, payload = 301, {}
            headers.append(("Location", scenario[9:]))
        else:
            status = int(scenario) if scenario.isdigit() else 200
            payload = {"status": status, "path": url.path}
        for key in ("X-Echo-Member", "X-Echo-Mrn", "X-Echo-To", "X-Echo-Location"):
            value = self.headers.get(key)
            if value:
                name = {
                    "X-Echo-Member": "X-Member-Id",
                    "X-Echo-Mrn": "X-Patient-Mrn",
                    "X-Echo-To": "X-Message-To",
                    "X-Echo-Location": "Location",
                }[key]
                headers.append((name, value))
        if status == 429:
            headers.append(("Retry-After", "30"))
        payload.update({k: v for k, v in query.items() if k.startswith("echo_")})
        payload.update({k: v for k, v in data.items() if isinstance(v, str | int)})
        raw = b"" if status == 204 else json.dumps(payload).encode()
        self.send_response(status, REASONS.get(status, "Unknown"))
        for name, value in headers:
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up: nothing to report


@contextlib.contextmanager
def serving() -> Iterator[tuple[int, int]]:
    """The partners' server on a free loopback port, and a port nothing listens on."""
    port, closed = free_port(), free_port()
    server = Server(("127.0.0.1", port), Partner)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port, closed
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# --- the app's calls --------------------------------------------------------------------------


def _fail(exc: Exception, what: str, key: str, r: random.Random) -> None:
    if isinstance(exc, httpx.HTTPStatusError) and r.random() < 0.5:
        log.warning("%s failed for %s: %s", what, key, exc)
    elif r.random() < 0.5:
        log.error("%s failed for %s (%s): %s", what, key, type(exc).__name__, exc)
    else:
        log.exception("%s failed for %s", what, key)


def _call(
    client: httpx.Client,
    r: random.Random,
    what: str,
    key: str,
    method: str,
    url: str,
    scenario: str,
    **kwargs: Any,
) -> httpx.Response | None:
    headers = kwargs.pop("headers", {})
    headers["X-Scenario"] = scenario
    try:
        response = client.request(method, url, headers=headers, **kwargs)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        _fail(exc, what, key, r)
        return None
    return response


def _patient_calls(client: httpx.Client, r: random.Random, p: Patient, closed: int) -> None:
    dob_forms = [p.dob.isoformat(), f"{p.dob:%m/%d/%Y}", f"{p.dob:%Y%m%d}"]
    ok_or = lambda *bad: r.choice(["200"] * 3 + list(bad))  # noqa: E731
    actions = r.sample(range(10), 5)
    for action in actions:
        if action == 0:
            scenario = ok_or("404", "409", "500", "503")
            params = {"member_id": p.member_id, "dob": r.choice(dob_forms)}
            if r.random() < 0.5:
                params["last_name"] = p.last_name
            response = _call(
                client, r, "eligibility check", p.member_id, "GET", "/payer/v1/eligibility",
                scenario, params=params, headers={"X-Echo-Member": p.member_id},
            )  # fmt: skip
            if response is not None:
                log.info(
                    "eligibility active for member %s (%s %s, dob %s): plan=%s copay=%d",
                    p.member_id, p.first_name, p.last_name, p.dob.isoformat(),
                    r.choice(["PPO Gold", "HMO Basic", "Medicare Advantage"]),
                    r.choice([0, 20, 35]),
                )  # fmt: skip
        elif action == 1:
            member = urllib.parse.quote(p.member_id)
            response = _call(
                client, r, "member lookup", p.member_id, "GET", f"/payer/v1/members/{member}",
                f"redirect:/payer/v2/members/{member}", follow_redirects=True,
            )  # fmt: skip
            if response is not None:
                log.info("member %s resolved at %s", p.member_id, response.url)
        elif action == 2:
            scenario = ok_or("404", "400", "502")
            if r.random() < 0.5:
                params = {"identifier": f"urn:oid:2.16.840.1.113883.3.7|{p.mrn}"}
            else:
                params = {
                    "family": p.last_name,
                    "given": p.first_name,
                    "birthdate": p.dob.isoformat(),
                }
            response = _call(
                client, r, "FHIR search", p.mrn, "GET", "/fhir/r4/Patient", scenario, params=params,
                headers={"X-Echo-Mrn": p.mrn},
            )  # fmt: skip
            if response is not None:
                log.info("FHIR search for MRN %s: %s", p.mrn, response.headers.get("X-Patient-Mrn"))
        elif action == 3:
            scenario = ok_or("201", "201", "422", "409")
            scenario = "201" if scenario == "200" else scenario
            resource = {
                "resourceType": "Patient",
                "identifier": p.mrn,
                "family": p.last_name,
                "given": p.first_name,
                "birthDate": p.dob.isoformat(),
                "telecom": p.phone,
                "line": p.street,
                "city": p.city,
                "postalCode": p.zip,
            }
            location = f"/fhir/r4/Patient/{urllib.parse.quote(p.mrn)}/_history/1"
            response = _call(
                client, r, "FHIR create", p.mrn, "POST", "/fhir/r4/Patient", scenario,
                json=resource, headers={"X-Echo-Location": location},
            )  # fmt: skip
            if response is not None:
                log.info(
                    "FHIR Patient %s %s created at %s", p.first_name, p.last_name,
                    response.headers.get("Location"),
                )  # fmt: skip
        elif action == 4:
            scenario = ok_or("412", "404")
            mrn = urllib.parse.quote(p.mrn)
            _call(
                client, r, "FHIR update", p.mrn, "PUT", f"/fhir/r4/Patient/{mrn}", scenario,
                json={"address": {"line": p.street, "city": p.city, "postalCode": p.zip}},
            )  # fmt: skip
        elif action == 5:
            scenario = r.choice(["202", "202", "400", "429", "sleep0.15"])
            body = {"to": p.phone, "body": f"Hi {p.first_name}, your appointment is confirmed."}
            response = _call(
                client, r, "SMS", p.phone, "POST", "/sms/v2/messages", scenario, json=body,
                headers={"X-Echo-To": p.phone},
                timeout=httpx.Timeout(2.0, read=0.05),
            )  # fmt: skip
            if response is not None:
                log.info(
                    "SMS to %s accepted: sid=SM%s", p.phone, response.headers.get("X-Request-Id")
                )
        elif action == 6:
            scenario = ok_or("202", "409", "500")
            claim = {"account": p.account, "member_id": p.member_id, "ssn": p.ssn, "amount": 125}
            response = _call(
                client, r, "claim submission", p.account, "POST", "/payer/v1/claims", scenario,
                json=claim,
            )  # fmt: skip
            if response is not None:
                log.info("claim for account %s submitted: %s", p.account, response.status_code)
        elif action == 7:
            scenario = ok_or("404", "422")
            params = {"street": p.street, "city": p.city, "zip": p.zip, "echo_zip": p.zip}
            response = _call(
                client, r, "address verification", p.zip, "GET", "/address/v1/verify", scenario,
                params=params,
            )  # fmt: skip
            if response is not None:
                log.info("address %s, %s %s verified: %s", p.street, p.city, p.zip, response.json())
        elif action == 8:
            scenario = ok_or("201", "402", "402")
            scenario = "201" if scenario == "200" else scenario
            response = _call(
                client, r, "card tokenization", p.email, "POST", "/payments/v1/tokens", scenario,
                json={"card": p.card, "email": p.email, "ip": p.ip},
            )  # fmt: skip
            if response is not None:
                log.info("card for %s tokenized (from %s)", p.email, p.ip)
        else:
            target = f"http://127.0.0.1:{closed}/idv/v1/verify"
            _call(
                client, r, "identity verification", p.ssn, "POST", target, "200",
                json={"ssn": p.ssn, "mbi": p.mbi, "licence": p.licence},
            )  # fmt: skip


def _benign_calls(client: httpx.Client, r: random.Random, closed: int) -> None:
    kinds = ["GLV", "SYR", "BND", "MSK", "TST", "GAU", "SWB", "CTH", "NDL", "PAD"]
    sku = f"{r.choice(kinds)}-{r.randint(100, 999)}-{r.choice('ABCDEFKLMX')}"
    day = f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    order = f"ORD-2026-{r.randint(1, 99999):06d}"
    action = r.randrange(8)
    if action == 0:
        scenario = r.choice(["200", "200", "404", "503"])
        response = _call(
            client, r, "stock lookup", sku, "GET", f"/inventory/v1/items/{sku}", scenario,
            params={"warehouse": r.choice(["W1", "W3", "EAST-2"])},
        )  # fmt: skip
        if response is not None:
            log.info("stock for %s: %d units on hand", sku, r.randint(0, 900))
    elif action == 1:
        scenario = r.choice(["200", "200", "400", "500"])
        clinic = r.choice(["north", "south", "riverside", "downtown"])
        response = _call(
            client, r, "slot search", f"{clinic} {day}", "GET", "/scheduling/v1/slots", scenario,
            params={"clinic": clinic, "date": day, "provider_type": r.choice(["pcp", "derm"])},
        )  # fmt: skip
        if response is not None:
            log.info("%d open slots at %s on %s", r.randint(0, 40), clinic, day)
    elif action == 2:
        scenario = r.choice(["201", "201", "409", "422"])
        response = _call(
            client, r, "purchase order", order, "POST", "/orders/v1/orders", scenario,
            json={"order_id": order, "sku": sku, "qty": r.randint(1, 500)},
            headers={"X-Echo-Location": f"/orders/v1/orders/{order}"},
        )  # fmt: skip
        if response is not None:
            log.info("order %s placed: %s", order, response.headers.get("Location"))
    elif action == 3:
        scenario = r.choice(["200", "200", "200", "503"])
        path = r.choice(["/healthz", "/version", "/fhir/r4/metadata", "/sms/v2/status"])
        response = _call(client, r, "health check", path, "GET", path, scenario)
        if response is not None:
            log.debug("partner %s healthy (%d ms)", path, r.randint(2, 90))
    elif action == 4:
        scenario = r.choice(["200", "sleep0.15"])
        _call(
            client, r, "report download", day, "GET", f"/reports/v1/daily/{day}.csv", scenario,
            timeout=httpx.Timeout(2.0, read=0.05),
        )  # fmt: skip
    elif action == 5:
        scenario = r.choice(["204", "404"])
        _call(client, r, "order cancel", order, "DELETE", f"/orders/v1/orders/{order}", scenario)
    elif action == 6:
        target = f"http://127.0.0.1:{closed}/inventory/v1/sync"
        _call(client, r, "inventory sync", sku, "POST", target, "200", json={"sku": sku})
    else:
        batch = f"LOT{r.randint(10000, 99999)}"
        scenario = r.choice(["200", "404"])
        _call(
            client, r, "recall check", batch, "GET", "/inventory/v1/recalls", scenario,
            params={"lot": batch, "since": day},
        )  # fmt: skip


def drive(seed: int, port: int, closed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 11)
    headers = {"User-Agent": "clinic-portal/4.2", "Accept": "application/json"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=2.0) as client:
        for p in patients:
            with cap.about(p):
                _patient_calls(client, r, p, closed)
            for _ in range(4):
                _benign_calls(client, r, closed)
