"""The `twilio` emitter of `tenth_held.py`: the Twilio REST client of the app's SMS reminder,
verification and phone-check jobs. Its `requests` session is mounted on an adapter that sends
each request for a `*.twilio.com` host to a stdlib `ThreadingHTTPServer` on a free loopback
port (and refuses any other), which answers as Twilio's API does: messages, calls, Lookups v2,
Verify v2, usage, balance and phone numbers, JSON bodies and Twilio's error documents. The
`twilio.http_client` logger at INFO (what the library logs of each request and response) and
what the jobs log: `TwilioRestException`s, message, lookup and verification fields, instance
`repr`s, TwiML, webhook parameters. Usage, balance, numbers, on-call pages and supplier
messages for the benign lines.

twilio writes its own release, the OS, the machine and Python's version into the `User-Agent`
and `X-Twilio-Client` headers it logs: the lines are those of twilio 9.13.0 on Linux x86_64."""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import io
import json
import logging
import random
import re
import threading
import types
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
import twilio.base.exceptions
from patients import Patient
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Gather, VoiceResponse

log = logging.getLogger("clinic.sms")

ACCOUNT = "AC5f3c0a9e1d7b4c2a8e6f0d3b9a1c7e42"
TOKEN = "0c9e2f7a4b1d8e3c6a5f9b2d7e0c4a18"
VERIFY = "VA8d2e4f6a0b1c3d5e7f9a2b4c6d8e0f13"
MESSAGING = "MG3a7c1e9b5d2f8a4c6e0b9d1f3a5c7e20"
CLINIC = "+15095550148"
ONCALL = ("+15095550163", "+15095550177", "+15095550190")
WEBHOOK = "https://portal.clinic.example/sms/inbound/"
E164 = re.compile(r"^\+1[2-9]\d{9}$")
CLINICS = ("Riverside Family Clinic", "Northgate Pediatrics", "Eastside Women's Health")
VISITS = ("annual physical", "flu shot", "dental cleaning", "eye exam", "lab draw", "follow-up")


# --- the server -------------------------------------------------------------------------------


