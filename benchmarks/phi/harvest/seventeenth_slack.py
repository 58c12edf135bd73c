"""The `slack_sdk` emitter of `seventeenth_held.py`: the app posting alerts to the staff's Slack
channels, as a careless developer wrote it (patients' names, dates of birth, MRNs, phones,
addresses and insurance ids in the texts, blocks and attachments). A `slack_sdk.WebClient`
whose `base_url` is a fake of Slack's Web API, and `slack_sdk.webhook.WebhookClient`s posting to
fake incoming-webhook URLs, both served by `seventeenth_http` on a free loopback port
(127.0.0.1), one request at a time. Captured: the `slack_sdk` loggers at DEBUG (each request's
URL, query and body parameters, JSON body and the headers the app added; each response's
status, headers and body; the retry handlers' notes; failed connections) and what the app logs:
posted messages, `SlackApiError` messages with the server's response (`str` and the parts the
app picks: `response["error"]`, `response["response_metadata"]`), webhook failures, retries
after a rate limit (`RateLimitErrorRetryHandler`) and a refused connection
(`ConnectionErrorRetryHandler`), tracebacks. Deploy notices, stock alerts, on-call rotations,
backups and uptime checks for the benign lines.

The retry handlers wait without sleeping (their `time.sleep` is replaced), every channel id,
message `ts`, request id and webhook path is drawn from a seeded source, and the server writes
no `Date`; the ports shown are fixed ones."""

from __future__ import annotations

import json
import logging
import random
import types
import urllib.parse
from typing import Any

import seventeenth_http
import slack_sdk.http_retry.builtin_handlers as builtin_handlers
import slack_sdk.http_retry.handler as retry_handler
from patients import Patient
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

log = logging.getLogger("clinic.alerts")
CHANNELS = {
    "#lab-critical": "C07LABCRIT1",
    "#front-desk": "C07FRONTDSK",
    "#imaging-reads": "C07IMGREADS",
    "#billing-holds": "C07BILLHOLD",
    "#nurse-line": "C07NURSELIN",
}
OPS_CHANNELS = {
    "#ops-deploys": "C07OPSDEPLO",
    "#supply-room": "C07SUPPLYRM",
    "#oncall": "C07ONCALL01",
}
STAFF = ("U07WHITLOCK", "U07FERREIRA", "U07NGATA001", "U07BRANDT01")
WEBHOOK_ERRORS = (
    (400, "invalid_payload"),
    (404, "no_service"),
    (403, "action_prohibited"),
    (410, "channel_is_archived"),
)


