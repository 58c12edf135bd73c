"""Synthetic patients from a seeded generator: no real person, the same people on every run.

Values come in the shapes people type into forms: accented and hyphenated names, phone numbers in
national and international formats (some with a no-break space or a Unicode dash between the
groups), MRNs with and without a prefix, SSNs with dashes, spaces or none.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa "
    "Anthony Betty Mark Sandra Donald Ashley Steven Kimberly Andrew Emily Joshua Donna Kevin "
    "Michelle Brian Carol George Amanda Timothy Melissa Ronald Deborah Jason Stephanie Ryan "
    "Rebecca Jacob Laura Gary Helen Nicholas Sharon Eric Cynthia Jonathan Kathleen Larry Amy "
    "Justin Angela Scott Shirley Brandon Anna Benjamin Brenda Samuel Pamela Raymond Emma "
    "Gregory Nicole Frank Ruth Alexander Katherine Patrick Samantha Jack Christine Dennis "
    "Catherine Jerry Debra Wei Aisha Priya Fatima Omar Mateo Chloe Zoe Noah Liam Olga Yuki "
    "Kwame Ngozi Arjun Mei José María Zoë Chloé François Renée Ramón Inés Jürgen Søren Łukasz "
    "Ángel Noémie Björn Anne-Marie Jean-Luc Mary-Kate D'Andre"
)
LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Okafor Kowalski Patel Haddad Fischer Tanaka Silva Mensah Adeyemi Chen Wang Kim "
    "Park Singh Kaur Cohen O'Brien O'Neill McDonald MacLeod DeLuca VanderBerg Núñez Müller "
    "Søndergaard Hernández-López García Peña Gómez Lefèvre Ibáñez Dvořák Wójcik Çelik Öztürk "
    "Saint-Pierre Smith-Jones"
)
STREETS = _words(
    "Main Oak Maple Cedar Elm Washington Lake Hill Park Pine Sunset Lincoln Jackson Highland "
    "Church Walnut Chestnut Spring Ridge Meadow River Forest Willow Franklin Jefferson "
    "Madison"
)
SUFFIXES = _words("St Street Ave Avenue Rd Road Blvd Dr Drive Ln Lane Way Ct Court Pl Ter Pkwy Cir")
CITIES = [
    ("Springfield", "IL"),
    ("Portland", "OR"),
    ("Austin", "TX"),
    ("Columbus", "OH"),
    ("San Antonio", "TX"),
    ("Fort Wayne", "IN"),
    ("Baton Rouge", "LA"),
    ("Grand Rapids", "MI"),
    ("Albuquerque", "NM"),
    ("Salt Lake City", "UT"),
    ("Boise", "ID"),
    ("Worcester", "MA"),
    ("Santa Fe", "NM"),
    ("Des Moines", "IA"),
]
DOMAINS = "gmail.com yahoo.com outlook.com hotmail.com icloud.com aol.com proton.me comcast.net"
MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


@dataclass(repr=False)
class Patient:
    first_name: str
    last_name: str
    dob: datetime.date
    ssn: str
    mrn: str
    phone: str
    email: str
    street: str
    city: str
    state: str
    zip: str
    member_id: str
    mbi: str
    account: str
    licence: str
    card: str
    ip: str
    extra: dict[str, str] = field(default_factory=dict)

    # The type of each planted value, as the corpus labels it.
    TYPES = {
        "first_name": "NAME",
        "last_name": "NAME",
        "dob": "DOB",
        "ssn": "SSN",
        "mrn": "MRN",
        "phone": "PHONE",
        "email": "EMAIL",
        "street": "ADDRESS",
        "city": "CITY",
        "zip": "ZIP",
        "member_id": "MEMBER_ID",
        "mbi": "MBI",
        "account": "ACCOUNT",
        "licence": "LICENSE",
        "card": "CARD",
        "ip": "IP",
    }

    def __repr__(self) -> str:  # as Django shows a model instance
        return f"<Patient: {self.last_name}, {self.first_name}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def planted(self) -> list[tuple[str, object]]:
        return [(name, getattr(self, name)) for name in self.TYPES]


def luhn_complete(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


class People:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(201, 989), r.randint(200, 999), self.digits(4)
        forms = [
            f"({a}) {b}-{c}",
            f"{a}-{b}-{c}",
            f"{a}.{b}.{c}",
            f"{a} {b} {c}",
            f"{a}{b}{c}",
            f"({a}){b}-{c}",
            f"1-{a}-{b}-{c}",
            f"1 ({a}) {b}-{c}",
            f"+1 {a} {b} {c}",
            f"+1-{a}-{b}-{c}",
            f"+1{a}{b}{c}",
            f"+1 ({a}) {b}-{c}",
            f"{a}-{b}-{c} x{r.randint(10, 9999)}",
            f"{a}\u00a0{b}\u00a0{c}",
            f"({a})\u00a0{b}\u2011{c}",
            f"{a}\u2013{b}\u2013{c}",
            f"+44 20 {self.digits(4)} {self.digits(4)}",
            f"+44 7{self.digits(3)} {self.digits(6)}",
            f"+49 30 {self.digits(8)}",
            f"+33 6 {self.digits(2)} {self.digits(2)} {self.digits(2)} {self.digits(2)}",
            f"+52 55 {self.digits(4)} {self.digits(4)}",
            f"+91 {r.randint(70000, 99999)} {self.digits(5)}",
        ]
        return r.choice(forms)

    def ssn(self) -> str:
        area = self.r.randint(1, 899)
        while area == 666:
            area = self.r.randint(1, 899)
        group, serial = self.r.randint(1, 99), self.r.randint(1, 9999)
        sep = self.r.choice(["-", "-", "-", "-", " ", "", "\u2011"])
        return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                self.digits(8),
                "00" + self.digits(6),
                f"MRN-{self.digits(7)}",
                f"MR{self.digits(7)}",
                f"{self.digits(3)}-{self.digits(3)}-{self.digits(3)}",
                f"E{self.digits(9)}",
            ]
        )

    def mbi(self) -> str:
        r = self.r
        a = lambda: r.choice(MBI_LETTERS)  # noqa: E731
        an = lambda: r.choice(MBI_LETTERS + "0123456789")  # noqa: E731
        d = lambda: r.choice("0123456789")  # noqa: E731
        body = f"{r.randint(1, 9)}{a()}{an()}{d()}{a()}{an()}{d()}{a()}{a()}{d()}{d()}"
        if r.random() < 0.3:
            return f"{body[:4]}-{body[4:7]}-{body[7:]}"
        return body

    def licence(self) -> str:
        r = self.r
        letter = r.choice("ABCDEFGHJKLMNPRSTWY")
        return r.choice(
            [
                f"{letter}{self.digits(7)}",  # CA
                f"{letter}{self.digits(3)}-{self.digits(4)}-{self.digits(4)}",  # IL
                f"{letter}{self.digits(3)}-{self.digits(3)}-{self.digits(2)}-{self.digits(3)}-0",
                f"{self.digits(3)} {self.digits(3)} {self.digits(3)}",  # NY
                f"{letter}{letter}{self.digits(6)}",
                f"DL{self.digits(8)}",
            ]
        )

    def card(self) -> str:
        prefix = self.r.choice(["4", "51", "52", "55", "37", "6011"])
        size = 15 if prefix == "37" else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if self.r.random() < 0.3:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def ip(self) -> str:
        r = self.r
        first = r.choice([24, 45, 66, 71, 73, 98, 99, 104, 108, 173, 174, 184, 203])
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def patient(self) -> Patient:
        r = self.r
        first, last = r.choice(FIRST), r.choice(LAST)
        dob = datetime.date(1930, 1, 1) + datetime.timedelta(days=r.randint(0, 31000))
        city, state = r.choice(CITIES)
        local = (
            f"{first[0]}{last}".lower()
            if r.random() < 0.5
            else f"{first}.{last}{r.randint(1, 99)}".lower()
        )
        local = "".join(c for c in local if c.isascii() and (c.isalnum() or c in "._"))
        street_no = r.randint(1, 99999) if r.random() < 0.9 else r.randint(1, 9)
        street = f"{street_no} {r.choice(STREETS)} {r.choice(SUFFIXES)}"
        if r.random() < 0.2:
            street += r.choice([f" Apt {r.randint(1, 40)}", f", Suite {r.randint(100, 999)}"])
        zip_code = f"{r.randint(1, 99950):05d}"
        account = r.choice([self.digits(8), self.digits(10), self.digits(12)])
        member = r.choice(
            [
                f"W{self.digits(9)}",
                f"{r.choice(['XJH', 'ZGP', 'YRK', 'MBR'])}{self.digits(9)}",
                f"{self.digits(11)}",
                f"H{self.digits(8)}-01",
            ]
        )
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(),
            email=f"{local or 'pt'}@{r.choice(DOMAINS.split())}",
            street=street,
            city=city,
            state=state,
            zip=zip_code,
            member_id=member,
            mbi=self.mbi(),
            account=account,
            licence=self.licence(),
            card=self.card(),
            ip=self.ip(),
        )
