"""The `websockets` emitter of `sixteenth_held.py`: the front desk's live check-in board and the
patient portal's chat over WebSockets, a `websockets.sync` server on a free loopback port
(127.0.0.1) in a thread and `websockets.sync.client.connect` clients, one connection at a time.
Captured: the `websockets.client` and `websockets.server` records at DEBUG (the opening
handshake: the request line with its query, each request and response header; every frame sent
and received, `TEXT` with its text as websockets shortens it, `CLOSE` with its code and reason;
`connection open`, `connection closed`, refused handshakes, `connection handler failed` with
its traceback) and what the app logs on both sides: messages, replies, `ConnectionClosed`
errors with their close frames, `InvalidStatus` of a refused handshake, tracebacks. Queue
lengths, room states, heartbeats and versions for the benign lines.

The client's and the server's threads write at once: each connection's records are held back
until it is closed and every thread it started is joined, then handed on in a fixed order (the
client's caller, the client's reader, the server's handler, the server's reader; each thread's
own in its order). The handshake's key comes from a seeded source (so its accept value is the
same too), the answers' `Date` header comes from a fixed clock, no keepalive ping is sent."""

from __future__ import annotations

import base64
import datetime
import email.utils
import json
import logging
import random
import threading
import types
import urllib.parse
from typing import Any

import websockets.client
import websockets.server
from patients import Patient
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import connect
from websockets.sync.server import serve

log = logging.getLogger("clinic.live")
board_log = logging.getLogger("clinic.live.board")
DAY = datetime.date(2026, 8, 3)
ROOMS = ("101", "102", "104", "210", "212", "Triage", "Lab draw")
STAFF = ("Dr. Vasquez", "NP Lindqvist", "Dr. Okonkwo", "RN Whitcombe")


class _Held(logging.Handler):
    """Holds back a connection's records, then hands them on in a fixed order."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self.guard:
            self.records.append(record)

    @staticmethod
    def _role(record: logging.LogRecord) -> int:
        reader = "recv_events" in (record.threadName or "")
        if record.name.startswith("websockets.server") or record.name == board_log.name:
            return 3 if reader else 2
        if record.threadName == threading.main_thread().name:
            return 0
        return 1

    @staticmethod
    def _raced(record: logging.LogRecord) -> bool:
        """What the client's closing races: which of its threads sees the socket closed."""
        if not record.name.startswith("websockets.client"):
            return False
        if record.msg == "! error while receiving data":
            return True
        return record.msg == "= connection is %s" and record.args == ("CLOSED",)

    def flush_into(self, cap: Any) -> None:
        with self.guard:
            records, self.records = self.records, []
        records = [rec for rec in records if not self._raced(rec)]
        order = sorted(range(len(records)), key=lambda i: (self._role(records[i]), i))
        for i in order:
            cap.emit(records[i])


def _key(r: random.Random) -> str:
    return base64.b64encode(bytes(r.getrandbits(8) for _ in range(16))).decode()


