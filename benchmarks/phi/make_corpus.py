"""Generate the labelled PHI corpus (fixed seed): `python benchmarks/phi/make_corpus.py`.

Each JSON line is one log call: `template` and `args` (call style `log.info(template, *args)`;
`template % args` is the pre-formatted line of style `log.info(line)`), `kind` (`phi` or
`benign`), `shape` (who writes such a line) and `phi`, the planted values that must not survive.
Benign lines are look-alikes: UUIDs, event timestamps, labelled order numbers that pass Luhn,
versions, ports, durations, private addresses, epoch times, dotted `name=` values.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from pathlib import Path

SEED = 20240315
PER_KIND = 1600
OUT = Path(__file__).with_name("corpus.jsonl")

FIRST = "John Maria Wei Aisha Carlos Olga Priya Liam Fatima Noah Grace Mateo Chloe Ethan Zoe Omar"
LAST = "Smith Garcia Nguyen Okafor Kowalski Patel Johnson Haddad Fischer O'Brien Tanaka Silva Brown"
STREETS = [
    "Main",
    "Oak",
    "Maple",
    "Cedar",
    "Elm",
    "Washington",
    "Lake",
    "Hill",
    "Park",
    "Pine",
    "Sunset",
]
SUFFIXES = ["St", "Street", "Ave", "Avenue", "Rd", "Blvd", "Dr", "Ln", "Way", "Ct"]
CITIES = [("Springfield", "IL"), ("Portland", "OR"), ("Austin", "TX"), ("Columbus", "OH")]
MONTHS = "January February March April May June July August September October November December"
TASKS = ["send_reminder", "sync_claims", "nightly_export", "refresh_eligibility", "notify_provider"]
PATHS = [
    "/api/patients/",
    "/api/appointments/",
    "/api/claims/",
    "/api/intake/",
    "/api/monitoring/status/",
]


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def pick(self, items: str | list) -> str:
        seq = items.split() if isinstance(items, str) else items
        return self.r.choice(seq)

    def digits(self, n: int) -> str:
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))

    def name(self) -> tuple[str, str]:
        return self.pick(FIRST), self.pick(LAST)

    def ssn(self) -> str:
        sep = self.pick(["-", "-", "-", " ", "."])
        return f"{self.r.randint(100, 899)}{sep}{self.r.randint(10, 99)}{sep}{self.digits(4)}"

    def phone(self) -> str:
        a, b, c = self.r.randint(201, 989), self.r.randint(200, 999), self.digits(4)
        forms = [
            f"({a}) {b}-{c}",
            f"{a}-{b}-{c}",
            f"{a}.{b}.{c}",
            f"+1 {a} {b} {c}",
            f"+1-{a}-{b}-{c}",
            f"1-{a}-{b}-{c}",
            f"+44 20 {self.digits(4)} {self.digits(4)}",
        ]
        return self.pick(forms)

    def email(self) -> str:
        first, last = self.name()
        domain = self.pick("gmail.com yahoo.com outlook.com icloud.com proton.me comcast.net")
        local = self.pick([f"{first}.{last}", f"{first[0]}{last}", f"{first}{self.digits(2)}"])
        return f"{local.lower().replace(chr(39), '')}@{domain}"

    def dob(self) -> str:
        y, m, d = self.r.randint(1930, 2015), self.r.randint(1, 12), self.r.randint(1, 28)
        forms = [
            f"{y}-{m:02d}-{d:02d}",
            f"{m:02d}/{d:02d}/{y}",
            f"{m}/{d}/{y}",
            f"{MONTHS.split()[m - 1]} {d}, {y}",
            f"{d} {MONTHS.split()[m - 1][:3]} {y}",
        ]
        return self.pick(forms)

    def mrn(self) -> str:
        return self.pick([self.digits(8), f"MR{self.digits(7)}", self.digits(10)])

    def member_id(self) -> str:
        return self.pick(
            [f"W{self.digits(9)}", f"XYZ{self.digits(9)}", f"{self.digits(3)}{self.digits(6)}A"]
        )

    def mbi(self) -> str:
        letters = "ACDEFGHJKMNPQRTUVWXY"
        alnum = letters + "0123456789"
        c = self.r.choice
        core = (
            f"{self.r.randint(1, 9)}{c(letters)}{c(alnum)}{self.r.randint(0, 9)}"
            f"{c(letters)}{c(alnum)}{self.r.randint(0, 9)}{c(letters)}{c(letters)}{self.digits(2)}"
        )
        return core if self.r.random() < 0.6 else f"{core[:4]}-{core[4:7]}-{core[7:]}"

    def card(self, grouped: bool | None = None) -> str:
        prefix = self.pick(["4", "51", "55", "37", "6011"])
        length = 15 if prefix == "37" else 16
        body = prefix + self.digits(length - len(prefix) - 1)
        digits = body + str(luhn_check_digit(body))
        if grouped if grouped is not None else self.r.random() < 0.5:
            return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
        return digits

    def public_ip(self) -> str:
        first = self.pick(["23", "45", "66", "73", "98", "104", "142", "174", "203", "208"])
        return f"{first}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"

    def private_ip(self) -> str:
        return self.pick(
            [
                f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                f"172.{self.r.randint(16, 31)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                "127.0.0.1",
                "0.0.0.0",
            ]
        )

    def street(self) -> str:
        return f"{self.r.randint(1, 9999)} {self.pick(STREETS)} {self.pick(SUFFIXES)}"

    def zip(self) -> str:
        return self.digits(5)

    def licence(self) -> str:
        return self.pick(
            [
                f"D{self.digits(7)}",
                f"{self.digits(3)}-{self.digits(3)}-{self.digits(3)}",
                f"RN{self.digits(6)}",
            ]
        )

    def uid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def timestamp(self) -> str:
        y, m, d = 2024, self.r.randint(1, 12), self.r.randint(1, 28)
        h, mi, s = self.r.randint(0, 23), self.r.randint(0, 59), self.r.randint(0, 59)
        return self.pick(
            [
                f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{self.digits(3)}Z",
                f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d},{self.digits(3)}",
                f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}",
            ]
        )

    def gunicorn_time(self) -> str:
        mon = MONTHS.split()[self.r.randint(0, 11)][:3]
        r = self.r
        day, hour, minute, second = (
            r.randint(10, 28),
            r.randint(10, 23),
            r.randint(10, 59),
            r.randint(10, 59),
        )
        return f"{day}/{mon}/2024:{hour}:{minute}:{second} +0000"

    def duration(self) -> str:
        return self.pick(
            [
                f"{self.r.random():.4f}s",
                f"{self.r.randint(1, 900)}ms",
                f"{self.r.uniform(0, 5):.3f}",
            ]
        )


def luhn_check_digit(body: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return (10 - total % 10) % 10


Item = tuple[str, str, tuple, list[str]]  # shape, template, args, planted


def phi_items(g: Gen) -> list[Callable[[], Item]]:
    def name_kv() -> Item:
        f, ln = g.name()
        m = g.mrn()
        return (
            "app",
            "Patient record updated: patient_name=%s %s mrn=%s by user_id=%s",
            (f, ln, m, g.r.randint(1, 99)),
            [f, ln, m],
        )

    def ssn_kv() -> Item:
        s = g.ssn()
        return (
            "app",
            "eligibility check failed ssn=%s payer=%s",
            (s, g.pick("aetna cigna bcbs humana")),
            [s],
        )

    def ssn_free() -> Item:
        s = g.ssn()
        return "app", "Duplicate patient detected with SSN %s (request %s)", (s, g.uid()), [s]

    def dob_kv() -> Item:
        d = g.dob()
        return "app", "intake validated dob=%s age_ok=%s", (d, "true"), [d]

    def email_notify() -> Item:
        e = g.email()
        return "app", "Sending appointment reminder to %s for %s", (e, g.timestamp()[:16]), [e]

    def phone_sms() -> Item:
        ph = g.phone()
        return "app", "SMS to %s failed: 21211 Invalid 'To' Phone Number", (ph,), [ph]

    def fax() -> Item:
        ph = g.phone()
        return "app", "Faxing referral packet (12 pages) to fax: %s", (ph,), [ph]

    def json_intake() -> Item:
        f, ln = g.name()
        d, z, ph = g.dob(), g.zip(), g.phone()
        doc = {
            "timestamp": g.timestamp(),
            "level": "INFO",
            "logger": "upstream.intake",
            "message": "intake submitted",
            "patient": {"first_name": f, "last_name": ln, "dob": d, "zip": z, "phone": ph},
        }
        return "json", "%s", (json.dumps(doc),), [f, ln, d, z, ph]

    def querydict() -> Item:
        f, ln = g.name()
        d, e = g.dob(), g.email()
        qd = {
            "first_name": [f],
            "last_name": [ln],
            "dob": [d],
            "email": [e],
            "csrfmiddlewaretoken": ["x"],
        }
        return "django", "Intake form invalid: %s", (f"<QueryDict: {qd!r}>",), [f, ln, d, e]

    def form_errors() -> Item:
        e, ph = g.email(), g.phone()
        return "django", "Validation failed: {'email': %r, 'phone': %r}", (e, ph), [e, ph]

    def sql() -> Item:
        s = g.ssn()
        return (
            "django",
            '(0.002) SELECT "patients_patient"."id" FROM "patients_patient" WHERE '
            '"patients_patient"."ssn" = %s LIMIT 21; args=(%r,); alias=default',
            (repr(s), s),
            [s],
        )

    def runserver_query() -> Item:
        f, ln = g.name()
        d = f"{g.r.randint(1930, 2010)}-0{g.r.randint(1, 9)}-1{g.r.randint(0, 9)}"
        return (
            "django",
            '"GET /api/patients/?last_name=%s&first_name=%s&dob=%s HTTP/1.1" 200 %s',
            (ln, f, d, g.r.randint(200, 9000)),
            [f, ln, d],
        )

    def search_q() -> Item:
        f, ln = g.name()
        return (
            "django",
            '"GET /api/patients/search/?q=%s+%s&page=2 HTTP/1.1" 200 %s',
            (f, ln, g.r.randint(200, 9000)),
            [f, ln],
        )

    def gunicorn_access() -> Item:
        ip = g.public_ip()
        return (
            "gunicorn",
            '%s - - [%s] "GET %s HTTP/1.1" 200 %s "-" "Mozilla/5.0"',
            (ip, g.gunicorn_time(), g.pick(PATHS), g.r.randint(100, 9000)),
            [ip],
        )

    def forwarded() -> Item:
        ip = g.public_ip()
        return (
            "django",
            "login ok user_id=%s client_ip=%s session=%s",
            (g.r.randint(1, 999), ip, g.uid()[:8]),
            [ip],
        )

    def celery_args() -> Item:
        e, ph = g.email(), g.phone()
        return (
            "celery",
            "Task upstream.tasks.%s[%s] received: args=(%r, %r) kwargs={}",
            (g.pick(TASKS), g.uid(), e, ph),
            [e, ph],
        )

    def celery_raise() -> Item:
        f, ln = g.name()
        m = g.member_id()
        return (
            "celery",
            "Task upstream.tasks.sync_claims[%s] raised unexpected: "
            "ValueError(\"invalid member_id %s for patient '%s %s'\")",
            (g.uid(), m, f, ln),
            [m, f, ln],
        )

    def member_kv() -> Item:
        m = g.member_id()
        return "app", "claim submitted member_id=%s group_number=%s", (m, f"G{g.digits(6)}"), [m]

    def mbi_free() -> Item:
        m = g.mbi()
        return "app", "Medicare eligibility response for MBI %s: active", (m,), [m]

    def mbi_bare() -> Item:
        m = g.mbi()
        return "app", "270 request built for beneficiary %s", (m,), [m]

    def card_free() -> Item:
        c = g.card()
        return "app", "payment declined for card %s (code 51)", (c,), [c]

    def card_bare() -> Item:
        c = g.card(grouped=False)
        return "app", "stripe: charge failed pm=%s reason=insufficient_funds", (c,), [c]

    def account_kv() -> Item:
        a = g.digits(10)
        return (
            "app",
            "refund queued account_number=%s routing_number=%s",
            (a, "0" + g.digits(8)),
            [a],
        )

    def licence_kv() -> Item:
        lic = g.licence()
        return (
            "app",
            "identity verified drivers_license=%s state=%s",
            (lic, g.pick(CITIES)[1]),
            [lic],
        )

    def address_kv() -> Item:
        st = g.street()
        city, state = g.pick(CITIES)
        z = g.zip()
        return "app", "address changed: address=%s, %s, %s %s", (st, city, state, z), [st, z]

    def address_free() -> Item:
        st = g.street()
        city, state = g.pick(CITIES)
        z = g.zip()
        return "app", "Mailing statement to %s, %s, %s %s", (st, city, state, z), [st, z]

    def dict_repr() -> Item:
        f, ln = g.name()
        s = g.ssn()
        return (
            "app",
            "patient payload %s",
            (repr({"id": g.r.randint(1, 9999), "first_name": f, "last_name": ln, "ssn": s}),),
            [f, ln, s],
        )

    def json_member() -> Item:
        m, d = g.mbi(), g.dob()
        doc = {
            "ts": g.timestamp(),
            "event": "eligibility",
            "memberId": m,
            "dateOfBirth": d,
            "status": 200,
        }
        return "json", "%s", (json.dumps(doc),), [m, d]

    def honorific() -> Item:
        ln = g.pick(LAST)
        return "app", "Voicemail left for Mr. %s about lab results", (ln,), [ln]

    def patient_space() -> Item:
        f, ln = g.name()
        return "app", "Patient %s %s checked in at front desk 2", (f, ln), [f, ln]

    def admit_kv() -> Item:
        d = g.dob()
        return "app", "encounter closed admission_date=%s discharge_date=%s", (d, d), [d]

    def exc_text() -> Item:
        s, e = g.ssn(), g.email()
        return (
            "django",
            "Internal Server Error: /api/patients/\nTraceback (most recent call last):\n"
            "ValueError: duplicate ssn %s for %s",
            (s, e),
            [s, e],
        )

    def url_email() -> Item:
        e = g.email()
        return (
            "django",
            '"GET /api/invite/?email=%s HTTP/1.1" 302 0',
            (e.replace("@", "%40"),),
            [e.replace("@", "%40"), e.split("@")[0]],
        )

    def yaml_like() -> Item:
        f, ln = g.name()
        ph = g.phone()
        return "app", "Emergency contact: %s %s, phone: %s", (f, ln, ph), [ph]

    def ipv6() -> Item:
        ip = f"2001:db8:{g.r.randint(1, 9999):x}::{g.r.randint(1, 9999):x}"
        return (
            "gunicorn",
            '%s - - [%s] "POST /api/login/ HTTP/1.1" 200 512 "-" "okhttp/4.9"',
            (ip, g.gunicorn_time()),
            [ip],
        )

    return [
        name_kv,
        ssn_kv,
        ssn_free,
        dob_kv,
        email_notify,
        phone_sms,
        fax,
        json_intake,
        querydict,
        form_errors,
        sql,
        runserver_query,
        search_q,
        gunicorn_access,
        forwarded,
        celery_args,
        celery_raise,
        member_kv,
        mbi_free,
        mbi_bare,
        card_free,
        card_bare,
        account_kv,
        licence_kv,
        address_kv,
        address_free,
        dict_repr,
        json_member,
        honorific,
        patient_space,
        admit_kv,
        exc_text,
        url_email,
        yaml_like,
        ipv6,
    ]


def benign_items(g: Gen) -> list[Callable[[], Item]]:
    def celery_received() -> Item:
        return "celery", "Task upstream.tasks.%s[%s] received", (g.pick(TASKS), g.uid()), []

    def celery_ok() -> Item:
        return (
            "celery",
            "Task upstream.tasks.%s[%s] succeeded in %s: None",
            (g.pick(TASKS), g.uid(), g.duration()),
            [],
        )

    def celery_ready() -> Item:
        return (
            "celery",
            "celery@%s ready.",
            (g.pick(["worker-1", "worker-2.internal", "ip-10-0-1-5.ec2.internal"]),),
            [],
        )

    def celery_connected() -> Item:
        return (
            "celery",
            "Connected to redis://%s:%s/%s",
            (g.private_ip(), 6379, g.r.randint(0, 15)),
            [],
        )

    def celery_beat() -> Item:
        return (
            "celery",
            "Scheduler: Sending due task %s (upstream.tasks.%s)",
            (g.pick(TASKS).replace("_", "-"), g.pick(TASKS)),
            [],
        )

    def celery_retry() -> Item:
        return (
            "celery",
            "Task upstream.tasks.%s[%s] retry: Retry in %ss: "
            "ConnectionError('Error 111 connecting to %s:6379. Connection refused.')",
            (g.pick(TASKS), g.uid(), g.r.randint(5, 300), g.private_ip()),
            [],
        )

    def gunicorn_boot() -> Item:
        return (
            "gunicorn",
            "[%s] [%s] [INFO] Booting worker with pid: %s",
            (
                g.timestamp()[:19].replace("T", " ") + " +0000",
                g.r.randint(100, 60000),
                g.r.randint(100, 60000),
            ),
            [],
        )

    def gunicorn_listen() -> Item:
        return (
            "gunicorn",
            "Listening at: http://%s:%s (%s)",
            (
                g.pick(["0.0.0.0", "127.0.0.1"]),
                g.pick(["8000", "8080", "5000"]),
                g.r.randint(100, 60000),
            ),
            [],
        )

    def gunicorn_timeout() -> Item:
        return (
            "gunicorn",
            "[%s] [%s] [CRITICAL] WORKER TIMEOUT (pid:%s)",
            (
                g.timestamp()[:19].replace("T", " ") + " +0000",
                g.r.randint(100, 60000),
                g.r.randint(100, 60000),
            ),
            [],
        )

    def gunicorn_access() -> Item:
        return (
            "gunicorn",
            '%s - - [%s] "GET %s%s/ HTTP/1.1" %s %s "-" "kube-probe/1.29"',
            (
                g.private_ip(),
                g.gunicorn_time(),
                g.pick(PATHS),
                g.r.randint(1, 99999),
                g.pick(["200", "204", "301", "404", "500"]),
                g.r.randint(0, 99999),
            ),
            [],
        )

    def runserver() -> Item:
        return (
            "django",
            '"%s %s?page=%s&ordering=-created_at HTTP/1.1" %s %s',
            (
                g.pick(["GET", "POST"]),
                g.pick(PATHS),
                g.r.randint(1, 40),
                g.pick(["200", "201", "302", "400"]),
                g.r.randint(0, 90000),
            ),
            [],
        )

    def runserver_banner() -> Item:
        m = MONTHS.split()[g.r.randint(0, 11)]
        return (
            "django",
            "%s %s, 2024 - %02d:%02d:%02d",
            (m, g.r.randint(1, 28), g.r.randint(0, 23), g.r.randint(0, 59), g.r.randint(0, 59)),
            [],
        )

    def not_found() -> Item:
        return "django", "Not Found: /api/appointments/%s/", (g.uid(),), []

    def sql() -> Item:
        pk = g.r.randint(1, 99999)
        return (
            "django",
            '(%s) SELECT "appointments_appointment"."id" FROM "appointments_appointment" '
            'WHERE "appointments_appointment"."id" = %s LIMIT 21; args=(%s,); alias=default',
            (f"{g.r.random():.3f}", pk, pk),
            [],
        )

    def order() -> Item:
        return (
            "app",
            "order_number=%s created for clinic_id=%s total_cents=%s",
            (g.card(grouped=False), g.r.randint(1, 500), g.r.randint(100, 99999)),
            [],
        )

    def order_hash() -> Item:
        return (
            "app",
            "Order #%s shipped via %s tracking_number=%s",
            (g.card(grouped=False), g.pick("ups fedex usps"), "1Z" + g.digits(16)),
            [],
        )

    def invoice() -> Item:
        return (
            "app",
            "invoice %s paid: transaction_id=%s amount=%s.%s",
            (f"INV-2024-{g.digits(6)}", g.digits(16), g.r.randint(1, 900), g.digits(2)),
            [],
        )

    def versions() -> Item:
        return (
            "app",
            "upstream %s starting: Django %s, Python %s, celery %s",
            (
                g.pick(["v2.14.3", "1.8.0", "3.0.0rc1"]),
                g.pick(["4.2.11", "5.0.3", "5.1.1"]),
                g.pick(["3.11.7", "3.12.2"]),
                g.pick(["5.3.6", "5.4.0"]),
            ),
            [],
        )

    def json_request() -> Item:
        doc = {
            "timestamp": g.timestamp(),
            "level": "INFO",
            "logger": "django.request",
            "name": "upstream.api",
            "event": "request_finished",
            "status": int(g.pick(["200", "201", "404"])),
            "duration_ms": round(g.r.uniform(1, 900), 1),
            "request_id": g.uid(),
            "path": g.pick(PATHS),
            "user_id": g.r.randint(1, 9999),
            "port": 8000,
        }
        return "json", "%s", (json.dumps(doc),), []

    def json_task() -> Item:
        doc = {
            "ts": g.timestamp(),
            "task_id": g.uid(),
            "name": f"upstream.tasks.{g.pick(TASKS)}",
            "runtime": g.duration(),
            "queue_name": "default",
            "retries": g.r.randint(0, 3),
            "eta": g.timestamp(),
        }
        return "json", "%s", (json.dumps(doc),), []

    def epoch() -> Item:
        return (
            "app",
            "cache refreshed at epoch %s (ms %s) ttl=%ss",
            (
                g.r.randint(1700000000, 1730000000),
                g.r.randint(1700000000000, 1730000000000),
                g.r.randint(1, 3600),
            ),
            [],
        )

    def snowflake() -> Item:
        return (
            "app",
            "message id %s queued to topic claims.v1 partition %s offset %s",
            (g.r.randint(10**17, 10**18), g.r.randint(0, 11), g.r.randint(0, 10**7)),
            [],
        )

    def sha() -> Item:
        return (
            "app",
            "deploy build=%s commit=%s image=registry.local/upstream:%s",
            (g.r.randint(100, 9999), f"{g.r.getrandbits(160):040x}", g.digits(8)),
            [],
        )

    def durations() -> Item:
        return (
            "app",
            "slow query took %s rows=%s (threshold %sms) db=%s:%s",
            (g.duration(), g.r.randint(0, 100000), g.r.randint(100, 900), g.private_ip(), 5432),
            [],
        )

    def created_at() -> Item:
        return (
            "app",
            "report scheduled created_at=%s period=%s..%s",
            (g.timestamp(), f"2024-0{g.r.randint(1, 9)}-01", f"2024-0{g.r.randint(1, 9)}-28"),
            [],
        )

    def names_dotted() -> Item:
        return (
            "app",
            "registered task name=%s queue name=%s",
            (f"upstream.tasks.{g.pick(TASKS)}", g.pick("default celery priority")),
            [],
        )

    def health() -> Item:
        return (
            "app",
            "health check ok redis=%sms db=%sms celery_workers=%s status=%s",
            (g.r.randint(1, 50), g.r.randint(1, 50), g.r.randint(1, 8), 200),
            [],
        )

    def counts() -> Item:
        return (
            "app",
            "nightly export wrote %s patients, %s appointments, %s bytes in %s",
            (g.r.randint(0, 99999), g.r.randint(0, 99999), g.r.randint(0, 10**9), g.duration()),
            [],
        )

    def patient_pk() -> Item:
        return (
            "app",
            "Patient %s updated by user %s (fields: %s)",
            (
                g.r.randint(1, 99999),
                g.r.randint(1, 999),
                g.pick(["status", "notes", "insurance", "preferred_pharmacy"]),
            ),
            [],
        )

    def csrf() -> Item:
        return "django", "Forbidden (CSRF token missing.): %s", (g.pick(PATHS),), []

    def migration() -> Item:
        return (
            "django",
            "  Applying appointments.%04d_auto_2024%02d%02d_%04d... OK",
            (g.r.randint(1, 200), g.r.randint(1, 12), g.r.randint(1, 28), g.r.randint(0, 2359)),
            [],
        )

    def ratelimit() -> Item:
        return (
            "app",
            "rate limit hit for api_key_id=%s window=%ss limit=%s remaining=0",
            (g.r.randint(1, 999), 60, g.r.randint(100, 1000)),
            [],
        )

    def email_system() -> Item:
        return (
            "app",
            "email backend %s: sent %s messages, %s failed (smtp %s:%s)",
            (g.pick(["ses", "smtp"]), g.r.randint(0, 500), g.r.randint(0, 5), g.private_ip(), 587),
            [],
        )

    def ipv6_loop() -> Item:
        return (
            "gunicorn",
            "Listening at: http://[::1]:%s (%s)",
            (g.pick(["8000", "8001"]), g.r.randint(100, 60000)),
            [],
        )

    return [
        celery_received,
        celery_ok,
        celery_ready,
        celery_connected,
        celery_beat,
        celery_retry,
        gunicorn_boot,
        gunicorn_listen,
        gunicorn_timeout,
        gunicorn_access,
        runserver,
        runserver_banner,
        not_found,
        sql,
        order,
        order_hash,
        invoice,
        versions,
        json_request,
        json_task,
        epoch,
        snowflake,
        sha,
        durations,
        created_at,
        names_dotted,
        health,
        counts,
        patient_pk,
        csrf,
        migration,
        ratelimit,
        email_system,
        ipv6_loop,
    ]


def build(seed: int = SEED, per_kind: int = PER_KIND) -> list[dict]:
    g = Gen(seed)
    rows = []
    for kind, makers in (("phi", phi_items(g)), ("benign", benign_items(g))):
        for i in range(per_kind):
            shape, template, args, planted = makers[i % len(makers)]()
            rows.append(
                {
                    "kind": kind,
                    "shape": shape,
                    "template": template,
                    "args": list(args),
                    "phi": planted,
                    "maker": makers[i % len(makers)].__name__,
                }
            )
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} lines to {OUT.name}")


if __name__ == "__main__":
    main()
