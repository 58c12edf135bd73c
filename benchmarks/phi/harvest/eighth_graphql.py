"""The `graphql` emitter of `eighth_held.py`: graphql-core executing the app's patient API schema
(SDL with a `Date` scalar, resolvers over the patients) for queries, searches and mutations with
variables, and what the GraphQL view logs about each request and its errors."""

from __future__ import annotations

import datetime
import json
import logging
import random
from typing import Any

from graphql import GraphQLError, build_schema, graphql_sync
from patients import Patient

log = logging.getLogger("clinic.graphql")

SDL = """
scalar Date

type Coverage { memberId: String! mbi: String account: String! }
type Address { street: String city: String state: String zip: String }
type Patient {
  id: ID!
  mrn: String!
  firstName: String!
  lastName: String!
  dob: Date
  ssn: String
  phone: String
  email: String
  address: Address
  coverage: Coverage
}
type Product { sku: String! name: String! supplier: String! onHand: Int! }
type Slot { id: ID! room: String! starts: String! minutes: Int! status: String! }
type Order { number: String! lines: Int! total: Float! status: String! }
input ContactInput { phone: String! email: String! zip: Int }
input SlotInput { room: String! starts: String! minutes: Int! }

type Query {
  patient(mrn: String!): Patient
  searchPatients(lastName: String!, dob: Date): [Patient!]!
  eligibility(memberId: String!, dob: Date!): Coverage
  product(sku: String!): Product
  products(supplier: String, below: Int): [Product!]!
  freeSlots(day: Date!, room: String): [Slot!]!
  order(number: String!): Order
}
type Mutation {
  updateContact(mrn: String!, input: ContactInput!): Patient
  bookSlot(mrn: String!, slotId: ID!): Slot
  restock(sku: String!, quantity: Int!): Product
  holdSlot(input: SlotInput!): Slot
}
"""

PRODUCTS = {
    "SKU-70112": ("Sterile drape 60x60", "Medline"),
    "SKU-70340": ("Otoscope tips 4 mm", "Welch Allyn"),
    "SKU-71208": ("Urine test strips", "Siemens"),
    "SKU-72019": ("Suture kit 4-0", "Ethicon"),
    "SKU-73311": ("Pulse oximeter probe", "Masimo"),
    "SKU-74502": ("Cold pack, instant", "Cardinal"),
}
ROOMS = ("Exam 7", "Exam 8", "Minor procedures", "Vaccination", "Telehealth 2")


