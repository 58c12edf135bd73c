"""The `opentelemetry-sdk` emitter of `sixteenth_held.py`: the app's tracing and logs through the
OpenTelemetry SDK, written by its console exporters into the app's log as a small deployment
without a collector runs them (`ConsoleSpanExporter` and `ConsoleLogExporter` behind simple
processors, the exported JSON indented or on one line). Spans of patient check-ins, chart
queries, eligibility checks, SMS reminders, lab result notices and statement runs carry the
attributes an instrumented Django app sets (`enduser.id`, `url.full` with its query,
`client.address`, `db.query.text` with its literals, `user_agent.original`, the patient's
identifiers under `patient.*`), events with attributes, error statuses with a description and
recorded exceptions (`exception.message`, `exception.stacktrace`); the app's log records reach
the SDK through its `LoggingHandler` (body, `extra` attributes, `code.*`, the trace context).
The SDK's own warnings (an attribute of a type it refuses, a span ended twice, an attribute set
on an ended span) go to the `opentelemetry` loggers. Health checks, nightly reports, stock syncs
and cache refreshes for the benign lines. Trace and span ids come from a seeded generator, every
start, end, event and log time from a seeded clock."""

from __future__ import annotations

import datetime
import logging
import random
import urllib.parse
import warnings
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import ConsoleLogExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, Status, StatusCode
from patients import Patient

log = logging.getLogger("clinic.telemetry")
EPOCH = datetime.datetime(2026, 6, 8, 7, 30, tzinfo=datetime.UTC)
STAFF = ("Dr. Imogen Vasquez", "NP Tobias Lindqvist", "Dr. Ruth Okonkwo", "RN Dana Whitcombe")
UAS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    "LakeviewKiosk/3.2 (Android 13)",
    "okhttp/4.12.0",
)


class _Ids(IdGenerator):
    def __init__(self, r: random.Random) -> None:
        self.r = r

    def generate_span_id(self) -> int:
        return self.r.getrandbits(64) or 1

    def generate_trace_id(self) -> int:
        return self.r.getrandbits(128) or 1


class _Clock:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.ns = int(EPOCH.timestamp()) * 10**9

    def tick(self, low_ms: int = 1, high_ms: int = 900) -> int:
        self.ns += self.r.randint(low_ms * 1000, high_ms * 1000) * 1000
        return self.ns


class _Out:
    """What the console exporters write, handed to the app's log one export at a time."""

    def __init__(self, r: random.Random, clock: _Clock) -> None:
        self.r = r
        self.clock = clock
        self.exports: list[str] = []

    def span(self, span: Any) -> str:
        return span.to_json(indent=self.r.choice([4, 4, 2, None])) + "\n"

    def record(self, record: Any) -> str:
        record.log_record.observed_timestamp = self.clock.tick(0, 3)
        return record.to_json(indent=self.r.choice([4, None])) + "\n"

    def write(self, text: str) -> int:
        self.exports.append(text.rstrip("\n"))
        return len(text)

    def flush(self) -> None:
        pass

    def logged(self, what: str) -> None:
        for export in self.exports:
            if "\n" in export:
                log.debug("%s export:\n%s", what, export)
            else:
                log.debug("%s export: %s", what, export)
        self.exports.clear()


class _Stamped(logging.Filter):
    """The app's records get their time from the seeded clock (the SDK reads `created`)."""

    def __init__(self, clock: _Clock) -> None:
        super().__init__()
        self.clock = clock

    def filter(self, record: logging.LogRecord) -> bool:
        record.created = self.clock.tick(0, 40) / 1e9
        return True


def _day(r: random.Random) -> datetime.date:
    return (EPOCH + datetime.timedelta(days=r.randint(0, 30))).date()


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


