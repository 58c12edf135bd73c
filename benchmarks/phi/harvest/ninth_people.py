"""Synthetic patients for the ninth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used
(`az_AZ`, `de_LI`, `de_LU`, `en_KE`, `en_PK`, `en_TH`, `es_CA`, `ha_NG`, `ig_NG`, `sw`,
`tw_GH`, `uz_UZ`, `yo_NG`; one seeded Faker per locale, the locale chosen by this module's own
`random.Random`; Latin script only; a comma in a street or city written as a space, and none
with a semicolon, a double quote or a backslash).

Identifier shapes are this module's own: MRNs like `KLM-204188`, `20K-41883-7`, `CH2.041883`,
`2041883-04`, `UH20418K83`; member ids like `XQRT2041883`, `K204188-TX`, `SUB204188371`,
`K20Q41M8837`; accounts like `HAR20418837`, `ENC204188371`, `G204188.37`, `20/4188371`;
licences as Maryland (`S-204-188-371-245`), Michigan (`K 204 188 371 245`), New Hampshire
(`20KQM41883`), Texas (`20418837`) and Kentucky (`K20-418-837`) write them; US ZIPs with and
without the +4; phones in US forms of their own (`(a) b.c`, `+1 a.b.c`, `1 a-b-c`,
`+1(a)b-c`, `a b.c`, `a.b.c ext n`); SSNs; MBIs; Luhn-valid cards; public IPv4 addresses;
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
    "az_AZ",
    "de_LI",
    "de_LU",
    "en_KE",
    "en_PK",
    "en_TH",
    "es_CA",
    "ha_NG",
    "ig_NG",
    "sw",
    "tw_GH",
    "uz_UZ",
    "yo_NG",
)
WEIGHTS = (8, 6, 6, 10, 10, 8, 8, 8, 8, 8, 6, 8, 8)
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY", "DC"),
)
DOMAINS = (
    "mail.az",
    "post.li",
    "pt.lu",
    "safaricom.co.ke",
    "ptcl.net.pk",
    "truemail.co.th",
    "xtec.cat",
    "ghana.com",
    "uzonline.uz",
    "gmx.com",
    "ymail.com",
    "me.com",
    "aol.com",
    "zoho.eu",
)


class NinthPeople(FakerPeople):
    MBI_DASHED = 0.35
    SSN_SEPARATORS = ("-", "-", "-", " ", "")
    ZIP_RANGE = (1201, 99750)
    ZIP_PLUS4 = 0.25
    IP_FIRST_OCTETS = (15, 27, 41, 52, 64, 75, 88, 93, 107, 121, 139, 152, 163, 195, 216)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 59 + 1511 * i)

    def _drawn(self, fake: Faker, what: str) -> str:
        for _ in range(80):
            value = " ".join(str(getattr(fake, what)()).replace(",", " ").split()).strip(" .")
            if value and latin(value) and len(value) >= 3 and not set(value) & set(';\\"'):
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(207, 979), r.randint(212, 984), self.digits(4)
        return r.choice(
            [
                f"({a}) {b}.{c}",
                f"+1 {a}.{b}.{c}",
                f"1 {a}-{b}-{c}",
                f"+1({a}){b}-{c}",
                f"{a} {b}.{c}",
                f"{a}.{b}.{c} ext {r.randint(20, 899)}",
                f"{a}-{b}-{c}",
            ]
        )

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letter()}{self.letter()}{self.letter()}-{self.digits(6)}",
                f"{self.digits(2)}{self.letter()}-{self.digits(5)}-{self.digits(1)}",
                f"CH{r.randint(1, 9)}.{self.digits(6)}",
                f"{r.randint(1, 9)}{self.digits(6)}-{self.digits(2)}",
                f"UH{self.digits(5)}{self.letter()}{self.digits(2)}",
            ]
        )

    def member_id(self) -> str:
        return self.r.choice(
            [
                f"{''.join(self.letter() for _ in range(4))}{self.digits(7)}",
                f"{self.letter()}{self.digits(6)}-{self.letter()}{self.letter()}",
                f"SUB{self.digits(9)}",
                f"{self.letter()}{self.digits(2)}{self.letter()}{self.digits(2)}"
                f"{self.letter()}{self.digits(4)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        return r.choice(
            [
                f"HAR{self.digits(8)}",
                f"ENC{r.randint(1, 9)}{self.digits(8)}",
                f"G{self.digits(6)}.{self.digits(2)}",
                f"{r.randint(1, 9)}{self.digits(1)}/{self.digits(7)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letter()}-{self.digits(3)}-{self.digits(3)}-{self.digits(3)}-"
                f"{self.digits(3)}",
                f"{self.letter()} {self.digits(3)} {self.digits(3)} {self.digits(3)} "
                f"{self.digits(3)}",
                f"{self.digits(2)}{self.letter()}{self.letter()}{self.letter()}{self.digits(5)}",
                f"{r.randint(1, 4)}{self.digits(7)}",
                f"{self.letter()}{self.digits(2)}-{self.digits(3)}-{self.digits(3)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "55", "51", "2231", "34", "6011", "3530"])
        size = 15 if prefix == "34" else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.25:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def patient(self) -> Patient:
        r = self.r
        locale = r.choices(LOCALES, WEIGHTS)[0]
        fake = self.fakers[locale]
        first, last = self._drawn(fake, "first_name"), self._drawn(fake, "last_name")
        dob = datetime.date(1933, 2, 1) + datetime.timedelta(days=r.randint(0, 31200))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice([f"{b}{a[:1]}", f"{a}-{b}", f"{a}.{b[:4]}{r.randint(1, 99)}", f"{a}{b}"])
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(),
            email=f"{local.strip('._-')}@{r.choice(DOMAINS)}",
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
