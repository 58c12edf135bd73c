"""The `zeep` emitter of `fourteenth_held.py`: the app's SOAP client to a payer's eligibility and
an HIE's record-locator service, a zeep `Client` over a WSDL served (with the service) by a
stdlib `http.server` on a free loopback port (127.0.0.1) in a thread, called one request at a
time. Captured: zeep's own loggers (`zeep.transports`: `Loading remote data from: ...`, `HTTP
Post to ...:` with the envelope, `HTTP Response from ... (status: 200):` with the answer;
`zeep.wsdl.wsdl` and `zeep.xsd.schema` while the WSDL loads), and what the app logs: `Fault`s
(`str`, `repr`, code, the `detail` element as lxml writes it), `ValidationError`s for missing
elements, `TypeError`s for unknown arguments with the operation's signature, `TransportError`s,
and the zeep objects the service answers (their multi-line `str`). Pings, formulary look-ups,
provider directory entries and claim-status calls about claim numbers for the benign lines. The
port is replaced by a fixed one."""

from __future__ import annotations

import http.server
import logging
import random
import threading
from typing import Any

from lxml import etree
from patients import Patient
from zeep import Client, Settings
from zeep.exceptions import Fault, TransportError, ValidationError
from zeep.transports import Transport

log = logging.getLogger("clinic.hie")
TNS = "urn:clinic:eligibility:v2"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"

# operation: its request's and its response's fields, each `name`, `name?` (optional) or
# `name:type` (`string` unless told)
_OPERATIONS = {
    "CheckEligibility": (
        "memberId mbi? givenName familyName birthDate:date postalCode?",
        "status planCode copay?:decimal memberId traceNumber",
    ),
    "LocatePatient": (
        "mrn birthDate?:date",
        "mrn givenName familyName birthDate:date phone? email? street? city? postalCode?",
    ),
    "SubmitReferral": ("mrn patientName birthDate:date reason referringNpi", "referralId queue"),
    "VerifyIdentity": ("mrn ssn? licence?", "matched:boolean score:int"),
    "ClaimStatus": ("claimNumber account?", "claimNumber status paid?:decimal"),
    "Formulary": ("ndc plan?", "ndc tier:int priorAuth:boolean"),
    "ProviderDirectory": ("npi", "npi name specialty"),
    "Ping": ("echo?", "echo? version"),
}


def _fields(spec: str) -> list[tuple[str, str, int]]:
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append((name.rstrip("?"), kind or "string", 0 if name.endswith("?") else 1))
    return out


def _wsdl(port: int) -> bytes:
    types, messages, ops, bindings = [], [], [], []
    for op, (req, resp) in _OPERATIONS.items():
        for name, fields in ((op, _fields(req)), (f"{op}Response", _fields(resp))):
            els = "".join(
                f'<xsd:element name="{f}" type="xsd:{t}" minOccurs="{m}"/>' for f, t, m in fields
            )
            types.append(
                f'<xsd:element name="{name}"><xsd:complexType><xsd:sequence>{els}'
                "</xsd:sequence></xsd:complexType></xsd:element>"
            )
            messages.append(
                f'<wsdl:message name="{name}Msg"><wsdl:part name="body" element="tns:{name}"/>'
                "</wsdl:message>"
            )
        ops.append(
            f'<wsdl:operation name="{op}"><wsdl:input message="tns:{op}Msg"/>'
            f'<wsdl:output message="tns:{op}ResponseMsg"/></wsdl:operation>'
        )
        bindings.append(
            f'<wsdl:operation name="{op}"><soap:operation soapAction="{TNS}#{op}"/>'
            '<wsdl:input><soap:body use="literal"/></wsdl:input>'
            '<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"'
        ' xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"'
        f' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="{TNS}"'
        f' targetNamespace="{TNS}">'
        f'<wsdl:types><xsd:schema targetNamespace="{TNS}" elementFormDefault="qualified">'
        f"{''.join(types)}</xsd:schema></wsdl:types>{''.join(messages)}"
        f'<wsdl:portType name="EligibilityPort">{"".join(ops)}</wsdl:portType>'
        '<wsdl:binding name="EligibilityBinding" type="tns:EligibilityPort">'
        '<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>'
        f"{''.join(bindings)}</wsdl:binding>"
        '<wsdl:service name="EligibilityService"><wsdl:port name="EligibilitySoap"'
        ' binding="tns:EligibilityBinding">'
        f'<soap:address location="http://127.0.0.1:{port}/soap/eligibility"/></wsdl:port>'
        "</wsdl:service></wsdl:definitions>"
    ).encode()


def _tail(value: str) -> int:
    digits = [int(c) for c in value if c.isdigit()]
    return digits[-1] if digits else 0


def _fault(code: str, text: str, detail: dict[str, str] | None = None) -> str:
    inner = ""
    if detail:
        inner = (
            '<detail><f:ServiceFault xmlns:f="urn:clinic:faults">'
            + "".join(f"<f:{k}>{_esc(v)}</f:{k}>" for k, v in detail.items())
            + "</f:ServiceFault></detail>"
        )
    return (
        f"<soap:Fault><faultcode>soap:{code}</faultcode><faultstring>{_esc(text)}</faultstring>"
        f"{inner}</soap:Fault>"
    )


