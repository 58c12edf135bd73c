"""The `botocore` emitter of `ninth_held.py`: boto3 clients (SNS, SES, S3, DynamoDB) of the
app's notification, document and cache jobs, pointed at a stdlib `ThreadingHTTPServer` on a free
loopback port that answers as AWS does (XML for the query and REST-XML protocols, JSON for
DynamoDB, AWS error documents), with the `botocore` loggers at DEBUG (what
`boto3.set_stream_logger("botocore")` shows) and what the jobs log."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import random
import re
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import botocore.auth
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
from patients import Patient

log = logging.getLogger("clinic.aws")
E164 = re.compile(r"^\+1\d{10}$")
ARN = "arn:aws:sns:us-east-1:483920117265"
SENDER = "no-reply@notify.clinic.example"


class _AWS(BaseHTTPRequestHandler):
    """Answers SNS Publish, SES SendEmail, S3 Put/Get/HeadObject and DynamoDB Put/GetItem."""

    server_version = "AmazonS3"
    sys_version = ""
    protocol_version = "HTTP/1.1"  # answers S3's `Expect: 100-continue` at once
    store: dict[str, Any] = {}
    ids = random.Random(0)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Tue, 08 Dec 2026 14:03:27 GMT"

    def _id(self) -> str:
        return str(uuid.UUID(int=self.ids.getrandbits(128), version=4))

    def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("x-amzn-RequestId", self._id())
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _xml_error(self, status: int, code: str, message: str) -> None:
        body = (
            f'<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error>'
            f"<Type>Sender</Type><Code>{code}</Code><Message>{_esc(message)}</Message></Error>"
            f"<RequestId>{self._id()}</RequestId></ErrorResponse>"
        )
        self._send(status, body.encode(), "text/xml")

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = self.headers.get("X-Amz-Target", "")
        if target.startswith("DynamoDB_"):
            return self._dynamodb(target.split(".")[-1], json.loads(raw))
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        action = form.get("Action")
        if action == "Publish":
            phone = form.get("PhoneNumber")
            if phone is not None and not E164.match(phone):
                return self._xml_error(
                    400,
                    "InvalidParameter",
                    f"Invalid parameter: PhoneNumber Reason: {phone} is not valid to publish to",
                )
            if phone is not None and phone.endswith("00"):
                return self._xml_error(400, "OptedOut", "Phone number is opted out")
            body = (
                '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'
                f"<PublishResult><MessageId>{self._id()}</MessageId></PublishResult>"
                f"<ResponseMetadata><RequestId>{self._id()}</RequestId></ResponseMetadata>"
                "</PublishResponse>"
            )
            return self._send(200, body.encode(), "text/xml")
        if action == "SendEmail":
            to = form.get("Destination.ToAddresses.member.1", "")
            if to[:1] in "abcdefgh":
                return self._xml_error(
                    400,
                    "MessageRejected",
                    "Email address is not verified. The following identities failed the check"
                    f" in region US-EAST-1: {to}",
                )
            body = (
                '<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">'
                f"<SendEmailResult><MessageId>0100019{self.ids.getrandbits(40):010x}-"
                f"{self._id()}-000000</MessageId></SendEmailResult>"
                f"<ResponseMetadata><RequestId>{self._id()}</RequestId></ResponseMetadata>"
                "</SendEmailResponse>"
            )
            return self._send(200, body.encode(), "text/xml")
        return self._xml_error(400, "InvalidAction", f"Could not find operation {action}")

    def _dynamodb(self, op: str, doc: dict[str, Any]) -> None:
        table = doc.get("TableName", "")

        def error(kind: str, message: str) -> None:
            body = json.dumps(
                {"__type": f"com.amazonaws.dynamodb.v20120810#{kind}", "message": message}
            )
            self._send(400, body.encode(), "application/x-amz-json-1.0")

        if op == "PutItem":
            item = doc["Item"]
            key = next(iter(item), "")
            if table == "patient-cache" and "mrn" not in item:
                return error(
                    "ValidationException",
                    "One or more parameter values were invalid: Missing the key mrn in the item",
                )
            ident = f"{table}:{json.dumps(item.get('mrn') or item.get(key), sort_keys=True)}"
            if "ConditionExpression" in doc and ident in self.store:
                return error("ConditionalCheckFailedException", "The conditional request failed")
            self.store[ident] = item
            out: dict[str, Any] = {}
        elif op == "GetItem":
            ident = f"{table}:{json.dumps(next(iter(doc['Key'].values())), sort_keys=True)}"
            out = {"Item": self.store[ident]} if ident in self.store else {}
        else:
            return error("UnknownOperationException", "")
        self._send(200, json.dumps(out).encode(), "application/x-amz-json-1.0")

    def _s3_error(self, status: int, code: str, message: str, key: str) -> None:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message><Key>{_esc(key)}</Key>"
            f"<RequestId>{self.ids.getrandbits(64):016X}</RequestId></Error>"
        )
        self._send(status, body.encode(), "application/xml")

    def do_PUT(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = urllib.parse.unquote(self.path.split("?")[0])
        self.store[key] = raw
        etag = hashlib.md5(raw, usedforsecurity=False).hexdigest()
        self._send(200, b"", "application/xml", ETag=f'"{etag}"', x_amz_version_id=self._id())

    def do_GET(self) -> None:
        key = urllib.parse.unquote(self.path.split("?")[0])
        if key not in self.store:
            return self._s3_error(404, "NoSuchKey", "The specified key does not exist.", key)
        self._send(200, self.store[key], "application/pdf")

    def do_HEAD(self) -> None:
        key = urllib.parse.unquote(self.path.split("?")[0])
        if key not in self.store:
            return self._s3_error(404, "NoSuchKey", "Not Found", key)
        self._send(200, self.store[key], "application/pdf")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@contextlib.contextmanager
def serving() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AWS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def _clock(seed: int) -> Iterator[None]:
    """SigV4's timestamps from a seeded clock (the signatures follow)."""
    r = random.Random(seed)
    now = [datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)]

    def tick() -> datetime.datetime:
        now[0] += datetime.timedelta(seconds=r.randint(1, 400))
        return now[0]

    real = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = tick
    try:
        yield
    finally:
        botocore.auth.get_current_datetime = real


