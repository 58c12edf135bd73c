"""The `stripe` emitter of `fifteenth_held.py`: the app's patient billing through Stripe's Python
library (`stripe.StripeClient` over its requests transport), pointed at a Stripe-shaped API
served by a stdlib `http.server` on a free loopback port (127.0.0.1) in a thread, answering one
request at a time. Captured: the `stripe` logger (`Request to Stripe api`, `Post details` with
the form-encoded parameters, `Stripe API response`, `API response body`, `Dashboard link for
request`, `Stripe v1 API error received`, `Initiating retry ...`), and what the app logs: the
objects answered (`str` and `repr`: their JSON over several lines), `StripeError`s (`str`,
`repr`, `user_message`, tracebacks), connection errors against a closed port, and the objects of
webhook events (`stripe.Event.construct_from`), with `SignatureVerificationError`s of events
whose signature is wrong. Customers, payment methods (card numbers sent as raw card data),
payment intents, invoices, refunds, checkout sessions and searches for the patients; products,
prices, balance, payouts, events and webhook endpoints for the benign lines. Ports, memory
addresses and the retry's jitter are fixed; every id and timestamp is seeded."""

from __future__ import annotations

import datetime
import http.server
import json
import logging
import random
import socket
import string
import threading
import urllib.parse
from typing import Any

import stripe
from patients import Patient

log = logging.getLogger("clinic.billing")
API_VERSION = stripe.api_version
EPOCH = int(datetime.datetime(2026, 5, 4, 8, 0, tzinfo=datetime.UTC).timestamp())
ALPHABET = string.ascii_letters + string.digits
SERVICES = (
    "Office visit copay",
    "Lab panel (CMP)",
    "Telehealth follow-up",
    "Physical therapy session",
    "Annual wellness visit",
    "Echocardiogram coinsurance",
)


def _tail(value: str) -> int:
    digits = [int(c) for c in value if c.isdigit()]
    return digits[-1] if digits else 0


class _Ids:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.clock = EPOCH

    def new(self, prefix: str, size: int = 14) -> str:
        return f"{prefix}_{''.join(self.r.choice(ALPHABET) for _ in range(size))}"

    def now(self) -> int:
        self.clock += self.r.randint(3, 900)
        return self.clock


def _nested(form: dict[str, str]) -> dict[str, Any]:
    """`address[line1]=...` as Stripe reads it: nested dicts."""
    out: dict[str, Any] = {}
    for key, value in form.items():
        parts = key.replace("]", "").split("[")
        at = out
        for part in parts[:-1]:
            at = at.setdefault(part, {})
        at[parts[-1]] = value
    return out