class _Clock:
    """The answers' `Date` header: a fixed clock that moves on a few seconds a call."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.now = datetime.datetime(2026, 8, 3, 13, 30, tzinfo=datetime.UTC)

    def formatdate(self, *args: Any, **kwargs: Any) -> str:
        self.now += datetime.timedelta(seconds=self.r.randint(1, 40))
        return email.utils.format_datetime(self.now, usegmt=True)


def _handler(ws: Any) -> None:
    path = ws.request.path
    for raw in ws:
        message = json.loads(raw)
        op = message.get("op")
        if op == "checkin":
            room = ROOMS[len(raw) % len(ROOMS)]
            board_log.info("board: %s checked in, room %s", message.get("name"), room)
            ws.send(json.dumps({"ok": True, "room": room}))
            ws.send(json.dumps({"board": "add", "name": message.get("name")}))
        elif op == "lookup":
            if message.get("unknown"):
                ws.close(4004, f"no chart for MRN {message.get('mrn')}")
                return
            ws.send(json.dumps({"mrn": message.get("mrn"), "dob": message.get("dob")}))
        elif op == "chat":
            ws.send(json.dumps({"from": "front desk", "text": f"Thanks, {message.get('first')}!"}))
        elif op == "crash":
            raise ValueError(f"cannot parse callback number {message.get('phone')!r}")
        elif op == "queue":
            ws.send(json.dumps({"queue": message.get("n", 0), "wait_min": 4 * message.get("n", 0)}))
        elif op == "room":
            ws.send(json.dumps({"room": message.get("room"), "state": "clean", "by": STAFF[0]}))
        else:
            ws.send(json.dumps({"pong": message.get("seq"), "path": path.split("?")[0]}))


def _process_request(ws: Any, request: Any) -> Any:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
    if query.get("badge") == ["expired"]:
        return ws.respond(401, "badge expired\n")
    if "mrn" in query and query["mrn"][0].startswith("X"):
        return ws.respond(403, f"chart {query['mrn'][0]} is restricted\n")
    return None


class _Kiosk:
    def __init__(self, seed: int, port: int, held: _Held, cap: Any) -> None:
        self.r = random.Random(seed)
        self.keys = random.Random(seed + 1)
        self.port = port
        self.held = held
        self.cap = cap
        self.baseline = set(threading.enumerate())

    def session(
        self, path: str, messages: list[dict[str, Any]], agent: str = "LakeviewKiosk/3.2"
    ) -> None:
        r = self.r
        websockets.client.generate_key = lambda: _key(self.keys)  # type: ignore[attr-defined]
        url = f"ws://127.0.0.1:{self.port}{path}"
        try:
            with connect(
                url, user_agent_header=agent, ping_interval=None, open_timeout=10, close_timeout=5
            ) as ws:
                for message in messages:
                    ws.send(json.dumps(message))
                    if message.get("op") == "crash":
                        ws.recv(timeout=10)
                        continue
                    reply = ws.recv(timeout=10)
                    if message.get("op") == "checkin":
                        ws.recv(timeout=10)
                    if r.random() < 0.5:
                        log.info("reply to %s: %s", message.get("op"), reply)
        except InvalidStatus as exc:
            how = r.randrange(3)
            if how == 0:
                log.warning("handshake refused for %s: %s", path, exc)
            elif how == 1:
                log.warning("handshake refused: %s %s", exc.response.status_code, exc.response.body)
            else:
                log.exception("could not open %s", path)
        except ConnectionClosed as exc:
            how = r.randrange(3)
            if how == 0:
                log.error("board connection closed: %s", exc)
            elif how == 1:
                log.error(
                    "closed by server: code=%s reason=%s",
                    exc.rcvd.code if exc.rcvd else None,
                    exc.rcvd.reason if exc.rcvd else "",
                )
            else:
                log.exception("board connection lost")
        except WebSocketException as exc:
            log.error("websocket error: %r", exc)
        finally:
            for thread in set(threading.enumerate()) - self.baseline:
                thread.join(timeout=10)
            self.held.flush_into(self.cap)

    def patient(self, p: Patient) -> None:
        r = self.r
        q = urllib.parse.quote
        kind = r.randrange(6)
        if kind == 0:
            path = f"/ws/checkin?kiosk=lobby-{r.randint(1, 4)}&mrn={q(p.mrn, safe='')}"
            self.session(
                path,
                [{"op": "checkin", "name": p.full_name}, {"op": "queue", "n": r.randint(0, 12)}],
            )
        elif kind == 1:
            path = f"/ws/chart?mrn={q(p.mrn, safe='')}&dob={p.dob.isoformat()}"
            unknown = r.random() < 0.4
            self.session(
                path, [{"op": "lookup", "mrn": p.mrn, "dob": p.dob.isoformat(), "unknown": unknown}]
            )
        elif kind == 2:
            path = f"/ws/chat?user={q(p.email, safe='')}"
            texts = [
                f"Hi, this is {p.first_name}, my new number is {p.phone}",
                f"I moved to {p.street}",
                f"My member ID is {p.member_id}",
                f"{p.city}, {p.state} {p.zip}",
            ]
            messages = [
                {"op": "chat", "first": p.first_name, "text": r.choice(texts)}
                for _ in range(r.randint(1, 2))
            ]
            self.session(
                path,
                messages,
                agent=r.choice(["LakeviewPortal/5.0 (iOS 17.5)", "Mozilla/5.0 portal"]),
            )
        elif kind == 3:
            path = f"/ws/checkin?kiosk=lobby-{r.randint(1, 4)}&badge=expired&name={q(p.full_name)}"
            self.session(path, [{"op": "checkin", "name": p.full_name}])
        elif kind == 4:
            path = f"/ws/chart?mrn=X{q(p.mrn, safe='')}&ssn={q(p.ssn)}"
            self.session(path, [{"op": "lookup", "mrn": p.mrn}])
        else:
            path = f"/ws/callback?mrn={q(p.mrn, safe='')}"
            self.session(path, [{"op": "crash", "phone": p.phone}])

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(4)
        if kind == 0:
            self.session(
                f"/ws/board?screen={r.randint(1, 6)}", [{"op": "queue", "n": r.randint(0, 30)}]
            )
        elif kind == 1:
            self.session(
                "/ws/rooms",
                [{"op": "room", "room": r.choice(ROOMS)} for _ in range(r.randint(1, 3))],
            )
        elif kind == 2:
            self.session(
                f"/ws/heartbeat?v={r.randint(1, 6)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
                [{"op": "ping", "seq": r.randint(1, 99999)}],
                agent=f"LakeviewBoard/{r.randint(1, 4)}.{r.randint(0, 9)}",
            )
        else:
            self.session(
                f"/ws/board?badge=expired&screen={r.randint(1, 6)}", [{"op": "queue", "n": 0}]
            )


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    held = _Held()
    loggers = []
    for name in ("websockets", "clinic.live"):
        logger = logging.getLogger(name)
        loggers.append((logger, logger.level, logger.propagate))
        logger.addHandler(held)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    clock = _Clock(random.Random(seed + 1009))
    websockets.server.email = types.SimpleNamespace(  # type: ignore[attr-defined]
        utils=types.SimpleNamespace(formatdate=clock.formatdate)
    )
    server = serve(
        _handler,
        "127.0.0.1",
        0,
        ping_interval=None,
        process_request=_process_request,
        server_header="LakeviewBoard/2.1",
    )
    port = server.socket.getsockname()[1]
    fix.port(port, 8765)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        kiosk = _Kiosk(seed + 1003, port, held, cap)
        kiosk.baseline = set(threading.enumerate())
        for p in patients:
            with cap.about(p):
                for _ in range(3):
                    kiosk.patient(p)
            for _ in range(3):
                kiosk.benign()
    finally:
        server.shutdown()
        thread.join()
        held.flush_into(cap)
        for logger, level, propagate in loggers:
            logger.removeHandler(held)
            logger.setLevel(level)
            logger.propagate = propagate
