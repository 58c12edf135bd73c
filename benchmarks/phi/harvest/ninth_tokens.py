"""The `pyjwt` emitter of `ninth_held.py`: PyJWT issuing and checking the patient portal's
tokens (HS256 and RS256, with `iss`, `aud`, `exp`, `nbf` and the patient's claims), as the
portal's authentication backend logs them: the claims it issued or decoded, unverified headers
and claims of rejected tokens, and each PyJWT error (`ExpiredSignatureError`,
`InvalidAudienceError`, `InvalidIssuerError`, `ImmatureSignatureError`,
`MissingRequiredClaimError`, `InvalidSignatureError`, `DecodeError`s of malformed tokens,
`InvalidAlgorithmError`), some with `logger.exception` tracebacks. A token is logged only when
its claims hold no patient value (service tokens); patient tokens by their signature's tail.
Service-to-service tokens of the inventory, scheduling and backup jobs for the benign lines."""

from __future__ import annotations

import contextlib
import datetime
import logging
import random
from collections.abc import Iterator
from typing import Any

import jwt
import jwt.api_jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from patients import Patient

log = logging.getLogger("clinic.portal.auth")
ISSUER = "https://portal.clinic.example"
NOW = 1_790_000_000  # the portal's clock (2026-09-21), fixed
SECRET = "portal-signing-key-2026-rotation-3-not-for-production"


def _rsa(seed: int) -> tuple[Any, Any]:
    # RSA keys cannot be seeded: only the signatures would change, and no line shows them whole
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, key.public_key()


def _claims(p: Patient, r: random.Random) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": p.mrn,
        "aud": "patient-portal",
        "iat": NOW - r.randint(0, 3000),
        "exp": NOW + r.randint(300, 3600),
        "jti": f"{r.getrandbits(64):016x}",
    }
    fields = r.sample(["name", "email", "birthdate", "phone_number", "member_id", "address"], 3)
    for field in fields:
        claims[field] = {
            "name": p.full_name,
            "email": p.email,
            "birthdate": p.dob.isoformat(),
            "phone_number": p.phone,
            "member_id": p.member_id,
            "address": {"street_address": p.street, "locality": p.city, "postal_code": p.zip},
        }[field]
    return claims


def _decode(token: str, key: Any, algorithms: list[str], **kw: Any) -> dict[str, Any]:
    return jwt.decode(
        token,
        key,
        algorithms=algorithms,
        audience=kw.pop("audience", "patient-portal"),
        issuer=kw.pop("issuer", ISSUER),
        options={"require": ["exp", "iat", "sub"], **kw.pop("options", {})},
        leeway=0,
        **kw,
    )


def _patient(p: Patient, r: random.Random, pem: bytes, public: Any) -> None:
    claims = _claims(p, r)
    log.info("issuing portal token for %s (MRN %s): %s", p.full_name, p.mrn, claims)
    for kind in r.sample(range(10), 5):
        c = dict(claims)
        key, algorithms = SECRET, ["HS256"]
        if kind == 0:
            c["exp"] = NOW - r.randint(60, 90000)
        elif kind == 1:
            c["aud"] = r.choice(["billing-api", "staff-portal", ["mobile-app"]])
        elif kind == 2:
            c["iss"] = r.choice(["https://portal.clinic.example/", "https://idp.partner.example"])
        elif kind == 3:
            c["nbf"] = NOW + r.randint(600, 86400)
        elif kind == 4:
            del c[r.choice(["exp", "iat"])]
        elif kind == 5:
            key = SECRET + "-old"
        elif kind == 6:
            token = jwt.encode(c, pem, algorithm="RS256", headers={"kid": "portal-2026-03"})
            try:
                got = _decode(token, SECRET, ["HS256"], options={"verify_exp": False})
            except jwt.InvalidAlgorithmError as exc:
                header = jwt.get_unverified_header(token)
                log.warning("token for MRN %s rejected: %s (header %s)", p.mrn, exc, header)
            got = _decode(token, public, ["RS256"], options={"verify_exp": False})
            log.debug("RS256 token verified for %s: %s", p.mrn, got)
            continue
        elif kind == 7:
            token = jwt.encode(c, SECRET, algorithm="HS256")
            head, body, sig = token.split(".")
            bad = r.choice([f"{head}.{body}", f"{head}.{body}.{sig}.x", f"{head}!.{body}.{sig}"])
            try:
                _decode(bad, SECRET, ["HS256"])
            except jwt.DecodeError as exc:
                log.error("malformed portal token from %s (user %s): %s", p.ip, p.email, exc)
            continue
        elif kind == 8:
            token = jwt.encode(c, SECRET, algorithm="HS256")
            got = _decode(token, SECRET, ["HS256"], options={"verify_exp": False})
            log.info(
                "portal login %s from %s, token ...%s, claims %r",
                got["sub"], p.ip, token[-10:], got,
            )  # fmt: skip
            continue
        else:
            token = jwt.encode(c, SECRET, algorithm="HS256")
            try:
                _decode(token, SECRET, ["HS256"], audience="staff-portal")
            except jwt.PyJWTError:
                log.exception("staff portal refused the token of %s %s", p.first_name, p.last_name)
            continue
        token = jwt.encode(c, key, algorithm="HS256")
        options = {} if kind in (0, 4) else {"verify_exp": False}
        try:
            got = _decode(token, SECRET, algorithms, options=options)
            log.info("token of %s accepted: %s", p.mrn, got)
        except jwt.PyJWTError as exc:
            unverified = jwt.decode(token, options={"verify_signature": False})
            log.warning(
                "rejected portal token (%s: %s); unverified claims: %s",
                type(exc).__name__, exc, unverified,
            )  # fmt: skip
            if r.random() < 0.3:
                log.info("%s %s was asked to sign in again", p.first_name, p.last_name)


