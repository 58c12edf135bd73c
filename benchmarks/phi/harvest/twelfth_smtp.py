"""The `aiosmtpd` emitter of `twelfth_held.py`: the app's mail relay, an aiosmtpd `Controller` on a
free loopback port (127.0.0.1) with a handler built on `aiosmtpd.handlers.Debugging` that
refuses some recipients, senders and messages, and the app sending its mail to it with the
standard library's `smtplib` at `set_debuglevel(1)` (what a developer turns on to see why mail
does not go out). Captured per SMTP session: the client's debug lines as `smtplib` writes them
to stderr (`send: 'rcpt TO:<...>'`, `reply: b'250 OK'`, the whole message as one `send: b'...'`
line), what the app logs about refusals (`SMTPRecipientsRefused`, `SMTPSenderRefused`,
`SMTPDataError`, with `logger.exception` tracebacks), the server's `mail.log` records (peer,
commands, `sender:`, `recip:`, each `DATA readline`, replies) and the message as `Debugging`
prints it. Appointment reminders, lab notices, statements, records requests and front-desk
alerts about patients; supply orders, device alerts, batch totals and newsletters to staff
mailboxes for the benign lines.

The server runs in its own thread: its records of a session are kept until the session is over
and then put after the client's, in their order, the three records of a closing connection
(whose order races) last in a fixed order; so the lines keep one order on every run. Ports are
replaced by seeded ones; dates and message ids are seeded; no clock is logged."""

from __future__ import annotations

import contextlib
import datetime
import email.policy
import email.utils
import io
import logging
import random
import re
import smtplib
import socket
import threading
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Debugging
from patients import Patient

log = logging.getLogger("clinic.mail")
client_debug = logging.getLogger("smtplib")
printed = logging.getLogger("aiosmtpd.handlers")
POLICY = email.policy.SMTP.clone(max_line_length=998)
CLOSING = (
    "%r EOF received",
    "%r connection lost",
    "%r Connection lost during _handle_client()",
)
Raw = tuple[str, list[str], str]  # a `sendmail`: sender, recipients, text
REFUSED_DOMAINS = ("hey.com", "yandex.am")
FULL_DOMAINS = ("me.com",)


class Relay(Debugging):
    """`Debugging`, which prints each message it accepts, with the relay's own refusals."""

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if not address.endswith("@clinic.example"):
            return f"553 5.7.1 <{address}>: Sender address rejected: not owned by user"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        domain = address.rsplit("@", 1)[-1]
        if domain in REFUSED_DOMAINS or domain.startswith("retired."):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if domain in FULL_DOMAINS:
            return f"452 4.2.2 <{address}>: mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content.decode("utf-8", "replace")
        if "SSN" in content:
            return "554 5.7.1 Message rejected: unmasked identifier in body (DLP rule 12)"
        return await super().handle_DATA(server, session, envelope)


