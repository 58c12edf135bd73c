"""Synthetic patients for the fifth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker (one seeded Faker per locale, the
locale chosen by this module's own `random.Random`), so that neither the names nor the shapes of
the identifiers are those of the earlier corpora.

Identifier shapes are this module's own: MRNs like `A1234567`, `12-345678`, `0001234567`;
member ids like `XKJ123456789`, `W123456789-01`; accounts like `ACCT-00123456`, `4400123456`;
US ZIPs with and without the +4; phones in the national formats of the patient's locale
(Faker's) or in US forms; SSNs; MBIs; Luhn-valid cards; public IPv4 addresses; e-mails built
from the name. No real person: every value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("en_US", "en_GB", "es_MX", "fr_FR", "de_DE", "it_IT", "pl_PL", "vi_VN", "en_IN")
WEIGHTS = (30, 10, 10, 8, 8, 8, 8, 8, 10)
STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
]
DOMAINS = [
    "fastmail.com",
    "gmx.de",
    "orange.fr",
    "libero.it",
    "wp.pl",
    "rediffmail.com",
    "btinternet.com",
    "yahoo.com.mx",
    "mail.com",
    "zoho.com",
    "gmail.com",
    "outlook.com",
]


class FifthPeople(FakerPeople):
    MBI_DASHED = 0.25
    SSN_SEPARATORS = ("-", "-", "-", "", " ", ".")
    ZIP_RANGE = (501, 99929)
    ZIP_PLUS4 = 0.35

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 31 + i)

    def _drawn(self, fake: Faker, what: str) -> str:
        for _ in range(50):
            value = str(getattr(fake, what)()).replace("\n", ", ").strip()
            if value and latin(value):
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def phone(self, locale: str) -> str:
        r = self.r
        if locale != "en_US" and r.random() < 0.6:
            return self._drawn(self.fakers[locale], "phone_number")
        a, b, c = r.randint(201, 989), r.randint(200, 999), self.digits(4)
        return r.choice(
            [
                f"({a}) {b}-{c}",
                f"{a}-{b}-{c}",
                f"{a}.{b}.{c}",
                f"+1 {a}-{b}-{c}",
                f"+1.{a}.{b}.{c}",
                f"1{a}{b}{c}",
                f"{a}/{b}-{c}",
                f"({a}) {b}-{c} ext. {r.randint(100, 999)}",
            ]
        )

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{r.choice('ABCKMPT')}{self.digits(7)}",
                f"{self.digits(2)}-{self.digits(6)}",
                f"000{self.digits(7)}",
                f"{r.choice(['RX', 'HN', 'PT'])}{self.digits(6)}{r.choice('ABCDEFGH')}",
                f"{self.digits(4)}.{self.digits(5)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        letters = "".join(r.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(3))
        return r.choice(
            [
                f"{letters}{self.digits(9)}",
                f"W{self.digits(9)}-{r.randint(1, 4):02d}",
                f"{letters}-{self.digits(4)}-{self.digits(5)}",
                f"9{self.digits(10)}",
                f"U{self.digits(8)}{r.choice('ABC')}",
            ]
        )

    def account(self) -> str:
        r = self.r
        return r.choice(
            [
                f"ACCT-{self.digits(8)}",
                f"44{self.digits(8)}",
                f"PA{r.randint(2019, 2026)}-{self.digits(6)}",
                f"{self.digits(3)}-{self.digits(7)}",
                f"HB{self.digits(9)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        letter = r.choice("BCDFGHKMNRSTW")
        return r.choice(
            [
                f"{letter}{self.digits(3)}-{self.digits(4)}-{self.digits(4)}-{self.digits(2)}",
                f"{letter}{self.digits(8)}",
                f"WDL{''.join(r.choice('ABCDEFGHJKLMNPRSTUVWXYZ0123456789') for _ in range(9))}",
                f"{self.digits(2)}-{self.digits(3)}-{self.digits(4)}",
                f"{letter}{letter}{r.choice('ABCDE')}{self.digits(6)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "53", "54", "2221", "34", "6011", "3528"])
        size = 15 if prefix == "34" else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        shape = r.random()
        if shape < 0.2:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        if shape < 0.35:
            return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def patient(self) -> Patient:
        r = self.r
        locale = r.choices(LOCALES, WEIGHTS)[0]
        fake = self.fakers[locale]
        first, last = self._drawn(fake, "first_name"), self._drawn(fake, "last_name")
        dob = datetime.date(1931, 1, 1) + datetime.timedelta(days=r.randint(0, 33000))
        local = r.choice(
            [
                f"{ascii_letters(first)}.{ascii_letters(last)}",
                f"{ascii_letters(first)[:1]}{ascii_letters(last)}{r.randint(1, 99)}",
                f"{ascii_letters(last)}_{ascii_letters(first)}",
                f"{ascii_letters(first)}{dob.year % 100:02d}",
            ]
        )
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(locale),
            email=f"{local.strip('._') or 'patient'}@{r.choice(DOMAINS)}",
            street=self._drawn(fake, "street_address"),
            city=self._drawn(fake, "city"),
            state=r.choice(STATES),
            zip=self.zip_code(),
            member_id=self.member_id(),
            mbi=self.mbi(),
            account=self.account(),
            licence=self.licence(),
            card=self.card(),
            ip=self._drawn(fake, "ipv4_public"),
            extra={"locale": locale},
        )