class _App:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.clock = _Clock(random.Random(seed + 1))
        self.out = _Out(random.Random(seed + 2), self.clock)
        resource = Resource.create(
            {
                "service.name": "lakeview-clinic-api",
                "service.version": "4.12.0",
                "deployment.environment.name": "staging",
                "service.instance.id": "web-2",
            }
        )
        self.provider = TracerProvider(resource=resource, id_generator=_Ids(random.Random(seed)))
        exporter = ConsoleSpanExporter(out=self.out, formatter=self.out.span)
        self.provider.add_span_processor(SimpleSpanProcessor(exporter))
        self.tracer = self.provider.get_tracer("clinic.visits", "4.12.0")
        self.logs = LoggerProvider(resource=resource)
        self.logs.add_log_record_processor(
            SimpleLogRecordProcessor(ConsoleLogExporter(out=self.out, formatter=self.out.record))
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            handler = LoggingHandler(level=logging.INFO, logger_provider=self.logs)
        handler.addFilter(_Stamped(self.clock))
        self.app_log = logging.getLogger("clinic.visits")
        self.app_log.handlers[:] = [handler]
        self.app_log.setLevel(logging.INFO)
        self.app_log.propagate = False

    # --- spans --------------------------------------------------------------------------

    def span(
        self,
        name: str,
        attributes: dict[str, Any],
        kind: SpanKind = SpanKind.INTERNAL,
        parent: Any = None,
    ) -> Any:
        context = trace.set_span_in_context(parent) if parent is not None else None
        return self.tracer.start_span(
            name, context=context, kind=kind, attributes=attributes, start_time=self.clock.tick()
        )

    def end(self, span: Any, error: str | None = None) -> None:
        if error is not None:
            span.set_status(Status(StatusCode.ERROR, error))
        elif self.r.random() < 0.3:
            span.set_status(Status(StatusCode.OK))
        span.end(end_time=self.clock.tick(2, 1800))

    def failed(self, span: Any, exc: Exception) -> None:
        try:
            raise exc
        except Exception as raised:
            span.record_exception(raised, timestamp=self.clock.tick(0, 5))
        self.end(span, f"{type(exc).__name__}: {exc}" if self.r.random() < 0.6 else None)

    def logged(self, span: Any, level: int, msg: str, *args: Any, **extra: Any) -> None:
        with trace.use_span(span, end_on_exit=False):
            self.app_log.log(level, msg, *args, extra=extra)

    def http(self, method: str, route: str, target: str, p: Patient | None, status: int) -> Any:
        r = self.r
        attributes: dict[str, Any] = {
            "http.request.method": method,
            "http.route": route,
            "url.full": f"https://portal.lakeview.example{target}",
            "url.scheme": "https",
            "server.address": "portal.lakeview.example",
            "server.port": 443,
            "network.protocol.version": "1.1",
            "user_agent.original": r.choice(UAS),
            "http.response.status_code": status,
        }
        if p is not None:
            attributes["client.address"] = p.ip
            if r.random() < 0.5:
                attributes["enduser.id"] = p.email
        else:
            attributes["client.address"] = f"10.40.{r.randint(0, 20)}.{r.randint(2, 250)}"
        return self.span(f"{method} {route}", attributes, SpanKind.SERVER)

    def db(self, parent: Any, statement: str, rows: int) -> None:
        span = self.span(
            f"SELECT {self.r.choice(['clinic', 'lakeview'])}",
            {
                "db.system.name": "postgresql",
                "db.namespace": "clinic",
                "db.query.text": statement,
                "db.response.returned_rows": rows,
                "server.address": "127.0.0.1",
                "server.port": 5432,
            },
            SpanKind.CLIENT,
            parent,
        )
        self.end(span)

    # --- a patient's flows ----------------------------------------------------------------

    def checkin(self, p: Patient) -> None:
        r = self.r
        target = f"/api/checkin/?mrn={_q(p.mrn)}&dob={p.dob.isoformat()}"
        root = self.http("POST", "/api/checkin/", target, p, r.choice([200, 200, 201, 409]))
        root.set_attribute("patient.mrn", p.mrn)
        if r.random() < 0.5:
            root.set_attribute("patient.name", f"{p.last_name}, {p.first_name}")
        if r.random() < 0.3:
            root.set_attribute("patient.birth_date", p.dob)  # a date: the SDK warns, keeps str()
        self.db(
            root,
            "SELECT id, last_name, first_name FROM patients_patient "
            f"WHERE mrn = '{p.mrn}' AND dob = '{p.dob.isoformat()}' LIMIT 21",
            r.choice([0, 1, 1, 2]),
        )
        root.add_event(
            "kiosk.checkin",
            {
                "kiosk": f"lobby-{r.randint(1, 4)}",
                "patient.phone": p.phone,
                "queue.position": r.randint(1, 30),
            },
            timestamp=self.clock.tick(),
        )
        how = r.randrange(4)
        if how == 0:
            self.logged(
                root, logging.INFO, "checked in %s %s (%s)", p.first_name, p.last_name, p.mrn
            )
        elif how == 1:
            self.logged(
                root,
                logging.WARNING,
                "address on file differs for %s",
                p.mrn,
                street=p.street,
                city=p.city,
                zip=p.zip,
            )
        elif how == 2:
            self.failed(root, LookupError(f"no chart for MRN {p.mrn} born {p.dob.isoformat()}"))
            return
        else:
            self.logged(
                root, logging.INFO, "arrival", patient=p.full_name, email=p.email, state=p.state
            )
        self.end(root)

    def eligibility(self, p: Patient) -> None:
        r = self.r
        root = self.span(
            "eligibility.check",
            {
                "patient.member_id": p.member_id,
                "payer.id": r.choice(["60054", "87726", "62308"]),
                "patient.mbi": p.mbi,
            },
        )
        call = self.span(
            "POST",
            {
                "http.request.method": "POST",
                "url.full": f"http://127.0.0.1:8081/x12/270?member={_q(p.member_id)}&dob={p.dob:%Y%m%d}",
                "http.response.status_code": r.choice([200, 200, 404, 502]),
                "server.address": "127.0.0.1",
            },
            SpanKind.CLIENT,
            root,
        )
        self.end(call)
        if r.random() < 0.4:
            self.failed(
                root,
                ValueError(f"member {p.member_id} not eligible; subscriber SSN {p.ssn} on file"),
            )
        else:
            root.add_event(
                "coverage.found",
                {
                    "plan": r.choice(["PPO Gold", "HMO Basic", "Medicare Advantage"]),
                    "account": p.account,
                },
                timestamp=self.clock.tick(),
            )
            self.logged(root, logging.INFO, "coverage active for member %s", p.member_id, mbi=p.mbi)
            self.end(root)

    def reminder(self, p: Patient) -> None:
        r = self.r
        day = (EPOCH + datetime.timedelta(days=r.randint(1, 40))).date()
        root = self.span(
            "sms.reminder",
            {
                "messaging.system": "twilio",
                "messaging.destination.name": p.phone,
                "appointment.date": day.isoformat(),
            },
            SpanKind.PRODUCER,
        )
        if r.random() < 0.3:
            root.set_attribute("patient", {"name": p.full_name})  # refused by the SDK: a dict
        if r.random() < 0.3:
            self.logged(
                root,
                logging.ERROR,
                "SMS to %s bounced",
                p.phone,
                carrier_code=r.choice([30003, 30005, 30006]),
            )
        else:
            self.logged(root, logging.INFO, "reminder sent", to=p.phone, patient_name=p.full_name)
        self.end(root)
        if r.random() < 0.2:
            root.set_attribute("sms.retry", True)
            root.end()

    def chart(self, p: Patient) -> None:
        r = self.r
        target = r.choice(
            [
                f"/api/patients/?q={urllib.parse.quote_plus(p.full_name)}&page=1",
                f"/api/patients/lookup?ssn={p.ssn.replace(' ', '%20')}",
                f"/api/patients/?phone={_q(p.phone)}",
                f"/api/patients/?email={_q(p.email)}&zip={p.zip}",
            ]
        )
        route = target.split("?")[0]
        root = self.http("GET", route, target, p, r.choice([200, 200, 404]))
        self.db(
            root,
            r.choice(
                [
                    "SELECT * FROM patients_patient "
                    f"WHERE last_name ILIKE '{p.last_name}%' LIMIT 25",
                    f"SELECT id FROM patients_patient WHERE licence_no = '{p.licence}'",
                    f"UPDATE patients_patient SET card_last = '{p.card}' "
                    f"WHERE id = {r.randint(1, 9999)}",
                ]
            ),
            r.randint(0, 3),
        )
        if r.random() < 0.35:
            self.failed(
                root, PermissionError(f"{p.first_name} {p.last_name} ({p.email}) not in care team")
            )
            return
        self.end(root)

    def statement(self, p: Patient) -> None:
        r = self.r
        root = self.span(
            "billing.statement",
            {
                "patient.account": p.account,
                "billing.address": f"{p.street}, {p.city}, {p.state} {p.zip}",
                "amount.due": round(r.uniform(5, 900), 2),
            },
        )
        root.add_event(
            "card.charged",
            {"card": p.card, "amount": r.choice([25.0, 40.0, 125.5])},
            timestamp=self.clock.tick(),
        )
        if r.random() < 0.4:
            self.logged(
                root,
                logging.WARNING,
                "statement for %s returned: %s",
                p.account,
                f"{p.street} unknown at {p.zip}",
            )
        self.end(root)

    # --- benign ---------------------------------------------------------------------------

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(6)
        if kind == 0:
            root = self.http("GET", "/healthz", f"/healthz?probe={r.randint(1, 9999)}", None, 200)
            self.end(root)
        elif kind == 1:
            day = (EPOCH - datetime.timedelta(days=r.randint(1, 60))).date()
            root = self.span(
                "reports.nightly",
                {
                    "report.date": day.isoformat(),
                    "report.rows": r.randint(0, 40000),
                    "worker": f"celery@worker-{r.randint(1, 4)}",
                },
                SpanKind.CONSUMER,
            )
            self.db(root, f"SELECT count(*) FROM visits_visit WHERE day = '{day}'", 1)
            self.logged(
                root,
                logging.INFO,
                "report for %s built in %d ms",
                day.isoformat(),
                r.randint(40, 9000),
            )
            self.end(root)
        elif kind == 2:
            order = f"PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d}"
            root = self.span(
                "inventory.sync",
                {
                    "order.id": order,
                    "sku.count": r.randint(1, 300),
                    "supplier": r.choice(["Medline", "McKesson", "Henry Schein"]),
                },
            )
            if r.random() < 0.3:
                self.failed(
                    root,
                    TimeoutError(
                        f"supplier API timed out after {r.choice([10, 30])}s (order {order})"
                    ),
                )
                return
            self.end(root)
        elif kind == 3:
            root = self.span(
                "cache.refresh",
                {
                    "cache.key": f"slots:{_day(r)}",
                    "cache.ttl": r.choice([60, 300, 3600]),
                },
            )
            root.set_attribute("cache.stats", {"hits": r.randint(0, 99)})
            self.end(root)
            if r.random() < 0.3:
                root.end()
        elif kind == 4:
            root = self.span(
                "schedule.publish",
                {
                    "provider": r.choice(STAFF),
                    "room": r.randint(100, 420),
                    "slots": r.randint(4, 30),
                },
            )
            self.logged(
                root,
                logging.INFO,
                "%s: %d slots published",
                r.choice(STAFF),
                r.randint(4, 30),
                version=f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
            )
            self.end(root)
        else:
            root = self.http(
                "GET",
                "/api/slots/",
                f"/api/slots/?date={_day(r)}&length={r.choice([15, 30])}",
                None,
                r.choice([200, 304]),
            )
            self.end(root)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    app = _App(seed + 611)
    r = app.r
    flows = [app.checkin, app.eligibility, app.reminder, app.chart, app.statement]
    for p in patients:
        with cap.about(p):
            for flow in r.sample(flows, 3):
                flow(p)
                app.out.logged(r.choice(["otel", "telemetry", "console exporter"]))
        for _ in range(3):
            app.benign()
            app.out.logged(r.choice(["otel", "telemetry", "console exporter"]))
    app.provider.shutdown()
    app.logs.shutdown()