class _Api:
    """The Stripe-shaped API: objects kept by id, errors as Stripe writes them."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.ids = _Ids(self.r)
        self.objects: dict[str, dict[str, Any]] = {}
        self.flaky: set[str] = set()

    def error(
        self, status: int, kind: str, message: str, **more: Any
    ) -> tuple[int, dict[str, Any]]:
        body = {"type": kind, "message": message, **more}
        if "doc_url" not in body and "code" in body:
            body["doc_url"] = (
                f"https://stripe.com/docs/error-codes/{body['code'].replace('_', '-')}"
            )
        return status, {"error": body}

    def customer(self, f: dict[str, Any], old: dict[str, Any] | None = None) -> dict[str, Any]:
        c = old or {
            "id": self.ids.new("cus"),
            "object": "customer",
            "address": None,
            "balance": 0,
            "created": self.ids.now(),
            "currency": None,
            "default_source": None,
            "delinquent": False,
            "description": None,
            "email": None,
            "invoice_prefix": "".join(self.r.choice(string.ascii_uppercase) for _ in range(8)),
            "livemode": False,
            "metadata": {},
            "name": None,
            "phone": None,
            "preferred_locales": [],
            "shipping": None,
            "tax_exempt": "none",
        }
        for key in ("email", "name", "phone", "description"):
            if key in f:
                c[key] = f[key]
        if "address" in f:
            c["address"] = {
                "city": None,
                "country": None,
                "line1": None,
                "line2": None,
                "postal_code": None,
                "state": None,
                **f["address"],
            }
        c["metadata"] = {**c["metadata"], **f.get("metadata", {})}
        if "tax" in f:
            c["tax"] = {"automatic_tax": "supported", "ip_address": f["tax"].get("ip_address")}
        self.objects[c["id"]] = c
        return c

    def answer(self, method: str, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        f = _nested(form)
        parts = [p for p in path.split("?")[0].split("/") if p][1:]
        what = parts[0] if parts else ""
        if path in self.flaky:
            self.flaky.discard(path)
            return self.error(
                429,
                "invalid_request_error",
                "Request rate limit exceeded. Learn more about rate limits here "
                "https://stripe.com/docs/rate-limits.",
                code="rate_limit",
            )
        if what == "customers" and len(parts) == 1 and method == "POST":
            email = f.get("email", "")
            if email and len(email) % 9 == 4:
                return self.error(
                    400,
                    "invalid_request_error",
                    f"Invalid email address: {email}",
                    code="email_invalid",
                    param="email",
                )
            return 200, self.customer(f)
        if what == "customers" and len(parts) == 2 and parts[1] == "search":
            query = urllib.parse.parse_qs(path.split("?", 1)[1]).get("query", [""])[0]
            found = [
                c
                for c in self.objects.values()
                if c.get("object") == "customer"
                and any(f"'{c.get(k)}'" in query for k in ("email", "name", "phone"))
            ]
            return 200, {
                "object": "search_result",
                "data": found[:1],
                "has_more": False,
                "next_page": None,
                "url": "/v1/customers/search",
            }
        if what == "customers" and len(parts) == 2:
            c = self.objects.get(parts[1])
            if c is None:
                return self.error(
                    404,
                    "invalid_request_error",
                    f"No such customer: '{parts[1]}'",
                    code="resource_missing",
                    param="id",
                )
            return 200, (self.customer(f, c) if method == "POST" else c)
        if what == "payment_methods":
            card = f.get("card", {})
            number = card.get("number", "").replace(" ", "")
            if _tail(number) in (3, 8) and number:
                return self.error(
                    402,
                    "card_error",
                    "Your card number is incorrect.",
                    code="incorrect_number",
                    param="number",
                )
            pm = {
                "id": self.ids.new("pm", 24),
                "object": "payment_method",
                "billing_details": {
                    "address": {
                        "city": None,
                        "country": None,
                        "line1": None,
                        "line2": None,
                        "postal_code": None,
                        "state": None,
                        **f.get("billing_details", {}).get("address", {}),
                    },
                    "email": f.get("billing_details", {}).get("email"),
                    "name": f.get("billing_details", {}).get("name"),
                    "phone": f.get("billing_details", {}).get("phone"),
                },
                "card": {
                    "brand": {"3": "amex", "4": "visa", "5": "mastercard", "6": "discover"}.get(
                        number[:1], "unknown"
                    ),
                    "checks": {"cvc_check": "unchecked", "address_postal_code_check": None},
                    "exp_month": int(card.get("exp_month", 1)),
                    "exp_year": int(card.get("exp_year", 2030)),
                    "funding": "credit",
                    "last4": number[-4:],
                },
                "created": self.ids.now(),
                "customer": None,
                "livemode": False,
                "type": "card",
            }
            self.objects[pm["id"]] = pm
            return 200, pm
        if what == "payment_intents":
            amount = int(f.get("amount", 0) or 0)
            pi = {
                "id": self.ids.new("pi", 24),
                "object": "payment_intent",
                "amount": amount,
                "amount_received": 0,
                "capture_method": "automatic",
                "client_secret": None,
                "created": self.ids.now(),
                "currency": f.get("currency", "usd"),
                "customer": f.get("customer"),
                "description": f.get("description"),
                "last_payment_error": None,
                "livemode": False,
                "metadata": f.get("metadata", {}),
                "payment_method": f.get("payment_method"),
                "receipt_email": f.get("receipt_email"),
                "statement_descriptor": f.get("statement_descriptor"),
                "status": "requires_payment_method",
            }
            pi["client_secret"] = f"{pi['id']}_secret_{self.ids.new('x', 25)[2:]}"
            if amount % 7 == 3:
                decline = self.r.choice(
                    [
                        ("card_declined", "generic_decline", "Your card was declined."),
                        (
                            "card_declined",
                            "insufficient_funds",
                            "Your card has insufficient funds.",
                        ),
                        ("expired_card", None, "Your card has expired."),
                    ]
                )
                more: dict[str, Any] = {"code": decline[0], "payment_intent": pi}
                if decline[1]:
                    more["decline_code"] = decline[1]
                more["charge"] = self.ids.new("ch", 24)
                return self.error(402, "card_error", decline[2], **more)
            if f.get("confirm") == "true":
                pi["status"] = "succeeded"
                pi["amount_received"] = amount
            self.objects[pi["id"]] = pi
            return 200, pi
        if what == "invoices" and method == "POST":
            c = self.objects.get(f.get("customer", ""), {})
            inv = {
                "id": self.ids.new("in", 24),
                "object": "invoice",
                "account_country": "US",
                "account_name": "Lakeside Family Clinic",
                "amount_due": int(f.get("amount_due", 0) or 0),
                "collection_method": f.get("collection_method", "send_invoice"),
                "created": self.ids.now(),
                "currency": "usd",
                "customer": c.get("id"),
                "customer_address": c.get("address"),
                "customer_email": c.get("email"),
                "customer_name": c.get("name"),
                "customer_phone": c.get("phone"),
                "days_until_due": int(f.get("days_until_due", 30) or 30),
                "description": f.get("description"),
                "hosted_invoice_url": None,
                "livemode": False,
                "metadata": f.get("metadata", {}),
                "number": f"{c.get('invoice_prefix', 'DRAFT')}-{self.r.randint(1, 60):04d}",
                "status": "draft",
            }
            if not c:
                return self.error(
                    400,
                    "invalid_request_error",
                    f"No such customer: '{f.get('customer')}'",
                    code="resource_missing",
                    param="customer",
                )
            return 200, inv
        if what == "refunds":
            pi = f.get("payment_intent", "")
            if pi not in self.objects:
                return self.error(
                    400,
                    "invalid_request_error",
                    f"No such payment_intent: '{pi}'",
                    code="resource_missing",
                    param="payment_intent",
                )
            return 200, {
                "id": self.ids.new("re", 24),
                "object": "refund",
                "amount": int(f.get("amount", 0) or self.objects[pi]["amount"]),
                "charge": self.ids.new("ch", 24),
                "created": self.ids.now(),
                "currency": "usd",
                "metadata": f.get("metadata", {}),
                "payment_intent": pi,
                "reason": f.get("reason"),
                "status": "succeeded",
            }
        if what == "checkout":
            sid = self.ids.new("cs_test", 58)
            return 200, {
                "id": sid,
                "object": "checkout.session",
                "amount_total": int(f.get("line_items", {}).get("0", {}).get("amount", 0) or 0),
                "cancel_url": f.get("cancel_url"),
                "created": self.ids.now(),
                "currency": "usd",
                "customer_email": f.get("customer_email"),
                "expires_at": self.ids.clock + 86400,
                "metadata": f.get("metadata", {}),
                "mode": "payment",
                "status": "open",
                "success_url": f.get("success_url"),
                "url": f"https://checkout.stripe.com/c/pay/{sid}",
            }
        return self._benign(method, what, parts, f)

    def _benign(
        self, method: str, what: str, parts: list[str], f: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        r = self.r
        if what == "products" and method == "POST":
            return 200, {
                "id": self.ids.new("prod"),
                "object": "product",
                "active": True,
                "created": self.ids.now(),
                "description": f.get("description"),
                "metadata": f.get("metadata", {}),
                "name": f.get("name"),
                "tax_code": "txcd_10000000",
                "type": "service",
            }
        if what == "prices":
            if int(f.get("unit_amount", 0) or 0) < 50:
                return self.error(
                    400,
                    "invalid_request_error",
                    "This value must be greater than or equal to 50.",
                    code="parameter_invalid_integer",
                    param="unit_amount",
                )
            return 200, {
                "id": self.ids.new("price", 24),
                "object": "price",
                "active": True,
                "created": self.ids.now(),
                "currency": f.get("currency", "usd"),
                "product": f.get("product"),
                "type": "one_time",
                "unit_amount": int(f.get("unit_amount", 0)),
            }
        if what == "balance":
            return 200, {
                "object": "balance",
                "available": [{"amount": r.randint(0, 9_000_000), "currency": "usd"}],
                "livemode": False,
                "pending": [{"amount": r.randint(0, 400_000), "currency": "usd"}],
            }
        if what in ("payouts", "events", "products", "invoices"):
            kind = what[:-1]
            data = [
                {
                    "id": self.ids.new(
                        {"payout": "po", "event": "evt", "product": "prod"}.get(kind, "in"), 24
                    ),
                    "object": kind,
                    "amount": r.randint(100, 900_000),
                    "arrival_date": self.ids.now() + 86400 * r.randint(1, 3),
                    "created": self.ids.now(),
                    "status": r.choice(["paid", "pending", "in_transit", "open"]),
                }
                for _ in range(r.randint(0, 2))
            ]
            return 200, {
                "object": "list",
                "data": data,
                "has_more": r.random() < 0.3,
                "url": f"/v1/{what}",
            }
        if what == "webhook_endpoints":
            return 200, {
                "id": self.ids.new("we", 24),
                "object": "webhook_endpoint",
                "api_version": API_VERSION,
                "created": self.ids.now(),
                "enabled_events": f.get("enabled_events", {}),
                "status": "enabled",
                "url": f.get("url"),
            }
        return self.error(
            404,
            "invalid_request_error",
            f"Unrecognized request URL ({method}: /v1/{'/'.join(parts)}). Please see "
            "https://stripe.com/docs or we can help at https://support.stripe.com/.",
        )


class _Handler(http.server.BaseHTTPRequestHandler):
    api: _Api

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size).decode() if size else ""
        if self.command == "GET" and "?" in self.path:
            form = dict(urllib.parse.parse_qsl(self.path.split("?", 1)[1]))
        else:
            form = dict(urllib.parse.parse_qsl(body))
        status, answer = self.api.answer(self.command, self.path, form)
        data = json.dumps(answer, indent=2).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Request-Id", self.api.ids.new("req"))
        if status == 429:
            self.send_header("Stripe-Should-Retry", "true")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _serve


def _logged(obj: Any, what: str, r: random.Random) -> None:
    how = r.randrange(4)
    if how == 0:
        log.info("%s %s:\n%s", what, getattr(obj, "id", None), obj)
    elif how == 1:
        log.debug("%s answered: %r", what, obj)
    elif how == 2:
        log.info("%s %s saved", what, getattr(obj, "id", None))
    else:
        log.debug("%s: %s", what, json.dumps(obj.to_dict(), sort_keys=True))


def _failed(exc: stripe.StripeError, what: str, r: random.Random) -> None:
    how = r.randrange(5)
    if how == 0:
        log.warning("%s failed: %s", what, exc)
    elif how == 1:
        log.warning("%s failed: %r", what, exc)
    elif how == 2:
        log.error("%s declined (%s): %s", what, exc.code, exc.user_message)
    elif how == 3 and exc.json_body:
        log.error("%s error body: %s", what, json.dumps(exc.json_body.get("error", {})))
    else:
        log.exception("%s failed", what)


def _call(what: str, r: random.Random, fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        obj = fn(*args, **kwargs)
    except stripe.StripeError as exc:
        _failed(exc, what, r)
        return None
    _logged(obj, what, r)
    return obj


def _address(p: Patient) -> dict[str, str]:
    return {
        "line1": p.street,
        "city": p.city,
        "state": p.state,
        "postal_code": p.zip,
        "country": "US",
    }


def _patient(client: stripe.StripeClient, api: _Api, p: Patient, r: random.Random) -> None:
    name = f"{p.first_name} {p.last_name}"
    meta = {"mrn": p.mrn}
    if r.random() < 0.5:
        meta["dob"] = p.dob.isoformat()
    if r.random() < 0.4:
        meta["account"] = p.account
    if r.random() < 0.3:
        meta["member_id"] = p.member_id
    params: dict[str, Any] = {"email": p.email, "name": name, "metadata": meta}
    if r.random() < 0.7:
        params["phone"] = p.phone
    if r.random() < 0.6:
        params["address"] = _address(p)
    if r.random() < 0.2:
        params["description"] = f"{p.last_name}, {p.first_name} (MRN {p.mrn})"
    if r.random() < 0.25:
        params["tax"] = {"ip_address": p.ip}
    if r.random() < 0.15:
        meta["licence"] = p.licence
    customer = _call("customer", r, client.v1.customers.create, params=params)
    for _ in range(r.randint(2, 4)):
        kind = r.randrange(9)
        if kind == 0:
            field = r.choice(["email", "name", "phone"])
            value = {"email": p.email, "name": name, "phone": p.phone}[field]
            _call(
                "customer search",
                r,
                client.v1.customers.search,
                params={"query": f"{field}:'{value}'"},
            )
        elif kind == 1 and customer is not None:
            update: dict[str, Any] = r.choice(
                [
                    {"address": _address(p)},
                    {"phone": p.phone},
                    {"metadata": {"ssn": p.ssn, "licence": p.licence}},
                    {"tax": {"ip_address": p.ip}},
                    {"metadata": {"mbi": p.mbi}},
                ]
            )
            _call("customer update", r, client.v1.customers.update, customer.id, params=update)
        elif kind == 2:
            month, year = r.randint(1, 12), r.randint(2026, 2031)
            card = {
                "number": p.card,
                "exp_month": month,
                "exp_year": year,
                "cvc": f"{r.randint(100, 999)}",
            }
            billing: dict[str, Any] = {"name": name}
            if r.random() < 0.5:
                billing["email"] = p.email
            if r.random() < 0.5:
                billing["address"] = {"postal_code": p.zip, "line1": p.street}
            _call(
                "payment method",
                r,
                client.v1.payment_methods.create,
                params={"type": "card", "card": card, "billing_details": billing},
            )
        elif kind in (3, 4):
            amount = r.randint(10, 900) * 5 + r.choice([0, 3])
            service = r.choice(SERVICES)
            params = {
                "amount": amount,
                "currency": "usd",
                "description": r.choice(
                    [
                        f"{service} - {name}",
                        f"{service} for MRN {p.mrn}",
                        f"{service}, account {p.account}",
                        f"{service} ({p.last_name}, DOB {p.dob:%m/%d/%Y})",
                    ]
                ),
                "receipt_email": p.email,
                "metadata": {"mrn": p.mrn, "visit": f"V{r.randint(100000, 999999)}"},
                "confirm": "true",
                "payment_method": f"pm_card_{r.choice(['visa', 'mastercard', 'amex'])}",
            }
            if customer is not None:
                params["customer"] = customer.id
            pi = _call("payment intent", r, client.v1.payment_intents.create, params=params)
            if pi is not None and r.random() < 0.4:
                _call(
                    "refund",
                    r,
                    client.v1.refunds.create,
                    params={
                        "payment_intent": pi.id,
                        "reason": "requested_by_customer",
                        "metadata": {"note": f"duplicate copay, {name}", "mrn": p.mrn},
                    },
                )
        elif kind == 5:
            params = {
                "customer": customer.id if customer is not None else api.ids.new("cus"),
                "collection_method": "send_invoice",
                "days_until_due": r.choice([15, 30, 45]),
                "description": r.choice(
                    [f"Statement for {name}", f"Balance for account {p.account}", "Statement"]
                ),
                "metadata": {"account": p.account, "guarantor": name},
            }
            _call("invoice", r, client.v1.invoices.create, params=params)
        elif kind == 6:
            params = {
                "mode": "payment",
                "customer_email": p.email,
                "success_url": f"https://portal.lakeside.example/pay/done?mrn={urllib.parse.quote(p.mrn)}",
                "cancel_url": "https://portal.lakeside.example/pay/cancel",
                "line_items": {"0": {"price": api.ids.new("price", 24), "quantity": 1}},
                "metadata": {"mrn": p.mrn, "patient": name},
            }
            _call("checkout session", r, client.v1.checkout.sessions.create, params=params)
        elif kind == 7 and r.random() < 0.3:
            api.flaky.add("/v1/customers")
            _call(
                "customer (retried)",
                r,
                client.v1.customers.create,
                params={"email": p.email, "name": name, "metadata": {"mrn": p.mrn}},
                options={"max_network_retries": 1},
            )
        else:
            _webhook(p, api, r)


def _webhook(p: Patient, api: _Api, r: random.Random) -> None:
    name = f"{p.first_name} {p.last_name}"
    charge = {
        "id": api.ids.new("ch", 24),
        "object": "charge",
        "amount": r.randint(10, 900) * 5,
        "billing_details": {
            "address": {"city": p.city, "country": "US", "line1": p.street, "postal_code": p.zip},
            "email": p.email,
            "name": name,
            "phone": p.phone if r.random() < 0.5 else None,
        },
        "created": api.ids.now(),
        "currency": "usd",
        "metadata": {"mrn": p.mrn},
        "outcome": {
            "network_status": "approved_by_network",
            "risk_level": "normal",
            "type": "authorized",
        },
        "paid": True,
        "receipt_email": p.email,
        "status": "succeeded",
    }
    event = {
        "id": api.ids.new("evt", 24),
        "object": "event",
        "api_version": API_VERSION,
        "created": api.ids.now(),
        "data": {"object": charge},
        "livemode": False,
        "type": r.choice(["charge.succeeded", "charge.refunded", "charge.dispute.created"]),
    }
    payload = json.dumps(event)
    if r.random() < 0.3:
        header = f"t={api.ids.clock},v1={r.getrandbits(256):064x}"
        try:
            stripe.Webhook.construct_event(payload, header, "whsec_clinic")
        except stripe.SignatureVerificationError as exc:
            log.warning("webhook rejected: %s (sig %s)", exc, exc.sig_header)
            if r.random() < 0.5:
                log.debug("rejected payload: %s", exc.http_body)
        return
    obj = stripe.Event.construct_from(event, "sk_test_clinic")
    how = r.randrange(3)
    if how == 0:
        log.info("webhook %s: %s", obj.type, obj.data.object)
    elif how == 1:
        log.info("webhook %s for %r", obj.type, obj.data.object.billing_details)
    else:
        log.debug("webhook event %r", obj)


PRODUCTS = (
    "Flu vaccine (quadrivalent)",
    "Sports physical",
    "Travel consult",
    "Copy of records (per page)",
    "Missed appointment fee",
    "CPR class",
)


def _benign(client: stripe.StripeClient, r: random.Random) -> None:
    kind = r.randrange(8)
    season = f"{r.randint(2025, 2027)}-{r.randint(2026, 2028) % 100:02d}"
    if kind == 0:
        product = _call(
            "product",
            r,
            client.v1.products.create,
            params={
                "name": f"{r.choice(PRODUCTS)} {season}",
                "description": f"SKU {r.choice(['VAX', 'SVC', 'FEE'])}-{r.randint(1000, 9999)}",
                "metadata": {
                    "cpt": f"{r.randint(90000, 99499)}",
                    "version": f"{r.randint(1, 4)}.{r.randint(0, 9)}",
                },
            },
        )
        if product is not None:
            _call(
                "price",
                r,
                client.v1.prices.create,
                params={
                    "product": product.id,
                    "currency": "usd",
                    "unit_amount": r.choice([0, 25, 1500, 4500, 12000]),
                },
            )
    elif kind == 1:
        _call("balance", r, client.v1.balance.retrieve)
    elif kind == 2:
        day = datetime.date(2026, 5, 4) - datetime.timedelta(days=r.randint(0, 90))
        start = int(
            datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp()
        )
        _call(
            "payouts",
            r,
            client.v1.payouts.list,
            params={"limit": r.choice([3, 10, 25]), "created": {"gte": start}},
        )
    elif kind == 3:
        _call(
            "events",
            r,
            client.v1.events.list,
            params={
                "type": r.choice(["charge.refunded", "invoice.paid", "payout.failed"]),
                "limit": r.randint(1, 50),
            },
        )
    elif kind == 4:
        _call(
            "webhook endpoint",
            r,
            client.v1.webhook_endpoints.create,
            params={
                "url": f"https://billing.lakeside.example/hooks/stripe/{r.randint(1, 99)}",
                "enabled_events": ["charge.succeeded", "invoice.paid"],
                "description": (
                    f"billing worker {r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 9)}"
                ),
            },
        )
    elif kind == 5:
        _call(
            "open invoices",
            r,
            client.v1.invoices.list,
            params={
                "status": "open",
                "limit": r.choice([10, 50, 100]),
                "due_date": {"lt": EPOCH + 86400 * r.randint(1, 60)},
            },
        )
    elif kind == 6:
        _call("customer", r, client.v1.customers.retrieve, f"cus_{r.getrandbits(64):016x}"[:18])
    else:
        _call(
            "products",
            r,
            client.v1.products.list,
            params={"active": "true", "limit": r.randint(5, 40)},
        )


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    r = random.Random(seed + 509)
    stripe.enable_telemetry = False
    api = _Api(seed + 511)
    _Handler.api = api
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_port
    fix.port(port, 443)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        client = stripe.StripeClient(
            "sk_test_51ClinicHarvest",
            base_addresses={"api": f"http://127.0.0.1:{port}"},
            max_network_retries=0,
        )
        closed = _closed_port()
        fix.port(closed, 8443)
        offline = stripe.StripeClient(
            "sk_test_51ClinicHarvest",
            base_addresses={"api": f"http://127.0.0.1:{closed}"},
            max_network_retries=0,
        )
        for i, p in enumerate(patients):
            with cap.about(p):
                for _ in range(2):
                    _patient(client, api, p, r)
                if i % 9 == 4:
                    _call(
                        "customer search (offline)",
                        r,
                        offline.v1.customers.search,
                        params={"query": f"email:'{p.email}'"},
                    )
            for _ in range(4):
                _benign(client, r)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
