"""Django's e-mail machinery over the patients: `python -m fresh_site.mail_worker SEED`.

Reads the patients (JSON) on stdin. Every message goes through `settings.EMAIL_BACKEND`
(`fresh_site.mail.LoggingBackend`), which logs it as rendered, line by line: appointment
reminders (`send_mail`), lab result notices (`EmailMessage` with cc, reply-to and extra
headers), statements (`EmailMultiAlternatives` with an HTML part), records requests with a text
attachment, `mail_managers` notices, password resets (`PasswordResetForm.save()`), the error
reports `AdminEmailHandler` mails for requests (Django's test `Client`) that fail with a patient
in the path, query or POST data, and `BrokenLinkEmailsMiddleware`'s reports. The lines without a
patient come from newsletters, backups, order and invoice mails, and failing requests about
orders and events. Records go to `FRESH_SITE_LOG` (`jsonlog.py`).
"""

from __future__ import annotations

import logging
import random
import sys
import urllib.parse

from fresh_site.common import about, day, invoice_no, money, order_no, read_patients, setup_django
from fresh_site.common import dob as dob_text
from fresh_site.common import sku as sku_no
from fresh_site.common import version as version_no

setup_django()

from django.contrib.auth.forms import PasswordResetForm  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.mail.utils import DNS_NAME  # noqa: E402
from django.test import Client  # noqa: E402
from patients import Patient  # noqa: E402

log = logging.getLogger("clinic.mail")

# The domain of Message-IDs, set so that Django never asks the resolver for this host's name.
DNS_NAME._fqdn = "portal.clinic.example"  # type: ignore[attr-defined]

CLINIC_FROM = "Riverside Clinic <noreply@clinic.example>"
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "python-requests/2.32.3",
]
PRODUCTS = [
    "Nitrile gloves (M), box of 100",
    "Syringe 5 ml, luer lock",
    "Gauze swabs 10x10 cm",
    "Surgical masks, type IIR",
    "Digital thermometer",
    "Sharps container 1.4 l",
    "Rapid strep test kit",
]


def q(s: str) -> str:
    return urllib.parse.quote(s, safe="")