def _esc(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _answer(op: str, f: dict[str, str], r: random.Random) -> tuple[int, str]:
    """The service's answer to one call: (status, body inside the SOAP Body)."""

    def resp(**fields: Any) -> str:
        inner = "".join(f"<t:{k}>{_esc(str(v))}</t:{k}>" for k, v in fields.items())
        return f'<t:{op}Response xmlns:t="{TNS}">{inner}</t:{op}Response>'

    if op == "CheckEligibility":
        member, born = f.get("memberId", ""), f.get("birthDate", "")
        if "/" in born:
            return 500, _fault("Client", f"birthDate '{born}' is not an xsd:date")
        if _tail(member) in (0, 3):
            return 500, _fault(
                "Client",
                f"Member {member} not found for {f.get('familyName')}, {f.get('givenName')}",
                {"memberId": member, "birthDate": born, "reason": "NO_MATCH"},
            )
        if _tail(member) == 7:
            return 500, _fault("Server", f"Payer timeout for member {member}")
        return 200, resp(
            status="ACTIVE",
            planCode=f"PPO-{r.randint(100, 999)}",
            copay=f"{r.choice([10, 25, 40])}.00",
            memberId=member,
            traceNumber=f"TRN{r.randint(10**9, 10**10 - 1)}",
        )
    if op == "LocatePatient":
        mrn = f.get("mrn", "")
        if _tail(mrn) in (1, 5):
            return 500, _fault("Client", f"No record for MRN {mrn}", {"mrn": mrn})
        p = _LOOKUP.get(mrn)
        if p is None:
            return 500, _fault("Server", "record locator unavailable")
        return 200, resp(
            mrn=mrn,
            givenName=p.first_name,
            familyName=p.last_name,
            birthDate=p.dob.isoformat(),
            phone=p.phone,
            email=p.email,
            street=p.street,
            city=p.city,
            postalCode=p.zip,
        )
    if op == "SubmitReferral":
        if _tail(f.get("mrn", "")) == 2:
            return 500, _fault(
                "Client",
                f"Duplicate referral for {f.get('patientName')} (MRN {f.get('mrn')})",
                {"mrn": f.get("mrn", ""), "patientName": f.get("patientName", "")},
            )
        return 200, resp(referralId=f"RF-{r.randint(100000, 999999)}", queue="cardiology")
    if op == "VerifyIdentity":
        if f.get("ssn") and _tail(f["ssn"]) % 3 == 0:
            return 500, _fault("Client", f"SSN {f['ssn']} does not match MRN {f.get('mrn')}")
        if f.get("licence") and _tail(f["licence"]) in (4, 8):
            return 500, _fault("Client", "licence not found", {"licence": f["licence"]})
        return 200, resp(matched="true", score=r.randint(80, 99))
    if op == "ClaimStatus":
        number = f.get("claimNumber", "")
        if _tail(number) == 9:
            return 500, _fault("Client", f"Unknown claim {number}", {"claimNumber": number})
        if "account" in f and _tail(f["account"]) in (2, 6):
            return 500, _fault("Client", f"Claim {number} is not on account {f['account']}")
        return 200, resp(
            claimNumber=number,
            status=r.choice(["PAID", "PENDED", "DENIED"]),
            paid=f"{r.randint(10, 900)}.{r.randint(0, 99):02d}",
        )
    if op == "Formulary":
        if f.get("ndc", "").endswith("0"):
            return 404, "<html><body><h1>404 Not Found</h1></body></html>"
        return 200, resp(ndc=f.get("ndc"), tier=r.randint(1, 4), priorAuth="false")
    if op == "ProviderDirectory":
        npi = f.get("npi", "")
        if npi.endswith("3"):
            return 500, _fault("Client", f"NPI {npi} is not enrolled", {"npi": npi})
        return 200, resp(npi=npi, name=r.choice(STAFF), specialty=r.choice(SPECIALTIES))
    return 200, resp(echo=f.get("echo", ""), version="2.4.1")


_LOOKUP: dict[str, Patient] = {}


class _Handler(http.server.BaseHTTPRequestHandler):
    r = random.Random(0)
    wsdl = b""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(200, self.wsdl, "text/xml; charset=utf-8")

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers["Content-Length"]))
        body = etree.fromstring(data).find(f"{{{SOAP}}}Body")[0]
        op = etree.QName(body).localname
        fields = {etree.QName(c).localname: c.text or "" for c in body}
        status, inner = _answer(op, fields, self.r)
        if inner.startswith("<html"):
            self._send(status, inner.encode(), "text/html")
            return
        env = (
            f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}">'
            f"<soap:Body>{inner}</soap:Body></soap:Envelope>"
        )
        self._send(status, env.encode(), "text/xml; charset=utf-8")


