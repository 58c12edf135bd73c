"""The `authlib` emitter of `sixteenth_held.py`: the app as a SMART-on-FHIR client of a patient
portal's authorization server, through Authlib's `OAuth2Session` (its requests client) and
`authlib.jose`, against an authorization server served by a stdlib `http.server` on a free
loopback port (127.0.0.1) in a thread, answering one request at a time. Captured: the `authlib`
loggers and what the app logs: authorization URLs built with `create_authorization_url`
(`login_hint`, `launch`, PKCE's challenge, state and nonce), token responses (`OAuth2Token`:
the access token and the SMART launch context, `patient`, `fhirUser`, `id_token`), ID tokens
decoded and validated with `authlib.jose.jwt` as `CodeIDToken` claims (their `repr`, the
claims a portal puts in them, `InvalidClaimError`, `ExpiredTokenError`, `MissingClaimError`,
`BadSignatureError`), userinfo answers, `OAuthError`s with the server's `error` and
`error_description` (`str`, `repr`, `description`), refreshes, revocations, and tracebacks.
Backend-service tokens (`client_credentials`), the discovery document, staff logins and key
sets for the benign lines. ID tokens are signed with HS256 and the client's secret (the same
bytes on every run); every token, code, state, nonce and verifier is drawn from a seeded
source, every `iat`, `exp` and `expires_at` from a fixed clock."""

from __future__ import annotations

import base64
import datetime
import http.server
import json
import logging
import random
import string
import threading
import types
import urllib.parse
import warnings
from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749 import wrappers
from joserfc.errors import JoseError as RfcJoseError
from patients import Patient

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # authlib.jose: deprecated for joserfc, still what apps use
    from authlib.jose import JsonWebToken
    from authlib.jose.errors import JoseError
    from authlib.oidc.core import CodeIDToken

JOSE_ERRORS = (JoseError, RfcJoseError)

log = logging.getLogger("clinic.smart")
NOW = int(datetime.datetime(2026, 7, 14, 15, 0, tzinfo=datetime.UTC).timestamp())
CLIENT_ID = "lakeview-chart-viewer"
ISSUER = "https://auth.lakeview.example"
SECRET = "s3cr3t-portal-hs256-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
ALPHABET = string.ascii_letters + string.digits
STAFF = (
    ("Imogen", "Vasquez", "1093817264"),
    ("Tobias", "Lindqvist", "1487720315"),
    ("Ruth", "Okonkwo", "1902846153"),
)


def _token(r: random.Random, size: int = 32) -> str:
    return "".join(r.choice(ALPHABET) for _ in range(size))


