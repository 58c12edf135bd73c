"""Synthetic patients for the seventh corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used
(`en_NZ`, `es_ES`, `es_AR`, `es_CL`, `fr_CA`, `fr_CH`, `de_AT`, `de_CH`, `nl_BE`, `hu_HU`,
`ro_RO`, `hr_HR`; one seeded Faker per locale, the locale chosen by this module's own
`random.Random`; Latin script only).

Identifier shapes are this module's own: MRNs like `PT-20418-837`, `7734-0418837`, `R20418837X`,
`KMC/2041883`; member ids like `NZH204188371`, `204188371-02`, `GRP4410-20418837`; accounts like
`HB20418837-7`, `PAT/2041/8837`, `0020418837A`; licences like `D204-1883-7124`, `X20418837`,
`DL 204 188 371`; US ZIPs with and without the +4; phones in US forms (dotted, spaced, with an
extension, E.164, `1-` trunk prefix); SSNs; MBIs; Luhn-valid cards; public IPv4 addresses;
e-mails built from the name. No real person: every value is drawn from a fixed seed.
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
    "en_NZ",
    "es_ES",
    "es_AR",
    "es_CL",
    "fr_CA",
    "fr_CH",
    "de_AT",
    "de_CH",
    "nl_BE",
    "hu_HU",
    "ro_RO",
    "hr_HR",
)
WEIGHTS = (14, 10, 10, 6, 12, 6, 8, 8, 8, 6, 6, 6)
STATES = [
    "AK",
    "AL",
    "AR",
    "AZ",
    "CA",
    "CO",
    "CT",
    "DE",
    "FL",
    "GA",
    "HI",
    "IA",
    "ID",
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
    "MS",
    "MT",
    "NC",
    "ND",
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
    "SD",
    "TN",
    "TX",
    "UT",
    "VA",
    "VT",
    "WA",
    "WI",
    "WV",
    "WY",
]
DOMAINS = (
    "xtra.co.nz",
    "telefonica.net",
    "fibertel.com.ar",
    "videotron.ca",
    "bluewin.ch",
    "gmx.at",
    "skynet.be",
    "freemail.hu",
    "yahoo.ro",
    "fastmail.com",
    "gmail.com",
    "outlook.com",
)


class SeventhPeople(FakerPeople):
    MBI_DASHED = 0.25
    SSN_SEPARATORS = ("-", "-", "-", "", " ")
    ZIP_RANGE = (1010, 99929)
    ZIP_PLUS4 = 0.45
    IP_FIRST_OCTETS = (12, 38, 47, 63, 69, 82, 96, 112, 131, 154, 162, 189, 199, 208)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 31 + 977 * i)

    def _drawn(self, fake: Faker, what: str) -> str:
        for _ in range(50):
            value = " ".join(str(getattr(fake, what)()).split()).strip(" ,")
            if value and latin(value) and len(value) >= 3:
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(212, 985), r.randint(202, 987), self.digits(4)
        return r.choice(
            [
                f"{a}.{b}.{c}",
                f"({a}) {b} {c}",
                f"1-{a}-{b}-{c}",
                f"{a}-{b}-{c}",
                f"+1{a}{b}{c}",
                f"+1 {a}-{b}-{c}",
                f"({a}) {b}-{c} ext. {r.randint(10, 499)}",
                f"{a} {b} {c}",
                f"{a}/{b}-{c}",
            ]
        )

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"PT-{self.digits(5)}-{self.digits(3)}",
                f"{r.randint(1, 9)}{self.digits(3)}-{self.digits(7)}",
                f"R{self.digits(8)}{self.letter()}",
                f"KMC/{self.digits(7)}",
                f"{self.letter()}{self.letter()}{self.digits(6)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        return r.choice(
            [
                f"NZH{self.digits(9)}",
                f"{self.digits(9)}-0{r.randint(1, 6)}",
                f"GRP{self.digits(4)}-{self.digits(8)}",
                f"{self.letter()}{self.digits(3)}{self.letter()}{self.digits(6)}",
            ]
        )

    def account(self) -> str:
        return self.r.choice(
            [
                f"HB{self.digits(8)}-{self.digits(1)}",
                f"PAT/{self.digits(4)}/{self.digits(4)}",
                f"00{self.digits(8)}{self.letter()}",
                f"9{self.digits(10)}",
            ]
        )

    def licence(self) -> str:
        return self.r.choice(
            [
                f"D{self.digits(3)}-{self.digits(4)}-{self.digits(4)}",
                f"{self.letter()}{self.digits(8)}",
                f"DL {self.digits(3)} {self.digits(3)} {self.digits(3)}",
                f"{self.digits(2)}{self.letter()}{self.letter()}{self.digits(5)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "53", "54", "2221", "34", "6011", "65"])
        size = 15 if prefix == "34" else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.3:
            return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def patient(self) -> Patient:
        r = self.r
        locale = r.choices(LOCALES, WEIGHTS)[0]
        fake = self.fakers[locale]
        first, last = self._drawn(fake, "first_name"), self._drawn(fake, "last_name")
        dob = datetime.date(1931, 3, 1) + datetime.timedelta(days=r.randint(0, 31800))
        a, b = ascii_letters(first), ascii_letters(last)
        local = r.choice([f"{a}.{b}", f"{b}{a[:2]}", f"{a[:1]}.{b}{r.randint(10, 89)}", f"{a}{b}"])
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(),
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