class _Slack:
    """The fake Web API and webhooks: what each call answers (the message echoed back)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.limited: set[str] = set()
        self.next_error: str | None = None
        self.webhook_error: tuple[int, str] | None = None

    def _ts(self) -> str:
        return f"{self.r.randint(1788000000, 1789999999)}.{self.r.randint(0, 999999):06d}"

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        r = self.r
        out = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Slack-Req-Id": f"{r.getrandbits(128):032x}",
        }
        if path.startswith("/services/"):
            out = {"Content-Type": "text/html", "X-Slack-Backend": "r"}
            if self.webhook_error:
                status, text = self.webhook_error
                self.webhook_error = None
                return status, out, text.encode()
            return 200, out, b"ok"
        api = urllib.parse.urlsplit(path).path.rsplit("/", 1)[-1]
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
        try:
            data: dict[str, Any] = json.loads(body) if body.startswith(b"{") else {}
        except ValueError:
            data = {}
        if not data and body:
            data = dict(urllib.parse.parse_qsl(body.decode()))
        key = f"{api}:{data.get('channel')}:{str(data.get('text'))[:20]}"
        if api in ("chat.postMessage", "chat.update") and key in self.limited:
            self.limited.discard(key)
            out["Retry-After"] = "1"
            return 429, out, json.dumps({"ok": False, "error": "ratelimited"}).encode()
        if self.next_error:
            error, self.next_error = self.next_error, None
            payload: dict[str, Any] = {"ok": False, "error": error}
            if error == "invalid_blocks":
                payload["response_metadata"] = {
                    "messages": ["[ERROR] must be more than 0 characters [json-pointer:/blocks/1]"]
                }
            elif error == "msg_too_long":
                payload["warning"] = "missing_charset"
            return 200, out, json.dumps(payload).encode()
        if api == "users.lookupByEmail":
            return 200, out, json.dumps({"ok": False, "error": "users_not_found"}).encode()
        if api == "auth.test":
            payload = {
                "ok": True,
                "url": "https://lakeview-clinic.slack.com/",
                "team": "Lakeview Clinic",
                "user": "alerts-bot",
                "team_id": "T07LAKEVIEW",
                "user_id": "U07ALERTBOT",
                "bot_id": "B07ALERTBOT",
            }
            return 200, out, json.dumps(payload).encode()
        if api == "reactions.add":
            return 200, out, json.dumps({"ok": True}).encode()
        message = {
            "type": "message",
            "subtype": "bot_message",
            "text": data.get("text") or query.get("text", ""),
            "ts": self._ts(),
            "bot_id": "B07ALERTBOT",
        }
        blocks = data.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks:
            message["blocks"] = blocks
        if data.get("attachments"):
            attachments = data["attachments"]
            message["attachments"] = (
                json.loads(attachments) if isinstance(attachments, str) else attachments
            )
        payload = {
            "ok": True,
            "channel": data.get("channel", ""),
            "ts": message["ts"],
            "message": message,
        }
        return 200, out, json.dumps(payload, ensure_ascii=False).encode()


def _dob(p: Patient, r: random.Random) -> str:
    d = p.dob
    return r.choice([d.isoformat(), f"{d.month:02d}/{d.day:02d}/{d.year}"])


class _App:
    def __init__(self, seed: int, port: int, closed: int, slack: _Slack) -> None:
        self.r = random.Random(seed)
        self.slack = slack
        base = f"http://127.0.0.1:{port}/api/"
        self.client = WebClient(
            token="xoxb-7000000000-1000000000-fakealertsbottoken", base_url=base
        )
        self.client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
        self.down = WebClient(
            token="xoxb-7000000000-1000000000-fakealertsbottoken",
            base_url=f"http://127.0.0.1:{closed}/api/",
        )
        self.hooks = [
            f"http://127.0.0.1:{port}/services/T07LAKEVIEW/B07{self.r.getrandbits(40):010X}/"
            f"{self.r.getrandbits(96):024x}"
            for _ in range(3)
        ]

    def _channel(self, ops: bool = False) -> str:
        names = OPS_CHANNELS if ops else CHANNELS
        return self.r.choice(list(names.values()))

    def _blocks(self, p: Patient, headline: str) -> list[dict[str, Any]]:
        r = self.r
        fields = [
            {"type": "mrkdwn", "text": f"*Patient:* {p.full_name}"},
            {"type": "mrkdwn", "text": f"*DOB:* {_dob(p, r)}"},
            {"type": "mrkdwn", "text": f"*MRN:* {p.mrn}"},
        ]
        extra = r.randrange(4)
        if extra == 0:
            fields.append({"type": "mrkdwn", "text": f"*Callback:* {p.phone}"})
        elif extra == 1:
            fields.append({"type": "mrkdwn", "text": f"*Address:* {p.street}, {p.city} {p.zip}"})
        elif extra == 2:
            fields.append({"type": "mrkdwn", "text": f"*Member ID:* {p.member_id}"})
        else:
            fields.append({"type": "mrkdwn", "text": f"*Email:* {p.email}"})
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": headline}},
            {"type": "section", "fields": fields},
        ]
        if r.random() < 0.4:
            blocks.append(
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": f"account {p.account}"}],
                }
            )
        return blocks

    def _attachments(self, p: Patient) -> list[dict[str, Any]]:
        r = self.r
        values = [
            ("Member ID", p.member_id),
            ("MBI", p.mbi),
            ("SSN on file", p.ssn),
            ("Card", p.card),
            ("Licence", p.licence),
            ("Portal IP", p.ip),
        ]
        picked = r.sample(values, 2)
        return [
            {
                "color": r.choice(["#d62728", "#ff7f0e", "#2ca02c"]),
                "fallback": f"{p.full_name} {picked[0][1]}",
                "fields": [{"title": t, "value": v, "short": True} for t, v in picked],
                "footer": f"MRN {p.mrn}",
            }
        ]

    def _call(self, what: str, p: Patient | None, call: Any) -> Any:
        r = self.r
        try:
            response = call()
        except SlackApiError as exc:
            how = r.randrange(4)
            if how == 0:
                log.error("%s failed: %s", what, exc)
            elif how == 1:
                log.error("%s failed: %s", what, exc.response["error"])
            elif how == 2:
                log.error(
                    "%s failed: %s %s",
                    what,
                    exc.response.status_code,
                    exc.response.data,
                )
            else:
                log.exception("Slack API error in %s", what)
            return None
        except (SlackClientError, OSError) as exc:
            log.error("%s: could not reach Slack: %r", what, exc)
            return None
        if response is not None and r.random() < 0.4:
            log.info("%s ok: channel=%s ts=%s", what, response.get("channel"), response.get("ts"))
        return response

    def critical_lab(self, p: Patient) -> None:
        r = self.r
        text = r.choice(
            [
                f":rotating_light: Critical potassium for {p.full_name} (MRN {p.mrn}), "
                f"DOB {_dob(p, r)}. Call {p.phone}",
                f"Critical result: {p.last_name}, {p.first_name} born {_dob(p, r)}",
                f"Page the on-call: {p.full_name} at {p.phone}",
            ]
        )
        channel = self._channel()
        if r.random() < 0.2:
            self.slack.limited.add(f"chat.postMessage:{channel}:{text[:20]}")
        if r.random() < 0.15:
            self.slack.next_error = r.choice(["channel_not_found", "not_in_channel", "is_archived"])
        blocks = self._blocks(p, "Critical lab value") if r.random() < 0.6 else None
        self._call(
            f"critical lab alert for {p.mrn}",
            p,
            lambda: self.client.chat_postMessage(channel=channel, text=text, blocks=blocks),
        )

    def front_desk(self, p: Patient) -> None:
        r = self.r
        channel = CHANNELS["#front-desk"]
        if r.random() < 0.25:
            self.slack.next_error = r.choice(["invalid_blocks", "msg_too_long"])
        text = f"{p.full_name} checked in, insurance {p.member_id}"
        self._call(
            "check-in notice",
            p,
            lambda: self.client.chat_postMessage(
                channel=channel, text=text, attachments=self._attachments(p)
            ),
        )

    def lookup(self, p: Patient) -> None:
        self._call(
            f"lookup of {p.email}",
            p,
            lambda: self.client.users_lookupByEmail(email=p.email),
        )

    def webhook(self, p: Patient) -> None:
        r = self.r
        hook = WebhookClient(r.choice(self.hooks))
        if r.random() < 0.3:
            self.slack.webhook_error = r.choice(WEBHOOK_ERRORS)
        kind = r.randrange(3)
        if kind == 0:
            text = f"New portal sign-up: {p.full_name}, {p.email}, from {p.ip}"
            blocks = None
        elif kind == 1:
            text = f"Billing hold on {p.account} ({p.full_name})"
            blocks = [
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": f"Card ending {p.card[-4:]}: {p.card}"},
                }
            ]
        else:
            text = f"Imaging read ready for {p.last_name}, DOB {_dob(p, r)}"
            blocks = self._blocks(p, "Imaging read ready")
        try:
            response = hook.send(text=text, blocks=blocks)
        except (SlackClientError, OSError) as exc:
            log.error("webhook failed for %s: %r", p.mrn, exc)
            return
        if response.status_code != 200:
            how = r.randrange(2)
            if how == 0:
                log.error(
                    "webhook returned %s %s for %s",
                    response.status_code,
                    response.body,
                    p.full_name,
                )
            else:
                log.warning("webhook refused alert %r: %s", text, response.body)

    def unreachable(self, p: Patient) -> None:
        self._call(
            f"nurse-line page for {p.full_name}",
            p,
            lambda: self.down.chat_postMessage(
                channel=CHANNELS["#nurse-line"], text=f"Call back {p.first_name} at {p.phone}"
            ),
        )

    def update(self, p: Patient) -> None:
        r = self.r
        channel = self._channel()
        sent = self._call(
            "imaging read",
            p,
            lambda: self.client.chat_postMessage(
                channel=channel, text=f"Read pending: {p.full_name} ({p.mrn})"
            ),
        )
        if sent is None:
            return
        self._call(
            "imaging read update",
            p,
            lambda: self.client.chat_update(
                channel=channel,
                ts=sent["ts"],
                text=f"Read signed for {p.full_name}, {p.city} clinic",
                blocks=self._blocks(p, "Read signed") if r.random() < 0.5 else None,
            ),
        )

    def patient(self, p: Patient) -> None:
        kind = self.r.randrange(7)
        if kind in (0, 1):
            self.critical_lab(p)
        elif kind == 2:
            self.front_desk(p)
        elif kind == 3:
            self.lookup(p)
        elif kind == 4:
            self.webhook(p)
        elif kind == 5:
            self.update(p)
        else:
            self.unreachable(p)

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(6)
        version = f"{r.randint(3, 9)}.{r.randint(0, 40)}.{r.randint(0, 9)}"
        if kind == 0:
            self._call(
                "deploy notice",
                None,
                lambda: self.client.chat_postMessage(
                    channel=OPS_CHANNELS["#ops-deploys"],
                    text=f"Deployed scheduler {version} to production ({r.randint(2, 12)} pods)",
                ),
            )
        elif kind == 1:
            item = r.choice(["nitrile gloves M", "saline 0.9% 500 mL", "gauze 4x4", "N95 masks"])
            self._call(
                "stock alert",
                None,
                lambda: self.client.chat_postMessage(
                    channel=OPS_CHANNELS["#supply-room"],
                    text=f"Low stock: {item}, {r.randint(0, 40)} left (reorder point 50)",
                    blocks=[
                        {
                            "type": "section",
                            "text": {"type": "mrkdwn", "text": f"*Low stock:* {item}"},
                        }
                    ],
                ),
            )
        elif kind == 2:
            self._call("auth check", None, lambda: self.client.auth_test())
        elif kind == 3:
            hook = WebhookClient(r.choice(self.hooks))
            if r.random() < 0.2:
                self.slack.webhook_error = r.choice(WEBHOOK_ERRORS)
            response = hook.send(
                text=f"Nightly backup finished: {r.randint(2, 90)} GB in {r.randint(3, 80)} min"
            )
            if response.status_code != 200:
                log.warning("backup webhook returned %s %s", response.status_code, response.body)
        elif kind == 4:
            self._call(
                "on-call rotation",
                None,
                lambda: self.client.chat_postMessage(
                    channel=OPS_CHANNELS["#oncall"],
                    text=f"On call this week: <@{r.choice(STAFF)}>, backup <@{r.choice(STAFF)}>",
                ),
            )
        else:
            if r.random() < 0.3:
                self.slack.next_error = "not_reactable"
            self._call(
                "uptime reaction",
                None,
                lambda: self.client.reactions_add(
                    channel=OPS_CHANNELS["#ops-deploys"],
                    name="white_check_mark",
                    timestamp=self.slack._ts(),
                ),
            )


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    quiet = types.SimpleNamespace(sleep=lambda seconds: None)
    saved = (builtin_handlers.time, retry_handler.time)
    builtin_handlers.time = quiet  # type: ignore[assignment]
    retry_handler.time = quiet  # type: ignore[assignment]
    slack = _Slack(seed + 1)
    closed = seventeenth_http.closed_port()
    try:
        with seventeenth_http.serving(slack.answer) as port:
            fix.port(port, 8088)
            fix.port(closed, 8089)
            app = _App(seed + 2, port, closed, slack)
            assert isinstance(app.client.retry_handlers[0], ConnectionErrorRetryHandler)
            for p in patients:
                with cap.about(p):
                    for _ in range(3):
                        app.patient(p)
                for _ in range(3):
                    app.benign()
    finally:
        builtin_handlers.time, retry_handler.time = saved  # type: ignore[assignment]