class Mailer:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.client = Client(raise_request_exception=False)

    # --- patients ---------------------------------------------------------------------------

    def reminder(self, p: Patient) -> None:
        r = self.r
        when = day(r)
        hour = f"{r.randint(8, 16)}:{r.choice(['00', '15', '30', '45'])}"
        title = r.choice(["Mr.", "Ms.", "Mrs.", "Dr.", "Mx."])
        body = "\n".join(
            [
                f"Dear {title} {p.last_name},",
                "",
                f"This is a reminder of your appointment on {when:%A, %B %d, %Y} at {hour}.",
                f"Patient: {p.last_name}, {p.first_name}    Date of birth: {dob_text(p, r)}",
                f"MRN: {p.mrn}",
                r.choice(
                    [
                        f"We will text you on {p.phone} the day before.",
                        f"Please bring your insurance card (member ID {p.member_id}).",
                        f"Your address on file: {p.street}, {p.city}, {p.state} {p.zip}",
                    ]
                ),
                "",
                "To reschedule, reply to this e-mail or call the front desk.",
                "The Riverside Clinic team",
            ]
        )
        subject = r.choice(
            [
                f"Appointment reminder for {p.first_name} {p.last_name}",
                f"Reminder: your appointment on {when}",
                f"{p.last_name}, your visit on {when:%m/%d} is confirmed",
            ]
        )
        log.info("sending reminder %r to %s", subject, p.email)
        mail.send_mail(subject, body, CLINIC_FROM, [f"{p.first_name} {p.last_name} <{p.email}>"])

    def lab_notice(self, p: Patient) -> None:
        r = self.r
        taken = day(r)
        body = "\n".join(
            [
                f"Hello {p.first_name},",
                "",
                f"The results of the tests taken on {taken} are ready in the patient portal.",
                f"Results for: {p.first_name.upper()} {p.last_name.upper()}, "
                f"DOB {dob_text(p, r)}, MRN {p.mrn}",
                r.choice(
                    [
                        f"Ordering account: {p.account}",
                        f"Billed to member {p.member_id} (MBI {p.mbi})",
                        f"Questions? We will call you at {p.phone}.",
                    ]
                ),
                "",
                "Please do not reply to this message.",
            ]
        )
        msg = mail.EmailMessage(
            subject=r.choice(["Your lab results are ready", f"Lab results for {p.first_name}"]),
            body=body,
            from_email="Riverside Lab <lab@clinic.example>",
            to=[p.email],
            cc=["results@clinic.example"] if r.random() < 0.5 else None,
            reply_to=["frontdesk@clinic.example"],
            headers={"X-Patient-MRN": p.mrn} if r.random() < 0.6 else {"X-Chart": p.mrn},
        )
        log.info("lab notice for MRN %s to %s", p.mrn, p.email)
        msg.send()

    def statement(self, p: Patient) -> None:
        r = self.r
        due = day(r)
        amount = money(r)
        text = "\n".join(
            [
                f"Statement for account {p.account}",
                f"{p.first_name} {p.last_name}",
                p.street,
                f"{p.city}, {p.state} {p.zip}",
                "",
                f"Amount due: ${amount} by {due:%m/%d/%Y}",
            ]
        )
        html = "\n".join(
            [
                "<html><body>",
                f"<p>Statement for account <b>{p.account}</b></p>",
                f"<p>{p.first_name} {p.last_name}<br>{p.street}<br>{p.city}, {p.state} {p.zip}</p>",
                f"<p>Amount due: ${amount} by {due:%m/%d/%Y}</p>",
                "</body></html>",
            ]
        )
        msg = mail.EmailMultiAlternatives(
            f"Your statement, account {p.account}", text, "billing@clinic.example", [p.email]
        )
        msg.attach_alternative(html, "text/html")
        msg.send()
        log.info("statement for account %s mailed to %s", p.account, p.email)

    def records_request(self, p: Patient) -> None:
        r = self.r
        summary = "\n".join(
            [
                "VISIT SUMMARY",
                f"Name: {p.last_name}, {p.first_name}",
                f"DOB: {dob_text(p, r)}",
                f"SSN: {p.ssn}",
                f"Phone: {p.phone}",
                f"Visit: {day(r)}  Reason: follow-up",
            ]
        )
        msg = mail.EmailMessage(
            "Records request fulfilled",
            f"Attached is the visit summary requested for MRN {p.mrn}.",
            "records@clinic.example",
            [r.choice(["records@stmarys.example", "intake@ortho-partners.example"])],
        )
        msg.attach(f"visit-summary-{p.mrn}.txt", summary, "text/plain")
        msg.send()

    def managers_notice(self, p: Patient) -> None:
        r = self.r
        lines = [
            "A new patient registered through the portal:",
            f"  Name: {p.first_name} {p.last_name}",
            f"  Born: {dob_text(p, r)}",
            f"  E-mail: {p.email}",
            f"  Phone: {p.phone}",
            f"  Address: {p.street}, {p.city}, {p.state} {p.zip}",
            f"  Driver licence: {p.licence}" if r.random() < 0.5 else f"  SSN: {p.ssn}",
            f"  Signed up from {p.ip}",
        ]
        mail.mail_managers("New patient registration", "\n".join(lines))

    def password_reset(self, p: Patient) -> None:
        user, _ = User.objects.get_or_create(
            username=p.email,
            defaults={"email": p.email, "first_name": p.first_name, "last_name": p.last_name},
        )
        user.set_password("harvest")
        user.save()
        form = PasswordResetForm(data={"email": p.email})
        if form.is_valid():
            log.info("password reset requested for %s", p.email)
            form.save(domain_override="portal.clinic.example", use_https=True)

    def error_report(self, p: Patient) -> None:
        r = self.r
        kind = r.randrange(5)
        meta = {"REMOTE_ADDR": p.ip, "HTTP_USER_AGENT": r.choice(UAS)}
        if kind == 0:
            ssn = p.ssn if " " not in p.ssn else p.ssn.replace(" ", "-")
            self.client.get(f"/patients/by-ssn/{q(ssn)}/", **meta)
        elif kind == 1:
            self.client.get(f"/patients/by-mrn/{q(p.mrn)}/", **meta)
        elif kind == 2:
            query = urllib.parse.urlencode(
                {"q": f"{p.first_name} {p.last_name}", "dob": str(p.dob)}
            )
            if r.random() < 0.5:
                query = urllib.parse.urlencode(
                    {"q": p.last_name, "dob": f"{p.dob.month:02d}/{p.dob.day:02d}/{p.dob.year}"}
                )
            self.client.get(f"/patients/search/?{query}", **meta)
        elif kind == 3:
            data = {"phone": p.phone, "email": p.email, "zip": p.zip}
            self.client.post(f"/patients/{r.randint(1, 9999)}/edit/", data, **meta)
        else:
            query = urllib.parse.urlencode({"member_id": p.member_id, "dob": str(p.dob)})
            self.client.get(f"/eligibility/?{query}", **meta)

    def broken_link(self, p: Patient) -> None:
        r = self.r
        referer = r.choice(
            [
                f"https://testserver/patients/search/?q={urllib.parse.quote_plus(p.last_name)}",
                f"http://testserver/patients/?dob={p.dob}",
                "http://testserver/dashboard/",
            ]
        )
        target = r.choice(
            [
                f"/patients/by-name/{q(p.last_name)}/{q(p.first_name)}/",
                f"/patients/by-phone/{q(p.phone)}/",
                f"/charts/{q(p.mrn)}/print/",
                f"/patients/lookup/?email={q(p.email)}",
            ]
        )
        self.client.get(target, HTTP_REFERER=referer, REMOTE_ADDR=p.ip,
                        HTTP_USER_AGENT=r.choice(UAS))  # fmt: skip

    # --- no patient -------------------------------------------------------------------------

    def newsletter(self) -> None:
        r = self.r
        first, second = day(r), day(r)
        items = r.sample(
            [
                f"Flu shot clinics: {first:%A, %B %d} and {second:%A, %B %d}, 9:00-15:00.",
                f"New opening hours from {first:%B %d, %Y}: Monday to Friday 7:30-19:00.",
                f"Patient portal {version_no(r)} is out: appointment check-in from your phone.",
                f"The parking garage is closed on {second} for {r.randint(2, 9)} hours.",
                f"Blood drive on {first}: {r.randint(20, 90)} donors needed.",
                f"Our pharmacy now stocks {r.randint(30, 400)} more generics.",
                f"Telehealth visits are available until {r.randint(6, 10)} pm from {first}.",
            ],
            3,
        )
        text = "\n".join(["Riverside Clinic news", "", *[f"* {i}" for i in items]])
        html = "<ul>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>"
        msg = mail.EmailMultiAlternatives(
            f"Clinic news, {first:%B %Y}", text, CLINIC_FROM, ["news@lists.clinic.example"]
        )
        msg.attach_alternative(html, "text/html")
        msg.send()

    def backup_notice(self) -> None:
        r = self.r
        secs = r.randint(40, 4000)
        body = "\n".join(
            [
                f"Nightly backup of {r.choice(['clinic', 'billing', 'scheduling'])} finished.",
                f"Started: {day(r)} 02:{r.randint(0, 59):02d}",
                f"Duration: {secs // 60}m{secs % 60:02d}s",
                f"Size: {r.randint(100, 99999)} MB in {r.randint(1, 400)} files",
                f"Tool version: {version_no(r)}",
            ]
        )
        mail.mail_admins(f"Backup finished in {secs}s", body)

    def order_confirmation(self) -> None:
        r = self.r
        number = order_no(r)
        lines = [f"Order {number} was confirmed on {day(r)}.", ""]
        total = 0
        for _ in range(r.randint(1, 4)):
            qty, cents = r.randint(1, 40), r.randint(100, 99999)
            total += qty * cents
            lines.append(f"  {sku_no(r)}  {r.choice(PRODUCTS)}  x{qty}  ${cents / 100:.2f}")
        lines += ["", f"Total: ${total / 100:,.2f}", f"Expected delivery: {day(r):%A, %B %d}"]
        mail.send_mail(f"Order {number} confirmed", "\n".join(lines),
                       "orders@supplier.example", ["purchasing@clinic.example"])  # fmt: skip
        log.info("order confirmation %s forwarded (%d lines)", number, len(lines))

    def invoice(self) -> None:
        r = self.r
        number = invoice_no(r)
        rows = ["sku,description,qty,amount"]
        for _ in range(r.randint(1, 5)):
            rows.append(f"{sku_no(r)},{r.choice(PRODUCTS)!r},{r.randint(1, 50)},{money(r)}")
        msg = mail.EmailMessage(
            f"Invoice {number}",
            f"Invoice {number} for order {order_no(r)} is due on {day(r)}.\nAmount: ${money(r)}",
            "billing@supplier.example",
            ["accounts@clinic.example"],
        )
        msg.attach(f"{number}.csv", "\n".join(rows), "text/csv")
        msg.send()

    def failing_request(self) -> None:
        r = self.r
        kind = r.randrange(4)
        meta = {"REMOTE_ADDR": f"10.{r.randint(0, 9)}.{r.randint(0, 255)}.{r.randint(1, 254)}"}
        if kind == 0:
            self.client.get(f"/api/orders/{order_no(r)}/", **meta)
        elif kind == 1:
            d = day(r)
            self.client.get(f"/api/events/?date={d.year}-{d.month:02d}-{r.randint(29, 32)}", **meta)
        elif kind == 2:
            self.client.get(f"/api/invoices/{invoice_no(r)}/pdf/?amount={money(r)}", **meta)
        else:
            host = r.choice(["clinic-prod-lb-1931.internal", "203.0.113.45", "www.example.com"])
            self.client.get(f"/api/orders/{order_no(r)}/", HTTP_HOST=host, **meta)

    def broken_static(self) -> None:
        r = self.r
        self.client.get(
            f"/static/img/logo-{version_no(r)}.png",
            HTTP_REFERER=f"http://testserver/events/{day(r)}/",
            REMOTE_ADDR="127.0.0.1",
        )


def main() -> int:
    seed = int(sys.argv[1])
    r = random.Random(seed)
    patients = read_patients()
    mailer = Mailer(r)
    patient_actions = [
        (mailer.reminder, 3),
        (mailer.lab_notice, 3),
        (mailer.statement, 2),
        (mailer.records_request, 2),
        (mailer.managers_notice, 2),
        (mailer.password_reset, 2),
        (mailer.error_report, 1),
        (mailer.broken_link, 2),
    ]
    benign_actions = [
        (mailer.newsletter, 2),
        (mailer.backup_notice, 2),
        (mailer.order_confirmation, 3),
        (mailer.invoice, 2),
        (mailer.failing_request, 1),
        (mailer.broken_static, 1),
    ]
    for index, p in enumerate(patients):
        with about(index):
            actions, weights = zip(*patient_actions, strict=True)
            for action in r.choices(actions, weights, k=2):
                action(p)
        actions, weights = zip(*benign_actions, strict=True)
        for action in r.choices(actions, weights, k=2):
            action()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