class Held(logging.Handler):
    """Keeps the server's records until its session is over."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self.guard:
            self.records.append(record)

    def closed(self) -> int:
        with self.guard:
            return sum(1 for rec in self.records if rec.msg in CLOSING[1:])

    def take(self) -> list[logging.LogRecord]:
        with self.guard:
            records, self.records = self.records, []
        rest = [rec for rec in records if rec.msg not in CLOSING]
        tail = sorted(
            (rec for rec in records if rec.msg in CLOSING), key=lambda rec: CLOSING.index(rec.msg)
        )
        return rest + tail


class Lines(io.TextIOBase):
    """A text stream whose lines are logged one by one to `logger` (the client's stderr, the
    server's printed messages)."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger, self.buffer = logger, ""
        self.kept: list[str] = []

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.buffer += text
        while "\n" in self.buffer:
            line, self.buffer = self.buffer.split("\n", 1)
            self.kept.append(line)
        return len(text)

    def flush_to_log(self) -> None:
        kept, self.kept = self.kept, []
        for line in kept:
            self.logger.debug("%s", line)


class Mailer:
    def __init__(
        self, port: int, held: Held, printed_lines: Lines, cap: Any, r: random.Random
    ) -> None:
        self.port, self.held, self.printed, self.cap, self.r = port, held, printed_lines, cap, r
        self.stamp = datetime.datetime(2026, 4, 6, 7, 0, tzinfo=datetime.UTC)
        self.stderr = Lines(client_debug)

    def message(
        self, sender: str, to: str, subject: str, body: str, **headers: str
    ) -> EmailMessage:
        r = self.r
        self.stamp += datetime.timedelta(minutes=r.randint(1, 300))
        msg = EmailMessage(policy=POLICY)
        msg["From"] = sender
        msg["To"] = to
        msg["Subject"] = subject
        msg["Date"] = email.utils.format_datetime(self.stamp)
        msg["Message-ID"] = (
            f"<{r.getrandbits(48):012x}.{r.randint(1000, 9999)}@app01.clinic.example>"
        )
        for name, value in headers.items():
            msg[name.replace("_", "-")] = value
        msg.set_content(body, cte="8bit")
        return msg

    def session(self, mails: list[EmailMessage | Raw]) -> None:
        """One SMTP session sending `mails` (messages, and raw texts with `sendmail`), then its
        lines in one order: the client's, the server's, the printed messages."""
        r = self.r
        with contextlib.redirect_stderr(self.stderr):
            try:
                smtp = smtplib.SMTP(local_hostname="app01.clinic.example")
                smtp.set_debuglevel(1)
                smtp.connect("127.0.0.1", self.port)
                for mail in mails:
                    if isinstance(mail, EmailMessage):
                        self.send(smtp, mail)
                    else:
                        self.send_raw(smtp, *mail)
                if r.random() < 0.15:
                    smtp.noop()
                smtp.quit()
            except (smtplib.SMTPException, OSError) as exc:
                log.error("mail session failed: %s", exc)
        self.stderr.flush_to_log()
        self.server_lines()
        self.printed.flush_to_log()

    def server_lines(self) -> None:
        """The server's records of the session just closed, once it has logged its end."""
        for _ in range(3000):
            if self.held.closed() >= 2:
                break
            time.sleep(0.001)
        time.sleep(0.002)
        for record in self.held.take():
            self.cap.handle(record)

    def send(self, smtp: smtplib.SMTP, msg: EmailMessage) -> None:
        r = self.r
        try:
            refused = smtp.send_message(msg)
            if refused:
                log.warning("some recipients refused: %s", refused)
        except smtplib.SMTPRecipientsRefused as exc:
            how = r.randrange(3)
            if how == 0:
                log.warning("reminder not delivered: %s", exc.recipients)
            elif how == 1:
                log.exception("no recipient accepted %r", msg["Subject"])
            else:
                for rcpt, (code, text) in exc.recipients.items():
                    log.warning("%s refused with %d %s", rcpt, code, text.decode())
        except smtplib.SMTPSenderRefused as exc:
            if r.random() < 0.5:
                log.error("sender refused: %s", exc)
            else:
                log.error(
                    "relay refused %s: %d %s", exc.sender, exc.smtp_code, exc.smtp_error.decode()
                )
        except smtplib.SMTPDataError as exc:
            if r.random() < 0.5:
                log.error("message %s rejected: %s", msg["Message-ID"], exc)
            else:
                log.exception("DLP rejected the message to %s", msg["To"])

    def send_raw(self, smtp: smtplib.SMTP, sender: str, rcpts: list[str], text: str) -> None:
        try:
            smtp.sendmail(sender, rcpts, text.encode())
        except smtplib.SMTPException as exc:
            log.warning("sendmail to %s failed: %s", ", ".join(rcpts), exc)


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 4, 6) + datetime.timedelta(days=r.randint(0, 260))


