"""Synthetic patients for the tenth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used.
Names come from `fr_DZ` and from the romanized names of `ja_JP`, `zh_CN` and `zh_TW` (as
Faker writes them: Taiwanese ones in capitals, hyphenated); cities and streets from `en_BD`,
`en_MS`, `en_PH` and `fr_DZ` (each patient's name locale and address locale drawn apart by this
module's own `random.Random`; one seeded Faker per locale; Latin script only; a comma in a
street or city written as a space, and none with a semicolon, a double quote, a backslash or
an apostrophe).

Identifier shapes are this module's own: MRNs like `MR/20/41883`, `QB20-4188`, `2041 8837`,
`PT204188K`, `20.418.837`; member ids like `QKH20418837`, `204188371-02`,
`M2041-8837-12`, `K204Q41883`; accounts like `AC-2041-8837`, `204K188371`, `GU2041883/7`,
`2041.8837.12`; licences as Washington (`WDL` and nine letters and digits), Wisconsin
(`K204-1883-7124-51`), New Jersey (`K2041 88371 24518`), Colorado (`20-418-8371`), Iowa
(`204KQ1883`) and Minnesota (`K204188371245`) write them; US ZIPs, two in five with the +4;
phones in E.164 (`+1aaabbbcccc`, the form an SMS gateway keeps) and in US forms of their own
(`a/b-c`, `1.a.b.c`, `(a)b c`, `a b-c`, `+1 (a) b c`); SSNs (dashes, none, dots); MBIs;
Luhn-valid cards (Visa, Mastercard 2-series, Discover 65, JCB, Diners 14 digits; some in
groups of four with spaces or dashes); public IPv4 addresses; e-mails built from the name.
No real person: every value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("en_BD", "en_MS", "en_PH", "fr_DZ", "ja_JP", "zh_CN", "zh_TW")
# Where each part of a patient comes from: the Faker method and its weight per locale.
NAME_LOCALES = {
    "fr_DZ": (("first_name", "last_name"), 10),
    "ja_JP": (("first_romanized_name", "last_romanized_name"), 9),
    "zh_CN": (("first_romanized_name", "last_romanized_name"), 5),
    "zh_TW": (("first_romanized_name", "last_romanized_name"), 6),
}
ADDRESS_LOCALES = {"en_BD": 6, "en_MS": 7, "en_PH": 7, "fr_DZ": 6}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY", "PR"),
)
DOMAINS = (
    "yahoo.co.jp",
    "docomo.ne.jp",
    "qq.com",
    "163.com",
    "hinet.net",
    "djaweb.dz",
    "tm.net.my",
    "pldtdsl.net",
    "fastmail.com",
    "hotmail.fr",
    "mail.com",
    "outlook.jp",
    "gmx.us",
)
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


class TenthPeople(FakerPeople):
    MBI_DASHED = 0.5
    SSN_SEPARATORS = ("-", "-", "-", "", ".")
    ZIP_RANGE = (1005, 99901)
    ZIP_PLUS4 = 0.4
    IP_FIRST_OCTETS = (23, 31, 38, 47, 68, 76, 96, 112, 136, 142, 158, 170, 185, 199, 209)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 61 + 2029 * i)

    def _drawn(self, fake: Faker, what: str) -> str:
        for _ in range(80):
            value = " ".join(str(getattr(fake, what)()).replace(",", " ").split()).strip(" .")
            if value and latin(value) and len(value) >= 3 and not set(value) & set(";\\\"'"):
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(205, 989), r.randint(201, 987), self.digits(4)
        return r.choices(
            [
                f"+1{a}{b}{c}",
                f"{a}/{b}-{c}",
                f"1.{a}.{b}.{c}",
                f"({a}){b} {c}",
                f"{a} {b}-{c}",
                f"+1 ({a}) {b} {c}",
            ],
            [7, 2, 2, 2, 3, 2],
        )[0]

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"MR/{self.digits(2)}/{self.digits(5)}",
                f"{self.letters(2)}{self.digits(2)}-{self.digits(4)}",
                f"{r.randint(1, 9)}{self.digits(3)} {self.digits(4)}",
                f"PT{self.digits(6)}{self.letter()}",
                f"{r.randint(1, 9)}{self.digits(1)}.{self.digits(3)}.{self.digits(3)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letters(3)}{self.digits(8)}",
                f"{r.randint(1, 9)}{self.digits(8)}-0{r.randint(1, 4)}",
                f"M{self.digits(4)}-{self.digits(4)}-{self.digits(2)}",
                f"{self.letter()}{self.digits(3)}{self.letter()}{self.digits(5)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        return r.choice(
            [
                f"AC-{self.digits(4)}-{self.digits(4)}",
                f"{r.randint(1, 9)}{self.digits(2)}{self.letter()}{self.digits(6)}",
                f"GU{self.digits(7)}/{r.randint(1, 9)}",
                f"{r.randint(1, 9)}{self.digits(3)}.{self.digits(4)}.{self.digits(2)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        return r.choice(
            [
                "WDL" + "".join(r.choice(ALNUM) for _ in range(9)),
                f"{self.letter()}{self.digits(3)}-{self.digits(4)}-{self.digits(4)}-"
                f"{self.digits(2)}",
                f"{self.letter()}{self.digits(4)} {self.digits(5)} {self.digits(5)}",
                f"{r.randint(1, 9)}{self.digits(1)}-{self.digits(3)}-{self.digits(4)}",
                f"{r.randint(1, 9)}{self.digits(2)}{self.letters(2)}{self.digits(4)}",
                f"{self.letter()}{self.digits(12)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "2221", "2720", "65", "3528", "36"])
        size = 14 if prefix == "36" else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if size == 16 and r.random() < 0.35:
            return r.choice([" ", "-"]).join(number[i : i + 4] for i in range(0, 16, 4))
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), [w for _, w in NAME_LOCALES.values()])[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        (first_of, last_of), _ = NAME_LOCALES[name_locale]
        fake = self.fakers[name_locale]
        first, last = self._drawn(fake, first_of), self._drawn(fake, last_of)
        dob = datetime.date(1931, 6, 1) + datetime.timedelta(days=r.randint(0, 31500))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [f"{a}{b[:1]}{r.randint(1, 99)}", f"{b}.{a}", f"{a}_{b}", f"{a[:1]}{b}{dob:%y}"]
        )
        where = self.fakers[address_locale]
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(),
            email=f"{local.strip('._-')}@{r.choice(DOMAINS)}",
            street=self._drawn(where, "street_address"),
            city=self._drawn(where, "city"),
            state=r.choice(STATES),
            zip=self.zip_code(),
            member_id=self.member_id(),
            mbi=self.mbi(),
            account=self.account(),
            licence=self.licence(),
            card=self.card(),
            ip=self.ip(),
            extra={"locale": name_locale, "address_locale": address_locale},
        )