def _clients(port: int) -> dict[str, Any]:
    session = boto3.session.Session(
        aws_access_key_id="AKIAXQ3F7CLINIC4NTFY",
        aws_secret_access_key="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",
        region_name="us-east-1",
    )
    config = Config(
        retries={"max_attempts": 1, "mode": "standard"},
        user_agent="clinic-notify/4.2.1",
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    url = f"http://127.0.0.1:{port}"
    return {
        name: session.client(name, endpoint_url=url, config=config)
        for name in ("sns", "ses", "s3", "dynamodb")
    }


def _e164(phone: str) -> str:
    digits = re.sub(r"\D", "", phone.split("ext")[0])
    return "+" + (digits if len(digits) == 11 else "1" + digits)


def _item(p: Patient) -> dict[str, Any]:
    return {
        "mrn": {"S": p.mrn},
        "name": {"S": p.full_name},
        "dob": {"S": p.dob.isoformat()},
        "phone": {"S": p.phone},
        "email": {"S": p.email},
        "address": {"M": {"street": {"S": p.street}, "city": {"S": p.city}, "zip": {"S": p.zip}}},
        "member_id": {"S": p.member_id},
        "mbi": {"S": p.mbi},
    }


def _call(what: str, fn: Any, **params: Any) -> Any:
    try:
        return fn(**params)
    except ClientError as exc:
        err = exc.response.get("Error", {})
        log.warning("%s failed: %s (%s)", what, err.get("Message") or exc, err.get("Code"))
        return None
    except ParamValidationError as exc:
        log.error("%s: %s", what, exc)
        return None


def _patient(c: dict[str, Any], p: Patient, r: random.Random) -> None:
    for kind in r.sample(range(11), 6):
        if kind == 0:
            phone = p.phone if r.random() < 0.5 else _e164(p.phone)
            text = f"Hi {p.first_name}, your visit is confirmed for {r.randint(8, 17)}:00 tomorrow."
            out = _call("SMS to " + phone, c["sns"].publish, PhoneNumber=phone, Message=text)
            if out:
                log.info("reminder SMS to %s sent as %s", phone, out["MessageId"])
        elif kind == 1:
            message = f"{p.full_name} (MRN {p.mrn}) checked in at the front desk"
            c["sns"].publish(TopicArn=f"{ARN}:front-desk", Message=message, Subject="Check-in")
            log.info("front desk notified about MRN %s", p.mrn)
        elif kind == 2:
            body = (
                f"Dear {p.first_name} {p.last_name},\n"
                f"your statement for account {p.account} is ready."
            )
            out = _call(
                "statement e-mail",
                c["ses"].send_email,
                Source=SENDER,
                Destination={"ToAddresses": [p.email]},
                Message={
                    "Subject": {"Data": f"Statement for account {p.account}"},
                    "Body": {"Text": {"Data": body}},
                },
            )
            if out:
                log.info("statement e-mail to %s queued: %s", p.email, out["MessageId"])
        elif kind == 3:
            key = f"consents/{p.mrn}/{p.last_name}-{p.dob:%Y%m%d}.pdf"
            c["s3"].put_object(
                Bucket="clinic-documents",
                Key=key,
                Body=b"%PDF-1.7 consent form",
                ContentType="application/pdf",
                Metadata={"patient": p.full_name, "dob": p.dob.isoformat(), "mrn": p.mrn},
            )
            log.info("consent form stored as s3://clinic-documents/%s", key)
        elif kind == 4:
            key = f"insurance-cards/{p.member_id}.jpg"
            try:
                c["s3"].get_object(Bucket="clinic-documents", Key=key)
            except ClientError as exc:
                log.warning("no insurance card for member %s at %s: %s", p.member_id, key, exc)
        elif kind == 5:
            key = f"ids/{p.state}/{p.licence}.png"
            try:
                c["s3"].head_object(Bucket="clinic-documents", Key=key)
            except ClientError:
                log.exception("driver licence scan missing for %s", p.full_name)
        elif kind == 6:
            c["dynamodb"].put_item(TableName="patient-cache", Item=_item(p))
            got = c["dynamodb"].get_item(TableName="patient-cache", Key={"mrn": {"S": p.mrn}})
            log.debug("cached patient: %s", got.get("Item"))
        elif kind == 7:
            item = {"mrn": {"S": p.mrn}, "ssn": {"S": p.ssn}, "card": {"S": p.card}}
            params = {"TableName": "patient-cache", "Item": item}
            params["ConditionExpression"] = "attribute_not_exists(mrn)"
            c["dynamodb"].put_item(**params) if r.random() < 0.5 else None
            _call("cache insert for " + p.mrn, c["dynamodb"].put_item, **params)
        elif kind == 8:
            item = {"member": {"S": p.member_id}, "ip": {"S": p.ip}}
            _call(
                "portal session cache", c["dynamodb"].put_item, TableName="patient-cache", Item=item
            )
        elif kind == 9:
            bad = r.choice(
                [
                    {"TableName": "patient-cache", "Item": {"mrn": {"S": p.mrn}, "zip": p.zip}},
                    {"TableName": "patient-cache", "Item": {"mrn": p.mrn}},
                ]
            )
            _call("cache write for " + p.full_name, c["dynamodb"].put_item, **bad)
        else:
            _call(
                "welcome e-mail",
                c["ses"].send_email,
                Source=SENDER,
                Destination={"ToAddresses": p.email},
                Message={"Subject": {"Data": "Welcome"}, "Body": {"Text": {"Data": p.full_name}}},
            )


# --- benign ---------------------------------------------------------------------------------

SUPPLIERS = ("orders@medline.example", "po@henryschein.example", "supply@mckesson.example")
ITEMS = ("nitrile gloves", "alcohol pads", "3 mL syringes", "gauze 4x4", "ECG electrodes")


def _benign(c: dict[str, Any], r: random.Random, n: int) -> None:
    kind = r.randrange(6)
    day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 300))
    order = f"PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d}"
    if kind == 0:
        backup = uuid.UUID(int=r.getrandbits(128), version=4)
        msg = f"Backup {backup} finished in {r.randint(40, 900)}s"
        out = c["sns"].publish(TopicArn=f"{ARN}:ops-events", Message=msg, Subject="Backup")
        log.info("ops event published: %s", out["MessageId"])
    elif kind == 1:
        to = r.choice(SUPPLIERS)
        out = _call(
            "purchase order " + order,
            c["ses"].send_email,
            Source=SENDER,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": f"Purchase order {order}"},
                "Body": {"Text": {"Data": f"{r.randint(2, 80)} cases of {r.choice(ITEMS)}"}},
            },
        )
        if out:
            log.info("purchase order %s sent to %s", order, to)
    elif kind == 2:
        key = f"reports/{day}/inventory-{r.randint(1, 999):03d}.csv"
        c["s3"].put_object(
            Bucket="clinic-reports",
            Key=key,
            Body=b"sku,on_hand\n",
            Metadata={"rows": str(r.randint(1, 900))},
        )
        log.info("inventory report %d stored as %s", n, key)
    elif kind == 3:
        key = f"exports/{day}/slots-v{r.randint(1, 9)}.{r.randint(0, 30)}.json"
        try:
            c["s3"].get_object(Bucket="clinic-reports", Key=key)
        except ClientError as exc:
            log.warning("export %s not found: %s", key, exc)
    elif kind == 4:
        item = {
            "slot": {"S": f"{day}T{r.randint(7, 17):02d}:{r.choice(['00', '30'])}"},
            "room": {"S": f"Exam {r.randint(1, 9)}"},
            "minutes": {"N": str(r.choice([15, 20, 30, 45]))},
        }
        c["dynamodb"].put_item(TableName="slots", Item=item)
        log.debug("slot cached: %s", item)
    else:
        item = {
            "sku": {"S": f"SKU-{r.randint(10000, 99999)}"},
            "on_hand": {"N": str(r.randint(0, 500))},
        }
        _call(
            "stock update " + order,
            c["dynamodb"].put_item,
            TableName="stock",
            Item=item,
            ConditionExpression="attribute_not_exists(sku)",
        )
        if r.random() < 0.2:
            _call(
                "stock update " + order,
                c["dynamodb"].put_item,
                TableName="stock",
                Item={"sku": r.randint(1, 99)},
            )


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    r = random.Random(seed + 97)
    _AWS.store = {}
    _AWS.ids = random.Random(seed + 98)
    with serving() as port, _clock(seed + 99):
        fix.port(port, 4566)
        c = _clients(port)
        for i, p in enumerate(patients):
            with cap.about(p):
                try:
                    _patient(c, p, r)
                except (ClientError, BotoCoreError):
                    log.exception("AWS call failed for MRN %s", p.mrn)
            for k in range(3):
                try:
                    _benign(c, r, i * 3 + k)
                except (ClientError, BotoCoreError):
                    log.exception("AWS housekeeping call failed")