SITES = (
    ("North Clinic", "1200 Harbor Blvd, Suite 300"),
    ("Eastside Family Medicine", "48 Orchard Row"),
    ("Lab Annex", "7 Depot Street"),
)


def _patient(m: Mailer, p: Patient) -> EmailMessage | Raw:
    """One mail about `p`: a message, or a raw `sendmail` (sender, recipients, text)."""
    r = m.r
    name = f"{p.first_name} {p.last_name}"
    site, site_street = r.choice(SITES)
    day = _day(r)
    kind = r.randrange(7)
    if kind == 0:
        body = (
            f"Dear {name},\n\nThis is a reminder of your appointment at {site} ({site_street}) on "
            f"{day:%A, %B} {day.day} at {r.choice(['8:30 AM', '10:15 AM', '2:40 PM'])}.\n"
            f"Medical record number: {p.mrn}\nPhone on file: {p.phone}\n\n"
            "Reply STOP to opt out of reminders.\n"
        )
        msg = m.message(
            "reminders@clinic.example", f"{name} <{p.email}>", "Appointment reminder", body
        )
        return msg
    elif kind == 1:
        body = (
            f"Hello {p.first_name},\n\nNew results are ready in the patient portal.\n"
            f"Patient: {p.last_name}, {p.first_name}\nDate of birth: {p.dob:%m/%d/%Y}\n\n"
            "Log in at https://portal.clinic.example/results to read them.\n"
        )
        msg = m.message("labs@clinic.example", p.email, "Your lab results are ready", body)
        return msg
    elif kind == 2:
        amount = f"${r.randint(15, 900)}.{r.randint(0, 99):02d}"
        body = (
            f"Statement for account {p.account}\nGuarantor: {name}\n{p.street}\n"
            f"{p.city}, {p.state} {p.zip}\n\nAmount due: {amount}\n"
            f"Due by: {day.isoformat()}\n"
        )
        msg = m.message("billing@clinic.example", p.email, f"Statement {p.account}", body)
        return msg
    elif kind == 3:
        lines = [
            f"Records request for {name}",
            f"DOB: {p.dob.isoformat()}",
            f"Member ID: {p.member_id}",
            f"Medicare MBI: {p.mbi}",
        ]
        if r.random() < 0.5:
            lines.append(f"SSN: {p.ssn}")
        body = "\n".join(lines) + "\n\nPlease send the records to the fax on file.\n"
        msg = m.message(
            "records@clinic.example", "roi@partner-hie.example", f"ROI request {p.mrn}", body
        )
        return msg
    elif kind == 4:
        body = (
            f"Walk-in waiting at front desk: {name}, DOB {p.dob:%m/%d/%Y}\n"
            f"Callback number: {p.phone}\nDriver licence: {p.licence}\n"
        )
        msg = m.message(
            "frontdesk@clinic.example",
            "triage@clinic.example",
            "Walk-in needs triage",
            body,
            Reply_To=p.email,
        )
        return msg
    elif kind == 5:
        body = (
            f"Message from the patient portal (sender {p.email}):\n\nPlease call me at {p.phone}.\n"
        )
        msg = m.message(p.email, "careteam@clinic.example", "Portal message", body)
        return msg
    else:
        text = (
            f"From: reminders@clinic.example\r\nTo: {p.email}\r\nSubject: Visit summary\r\n\r\n"
            f"Visit summary for {p.last_name}, MRN {p.mrn}.\r\n"
        )
        return ("reminders@clinic.example", [p.email], text)


DRUGS = (
    "Amoxicillin 500 mg capsules",
    "Metformin ER 750 mg tablets",
    "Ondansetron ODT 4 mg",
    "Enoxaparin 40 mg/0.4 mL syringes",
    "Ceftriaxone 1 g vials",
)


