"""Synthetic patients for the eighth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used
(`pt_PT`, `no_NO`, `sk_SK`, `sl_SI`, `lt_LT`, `lv_LV`, `et_EE`, `is_IS`, `ga_IE`, `id_ID`,
`es_CO`, `fr_BE`, `en_NG`, `zu_ZA`; one seeded Faker per locale, the locale chosen by this
module's own `random.Random`; Latin script only; a comma in a street or city written as a space,
and none with a semicolon, a double quote or a backslash).

Identifier shapes are this module's own: MRNs like `N2041-8837`, `204.188.371-K`, `CHART2041883`,
`KV-20-41883`, `204188/37`; member ids like `MBR-204-188-371`, `204KV418837`, `PLN20418.8371`,
`QHX/20418837`, `ID20418837124`; accounts like `GA2041-8837-12`, `BIL2041883/71`,
`6204 1883 712`, `SP.20418837`; licences like `K2041 88371 24512`, `KV20-418-8371`,
`2041K8837`, `LIC2041883K`; US ZIPs with and without the +4; phones in US forms of their own
(`+1 (a) b.c`, `(a)-b-c`, `1.a.b.c`, `a.b-c`, `+1 a b-c`, with an `x` extension, `+1-a.b.c`);
SSNs; MBIs; Luhn-valid cards; public IPv4 addresses; e-mails built from the name. No real
person: every value is drawn from a fixed seed.
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
    "pt_PT",
    "no_NO",
    "sk_SK",
    "sl_SI",
    "lt_LT",
    "lv_LV",
    "et_EE",
    "is_IS",
    "ga_IE",
    "id_ID",
    "es_CO",
    "fr_BE",
    "en_NG",
    "zu_ZA",
)
WEIGHTS = (10, 8, 8, 6, 6, 6, 6, 6, 8, 8, 10, 6, 6, 6)
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "sapo.pt",
    "online.no",
    "azet.sk",
    "siol.net",
    "inbox.lt",
    "inbox.lv",
    "hot.ee",
    "simnet.is",
    "eircom.net",
    "yahoo.co.id",
    "une.net.co",
    "telenet.be",
    "mweb.co.za",
    "protonmail.com",
    "icloud.com",
    "yahoo.com",
)


class EighthPeople(FakerPeople):
    MBI_DASHED = 0.3
    SSN_SEPARATORS = ("-", "-", "-", "-", "", " ")
    ZIP_RANGE = (1101, 99850)
    ZIP_PLUS4 = 0.3
    IP_FIRST_OCTETS = (18, 31, 44, 54, 67, 79, 86, 91, 128, 137, 146, 158, 167, 193, 212)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 43 + 1009 * i)

    def _drawn(self, fake: Faker, what: str) -> str:
        for _ in range(80):
            value = " ".join(str(getattr(fake, what)()).replace(",", " ").split()).strip(" .")
            if value and latin(value) and len(value) >= 3 and not set(value) & set(';\\"'):
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(203, 978), r.randint(210, 986), self.digits(4)
        return r.choice(
            [
                f"+1 ({a}) {b}.{c}",
                f"({a})-{b}-{c}",
                f"1.{a}.{b}.{c}",
                f"{a}.{b}-{c}",
                f"+1 {a} {b}-{c}",
                f"({a}) {b}-{c} x{r.randint(100, 4999)}",
                f"+1-{a}.{b}.{c}",
                f"{a}-{b}-{c}",
            ]
        )

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"N{self.digits(4)}-{self.digits(4)}",
                f"{self.digits(3)}.{self.digits(3)}.{self.digits(3)}-{self.letter()}",
                f"CHART{r.randint(1, 9)}{self.digits(6)}",
                f"{self.letter()}{self.letter()}-{self.digits(2)}-{self.digits(5)}",
                f"{r.randint(1, 9)}{self.digits(5)}/{self.digits(2)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        return r.choice(
            [
                f"MBR-{self.digits(3)}-{self.digits(3)}-{self.digits(3)}",
                f"{self.digits(3)}{self.letter()}{self.letter()}{self.digits(6)}",
                f"PLN{self.digits(5)}.{self.digits(4)}",
                f"{self.letter()}{self.letter()}{self.letter()}/{self.digits(8)}",
                f"ID{r.randint(1, 9)}{self.digits(10)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        return r.choice(
            [
                f"GA{self.digits(4)}-{self.digits(4)}-{self.digits(2)}",
                f"BIL{self.digits(7)}/{self.digits(2)}",
                f"6{self.digits(3)} {self.digits(4)} {self.digits(3)}",
                f"SP.{r.randint(1, 9)}{self.digits(7)}",
            ]
        )

    def licence(self) -> str:
        return self.r.choice(
            [
                f"{self.letter()}{self.digits(4)} {self.digits(5)} {self.digits(5)}",
                f"{self.letter()}{self.letter()}{self.digits(2)}-{self.digits(3)}-{self.digits(4)}",
                f"{self.digits(4)}{self.letter()}{self.digits(4)}",
                f"LIC{self.digits(7)}{self.letter()}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "51", "52", "2300", "37", "6011", "6440"])
        size = 15 if prefix == "37" else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        shape = r.random()
        if shape < 0.2:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        if shape < 0.3:
            return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    def patient(self) -> Patient:
        r = self.r
        locale = r.choices(LOCALES, WEIGHTS)[0]
        fake = self.fakers[locale]
        first, last = self._drawn(fake, "first_name"), self._drawn(fake, "last_name")
        dob = datetime.date(1932, 6, 1) + datetime.timedelta(days=r.randint(0, 31500))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [f"{a}_{b}", f"{b}.{a[:1]}{r.randint(2, 98)}", f"{a}{b[:3]}", f"{a[:1]}{b}"]
        )
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(),
            email=f"{local.strip('._')}@{r.choice(DOMAINS)}",
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
