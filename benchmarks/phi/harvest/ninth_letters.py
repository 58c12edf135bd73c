"""The `jinja2` emitter of `ninth_held.py`: Jinja2 templates of the app's patient
communications (SMS reminders, recall letters, portal e-mails in HTML, statements, referral
faxes) rendered over the patients, with what the app logs: the rendered text (one line, or a
letter line by line), `UndefinedError`s from `StrictUndefined`, `TemplateSyntaxError`s from
templates staff edited (with `logger.exception` tracebacks, whose template frames show the
offending source line) and `TemplateNotFound`s. Purchase orders, rota notices, maintenance and
stock letters for the benign lines."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any

import jinja2
from patients import Patient

log = logging.getLogger("clinic.letters")

TEMPLATES = {
    "sms/reminder.txt": (
        "Hi {{ p.first_name }}, reminder: {{ visit.kind }} with Dr {{ visit.doctor }} on"
        " {{ visit.day.strftime('%m/%d/%Y') }} at {{ visit.time }}. Reply C to confirm or call"
        " {{ clinic_phone }}."
    ),
    "sms/lab.txt": (
        "{{ p.first_name|upper }}: your lab results are ready. Log in with MRN {{ p.mrn }}"
        " and date of birth {{ p.dob }}."
    ),
    "letters/recall.txt": (
        "{{ p.first_name }} {{ p.last_name }}\n{{ p.street }}\n{{ p.city }}, {{ p.state }}"
        " {{ p.zip }}\n\nDear {{ p.first_name }} {{ p.last_name }},\n\nOur records show that"
        " your annual {{ kind }} is due. Please call {{ clinic_phone }} to book.\n\nMRN:"
        " {{ p.mrn }}   Date of birth: {{ p.dob.strftime('%B') }} {{ p.dob.day }},"
        " {{ p.dob.year }}\nPlan member: {{ p.member_id }}\n\nSincerely,\nThe Front Desk"
    ),
    "letters/statement.txt": (
        "STATEMENT {{ number }}\nGuarantor: {{ p.last_name|upper }}, {{ p.first_name|upper }}\n"
        "Account: {{ p.account }}\nBilling address: {{ p.street }}, {{ p.city }}, {{ p.state }}"
        " {{ p.zip }}\n{% for line in lines %}{{ '%-28s'|format(line.what) }}"
        " {{ '%8.2f'|format(line.amount) }}\n{% endfor %}Balance due: {{ '%.2f'|format(total) }}"
        "\nCard on file: {{ p.card }}"
    ),
    "mail/welcome.html": (
        "<p>Welcome {{ p.first_name }} {{ p.last_name }}!</p>\n<p>Your portal login is"
        " <b>{{ p.email }}</b>.</p>\n<p>Phone on file: {{ p.phone }}</p>"
    ),
    "fax/referral.txt": (
        "REFERRAL\nPatient: {{ p.last_name }}, {{ p.first_name }}"
        "  DOB {{ p.dob.strftime('%m/%d/%Y') }}\nSSN: {{ p.ssn }}   MBI: {{ p.mbi }}"
        "\nPhone: {{ p.phone }}\nAddress: {{ p.street }},"
        " {{ p.city }} {{ p.state }} {{ p.zip }}\nDriver licence: {{ p.licence }}\nReason:"
        " {{ reason }}"
    ),
    "mail/po.txt": (
        "Purchase order {{ po }}\nSupplier: {{ supplier }}\n{% for item in items %}"
        "{{ item.qty }} x {{ item.name }} @ {{ '%.2f'|format(item.price) }}\n{% endfor %}"
        "Deliver by {{ due }} to dock {{ dock }}."
    ),
    "mail/rota.txt": (
        "Rota for week {{ week }}: {{ room }} staffed {{ start }}-{{ end }} by {{ team }}"
        " ({{ slots }} slots, {{ minutes }} min each)."
    ),
    "sms/maintenance.txt": (
        "Maintenance window {{ day }} {{ start }}-{{ end }} UTC: {{ system }} v{{ version }}"
        " will be unavailable (ticket {{ ticket }})."
    ),
}
BROKEN = (
    "Hi {{ p.first_name }, your visit is on {{ visit.day }}.",
    "Dear {{ p.first_name }} {{ p.last_name }}{% if p.balance %} you owe {{ p.balance }}.",
    "Reminder for {{ p.last_name }}: {{ visit.day|date('%m/%d') }}",
    "{{ p.first_name }} {{ p.last_name }} {% endfor %}",
    "Dear {{ p.first_name }}, your balance is {{ p.balance }}.",
    "{{ p.last_name }}: {{ visit.day.strftime('%m/%d') }} at {{ visit.room.name }}",
)
KINDS = ("physical", "eye exam", "mammogram", "flu shot", "wellness visit", "dental cleaning")
DOCTORS = ("Ngata", "Okonkwo", "Halvorsen", "Ribeiro", "Lindqvist", "Tanaka")
ITEMS = ("nitrile gloves M", "alcohol prep pads", "3 mL syringes", "gauze 4x4", "ECG electrodes")
SUPPLIERS = ("Medline", "Henry Schein", "McKesson", "Cardinal Health", "Owens & Minor")


def _env(strict: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.DictLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        autoescape=jinja2.select_autoescape(["html"]),
        keep_trailing_newline=False,
    )


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 330))


def _logged(name: str, text: str, p: Patient | None) -> None:
    if "\n" in text:
        log.info("%s rendered:\n%s", name, text)
    elif p is not None:
        log.info("%s for MRN %s: %s", name, p.mrn, text)
    else:
        log.info("%s: %s", name, text)


def _patient(
    env: jinja2.Environment, lax: jinja2.Environment, p: Patient, r: random.Random
) -> None:
    visit = {
        "kind": r.choice(KINDS),
        "doctor": r.choice(DOCTORS),
        "day": _day(r),
        "time": f"{r.randint(7, 17)}:{r.choice(['00', '15', '30', '45'])}",
    }
    ctx: dict[str, Any] = {"p": p, "visit": visit, "clinic_phone": "(555) 010-4400"}
    for kind in r.sample(range(9), 5):
        if kind < 6:
            name = list(TEMPLATES)[kind]
            extra: dict[str, Any] = {
                "kind": r.choice(KINDS),
                "number": f"ST-{r.randint(100000, 999999)}",
                "reason": r.choice(["cardiology consult", "MRI lumbar spine", "PT evaluation"]),
            }
            lines = [
                {"what": r.choice(["Office visit", "Lab panel", "X-ray", "Copay"]),
                 "amount": round(r.uniform(10, 400), 2)}
                for _ in range(r.randint(1, 3))
            ]  # fmt: skip
            extra["lines"], extra["total"] = lines, sum(x["amount"] for x in lines)
            text = env.get_template(name).render(**ctx, **extra)
            _logged(name, text, p)
        elif kind == 6:
            source = r.choice(BROKEN)
            try:
                text = env.from_string(source).render(**ctx)
                log.info("custom message for %s: %s", p.full_name, text)
            except jinja2.TemplateSyntaxError as exc:
                log.error(
                    "custom message for %s (%s) does not compile: %s (line %s): %r",
                    p.full_name, p.phone, exc.message, exc.lineno, source,
                )  # fmt: skip
            except jinja2.TemplateError:
                log.exception("custom message for MRN %s failed", p.mrn)
        elif kind == 7:
            name = r.choice(["sms/reminder.txt", "letters/recall.txt", "fax/referral.txt"])
            try:
                env.get_template(name).render(p=p, clinic_phone="(555) 010-4400")
            except jinja2.UndefinedError as exc:
                log.warning("cannot render %s for %s %s (DOB %s): %s",
                            name, p.first_name, p.last_name, p.dob, exc)  # fmt: skip
        else:
            name = f"letters/{p.state.lower()}/consent.txt"
            try:
                env.get_template(name)
            except jinja2.TemplateNotFound as exc:
                log.error("no consent letter %s for %s, %s: %s", exc.name, p.last_name, p.city, exc)
            text = lax.from_string(
                "{{ p.first_name }} {{ p.last_name }} <{{ p.email }}> {{ p.middle_name }}"
            ).render(p=p)
            log.debug("envelope line: %r", text)


def _benign(env: jinja2.Environment, r: random.Random, n: int) -> None:
    kind = r.randrange(5)
    day = _day(r)
    if kind == 0:
        items = [
            {"qty": r.randint(1, 60), "name": r.choice(ITEMS), "price": round(r.uniform(2, 90), 2)}
            for _ in range(r.randint(1, 4))
        ]
        text = env.get_template("mail/po.txt").render(
            po=f"PO-2026-{r.randint(1, 99999):05d}", supplier=r.choice(SUPPLIERS), items=items,
            due=day, dock=r.randint(1, 6),
        )  # fmt: skip
        _logged("mail/po.txt", text, None)
    elif kind == 1:
        text = env.get_template("mail/rota.txt").render(
            week=f"2026-W{r.randint(1, 52):02d}", room=f"Exam {r.randint(1, 9)}",
            start=f"{r.randint(7, 10):02d}:00", end=f"{r.randint(15, 19):02d}:30",
            team=r.choice(["Team A", "Team B", "float pool", "locums"]),
            slots=r.randint(8, 30), minutes=r.choice([15, 20, 30]),
        )  # fmt: skip
        _logged("mail/rota.txt", text, None)
    elif kind == 2:
        text = env.get_template("sms/maintenance.txt").render(
            day=day, start=f"{r.randint(0, 4):02d}:00", end=f"{r.randint(5, 8):02d}:00",
            system=r.choice(["EHR", "PACS", "lab interface", "billing"]),
            version=f"{r.randint(1, 12)}.{r.randint(0, 30)}.{r.randint(0, 9)}",
            ticket=f"CHG{r.randint(100000, 999999)}",
        )  # fmt: skip
        _logged("sms/maintenance.txt", text, None)
    elif kind == 3:
        try:
            env.get_template("mail/po.txt").render(po=f"PO-{n}", supplier="Medline")
        except jinja2.UndefinedError as exc:
            log.warning("purchase order %d not rendered: %s", n, exc)
    else:
        source = r.choice(
            [
                "Stock low: {{ sku } has {{ count }} left",
                "{% for s in slots %}{{ s.room }}{% endif %}",
                "Order {{ order|money }} shipped",
            ]
        )
        try:
            env.from_string(source)
        except jinja2.TemplateSyntaxError as exc:
            log.error("notice template %d invalid: %s (line %d)", n, exc, exc.lineno)
        except jinja2.TemplateError:
            log.exception("notice template %d failed", n)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 61)
    env, lax = _env(True), _env(False)
    for i, p in enumerate(patients):
        with cap.about(p):
            _patient(env, lax, p, r)
        for k in range(3):
            _benign(env, r, i * 3 + k)