class _Twilio(BaseHTTPRequestHandler):
    """Answers what the jobs ask of Twilio's API, by the host the adapter names."""

    server_version = "nginx"
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # the headers and the body in one write: no delayed ACK between them
    disable_nagle_algorithm = True
    ids = random.Random(0)
    clock = [datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC)]
    messages: dict[str, dict[str, Any]] = {}
    sent: dict[str, int] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def version_string(self) -> str:
        return self.server_version

    def _now(self) -> datetime.datetime:
        self.clock[0] += datetime.timedelta(seconds=self.ids.randint(1, 90))
        return self.clock[0]

    def date_time_string(self, timestamp: float | None = None) -> str:
        return email.utils.format_datetime(self.clock[0], usegmt=True)

    def _sid(self, prefix: str) -> str:
        return f"{prefix}{self.ids.getrandbits(128):032x}"

    def _send(self, status: int, doc: Any) -> None:
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "keep-alive")
        self.send_header("Twilio-Concurrent-Requests", "1")
        self.send_header("Twilio-Request-Id", self._sid("RQ"))
        self.send_header("Twilio-Request-Duration", f"{self.ids.randint(12, 390) / 1000:.3f}")
        self.send_header("X-Home-Region", "us1")
        self.send_header("X-API-Domain", self.headers.get("X-Twilio-Host", "api.twilio.com"))
        self.send_header("X-Shenanigans", "none")
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, code: int, message: str) -> None:
        more = f"https://www.twilio.com/docs/errors/{code}"
        self._send(status, {"code": code, "message": message, "more_info": more, "status": status})

    def _form(self) -> dict[str, str]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        return dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))

    def _query(self) -> tuple[str, dict[str, str]]:
        parts = urllib.parse.urlsplit(self.path)
        return urllib.parse.unquote(parts.path), dict(urllib.parse.parse_qsl(parts.query))

    def do_GET(self) -> None:
        host = self.headers.get("X-Twilio-Host", "")
        path, query = self._query()
        stamp = email.utils.format_datetime(self._now())
        if host == "lookups.twilio.com":
            return self._lookup(path.rsplit("/", 1)[-1], query)
        base = f"/2010-04-01/Accounts/{ACCOUNT}"
        if path == f"{base}/Messages.json":
            found = [m for m in self.messages.values() if m["to"] == query.get("To")]
            page = {"messages": found, "end": max(len(found) - 1, 0), "page": 0}
            page |= {"page_size": int(query.get("PageSize", 50)), "start": 0}
            page |= {"uri": f"{base}/Messages.json", "next_page_uri": None}
            return self._send(200, page)
        if path.startswith(f"{base}/Messages/"):
            sid = path.rsplit("/", 1)[-1].removesuffix(".json")
            if sid in self.messages:
                return self._send(200, self.messages[sid])
            return self._error(404, 20404, f"The requested resource {path} was not found")
        if path == f"{base}/Balance.json":
            balance = f"{self.ids.randint(2000, 90000) / 100:.2f}"
            return self._send(200, {"account_sid": ACCOUNT, "balance": balance, "currency": "USD"})
        if path == f"{base}/Usage/Records.json":
            records = [
                {
                    "account_sid": ACCOUNT,
                    "category": category,
                    "count": str(self.ids.randint(40, 9000)),
                    "count_unit": "messages" if category.startswith("sms") else "calls",
                    "description": category.replace("-", " ").title(),
                    "price": f"{self.ids.randint(100, 90000) / 100:.2f}",
                    "price_unit": "usd",
                    "start_date": query.get("StartDate"),
                    "end_date": query.get("EndDate"),
                    "usage": str(self.ids.randint(40, 9000)),
                    "usage_unit": "segments" if category.startswith("sms") else "minutes",
                }
                for category in self.ids.sample(
                    [query.get("Category", "sms"), "sms-inbound", "calls-outbound", "lookups"],
                    self.ids.randint(1, 4),
                )
            ]
            return self._send(200, {"usage_records": records, "page": 0, "next_page_uri": None})
        if path == f"{base}/IncomingPhoneNumbers.json":
            numbers = [
                {
                    "sid": self._sid("PN"),
                    "phone_number": number,
                    "friendly_name": f"{query.get('FriendlyName', 'Front desk')} {i + 1}",
                    "date_created": stamp,
                    "sms_url": "https://portal.clinic.example/sms/inbound/",
                    "voice_url": "https://portal.clinic.example/ivr/",
                    "capabilities": {"sms": True, "voice": True, "mms": i == 0},
                }
                for i, number in enumerate((CLINIC, *ONCALL)[: self.ids.randint(1, 4)])
            ]
            return self._send(200, {"incoming_phone_numbers": numbers, "next_page_uri": None})
        return self._error(404, 20404, f"The requested resource {path} was not found")

    def _lookup(self, number: str, query: dict[str, str]) -> None:
        digits = re.sub(r"\D", "", number)
        digits = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        valid = len(digits) == 10
        doc: dict[str, Any] = {
            "calling_country_code": "1",
            "country_code": "US",
            "phone_number": f"+1{digits}" if valid else number,
            "national_format": f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if valid else None,
            "valid": valid,
            "validation_errors": [] if valid else ["TOO_SHORT"],
            "caller_name": None,
            "url": f"https://lookups.twilio.com/v2/PhoneNumbers/{number}",
        }
        fields = query.get("Fields", "")
        if "line_type_intelligence" in fields:
            doc["line_type_intelligence"] = {
                "carrier_name": self.ids.choice(["T-Mobile USA, Inc.", "Verizon Wireless"]),
                "mobile_country_code": "310",
                "mobile_network_code": f"{self.ids.randint(10, 890):03d}",
                "type": self.ids.choice(["mobile", "mobile", "landline", "nonFixedVoip"]),
                "error_code": None,
            }
        if "identity_match" in fields:
            grade = ("exact_match", "high_partial_match", "no_match")
            doc["identity_match"] = {
                "first_name_match": self.ids.choice(grade),
                "last_name_match": self.ids.choice(grade),
                "address_lines_match": self.ids.choice(grade),
                "city_match": self.ids.choice(grade),
                "state_match": "exact_match",
                "postal_code_match": self.ids.choice(grade),
                "date_of_birth_match": self.ids.choice(grade),
                "national_id_match": self.ids.choice((*grade, "not_available")),
                "summary_score": self.ids.choice([20, 40, 60, 80, 100]),
                "error_code": None,
                "error_message": None,
            }
        self._send(200, doc)

    def do_POST(self) -> None:
        host = self.headers.get("X-Twilio-Host", "")
        path, _ = self._query()
        form = self._form()
        stamp = email.utils.format_datetime(self._now())
        if host == "verify.twilio.com":
            return self._verify(path, form, stamp)
        base = f"/2010-04-01/Accounts/{ACCOUNT}"
        to = form.get("To", "")
        if path == f"{base}/Messages.json":
            sender = form.get("MessagingServiceSid")
            if sender is not None and sender != MESSAGING:
                return self._error(400, 21701, f"The Messaging Service Sid {sender} is invalid.")
            if not E164.match(to):
                return self._error(400, 21211, f"Invalid 'To' Phone Number: {to}")
            if to.endswith(("00", "13")):
                return self._error(400, 21610, "Attempt to send to unsubscribed recipient")
            if to.endswith(("27", "44")):
                return self._error(400, 21614, "'To' number is not a valid mobile number")
            if to[2] == "9" and to.endswith("5"):
                return self._error(
                    400,
                    21408,
                    "Permission to send an SMS has not been enabled for the region indicated by"
                    f" the 'To' number: {to}",
                )
            sid = self._sid("SM")
            body = form.get("Body", "")
            message = {
                "account_sid": ACCOUNT,
                "api_version": "2010-04-01",
                "body": body,
                "date_created": stamp,
                "date_sent": None,
                "date_updated": stamp,
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "from": form.get("From", CLINIC),
                "messaging_service_sid": sender,
                "num_media": "0",
                "num_segments": str(1 + len(body) // 153),
                "price": None,
                "price_unit": "USD",
                "sid": sid,
                "status": "accepted" if sender else "queued",
                "to": to,
                "uri": f"{base}/Messages/{sid}.json",
            }
            self.messages[sid] = message
            return self._send(201, message)
        if path == f"{base}/Calls.json":
            if not E164.match(to):
                return self._error(400, 21211, f"Invalid 'To' Phone Number: {to}")
            sid = self._sid("CA")
            call = {
                "account_sid": ACCOUNT,
                "sid": sid,
                "to": to,
                "to_formatted": to,
                "from": form.get("From"),
                "status": "queued",
                "direction": "outbound-api",
                "date_created": stamp,
                "uri": f"{base}/Calls/{sid}.json",
            }
            return self._send(201, call)
        return self._error(404, 20404, f"The requested resource {path} was not found")

    def _verify(self, path: str, form: dict[str, str], stamp: str) -> None:
        to = form.get("To", "")
        channel = form.get("Channel", "sms")
        if path.endswith("/Verifications"):
            email_ok = "@" in to
            if (channel == "email" and not email_ok) or (channel != "email" and not E164.match(to)):
                return self._error(400, 60200, f"Invalid parameter `To`: {to}")
            self.sent[to] = self.sent.get(to, 0) + 1
            if self.sent[to] > 2:
                return self._error(429, 60203, "Max send attempts reached")
            doc = {
                "sid": self._sid("VE"),
                "service_sid": VERIFY,
                "account_sid": ACCOUNT,
                "to": to,
                "channel": channel,
                "status": "pending",
                "valid": False,
                "lookup": {"carrier": None},
                "amount": None,
                "payee": None,
                "send_code_attempts": [
                    {"attempt_sid": self._sid("VL"), "channel": channel, "time": stamp}
                ],
                "date_created": stamp,
                "date_updated": stamp,
                "sna": None,
                "url": f"https://verify.twilio.com/v2/Services/{VERIFY}/Verifications/x",
            }
            return self._send(201, doc)
        if to not in self.sent:
            return self._error(404, 20404, f"The requested resource {path} was not found")
        approved = form.get("Code", "").endswith(("1", "3", "5", "7"))
        doc = {
            "sid": self._sid("VE"),
            "service_sid": VERIFY,
            "account_sid": ACCOUNT,
            "to": to,
            "channel": "sms",
            "status": "approved" if approved else "pending",
            "valid": approved,
            "amount": None,
            "payee": None,
            "date_created": stamp,
            "date_updated": stamp,
        }
        self._send(200, doc)


class _Loopback(HTTPAdapter):
    """Sends a request for a Twilio host to the loopback server instead (naming the host in a
    header); refuses any other."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self.port = port

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        parts = urllib.parse.urlsplit(request.url or "")
        host = parts.hostname or ""
        if parts.scheme != "https" or not host.endswith(".twilio.com"):
            raise requests.ConnectionError(f"refusing to send a request to {host!r}")
        request.headers["X-Twilio-Host"] = host
        netloc = f"127.0.0.1:{self.port}"
        request.url = urllib.parse.urlunsplit(("http", netloc, parts.path, parts.query, ""))
        kwargs["proxies"] = {}
        kwargs["verify"] = False
        return super().send(request, **kwargs)


@contextlib.contextmanager
def serving() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Twilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def _plain_errors() -> Iterator[None]:
    """`str(TwilioRestException)` is a coloured page when stderr is a terminal and one line when
    it is not (a log file): the one line, wherever this runs."""
    real = twilio.base.exceptions.sys
    twilio.base.exceptions.sys = types.SimpleNamespace(stderr=io.StringIO())  # type: ignore[attr-defined]
    try:
        yield
    finally:
        twilio.base.exceptions.sys = real  # type: ignore[attr-defined]


def _client(port: int) -> Client:
    http = TwilioHttpClient(timeout=10)
    assert http.session is not None
    http.session.trust_env = False
    http.session.mount("https://", _Loopback(port))
    http.session.mount("http://", _Loopback(port))
    return Client(ACCOUNT, TOKEN, http_client=http, environment={})


# --- the jobs -------------------------------------------------------------------------------


def _day(r: random.Random) -> datetime.datetime:
    return datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC) + datetime.timedelta(
        days=r.randint(0, 200), hours=r.randint(8, 17), minutes=r.choice([0, 15, 30, 45])
    )


def _send_sms(c: Client, to: str, body: str, r: random.Random, what: str) -> Any:
    params: dict[str, Any] = {"to": to, "body": body}
    if r.random() < 0.4:
        params["messaging_service_sid"] = MESSAGING
    else:
        params["from_"] = CLINIC
    if r.random() < 0.3:
        params["status_callback"] = "https://portal.clinic.example/sms/status/"
    try:
        return c.messages.create(**params)
    except TwilioRestException as exc:
        style = r.randrange(4)
        if style == 0:
            log.warning("%s to %s not sent: %s", what, to, exc)
        elif style == 1:
            log.error("Twilio error %s on %s %s: %s", exc.code, exc.method, exc.uri, exc.msg)
        elif style == 2:
            log.exception("%s failed", what)
        else:
            log.warning("%s not sent (HTTP %s, code %s): %s", what, exc.status, exc.code, exc.msg)
        return None


def _patient(c: Client, p: Patient, r: random.Random) -> None:
    clinic, visit, when = r.choice(CLINICS), r.choice(VISITS), _day(r)
    for kind in r.sample(range(10), 3):
        if kind == 0:
            body = (
                f"Hi {p.first_name}, your {visit} at {clinic} is on {when:%a %b %d} at"
                f" {when:%I:%M %p}. Reply C to confirm or R to reschedule."
            )
            m = _send_sms(c, p.phone, body, r, "reminder SMS")
            if m is not None:
                log.info("reminder %s queued for %s (%s segment(s))", m.sid, m.to, m.num_segments)
                if r.random() < 0.5:
                    log.debug("%r: status=%s body=%r", m, m.status, m.body)
        elif kind == 1:
            since = when - datetime.timedelta(days=r.randint(20, 90))
            found = c.messages.list(to=p.phone, date_sent_after=since, limit=20, page_size=20)
            log.info("%d messages to %s since %s", len(found), p.phone, f"{since:%Y-%m-%d}")
        elif kind == 2:
            params = {
                "fields": "identity_match",
                "first_name": p.first_name,
                "last_name": p.last_name,
                "address_line1": p.street,
                "city": p.city,
                "state": p.state,
                "postal_code": p.zip,
                "address_country_code": "US",
                "date_of_birth": f"{p.dob:%Y%m%d}",
            }
            if r.random() < 0.5:
                params["national_id"] = p.ssn
            info = c.lookups.v2.phone_numbers(p.phone).fetch(**params)
            match = info.identity_match or {}
            log.info(
                "identity check for MRN %s: score %s, dob %s, address %s",
                p.mrn,
                match.get("summary_score"),
                match.get("date_of_birth_match"),
                match.get("address_lines_match"),
            )
        elif kind == 3:
            info = c.lookups.v2.phone_numbers(p.phone).fetch(fields="line_type_intelligence")
            line = info.line_type_intelligence or {}
            if info.valid and info.phone_number == p.phone:
                log.info(
                    "%s is a %s line (%s)", p.phone, line.get("type"), line.get("carrier_name")
                )
            elif not info.valid:
                log.warning(
                    "phone on file for %s is not valid: %r (%s)",
                    p.mrn,
                    p.phone,
                    ", ".join(info.validation_errors or []),
                )
            else:
                log.info("line type for MRN %s: %s", p.mrn, line.get("type"))
        elif kind == 4:
            to, channel = (p.email, "email") if r.random() < 0.35 else (p.phone, "sms")
            service = c.verify.v2.services(VERIFY)
            for _ in range(r.choice([1, 1, 3])):
                try:
                    v = service.verifications.create(to=to, channel=channel)
                except TwilioRestException as exc:
                    log.warning("portal verification for %s refused: %s", to, exc)
                    break
                log.info("verification %s sent to %s by %s: %s", v.sid, v.to, v.channel, v.status)
            else:
                code = f"{r.randint(0, 999999):06d}"
                try:
                    check = service.verification_checks.create(to=to, code=code)
                    log.info(
                        "code check for %s: %s (valid=%s)", check.to, check.status, check.valid
                    )
                except TwilioRestException as exc:
                    log.error("verification check for %s failed: %s", to, exc)
        elif kind == 5:
            vr = VoiceResponse()
            gather = Gather(num_digits=1, action="/ivr/confirm/", method="POST")
            gather.say(
                f"Hello {p.first_name} {p.last_name}. This is {clinic} calling to remind you of"
                f" your {visit} on {when:%A, %B %d} at {when:%I:%M %p}. Press 1 to confirm.",
                voice="Polly.Joanna",
            )
            vr.append(gather)
            vr.say("We did not receive your answer. Goodbye.")
            twiml = str(vr)
            log.debug("reminder call TwiML for MRN %s: %s", p.mrn, twiml)
            try:
                call = c.calls.create(to=p.phone, from_=CLINIC, twiml=twiml)
                log.info("reminder call %s to %s: %s", call.sid, call.to, call.status)
            except TwilioRestException as exc:
                log.warning("reminder call to %s failed: %s", p.phone, exc)
        elif kind == 6:
            params = {
                "MessageSid": f"SM{r.getrandbits(128):032x}",
                "AccountSid": ACCOUNT,
                "From": p.phone,
                "To": CLINIC,
                "Body": r.choice(["C", "Yes", "R", "STOP", f"This is {p.first_name}, confirmed"]),
                "FromZip": p.zip,
                "FromCity": p.city.upper(),
                "FromState": p.state,
                "NumMedia": "0",
            }
            validator = RequestValidator(TOKEN)
            signature = validator.compute_signature(WEBHOOK, params)
            if r.random() < 0.5:
                signature = signature[:-4] + "AAA="
            if not validator.validate(WEBHOOK, params, signature):
                log.warning("inbound SMS with a bad signature %s: %s", signature, params)
                continue
            reply = MessagingResponse()
            reply.message(f"Thanks {p.first_name}, your {visit} on {when:%b %d} is confirmed.")
            log.info("inbound SMS from %s: %r -> %s", p.phone, params["Body"], str(reply))
        elif kind == 7:
            sid = f"SM{r.getrandbits(128):032x}"
            try:
                c.messages(sid).fetch()
            except TwilioRestException as exc:
                log.warning("status callback for %s (MRN %s): %s", sid, p.mrn, exc)
        elif kind == 8:
            body = (
                f"{p.first_name} {p.last_name}, DOB {p.dob:%m/%d/%Y}: your lab results are"
                f" ready. Log in with member id {p.member_id}."
            )
            m = _send_sms(c, p.phone, body, r, f"lab result SMS for {p.mrn}")
            if m is not None:
                log.info("lab SMS %s to %s: %s", m.sid, m.to, m.status)
        else:
            body = f"Balance reminder for account {p.account}: please call {CLINIC}."
            try:
                m = c.messages.create(to=p.phone, from_=CLINIC, body=body)
                log.info("statement SMS for account %s: %s %s", p.account, m.sid, m.status)
            except TwilioException:
                log.exception("statement SMS for %s %s failed", p.first_name, p.last_name)


SUPPLIERS = ("+18005550110", "+18005550124", "+18005550139")
ALERTS = (
    "Lab interface queue at {n} messages (threshold 300)",
    "Backup job {n} finished in {s}s",
    "Fax gateway down since {t} UTC, {n} faxes queued",
    "Vaccine fridge 2 at {d} C at {t}",
    "Disk /var/lib/pgsql at {n}% on db-{k}",
)


def _benign(c: Client, r: random.Random, n: int) -> None:
    kind = r.randrange(8)
    day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 300))
    if kind == 0:
        end = day + datetime.timedelta(days=r.choice([1, 7, 30]))
        category = r.choice(["sms", "calls", "sms-outbound", "lookups"])
        records = c.api.v2010.account.usage.records.list(
            category=category, start_date=day, end_date=end, limit=5, page_size=5
        )
        for rec in records:
            log.info(
                "usage %s %s..%s: %s %s, $%s",
                rec.category, rec.start_date, rec.end_date, rec.count, rec.count_unit, rec.price,
            )  # fmt: skip
            if r.random() < 0.5:
                log.debug("usage record: %s %s", rec.usage, rec.usage_unit)
    elif kind == 1:
        balance = c.api.v2010.account.balance.fetch()
        log.info("Twilio balance %s %s (run %d)", balance.balance, balance.currency, n)
        if float(balance.balance) < 300:
            log.warning(
                "Twilio balance below $300.00: %s, top-up ticket FIN-%d", balance.balance, n
            )
    elif kind == 2:
        numbers = c.incoming_phone_numbers.list(
            friendly_name=r.choice(["Front desk", "Pharmacy", "After hours"]), limit=5
        )
        for number in numbers:
            log.info("number %s %s: %s", number.sid, number.friendly_name, number.capabilities)
            log.debug(
                "%r: %s created %s, sms_url %s",
                number, number.phone_number, number.date_created, number.sms_url,
            )  # fmt: skip
    elif kind in (3, 4):
        t = f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
        text = r.choice(ALERTS).format(
            n=r.randint(10, 900), s=r.randint(30, 4000), t=t, d=r.randint(2, 9), k=r.randint(1, 4)
        )
        to = r.choice(ONCALL)
        m = _send_sms(c, to, f"[{day}] {text}", r, "on-call page")
        if m is not None:
            log.info("on-call page %s: %s", m.sid, m.status)
            log.debug("page body (%s segment(s)): %s", m.num_segments, m.body)
            if r.random() < 0.5:
                pages = c.messages.list(to=to, limit=5, page_size=5)
                for page in pages[-3:]:
                    log.info(
                        "page %s %s at %s: %s", page.sid, page.status, page.date_created, page.body
                    )
    elif kind == 5:
        po = f"PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d}"
        body = f"{po}: {r.randint(2, 60)} cases ready for pickup at dock {r.randint(1, 6)}"
        m = _send_sms(c, r.choice(SUPPLIERS), body, r, f"supplier SMS for {po}")
        if m is not None:
            log.info("supplier notified about %s: %s (%s)", po, m.sid, m.date_created)
    elif kind == 6:
        bad = f"MG{r.getrandbits(128):032x}"
        try:
            c.messages.create(to=r.choice(ONCALL), messaging_service_sid=bad, body="test")
        except TwilioRestException as exc:
            log.error("config check %d: %s", n, exc)
            log.debug("config check %d details: code=%s status=%s", n, exc.code, exc.status)
    else:
        sid = f"SM{r.getrandbits(128):032x}"
        try:
            c.messages(sid).fetch()
        except TwilioRestException as exc:
            log.warning("delivery report %d for %s: %s (code %s)", n, sid, exc.msg, exc.code)


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    r = random.Random(seed + 101)
    _Twilio.ids = random.Random(seed + 102)
    _Twilio.clock = [datetime.datetime(2026, 3, 2, 7, 0, tzinfo=datetime.UTC)]
    _Twilio.messages = {}
    _Twilio.sent = {}
    with serving() as port, _plain_errors():
        fix.port(port, 443)
        c = _client(port)
        for i, p in enumerate(patients):
            with cap.about(p):
                try:
                    _patient(c, p, r)
                except (TwilioException, requests.RequestException):
                    log.exception("SMS job failed for MRN %s", p.mrn)
            for k in range(3):
                _benign(c, r, i * 3 + k)
