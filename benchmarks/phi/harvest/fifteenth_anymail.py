"""The `django-anymail` emitter of `fifteenth_held.py`: the app's e-mail (appointment reminders,
statements, results notices, portal invitations, referral letters) sent as Django
`EmailMessage`s through Anymail's Postmark and Brevo backends, each ESP's API served by a stdlib
`http.server` on a free loopback port (127.0.0.1) in a thread, answering one request at a time.
Captured: Anymail's `DEBUG_API_REQUESTS` dump of each request (method, URL, headers, the JSON
payload) and response (status, headers, body), which Anymail prints: the app catches it and logs
it on the `anymail` logger, and what the app logs: each message's `anymail_status` (`repr`,
`recipients`, `message_id`), `AnymailRequestsAPIError`s (the ESP's answer dumped by Anymail),
`AnymailRecipientsRefused`, `AnymailInvalidAddress` for addresses typed wrong, tracebacks, and
the tracking events Anymail's Postmark webhook view normalizes (bounces, deliveries, opens,
clicks, spam complaints; their fields and the ESP's raw event). Staff notices, supply orders,
reports and IT alerts for the benign lines. The message ids Anymail draws for Postmark's batch
sends (`uuid.uuid4`) are seeded; the port and the answers' dates
are fixed."""

from __future__ import annotations

import base64
import contextlib
import datetime
import http.server
import io
import json
import logging
import random
import threading
import uuid
from typing import Any

from patients import Patient

log = logging.getLogger("clinic.mail")
dump = logging.getLogger("anymail")
FROM = "Lakeside Family Clinic <noreply@lakeside.example>"
STAFF = (
    "Helen Park <hpark@lakeside.example>",
    "Front Desk <frontdesk@lakeside.example>",
    "Billing Office <billing@lakeside.example>",
    "Charge Nurse 3W <charge3w@lakeside.example>",
    "IT On-Call <oncall@lakeside.example>",
)
VENDORS = ("orders@medsupply.example", "po@henryschein.example", "support@labcorp-partners.example")
DOCTORS = ("Dr. Helen Park", "Dr. Samuel Okoro", "Dr. Ingrid Holm", "NP Carla Reyes")


class _Uuids:
    def __init__(self, r: random.Random) -> None:
        self.r = r

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self.r.getrandbits(128), version=4)


def _score(address: str) -> int:
    return sum(ord(c) for c in address.lower()) % 13