class _Server:
    """The portal's authorization server: tokens, userinfo, revocation, discovery, keys."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.jwt = JsonWebToken(["HS256"])
        self.codes: dict[str, dict[str, Any]] = {}
        self.refresh: dict[str, dict[str, Any]] = {}
        self.issuer = ISSUER
        self.base = ""

    def id_token(self, who: dict[str, Any], nonce: str | None, twist: int) -> str:
        claims = {
            "iss": self.issuer if twist != 1 else "https://idp.other.example",
            "sub": who["sub"],
            "aud": CLIENT_ID if twist != 2 else "lakeview-billing",
            "iat": NOW,
            "exp": NOW + 3600 if twist != 3 else NOW - 600,
            "auth_time": NOW - 30,
            "fhirUser": who["fhirUser"],
            **{k: v for k, v in who["claims"].items() if twist != 4 or k != "name"},
        }
        if nonce and twist != 5:
            claims["nonce"] = nonce
        key = SECRET if twist != 6 else SECRET[::-1]
        return self.jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, key).decode("ascii")

    def answer(self, method: str, path: str, form: dict[str, str]) -> tuple[int, Any]:
        r = self.r
        if path.startswith("/.well-known/smart-configuration"):
            return 200, {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.base}/authorize",
                "token_endpoint": f"{self.base}/token",
                "userinfo_endpoint": f"{self.base}/userinfo",
                "revocation_endpoint": f"{self.base}/revoke",
                "code_challenge_methods_supported": ["S256"],
                "capabilities": [
                    "launch-ehr",
                    "client-confidential-symmetric",
                    "context-ehr-patient",
                ],
            }
        if path.startswith("/userinfo"):
            bearer = form.get("_bearer", "")
            who = self.refresh.get(bearer)
            if who is None:
                return 401, {
                    "error": "invalid_token",
                    "error_description": "The access token expired",
                }
            return 200, {"sub": who["sub"], **who["claims"]}
        if path.startswith("/revoke"):
            return 200, {}
        if not path.startswith("/token"):
            return 404, {"error": "not_found"}
        grant = form.get("grant_type")
        if grant == "client_credentials":
            if form.get("scope", "").startswith("system/Patient.write"):
                return 400, {
                    "error": "invalid_scope",
                    "error_description": f"scope {form['scope']} is not granted to {CLIENT_ID}",
                }
            return 200, {
                "access_token": _token(r, 40),
                "token_type": "Bearer",
                "expires_in": r.choice([300, 900, 3600]),
                "expires_at": NOW + 900,
                "scope": form.get("scope", "system/*.read"),
            }
        if grant == "refresh_token":
            who = self.refresh.get(form.get("refresh_token", ""))
            if who is None or who.get("revoked"):
                return 400, {"error": "invalid_grant", "error_description": "refresh token revoked"}
            access = _token(r, 40)
            self.refresh[access] = who
            return 200, {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 3600,
                "expires_at": NOW + 7200,
                "scope": who["scope"],
                "patient": who["patient"],
            }
        code = self.codes.pop(form.get("code", ""), None)
        if code is None:
            return 400, {
                "error": "invalid_grant",
                "error_description": "authorization code unknown or already used",
            }
        if code.get("error"):
            return 400, code["error"]
        who = code["who"]
        access, refresh = _token(r, 40), _token(r, 48)
        self.refresh[access] = who
        self.refresh[refresh] = who
        body = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 3600,
            "expires_at": NOW + 3600,
            "refresh_token": refresh,
            "scope": who["scope"],
            "patient": who["patient"],
            "need_patient_banner": True,
            "smart_style_url": f"{self.issuer}/styles/lakeview.json",
        }
        if "openid" in who["scope"]:
            body["id_token"] = self.id_token(who, code.get("nonce"), code["twist"])
        return 200, body


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "PortalAuth/2.3"
    sys_version = ""
    api: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(size).decode() if size else ""
        form = dict(urllib.parse.parse_qsl(raw))
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            form["_bearer"] = auth[7:]
        status, body = self.api.answer(self.command, self.path, form)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _serve


def _who(p: Patient, r: random.Random) -> dict[str, Any]:
    fhir_id = f"{r.getrandbits(48):012x}"
    claims: dict[str, Any] = {
        "name": f"{p.first_name} {p.last_name}",
        "given_name": p.first_name,
        "family_name": p.last_name,
        "birthdate": p.dob.isoformat(),
        "email": p.email,
    }
    if r.random() < 0.5:
        claims["phone_number"] = p.phone
    if r.random() < 0.4:
        claims["address"] = {
            "street_address": p.street,
            "locality": p.city,
            "region": p.state,
            "postal_code": p.zip,
        }
    if r.random() < 0.3:
        claims["mrn"] = p.mrn
    return {
        "sub": f"pt-{fhir_id}",
        "fhirUser": f"Patient/{fhir_id}",
        "patient": fhir_id,
        "scope": r.choice(
            [
                "launch/patient openid fhirUser patient/*.read offline_access",
                "openid fhirUser patient/Observation.read patient/Patient.read",
            ]
        ),
        "claims": claims,
    }


def _failed(exc: Exception, what: str, r: random.Random) -> None:
    how = r.randrange(4)
    if how == 0:
        log.error("%s failed: %s", what, exc)
    elif how == 1:
        log.error("%s failed: %r", what, exc)
    elif how == 2 and isinstance(exc, (AuthlibBaseError, RfcJoseError)):
        log.warning("%s: error=%s description=%s", what, exc.error, exc.description)
    else:
        log.exception("%s failed", what)


class _Client:
    def __init__(self, seed: int, base: str, api: _Server) -> None:
        self.r = random.Random(seed)
        self.base = base
        self.api = api
        self.jwt = JsonWebToken(["HS256"])

    def session(self, **more: Any) -> OAuth2Session:
        return OAuth2Session(
            CLIENT_ID,
            SECRET,
            scope="launch/patient openid fhirUser patient/*.read offline_access",
            redirect_uri="https://chart.lakeview.example/smart/callback",
            code_challenge_method="S256",
            **more,
        )

    def launch(self, p: Patient) -> None:
        r = self.r
        who = _who(p, r)
        session = self.session()
        state, nonce, verifier = _token(r, 30), _token(r, 24), _token(r, 64)
        extra: dict[str, Any] = {"aud": "https://fhir.lakeview.example/r4", "nonce": nonce}
        if r.random() < 0.5:
            extra["login_hint"] = p.email
        if r.random() < 0.4:
            launch = (
                base64.urlsafe_b64encode(
                    json.dumps({"patient": who["patient"], "mrn": p.mrn}).encode()
                )
                .decode()
                .rstrip("=")
            )
            extra["launch"] = launch if r.random() < 0.5 else json.dumps({"mrn": p.mrn})
        url, _ = session.create_authorization_url(
            f"{self.base}/authorize", state=state, code_verifier=verifier, **extra
        )
        log.info("redirecting to %s", url)
        code = _token(r, 22)
        twist = r.choice([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7])
        entry: dict[str, Any] = {"who": who, "nonce": nonce, "twist": twist}
        if twist == 7:
            entry["error"] = r.choice(
                [
                    {
                        "error": "access_denied",
                        "error_description": (
                            f"{p.first_name} {p.last_name} declined to share records"
                        ),
                    },
                    {
                        "error": "invalid_request",
                        "error_description": (
                            f"login_hint {p.email} does not match the signed-in patient"
                        ),
                    },
                    {
                        "error": "invalid_grant",
                        "error_description": (
                            f"patient {p.mrn} is not linked to this portal account"
                        ),
                    },
                ]
            )
        self.api.codes[code] = entry
        try:
            token = session.fetch_token(
                f"{self.base}/token", code=code, code_verifier=verifier, state=state
            )
        except (OAuthError, AuthlibBaseError) as exc:
            _failed(exc, "token exchange", r)
            return
        how = r.randrange(3)
        if how == 0:
            log.info("token: %r", token)
        elif how == 1:
            log.info(
                "launch context: patient=%s scope=%s", token.get("patient"), token.get("scope")
            )
        else:
            log.debug("token response %s", json.dumps(dict(token)))
        if "id_token" in token:
            self.id_token(token["id_token"], nonce, p)
        if r.random() < 0.5:
            self.userinfo(session, p)
        if r.random() < 0.3:
            self.refresh_and_revoke(session, token)

    def id_token(self, id_token: str, nonce: str, p: Patient) -> None:
        r = self.r
        try:
            claims = self.jwt.decode(
                id_token,
                SECRET,
                claims_cls=CodeIDToken,
                claims_options={
                    "iss": {"essential": True, "value": ISSUER},
                    "aud": {"essential": True, "value": CLIENT_ID},
                    "name": {"essential": True},
                },
                claims_params={"nonce": nonce, "client_id": CLIENT_ID},
            )
            claims.validate(now=NOW)
        except JOSE_ERRORS as exc:
            _failed(exc, "id_token", r)
            if r.random() < 0.5:
                payload = id_token.split(".")[1]
                payload += "=" * (-len(payload) % 4)
                log.warning(
                    "rejected id_token claims: %s", base64.urlsafe_b64decode(payload).decode()
                )
            return
        how = r.randrange(3)
        if how == 0:
            log.info("id_token claims: %r", claims)
        elif how == 1:
            log.info(
                "signed in %s (%s), born %s",
                claims["name"],
                claims.get("email"),
                claims.get("birthdate"),
            )
        else:
            for key in ("sub", "fhirUser", "name", "birthdate", "email", "phone_number", "address"):
                if key in claims:
                    log.debug("  %s = %s", key, claims[key])

    def userinfo(self, session: OAuth2Session, p: Patient) -> None:
        r = self.r
        try:
            response = session.get(f"{self.base}/userinfo")
        except AuthlibBaseError as exc:
            _failed(exc, "userinfo", r)
            return
        if response.status_code != 200:
            log.warning("userinfo answered %s: %s", response.status_code, response.text)
            return
        info = response.json()
        if r.random() < 0.5:
            log.info("userinfo %s", info)
        else:
            log.info(
                "userinfo for %s: %s, %s",
                info.get("sub"),
                info.get("family_name"),
                info.get("given_name"),
            )

    def refresh_and_revoke(self, session: OAuth2Session, token: Any) -> None:
        r = self.r
        try:
            fresh = session.refresh_token(
                f"{self.base}/token", refresh_token=token.get("refresh_token")
            )
            log.info("refreshed: %r", fresh)
        except (OAuthError, AuthlibBaseError) as exc:
            _failed(exc, "refresh", r)
        session.revoke_token(
            f"{self.base}/revoke", token.get("refresh_token"), token_type_hint="refresh_token"
        )
        who = self.api.refresh.get(token.get("refresh_token"))
        if who is not None:
            who["revoked"] = True
        log.info("revoked refresh token for %s", token.get("patient"))
        try:
            session.refresh_token(f"{self.base}/token", refresh_token=token.get("refresh_token"))
        except (OAuthError, AuthlibBaseError) as exc:
            _failed(exc, "refresh after revoke", r)

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(5)
        if kind == 0:
            session = self.session()
            scope = r.choice(
                [
                    "system/*.read",
                    "system/Observation.read system/Patient.read",
                    "system/Patient.write",
                ]
            )
            try:
                token = session.fetch_token(
                    f"{self.base}/token", grant_type="client_credentials", scope=scope
                )
                log.info("backend token: %r", token)
            except (OAuthError, AuthlibBaseError) as exc:
                _failed(exc, "backend token", r)
        elif kind == 1:
            session = self.session()
            config = session.get(
                f"{self.base}/.well-known/smart-configuration", withhold_token=True
            ).json()
            log.debug("smart configuration: %s", config)
        elif kind == 2:
            first, last, npi = r.choice(STAFF)
            who = {
                "sub": f"pr-{npi}",
                "fhirUser": f"Practitioner/{npi}",
                "claims": {"name": f"Dr. {first} {last}", "npi": npi},
            }
            token = self.api.id_token(who, None, r.choice([0, 0, 3]))
            try:
                claims = self.jwt.decode(token, SECRET)
                claims.validate(now=NOW)
                log.info("staff login %r", claims)
            except JOSE_ERRORS as exc:
                _failed(exc, "staff login", r)
        elif kind == 3:
            session = self.session()
            try:
                session.fetch_token(
                    f"{self.base}/token", code=_token(r, 22), code_verifier=_token(r, 64)
                )
            except (OAuthError, AuthlibBaseError) as exc:
                _failed(exc, "stale callback", r)
        else:
            session = self.session(
                token={
                    "access_token": _token(r, 40),
                    "token_type": "Bearer",
                    "expires_at": NOW - 60,
                }
            )
            try:
                response = session.get(f"{self.base}/userinfo")
                log.warning("userinfo answered %s: %s", response.status_code, response.text)
            except AuthlibBaseError as exc:
                _failed(exc, "nightly userinfo", r)


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    # a token's expiry is checked against the fixed clock, not the machine's
    wrappers.time = types.SimpleNamespace(time=lambda: NOW)  # type: ignore[attr-defined]
    api = _Server(seed + 707)
    _Handler.api = api
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_port
    fix.port(port, 9443)
    fix.subs.append((f"127.0.0.1%3A{port}", "127.0.0.1%3A9443"))
    api.base = f"http://127.0.0.1:{port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        client = _Client(seed + 709, api.base, api)
        for p in patients:
            with cap.about(p):
                for _ in range(3):
                    client.launch(p)
            for _ in range(3):
                client.benign()
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
