"""Synthetic patients for the sixth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used
(`en_AU`, `en_CA`, `en_IE`, `nl_NL`, `pt_BR`, `sv_SE`, `tr_TR`, `cs_CZ`, `fi_FI`, `da_DK`; one
seeded Faker per locale, the locale chosen by this module's own `random.Random`; Latin script
only).

Identifier shapes are this module's own: MRNs like `482K19375`, `CLN20418837`, `H-4410927`;
member ids like `QX20418837B`, `M2041883712`, `BCX204188A01`; accounts like `GUAR-2041883`,
`31K2041883`, `ACC2041883712`; licences like `S204188371245`, `K20-41-8837`; US ZIPs with and
without the +4; phones in US forms of their own or in the patient's locale (Faker's); SSNs;
MBIs; Luhn-valid cards; public IPv4 addresses; e-mails built from the name. No real person:
every value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = (
    "en_AU",
    "en_CA",
    "en_IE",
    "nl_NL",
    "pt_BR",
    "sv_SE",
    "tr_TR",
    "cs_CZ",
    "fi_FI",
    "da_DK",
)
WEIGHTS = (14, 14, 12, 10, 10, 8, 8, 8, 8, 8)
STATES = (
    "AL",
    "AZ",
    "CA",
    "CO",
    "CT",
    "FL",
    "GA",
    "IA",
    "IL",
    "IN",
    "KS",
    "KY",
    "LA",
    "MA",
    "MD",
    "ME",
    "MI",
    "MN",
    "MO",
    "NC",
    "NE",
    "NH",
    "NJ",
    "NM",
    "NV",
    "NY",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "TN",
    "TX",
    "UT",
    "VA",
    "VT",
    "WA",
    "WI",
)
DOMAINS = (
    "posteo.net",
    "ziggo.nl",
    "uol.com.br",
    "telia.com",
    "seznam.cz",
    "eircom.net",
    "bigpond.com",
    "rogers.com",
    "hey.com",
    "tutanota.com",
    "gmail.com",
    "icloud.com",
)


class SixthPeople(FakerPeople):
    SSN_SEPARATORS = ("-", "-", "-", "-", "", " ")
    ZIP_RANGE = (1001, 99901)
    ZIP_PLUS4 = 0.4
    IP_FIRST_OCTETS = (23, 37, 50, 62, 68, 76, 81, 94, 109, 142, 151, 176, 185, 201)
    MBI_DASHED = 0.2

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 17 + 101 * i)

    def _drawn(self, fake: Faker, what: str) -> str:
        for _ in range(50):
            value = " ".join(str(getattr(fake, what)()).split()).strip()
            if value and latin(value) and len(value) >= 3:
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def phone(self, locale: str) -> str:
        r = self.r
        if locale not in ("en_CA",) and r.random() < 0.35:
            return self._drawn(self.fakers[locale], "phone_number")
        a, b, c = r.randint(205, 979), r.randint(201, 989), self.digits(4)
        return r.choice(
            [
                f"({a}) {b}-{c}",
                f"{a}-{b}-{c}",
                f"+1 ({a}) {b}-{c}",
                f"{a} {b}-{c}",
                f"+1{a}{b}{c}",
                f"{a}.{b}.{c}",
                f"1 {a} {b} {c}",
                f"{a}-{b}-{c} ext {r.randint(2, 899)}",
                f"+1-{a}-{b}{c}",
            ]
        )

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.digits(3)}{self.letter()}{self.digits(5)}",
                f"CLN{self.digits(8)}",
                f"H-{self.digits(7)}",
                f"{r.randint(1, 9)}{self.digits(8)}",
                f"MRN{self.digits(4)}-{self.letter()}{self.letter()}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letter()}{self.letter()}{self.digits(8)}{self.letter()}",
                f"M{self.digits(10)}",
                f"BCX{self.digits(6)}A0{r.randint(1, 4)}",
                f"{self.digits(4)}-{self.digits(4)}-{self.digits(3)}",
                f"K{self.letter()}{self.digits(7)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        return r.choice(
            [
                f"GUAR-{self.digits(7)}",
                f"{self.digits(2)}{self.letter()}{self.digits(7)}",
                f"ACC{self.digits(10)}",
                f"7{self.digits(9)}",
                f"SB-{self.digits(3)}-{self.digits(5)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letter()}{self.digits(12)}",
                f"{self.letter()}{self.digits(2)}-{self.digits(2)}-{self.digits(4)}",
                f"{self.letter()}{self.letter()}{self.digits(6)}{self.letter()}",
                f"{r.randint(1, 9)}{self.digits(8)}",
                f"DL-{self.letter()}{self.digits(6)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "51", "55", "2720", "37", "6011", "36"])
        size = {"37": 15, "36": 14}.get(prefix, 16)
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.25:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def patient(self) -> Patient:
        r = self.r
        locale = r.choices(LOCALES, WEIGHTS)[0]
        fake = self.fakers[locale]
        first, last = self._drawn(fake, "first_name"), self._drawn(fake, "last_name")
        dob = datetime.date(1929, 6, 1) + datetime.timedelta(days=r.randint(0, 33500))
        a, b = ascii_letters(first), ascii_letters(last)
        local = r.choice(
            [f"{a}{b}", f"{b}.{a[:1]}", f"{a}_{b}{r.randint(2, 98)}", f"{a[:1]}{b}.{dob.day}"]
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
            ip=self.ip(),
            extra={"locale": locale},
        )