class _Esp:
    """Postmark's and Brevo's send APIs as they answer."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.clock = datetime.datetime(2026, 5, 4, 7, 30, tzinfo=datetime.UTC)

    def stamp(self) -> str:
        self.clock += datetime.timedelta(seconds=self.r.randint(2, 400))
        micro = self.r.randint(0, 9_999_999)
        return f"{self.clock:%Y-%m-%dT%H:%M:%S}.{micro:07d}Z"

    def postmark(self, payload: Any) -> tuple[int, Any, dict[str, str]]:
        batch = isinstance(payload, list)
        answers = [self._postmark_one(p) for p in (payload if batch else [payload])]
        status = 200 if batch or answers[0]["ErrorCode"] == 0 else 422
        return status, answers if batch else answers[0], {}

    def _postmark_one(self, p: dict[str, Any]) -> dict[str, Any]:
        to = p.get("To", "")
        address = to.split("<")[-1].rstrip(">").strip() if to else ""
        score = _score(address)
        if score == 0:
            return {
                "ErrorCode": 406,
                "Message": "You tried to send to recipient(s) that have been marked as inactive."
                f"\nFound inactive addresses: {address.lower()}.\nInactive recipients are ones "
                "that have generated a hard bounce, a spam complaint, or a manual suppression.",
            }
        if score == 1:
            return {"ErrorCode": 300, "Message": f"Invalid 'To' address: '{address}'."}
        if score == 2 and p.get("Metadata"):
            return {
                "ErrorCode": 300,
                "Message": "Invalid metadata content. Metadata values must be strings, numbers "
                "or booleans, and no more than 80 characters.",
            }
        message = "OK"
        if score == 3:
            message = "Message accepted, but delivery may be delayed."
        return {
            "To": to,
            "SubmittedAt": self.stamp(),
            "MessageID": str(uuid.UUID(int=self.r.getrandbits(128), version=4)),
            "ErrorCode": 0,
            "Message": message,
        }

    def brevo(self, payload: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        tos = [t.get("email", "") for t in payload.get("to", [])]
        for t in tos:
            if _score(t) in (0, 1):
                return (
                    400,
                    {"code": "invalid_parameter", "message": f"email is not valid in to: {t}"},
                    {},
                )
        if any(_score(t) == 2 for t in tos):
            return (
                429,
                {"code": "too_many_requests", "message": "Too many requests, retry later"},
                {},
            )
        self.clock += datetime.timedelta(seconds=self.r.randint(2, 400))
        number = self.r.randint(10**10, 10**11 - 1)
        return 201, {"messageId": f"<{self.clock:%Y%m%d%H%M}.{number}@smtp-relay.mailin.fr>"}, {}


class _Handler(http.server.BaseHTTPRequestHandler):
    esp: _Esp

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(size) or b"null")
        if self.path.startswith("/v3/"):
            status, answer, headers = self.esp.brevo(payload)
        else:
            status, answer, headers = self.esp.postmark(payload)
        body = b"" if answer is None else json.dumps(answer).encode()
        self.send_response(status)
        if answer is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _configure(port: int) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="harvest-only",
            ALLOWED_HOSTS=["testserver"],
            INSTALLED_APPS=["anymail"],
            EMAIL_BACKEND="anymail.backends.postmark.EmailBackend",
            DEFAULT_FROM_EMAIL=FROM,
            USE_TZ=True,
            TIME_ZONE="UTC",
            LOGGING_CONFIG=None,
            ANYMAIL={
                "POSTMARK_SERVER_TOKEN": "pm-harvest-5f0c2e1a",
                "POSTMARK_API_URL": f"http://127.0.0.1:{port}/",
                "BREVO_API_KEY": "xkeysib-harvest-only",
                "BREVO_API_URL": f"http://127.0.0.1:{port}/v3/",
                "DEBUG_API_REQUESTS": True,
                "WEBHOOK_SECRET": "clinic:hooks-2026",
            },
        )
        django.setup()


def _send(msg: Any, what: str, r: random.Random) -> None:
    from anymail.exceptions import AnymailError

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            msg.send()
    except AnymailError as exc:
        _printed(out)
        how = r.randrange(4)
        if how == 0:
            log.error("%s not sent: %s", what, exc)
        elif how == 1:
            log.error("%s not sent: %r", what, exc)
        elif how == 2:
            log.warning("%s: %s (status %s)", what, type(exc).__name__, exc.status_code)
            if msg.anymail_status.recipients:
                log.warning("%s recipients: %r", what, msg.anymail_status.recipients)
        else:
            log.exception("%s failed", what)
        return
    _printed(out)
    status = msg.anymail_status
    how = r.randrange(4)
    if how == 0:
        log.info("%s sent: %r", what, status)
    elif how == 1:
        for address, one in sorted(status.recipients.items()):
            log.info("%s to %s: %s (%s)", what, address, one.status, one.message_id)
    elif how == 2:
        log.info("%s %s, message id %s", what, sorted(status.status or []), status.message_id)
    else:
        log.debug("%s recipients %s", what, status.recipients)


def _printed(out: io.StringIO) -> None:
    text = out.getvalue().strip("\n")
    if text:
        dump.debug("%s", text)


def _message(backend: str, subject: str, body: str, to: list[str], **extra: Any) -> Any:
    from django.core.mail import EmailMultiAlternatives, get_connection

    path = {
        "postmark": "anymail.backends.postmark.EmailBackend",
        "brevo": "anymail.backends.brevo.EmailBackend",
    }[backend]
    msg = EmailMultiAlternatives(
        subject, body, extra.pop("from_email", FROM), to, connection=get_connection(path)
    )
    html = extra.pop("html", None)
    if html:
        msg.attach_alternative(html, "text/html")
    for name, data, kind in extra.pop("attachments", []):
        msg.attach(name, data, kind)
    for key, value in extra.items():
        setattr(msg, key, value)
    return msg


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 5, 4) + datetime.timedelta(days=r.randint(1, 60))


def _patient(p: Patient, r: random.Random) -> None:
    from anymail.exceptions import AnymailInvalidAddress

    name = f"{p.first_name} {p.last_name}"
    backend = r.choice(["postmark", "postmark", "brevo"])
    to = r.choice([f"{name} <{p.email}>", p.email, f'"{p.last_name}, {p.first_name}" <{p.email}>'])
    day, doctor = _day(r), r.choice(DOCTORS)
    kind = r.randrange(7)
    meta: dict[str, Any] = {"mrn": p.mrn}
    if kind == 0:
        at = f"{r.randint(8, 16)}:{r.choice(['00', '30'])}"
        subject = f"Appointment reminder: {day:%A, %B} {day.day} at {at}"
        body = (
            f"Dear {p.first_name},\n\nThis is a reminder of your visit with {doctor} on {day}.\n"
            f"Please bring your insurance card (member ID {p.member_id}).\n"
            "To reschedule call us or "
            f"reply to this e-mail.\n\nMRN: {p.mrn}"
        )
        what = "reminder"
    elif kind == 1:
        subject = f"Your statement for account {p.account}"
        body = (
            f"Hello {name},\n\nYour balance of ${r.randint(15, 900)}.{r.randint(0, 99):02d} "
            f"is due on {day}.\nStatement address: {p.street}, {p.city}, {p.state} {p.zip}\n"
        )
        meta["account"] = p.account
        what = "statement"
    elif kind == 2:
        subject = "New results in your patient portal"
        body = (
            f"{p.first_name} {p.last_name} (DOB {p.dob:%m/%d/%Y}),\n\nNew lab results from "
            f"{day - datetime.timedelta(days=30)} are ready. Sign in to view them."
        )
        what = "results notice"
    elif kind == 3:
        subject = "Activate your Lakeside patient portal"
        body = (
            f"Welcome {p.first_name}!\n\nYour portal user name is {p.email}.\nVerification "
            f"code: {r.randint(100000, 999999)}\nPhone on file: {p.phone}"
        )
        meta["dob"] = p.dob.isoformat()
        what = "portal invitation"
    elif kind == 4:
        subject = f"Referral for {name}"
        body = (
            f"Patient: {p.last_name}, {p.first_name}\nDOB: {p.dob}\nMRN: {p.mrn}\n"
            f"Insurance: {p.member_id} (MBI {p.mbi})\n"
            f"Reason: {r.choice(['palpitations', 'CKD stage 3', 'chronic cough'])}"
        )
        to = r.choice(["referrals@cardiology-partners.example", "intake@renal-care.example"])
        what = "referral letter"
    elif kind == 5:
        # an address typed wrong at the front desk: Anymail refuses it before sending
        bad = r.choice(
            [
                f"{name} <{p.email}",
                f"{p.last_name}, {p.first_name} <{p.email}>",
                f"{p.email} {p.last_name}",
                f"{name} {p.email}",
            ]
        )
        try:
            _send(
                _message(
                    backend,
                    "Appointment reminder",
                    f"Dear {p.first_name}, see you on {day}.",
                    [bad],
                ),
                "reminder",
                r,
            )
        except AnymailInvalidAddress as exc:
            if r.random() < 0.5:
                log.error("reminder not sent: %s", exc)
            else:
                log.exception("reminder not sent")
        return
    else:
        _webhook(p, r)
        return
    extra: dict[str, Any] = {"metadata": meta, "tags": [what.replace(" ", "-")]}
    if r.random() < 0.3:
        extra["html"] = f"<p>{body.replace(chr(10), '<br>')}</p>"
    if kind == 1 and r.random() < 0.5:
        extra["attachments"] = [
            (
                f"statement-{p.last_name}-{day:%Y-%m}.pdf",
                b"%PDF-1.4\n% statement\n",
                "application/pdf",
            )
        ]
    if r.random() < 0.2:
        extra["cc"] = [r.choice(STAFF)]
    _send(_message(backend, subject, body, [to], **extra), what, r)


def _webhook(p: Patient, r: random.Random) -> None:
    from anymail.signals import tracking
    from anymail.webhooks.postmark import PostmarkTrackingWebhookView
    from django.test import RequestFactory

    moment = datetime.datetime(2026, 5, 4) + datetime.timedelta(seconds=r.randint(0, 24 * 86400))
    stamp = f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    message_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
    kind = r.randrange(5)
    meta = {"mrn": p.mrn}
    if kind == 0:
        event = {
            "RecordType": "Bounce",
            "ID": r.randint(10**9, 10**10),
            "Type": r.choice(["HardBounce", "SoftBounce", "DnsError"]),
            "TypeCode": 1,
            "Name": "Hard bounce",
            "Tag": "reminder",
            "MessageID": message_id,
            "Metadata": meta,
            "ServerID": 23,
            "MessageStream": "outbound",
            "Description": "The server was unable to deliver your message (ex: unknown user, "
            "mailbox not found).",
            "Details": f"smtp;550 5.1.1 <{p.email}>: Recipient address rejected: User unknown",
            "Email": p.email,
            "From": "noreply@lakeside.example",
            "BouncedAt": stamp,
            "DumpAvailable": True,
            "Inactive": True,
            "CanActivate": True,
            "Subject": "Appointment reminder",
        }
    elif kind == 1:
        event = {
            "RecordType": "Delivery",
            "ServerID": 23,
            "MessageStream": "outbound",
            "MessageID": message_id,
            "Recipient": p.email,
            "Tag": "statement",
            "DeliveredAt": stamp,
            "Details": f"smtp;250 2.0.0 OK {r.randint(10**9, 10**10)} - gsmtp",
            "Metadata": meta,
        }
    elif kind == 2:
        event = {
            "RecordType": "Open",
            "MessageStream": "outbound",
            "Metadata": meta,
            "FirstOpen": True,
            "Recipient": p.email,
            "MessageID": message_id,
            "ReceivedAt": stamp,
            "Platform": "WebMail",
            "ReadSeconds": r.randint(0, 90),
            "Tag": "results-notice",
            "UserAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
            "Geo": {"City": p.city, "IP": p.ip, "Region": p.state, "CountryISOCode": "US"},
        }
    elif kind == 3:
        event = {
            "RecordType": "Click",
            "MessageStream": "outbound",
            "Metadata": meta,
            "Recipient": p.email,
            "MessageID": message_id,
            "ReceivedAt": stamp,
            "Platform": "Mobile",
            "ClickLocation": "HTML",
            "OriginalLink": f"https://portal.lakeside.example/statements/?account={p.account}",
            "Tag": "statement",
            "UserAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)",
            "Geo": {"IP": p.ip},
        }
    else:
        event = {
            "RecordType": "SpamComplaint",
            "ID": r.randint(10**9, 10**10),
            "Type": "SpamComplaint",
            "TypeCode": 512,
            "Tag": "reminder",
            "MessageID": message_id,
            "Metadata": meta,
            "Description": "The subscriber explicitly marked this message as spam.",
            "Details": "Test spam complaint details",
            "Email": p.email,
            "BouncedAt": stamp,
            "Subject": f"Appointment reminder for {p.first_name}",
        }

    def receiver(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
        how = r.randrange(4)
        if how == 0:
            log.info(
                "%s %s for %s: %s",
                esp_name,
                event.event_type,
                event.recipient,
                event.mta_response or event.description,
            )
        elif how == 1:
            log.info(
                "%s event %s metadata %s tags %s",
                esp_name,
                event.event_type,
                event.metadata,
                event.tags,
            )
        elif how == 2:
            log.debug("%s raw event: %s", esp_name, event.esp_event)
        else:
            log.info(
                "%s %s at %s (reject reason %s, click %s, agent %s)",
                esp_name,
                event.event_type,
                event.timestamp,
                event.reject_reason,
                event.click_url,
                event.user_agent,
            )

    tracking.connect(receiver, weak=False, dispatch_uid="clinic-tracking")
    try:
        auth = base64.b64encode(b"clinic:hooks-2026").decode()
        request = RequestFactory().post(
            "/anymail/postmark/tracking/",
            data=json.dumps(event),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Basic {auth}",
        )
        response = PostmarkTrackingWebhookView.as_view()(request)
        if response.status_code != 200:
            log.warning("tracking webhook answered %s", response.status_code)
    finally:
        tracking.disconnect(dispatch_uid="clinic-tracking")


def _benign(r: random.Random) -> None:
    day = datetime.date(2026, 5, 4) + datetime.timedelta(days=r.randint(-30, 30))
    backend = r.choice(["postmark", "brevo"])
    kind = r.randrange(5)
    if kind == 0:
        subject = f"Daily census {day}"
        body = (
            f"Inpatients: {r.randint(20, 80)}\nAdmissions: {r.randint(0, 15)}\n"
            f"Discharges: {r.randint(0, 15)}"
        )
        to = [r.choice(STAFF)]
    elif kind == 1:
        po = f"PO-{day.year}-{r.randint(1, 99999):05d}"
        subject = f"Purchase order {po}"
        body = (
            f"Please ship {r.randint(1, 40)} cases of SKU GLV-{r.randint(1000, 9999)} "
            f"by {day}.\nOrder {po}, account 4410-{r.randint(100, 999)}."
        )
        to = [r.choice(VENDORS)]
    elif kind == 2:
        subject = f"Backup job {day} finished"
        took = f"{r.randint(0, 2):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
        job = uuid.UUID(int=r.getrandbits(128), version=4)
        body = f"Duration {took}, {r.randint(10, 900)} GB, job {job}"
        to = ["IT On-Call <oncall@lakeside.example>"]
    elif kind == 3:
        subject = "Certificate expiring"
        body = (
            f"portal.lakeside.example expires on {day} (serial {r.getrandbits(64):016X}); "
            f"renew via ACME v{r.randint(1, 2)}."
        )
        to = ["IT On-Call <oncall@lakeside.example>"]
    else:
        subject = f"Clinic schedule for week {day:%V}"
        body = (
            f"{r.choice(DOCTORS)} is out {day}. Room {r.randint(100, 420)} is closed for cleaning."
        )
        to = [r.choice(STAFF), r.choice(STAFF)]
    extra: dict[str, Any] = {"tags": ["staff"]}
    if r.random() < 0.3:
        extra["metadata"] = {
            "report": f"R{r.randint(1000, 9999)}",
            "version": f"{r.randint(1, 9)}.{r.randint(0, 20)}",
        }
    _send(_message(backend, subject, body, sorted(set(to)), **extra), "staff notice", r)


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    import anymail.backends.postmark as postmark

    r = random.Random(seed + 601)
    _Handler.esp = _Esp(seed + 603)
    ids = _Uuids(random.Random(seed + 607))
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_port
    fix.port(port, 8025)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    real = postmark.uuid
    postmark.uuid = ids  # type: ignore[assignment]
    try:
        _configure(port)
        for p in patients:
            with cap.about(p):
                for _ in range(4):
                    _patient(p, r)
            for _ in range(3):
                _benign(r)
    finally:
        postmark.uuid = real
        server.shutdown()
        thread.join()
        server.server_close()