STAFF = ("Dr. Helen Park", "Dr. Samuel Okoro", "Dr. Ingrid Holm", "NP Carla Reyes")
SPECIALTIES = ("Cardiology", "Endocrinology", "Family Medicine", "Nephrology")
REASONS = ("chest pain on exertion", "poorly controlled diabetes", "CKD stage 3", "palpitations")


def _call(service: Any, op: str, r: random.Random, **kwargs: Any) -> None:
    try:
        result = getattr(service, op)(**kwargs)
    except Fault as exc:
        how = r.randrange(4)
        if how == 0:
            log.warning("%s fault: %s", op, exc)
        elif how == 1:
            log.warning("%s failed: %r (code %s)", op, exc, exc.code)
        elif how == 2 and isinstance(exc.detail, etree._Element):
            log.error("%s fault detail: %s", op, etree.tostring(exc.detail, encoding="unicode"))
        elif how == 2 and exc.detail is not None:
            log.error("%s fault (%s), detail %r", op, exc.code, exc.detail)
        else:
            log.exception("%s call failed", op)
    except (ValidationError, TypeError, TransportError) as exc:
        if r.random() < 0.5:
            log.error("%s not sent: %s", op, exc)
        else:
            log.exception("%s not sent", op)
    else:
        if r.random() < 0.5:
            log.info("%s answered:\n%s", op, result)
        else:
            log.debug("%s ok", op)


def _born(p: Patient, r: random.Random) -> Any:
    return r.choice([p.dob, p.dob, p.dob.isoformat(), f"{p.dob:%m/%d/%Y}"])


def _patient(service: Any, p: Patient, r: random.Random) -> None:
    kind = r.randrange(9)
    name = f"{p.first_name} {p.last_name}"
    if kind in (0, 1):
        kw: dict[str, Any] = {
            "memberId": p.member_id,
            "givenName": p.first_name,
            "familyName": p.last_name,
            "birthDate": _born(p, r),
        }
        if r.random() < 0.5:
            kw["mbi"] = p.mbi
        if r.random() < 0.4:
            kw["postalCode"] = p.zip
        if r.random() < 0.15:
            del kw["givenName"]
        _call(service, "CheckEligibility", r, **kw)
    elif kind in (2, 3):
        _LOOKUP[p.mrn] = p
        kw = {"mrn": p.mrn}
        if r.random() < 0.4:
            kw["birthDate"] = p.dob
        _call(service, "LocatePatient", r, **kw)
    elif kind == 4:
        _call(
            service,
            "SubmitReferral",
            r,
            mrn=p.mrn,
            patientName=name,
            birthDate=_born(p, r),
            reason=r.choice(REASONS),
            referringNpi=f"1{r.randint(10**8, 10**9 - 1)}",
        )
    elif kind == 5:
        kw = (
            {"mrn": p.mrn, "ssn": p.ssn}
            if r.random() < 0.5
            else {"mrn": p.mrn, "licence": p.licence}
        )
        _call(service, "VerifyIdentity", r, **kw)
    elif kind == 6:
        claim = f"CLM-{r.randint(2024, 2026)}-{r.randint(1, 999999):06d}"
        _call(service, "ClaimStatus", r, claimNumber=claim, account=p.account)
    elif kind == 7:
        # a typo in an argument name: zeep refuses it with the operation's signature
        _call(service, "LocatePatient", r, mrn=p.mrn, dob=p.dob)
    else:
        _call(
            service,
            "CheckEligibility",
            r,
            memberId=p.member_id,
            familyName=p.last_name,
            birthDate=_born(p, r),
            email=p.email,
        )


def _benign(service: Any, r: random.Random) -> None:
    kind = r.randrange(5)
    if kind == 0:
        _call(service, "Ping", r, echo=f"hb-{r.randint(1, 99999)}")
    elif kind == 1:
        ndc = f"{r.randint(1000, 99999)}-{r.randint(100, 999)}-{r.randint(10, 99)}"
        _call(service, "Formulary", r, ndc=ndc, plan=f"PPO-{r.randint(100, 999)}")
    elif kind == 2:
        _call(service, "ProviderDirectory", r, npi=f"1{r.randint(10**8, 10**9 - 1)}")
    elif kind == 3:
        claim = f"CLM-{r.randint(2024, 2026)}-{r.randint(1, 999999):06d}"
        _call(service, "ClaimStatus", r, claimNumber=claim)
    else:
        _call(service, "Formulary", r, plan="HMO-2")


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    r = random.Random(seed + 401)
    server = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_port
    fix.port(port, 8080)
    _Handler.r = random.Random(seed + 403)
    _Handler.wsdl = _wsdl(port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        transport = Transport(timeout=10, operation_timeout=10)
        client = Client(
            f"http://127.0.0.1:{port}/soap/eligibility?wsdl",
            transport=transport,
            settings=Settings(strict=True),
        )
        service = client.service
        for p in patients:
            with cap.about(p):
                for _ in range(4):
                    _patient(service, p, r)
            for _ in range(3):
                _benign(service, r)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