def _date(value: Any) -> datetime.date:
    if not isinstance(value, str):
        raise TypeError(f"Date cannot represent a non string value: {value!r}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"Date cannot represent an invalid date: {value!r}") from None


class Api:
    def __init__(self, patients: list[Patient], r: random.Random) -> None:
        self.schema = build_schema(SDL)
        date = self.schema.type_map["Date"]
        # graphql-core 3.2 reads `serialize`/`parse_value`, 3.3 the `coerce_*` names
        for attr in ("serialize", "coerce_output_value"):
            setattr(date, attr, lambda d: d.isoformat())
        for attr in ("parse_value", "coerce_input_value"):
            setattr(date, attr, _date)
        self.by_mrn = {p.mrn: (i + 1, p) for i, p in enumerate(patients)}
        self.r = r
        self.denied: set[str] = set()

    def _patient(self, pk: int, p: Patient) -> dict[str, Any]:
        def ssn(info: Any) -> str:
            if p.mrn in self.denied:
                raise GraphQLError(f"not allowed to read the SSN of {p.first_name} {p.last_name}")
            return p.ssn

        return {
            "id": pk,
            "mrn": p.mrn,
            "firstName": p.first_name,
            "lastName": p.last_name,
            "dob": p.dob,
            "ssn": ssn,
            "phone": p.phone,
            "email": p.email,
            "address": {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip},
            "coverage": {"memberId": p.member_id, "mbi": p.mbi, "account": p.account},
        }

    def root(self) -> dict[str, Any]:
        def patient(info: Any, mrn: str) -> Any:
            if mrn not in self.by_mrn:
                raise GraphQLError(f"No patient with MRN {mrn}")
            return self._patient(*self.by_mrn[mrn])

        def search(info: Any, lastName: str, dob: datetime.date | None = None) -> Any:
            found = [
                self._patient(pk, p)
                for pk, p in self.by_mrn.values()
                if p.last_name == lastName and (dob is None or p.dob == dob)
            ]
            return found

        def eligibility(info: Any, memberId: str, dob: datetime.date) -> Any:
            for _, p in self.by_mrn.values():
                if p.member_id == memberId:
                    if p.dob != dob:
                        raise GraphQLError(f"member {memberId} not found with date of birth {dob}")
                    return {"memberId": p.member_id, "mbi": p.mbi, "account": p.account}
            raise GraphQLError(f"member {memberId} is not covered")

        def update_contact(info: Any, mrn: str, input: dict[str, Any]) -> Any:
            if "@" not in input["email"]:
                raise GraphQLError(f"'{input['email']}' is not a valid e-mail address")
            return self._patient(*self.by_mrn[mrn])

        def book_slot(info: Any, mrn: str, slotId: str) -> Any:
            if mrn not in self.by_mrn:
                raise GraphQLError(f"No patient with MRN {mrn}")
            raise GraphQLError(f"slot {slotId} is no longer free")

        def product(info: Any, sku: str) -> Any:
            if sku not in PRODUCTS:
                raise GraphQLError(f"No product with SKU {sku}")
            name, supplier = PRODUCTS[sku]
            return {"sku": sku, "name": name, "supplier": supplier, "onHand": 40}

        def products(info: Any, supplier: str | None = None, below: int | None = None) -> Any:
            return [
                {"sku": sku, "name": n, "supplier": s, "onHand": self.r.randint(0, 300)}
                for sku, (n, s) in sorted(PRODUCTS.items())
                if supplier in (None, s)
            ]

        def free_slots(info: Any, day: datetime.date, room: str | None = None) -> Any:
            return [
                {
                    "id": f"{self.r.getrandbits(40):x}",
                    "room": room or self.r.choice(ROOMS),
                    "starts": f"{day}T{self.r.randint(8, 16):02d}:{self.r.choice(['00', '30'])}",
                    "minutes": self.r.choice([15, 30, 45]),
                    "status": "free",
                }
                for _ in range(self.r.randint(0, 3))
            ]

        def order(info: Any, number: str) -> Any:
            if self.r.random() < 0.4:
                raise GraphQLError(f"Order {number} not found")
            return {
                "number": number,
                "lines": self.r.randint(1, 12),
                "total": round(self.r.uniform(20, 4000), 2),
                "status": self.r.choice(["open", "shipped", "invoiced"]),
            }

        def restock(info: Any, sku: str, quantity: int) -> Any:
            if quantity > 500:
                raise GraphQLError(f"restock of {quantity} x {sku} needs approval")
            return product(info, sku)

        def hold_slot(info: Any, input: dict[str, Any]) -> Any:
            raise GraphQLError(f"room {input['room']} is closed at {input['starts']}")

        return {
            "patient": patient,
            "searchPatients": search,
            "eligibility": eligibility,
            "updateContact": update_contact,
            "bookSlot": book_slot,
            "product": product,
            "products": products,
            "freeSlots": free_slots,
            "order": order,
            "restock": restock,
            "holdSlot": hold_slot,
        }

    def run(self, name: str, query: str, variables: dict[str, Any] | None) -> None:
        r = self.r
        if variables is not None:
            log.info("graphql %s variables=%s", name, json.dumps(variables, ensure_ascii=False))
        else:
            log.info("graphql %s", name)
        if r.random() < 0.25:
            log.debug("graphql %s document:\n%s", name, query.strip())
        result = graphql_sync(self.schema, query, root_value=self.root(), variable_values=variables)
        if result.data is not None and r.random() < 0.7:
            style = r.randrange(3)
            if style == 0:
                log.debug("graphql %s data: %r", name, result.data)
            elif style == 1:
                log.debug("graphql %s data: %s", name, json.dumps(result.data, ensure_ascii=False))
            else:
                log.debug("graphql %s data: %s", name, json.dumps(result.data))
        for error in result.errors or []:
            style = r.randrange(4)
            if style == 0:
                log.warning("graphql %s error: %s", name, error.message)
            elif style == 1:
                log.warning("graphql %s error: %s", name, error.formatted)
            elif style == 2:
                log.error("graphql %s failed: %s", name, error)
            else:
                log.warning(
                    "graphql %s: %s at %s path %s",
                    name,
                    error.message,
                    [(loc.line, loc.column) for loc in error.locations or []],
                    error.path,
                )
            original = error.original_error
            if original is not None and not isinstance(original, GraphQLError):
                log.error("graphql %s resolver raised %r", name, original)


def _gql(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _about(api: Api, p: Patient, r: random.Random) -> None:
    fields = r.choice(
        [
            "firstName lastName dob",
            "mrn lastName phone email",
            "id firstName lastName address { street city zip }",
            "lastName dob ssn",
            "mrn coverage { memberId account }",
        ]
    )
    for kind in r.sample(range(12), 7):
        if kind == 0:
            api.run(
                "PatientByMrn",
                f"query PatientByMrn($mrn: String!) {{\n  patient(mrn: $mrn) {{ {fields} }}\n}}",
                {"mrn": p.mrn},
            )
        elif kind == 1:
            api.run(
                "SearchPatients",
                "query SearchPatients($last: String!, $dob: Date) {\n"
                "  searchPatients(lastName: $last, dob: $dob) { mrn firstName phone }\n}",
                {"last": p.last_name, "dob": p.dob.isoformat()},
            )
        elif kind == 2:
            api.run(
                "searchPatients",
                f"{{ searchPatients(lastName: {_gql(p.last_name)}, "
                f'dob: "{p.dob}") {{ mrn {r.choice(["ssn", "email", "phone"])} }} }}',
                None,
            )
        elif kind == 3:
            api.run(
                "UpdateContact",
                "mutation UpdateContact($mrn: String!, $input: ContactInput!) {\n"
                "  updateContact(mrn: $mrn, input: $input) { id phone email }\n}",
                {"mrn": p.mrn, "input": {"phone": p.phone, "email": p.email, "zip": p.zip}},
            )
        elif kind == 4:
            api.run(
                "UpdateContact",
                "mutation UpdateContact($mrn: String!, $input: ContactInput!) {\n"
                "  updateContact(mrn: $mrn, input: $input) { id email }\n}",
                {"mrn": p.mrn, "input": {"phone": p.email, "email": p.phone}},
            )
        elif kind == 5:
            api.run(
                "Eligibility",
                "query Eligibility($member: String!, $dob: Date!) {\n"
                "  eligibility(memberId: $member, dob: $dob) { mbi account }\n}",
                {"member": p.member_id, "dob": r.choice([p.dob.isoformat(), "1900-01-01"])},
            )
        elif kind == 6:
            api.denied.add(p.mrn)
            api.run(
                "PatientSsn",
                f'query {{ patient(mrn: "{p.mrn}") {{ firstName lastName ssn }} }}',
                None,
            )
            api.denied.discard(p.mrn)
        elif kind == 7:
            api.run(
                "PatientByMrn",
                "query PatientByMrn($mrn: String!) { patient(mrn: $mrn) { lastName } }",
                {"mrn": r.choice([p.ssn, p.account, p.licence])},
            )
        elif kind == 8:
            api.run(
                "searchPatients",
                f"{{ searchPatients(lastName: {_gql(p.last_name)}, "
                f"phone: {_gql(p.phone)}) {{ mrn }} }}",
                None,
            )
        elif kind == 9:
            api.run(
                "PatientByMrn",
                f'query {{ patient(mrn: "{p.mrn}") {{ firstName lastNmae dob }} }}',
                None,
            )
        elif kind == 10:
            api.run(
                "searchPatients",
                f'{{ searchPatients(lastName: "{p.last_name}) {{ mrn email }} }}',
                None,
            )
        else:
            api.run(
                "BookSlot",
                "mutation BookSlot($mrn: String!, $slot: ID!) {\n"
                "  bookSlot(mrn: $mrn, slotId: $slot) { id starts }\n}",
                {"mrn": p.mrn, "slot": f"{r.getrandbits(40):x}"},
            )


def _benign(api: Api, r: random.Random) -> None:
    sku = r.choice([*sorted(PRODUCTS), f"SKU-{r.randint(75000, 79999)}"])
    day = datetime.date(2026, 1, 5) + datetime.timedelta(days=r.randint(0, 330))
    number = f"PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d}"
    kind = r.randrange(9)
    if kind == 0:
        api.run(
            "Product",
            "query Product($sku: String!) { product(sku: $sku) { name supplier onHand } }",
            {"sku": sku},
        )
    elif kind == 1:
        supplier = r.choice(sorted({s for _, s in PRODUCTS.values()}))
        api.run(
            "Products",
            f'{{ products(supplier: "{supplier}", below: {r.randint(5, 80)}) {{ sku onHand }} }}',
            None,
        )
    elif kind == 2:
        api.run(
            "FreeSlots",
            "query FreeSlots($day: Date!, $room: String) {\n"
            "  freeSlots(day: $day, room: $room) { id starts minutes }\n}",
            {"day": day.isoformat(), "room": r.choice(ROOMS)},
        )
    elif kind == 3:
        api.run(
            "FreeSlots",
            "query FreeSlots($day: Date!) { freeSlots(day: $day) { id room } }",
            {"day": r.choice([f"{day:%d/%m/%Y}", day.toordinal(), f"2026-{r.randint(13, 19)}-01"])},
        )
    elif kind == 4:
        api.run(
            "Order",
            "query Order($number: String!) { order(number: $number) { lines total status } }",
            {"number": number},
        )
    elif kind == 5:
        api.run(
            "Restock",
            "mutation Restock($sku: String!, $qty: Int!) {\n"
            "  restock(sku: $sku, quantity: $qty) { onHand }\n}",
            {"sku": sku, "qty": r.choice([r.randint(1, 900), f"{r.randint(1, 90)} boxes"])},
        )
    elif kind == 6:
        api.run(
            "HoldSlot",
            "mutation HoldSlot($input: SlotInput!) { holdSlot(input: $input) { id } }",
            {
                "input": {
                    "room": r.choice(ROOMS),
                    "starts": f"{day}T{r.randint(7, 18):02d}:00",
                    "minutes": r.choice([15, 30, "30m", 45]),
                }
            },
        )
    elif kind == 7:
        api.run(
            "Products",
            f"{{ products(below: {r.randint(5, 80)}) {{ sku onHnad supplier }} }}",
            None,
        )
    else:
        api.run(
            "Order",
            f'{{ order(number: "{number}", lines: {r.randint(1, 9)}) {{ total }} }}',
            None,
        )


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 97)
    api = Api(patients, r)
    for p in patients:
        with cap.about(p):
            _about(api, p, r)
        for _ in range(5):
            _benign(api, r)