SERVICES = ("inventory-sync", "scheduler", "backup-agent", "lab-interface", "fax-gateway")
SCOPES = ("stock:read", "stock:write", "slots:read", "slots:write", "reports:read", "orders:write")


def _benign(r: random.Random, n: int, pem: bytes, public: Any) -> None:
    service = r.choice(SERVICES)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": f"svc:{service}",
        "aud": "internal-api",
        "iat": NOW - r.randint(0, 3000),
        "exp": NOW + r.randint(60, 900),
        "scope": " ".join(sorted(r.sample(SCOPES, r.randint(1, 3)))),
        "jti": f"{r.getrandbits(64):016x}",
    }
    kind = r.randrange(5)
    if kind == 0:
        token = jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": f"svc-{n % 7}"})
        log.debug("service token for %s (run %d): %s", service, n, token)
    elif kind == 1:
        token = jwt.encode(claims, pem, algorithm="RS256")
        got = jwt.decode(
            token,
            public,
            algorithms=["RS256"],
            audience="internal-api",
            options={"verify_exp": False},
        )
        log.info(
            "service %s authenticated with scope %r (jti %s)", service, got["scope"], got["jti"]
        )
    elif kind == 2:
        claims["exp"] = NOW - r.randint(1, 5000)
        token = jwt.encode(claims, SECRET, algorithm="HS256")
        try:
            jwt.decode(token, SECRET, algorithms=["HS256"], audience="internal-api")
        except jwt.ExpiredSignatureError as exc:
            log.warning(
                "service %s token expired (%s); refreshing, attempt %d",
                service,
                exc,
                r.randint(1, 3),
            )
    elif kind == 3:
        token = jwt.encode(claims, SECRET, algorithm="HS256")
        try:
            jwt.decode(token, SECRET, algorithms=["HS256"], audience="reports-api")
        except jwt.InvalidAudienceError:
            log.exception("job %d of %s refused by reports-api", n, service)
    else:
        try:
            jwt.decode(f"eyJhbGciOiJIUzI1NiJ9.{r.getrandbits(40):x}", SECRET, algorithms=["HS256"])
        except jwt.DecodeError as exc:
            log.error("webhook %d from %s carried a bad token: %s", n, service, exc)


class _PortalClock(datetime.datetime):
    @classmethod
    def now(cls, tz: datetime.tzinfo | None = None) -> _PortalClock:  # type: ignore[override]
        return cls.fromtimestamp(NOW, tz)


@contextlib.contextmanager
def _portal_clock() -> Iterator[None]:
    """PyJWT checks `exp`, `nbf` and `iat` against the portal's fixed clock, not the host's."""
    real = jwt.api_jwt.datetime
    jwt.api_jwt.datetime = _PortalClock  # type: ignore[misc]
    try:
        yield
    finally:
        jwt.api_jwt.datetime = real  # type: ignore[misc]


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 71)
    pem, public = _rsa(seed)
    with _portal_clock():
        _drive(r, patients, cap, pem, public)


def _drive(r: random.Random, patients: list[Patient], cap: Any, pem: bytes, public: Any) -> None:
    for i, p in enumerate(patients):
        with cap.about(p):
            _patient(p, r, pem, public)
        for k in range(6):
            _benign(r, i * 6 + k, pem, public)