def _benign(m: Mailer, n: int) -> list[EmailMessage | Raw]:
    r = m.r
    kind = r.randrange(5)
    if kind == 0:
        po = f"PO-2026-{r.randint(1, 99999):05d}"
        body = (
            f"Purchase order {po}\n{r.randint(2, 40)} x {r.choice(DRUGS)}\n"
            f"Supplier invoice: INV-{r.randint(100000, 999999)}\n"
            f"Deliver to dock B by {_day(r).isoformat()}.\n"
        )
        return [
            m.message("pharmacy@clinic.example", "orders@medsupply.example", f"Order {po}", body)
        ]
    elif kind == 1:
        serial = f"SN{r.randint(10, 99)}-{r.randint(100000, 999999)}"
        body = (
            f"Device {serial} (infusion pump, firmware {r.randint(1, 9)}.{r.randint(0, 30)}) "
            "reported "
            f"error E{r.randint(100, 999)} at {r.randint(0, 23):02d}:{r.randint(0, 59):02d}.\n"
            f"Ticket: OPS-{r.randint(1000, 9999)}\n"
        )
        return [
            m.message(
                "monitor@clinic.example", "it-ops@clinic.example", f"Device alert {serial}", body
            )
        ]
    elif kind == 2:
        body = (
            f"Claims batch {r.randint(1000, 9999)} closed: {r.randint(20, 400)} claims, "
            f"${r.randint(1000, 90000)}.{r.randint(0, 99):02d} billed, "
            f"{r.randint(0, 12)} rejected.\n"
        )
        return [
            m.message(
                "billing@clinic.example", "finance@clinic.example", "Daily batch totals", body
            )
        ]
    elif kind == 3:
        body = f"Flu shots are available at every site from {_day(r).isoformat()}.\nIssue {n}.\n"
        msg = m.message(
            "newsletter@clinic.example", "all-staff@clinic.example", "Clinic news", body
        )
        msg2 = m.message(
            "newsletter@clinic.example", "old-fax@retired.clinic.example", "Clinic news", body
        )
        return [msg, msg2]
    else:
        text = f"Subject: nightly backup\r\n\r\nbackup-{n} finished in {r.randint(40, 900)} s.\r\n"
        return [("backup@clinic.example", ["it-ops@clinic.example"], text)]


class Ports:
    """Loopback ports (the relay's and each client's) replaced by seeded ones, each real one
    always by the same."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.ports: dict[str, str] = {}

    def _port(self, match: re.Match[str]) -> str:
        real = match.group(1)
        if real not in self.ports:
            self.ports[real] = str(self.r.randint(32768, 60999))
        return f"('127.0.0.1', {self.ports[real]})"

    def __call__(self, text: str) -> str:
        return re.sub(r"\('127\.0\.0\.1', (\d+)\)", self._port, text)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 233)
    held = Held()
    server_log = logging.getLogger("mail.log")
    saved = (server_log.level, server_log.propagate)
    server_log.addHandler(held)
    server_log.setLevel(logging.DEBUG)
    server_log.propagate = False
    printed_lines = Lines(printed)
    port = _free_port()
    controller = Controller(
        Relay(printed_lines),
        hostname="127.0.0.1",
        port=port,
        server_hostname="mx1.clinic.example",
        ident="clinic-relay 2.3",
    )
    controller.start()
    m = Mailer(port, held, printed_lines, cap, r)
    try:
        m.server_lines()  # the controller's own check that the server is up
        for i, p in enumerate(patients):
            with cap.about(p):
                mails = [_patient(m, p) for _ in range(r.choice([2, 3, 3, 4]))]
                cut = r.choice([len(mails), len(mails), 1, 2])
                m.session(mails[:cut])
                if mails[cut:]:
                    m.session(mails[cut:])
            if i % 3 != 2:
                m.session(_benign(m, 2 * i) + (_benign(m, 2 * i + 1) if i % 2 else []))
    finally:
        controller.stop()
        server_log.removeHandler(held)
        server_log.setLevel(saved[0])
        server_log.propagate = saved[1]
