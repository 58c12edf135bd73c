"""Synthetic patients for the eleventh corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used.
Names come from `ru_RU`, `uk_UA`, `bg_BG` and `el_GR`, written in Latin letters as a US
clinic's registration desk writes them (this module's own plain transliteration of Cyrillic
and Greek, accents dropped); cities and streets from `fil_PH` and `tl_PH` as Faker writes them
and from `uk_UA` and `el_GR` transliterated the same way (each patient's name locale and
address locale drawn apart by this module's own `random.Random`; one seeded Faker per locale;
a comma in a street or city written as a space, and none with a semicolon, a double quote, a
backslash or an apostrophe).

Identifier shapes are this module's own: MRNs like `HC4188372`, `E11-204-883`, `0041-883-7`,
`RX/2041883`, `20418837-Q`; member ids like `ZQ-20418837`, `204188371P`, `U2041 8837 12`,
`BX7-204188-3`; accounts like `AR2041883712`, `2041-883712`, `PB.2041.8837`, `S204188/37`;
licences as Michigan (a letter and twelve digits in groups of three), Maryland (with dashes),
Kansas (`K12-34-5678`), Ohio (two letters, six digits), Arizona (a letter and eight digits)
and Vermont (seven digits and a letter) write them; US ZIPs, one in four with the +4; phones in
forms of their own (`+1.a.b.c`, `(a)-b-c`, `+1 a-b-c`, `a-b-c`, `+1abbbcccc`); SSNs (dashes,
a space, none); MBIs; Luhn-valid cards (Visa, Mastercard 51-55, Amex 15 digits, Discover 6011;
some in groups); public IPv4 addresses; e-mails built from the name. No real person: every
value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
import unicodedata
from pathlib import Path

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("bg_BG", "el_GR", "fil_PH", "ru_RU", "tl_PH", "uk_UA")
NAME_LOCALES = {"ru_RU": 8, "uk_UA": 8, "bg_BG": 6, "el_GR": 7}
ADDRESS_LOCALES = {"fil_PH": 7, "tl_PH": 5, "uk_UA": 5, "el_GR": 5}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "mail.ru",
    "yandex.com",
    "ukr.net",
    "i.ua",
    "abv.bg",
    "dir.bg",
    "otenet.gr",
    "windowslive.gr",
    "globe.com.ph",
    "pldt.ph",
    "zoho.com",
    "tutanota.com",
    "aol.com",
)

# Each letter by its Unicode name (`CYRILLIC SMALL LETTER ...`, `GREEK SMALL LETTER ...`).
_CYRILLIC = {
    "A": "a", "BE": "b", "VE": "v", "GHE": "g", "GHE WITH UPTURN": "g", "DE": "d", "IE": "e",
    "IO": "e", "UKRAINIAN IE": "ye", "ZHE": "zh", "ZE": "z", "I": "i",
    "BYELORUSSIAN-UKRAINIAN I": "i", "YI": "yi", "SHORT I": "y", "KA": "k", "EL": "l",
    "EM": "m", "EN": "n", "O": "o", "PE": "p", "ER": "r", "ES": "s", "TE": "t", "U": "u",
    "EF": "f", "HA": "kh", "TSE": "ts", "CHE": "ch", "SHA": "sh", "SHCHA": "shch",
    "HARD SIGN": "a", "YERU": "y", "SOFT SIGN": "", "E": "e", "YU": "yu", "YA": "ya",
    "I WITH GRAVE": "i",
}  # fmt: skip
_GREEK = {
    "ALPHA": "a", "BETA": "v", "GAMMA": "g", "DELTA": "d", "EPSILON": "e", "ZETA": "z",
    "ETA": "i", "THETA": "th", "IOTA": "i", "KAPPA": "k", "LAMDA": "l", "MU": "m", "NU": "n",
    "XI": "x", "OMICRON": "o", "PI": "p", "RHO": "r", "SIGMA": "s", "FINAL SIGMA": "s",
    "TAU": "t", "UPSILON": "y", "PHI": "f", "CHI": "ch", "PSI": "ps", "OMEGA": "o",
}  # fmt: skip
_TABLE = {
    **{unicodedata.lookup(f"CYRILLIC SMALL LETTER {k}"): t for k, t in _CYRILLIC.items()},
    **{unicodedata.lookup(f"GREEK SMALL LETTER {k}"): t for k, t in _GREEK.items()},
}
_APOSTROPHES = "'\u2019\u02bc"


def romanized(text: str) -> str:
    """Cyrillic and Greek letters written in Latin ones (the first letter of a word stays a
    capital), accents and apostrophes dropped."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    out = []
    for c in text:
        low = c.lower()
        if low in _TABLE:
            t = _TABLE[low]
            out.append(t.capitalize() if c != low else t)
        elif c in _APOSTROPHES:
            continue
        else:
            out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


class EleventhPeople(FakerPeople):
    MBI_DASHED = 0.35
    SSN_SEPARATORS = ("-", "-", "-", " ", "")
    ZIP_RANGE = (1001, 99929)
    ZIP_PLUS4 = 0.25
    IP_FIRST_OCTETS = (5, 37, 46, 62, 77, 81, 91, 109, 151, 165, 178, 188, 193, 212, 217)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 73 + 3011 * i)

    def _drawn(self, fake: Faker, what: str) -> str:
        for _ in range(80):
            raw = romanized(str(getattr(fake, what)()))
            value = " ".join(raw.replace(",", " ").split()).strip(" .")
            if value and latin(value) and len(value) >= 3 and not set(value) & set(";\\\"'"):
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(207, 985), r.randint(212, 986), self.digits(4)
        return r.choices(
            [
                f"+1.{a}.{b}.{c}",
                f"({a})-{b}-{c}",
                f"+1 {a}-{b}-{c}",
                f"{a}-{b}-{c}",
                f"+1{a}{b}{c}",
            ],
            [3, 2, 3, 4, 3],
        )[0]

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"HC{r.randint(1, 9)}{self.digits(6)}",
                f"E{self.digits(2)}-{self.digits(3)}-{self.digits(3)}",
                f"00{self.digits(2)}-{self.digits(3)}-{r.randint(1, 9)}",
                f"RX/{r.randint(1, 9)}{self.digits(6)}",
                f"{r.randint(1, 9)}{self.digits(7)}-{self.letter()}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letters(2)}-{self.digits(8)}",
                f"{r.randint(1, 9)}{self.digits(8)}{self.letter()}",
                f"U{self.digits(4)} {self.digits(4)} {self.digits(2)}",
                f"{self.letters(2)}{r.randint(1, 9)}-{self.digits(6)}-{r.randint(1, 9)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        return r.choice(
            [
                f"AR{self.digits(10)}",
                f"{r.randint(1, 9)}{self.digits(3)}-{self.digits(6)}",
                f"PB.{r.randint(1, 9)}{self.digits(3)}.{self.digits(4)}",
                f"S{self.digits(6)}/{self.digits(2)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letter()} {d(3)} {d(3)} {d(3)} {d(3)}",
                f"{self.letter()}-{d(3)}-{d(3)}-{d(3)}-{d(3)}",
                f"K{d(2)}-{d(2)}-{d(4)}",
                f"{self.letters(2)}{d(6)}",
                f"{self.letter()}{d(8)}",
                f"{r.randint(1, 9)}{d(6)}{self.letter()}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "51", "53", "55", "34", "37", "6011"])
        size = 15 if prefix in ("34", "37") else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if size == 16 and r.random() < 0.3:
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))
        if size == 15 and r.random() < 0.3:
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        fake = self.fakers[name_locale]
        first, last = self._drawn(fake, "first_name"), self._drawn(fake, "last_name")
        dob = datetime.date(1929, 9, 1) + datetime.timedelta(days=r.randint(0, 32000))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}.{b}",
                f"{a[:1]}.{b}{r.randint(1, 99)}",
                f"{b}{a[:2]}",
                f"{a}{b[:1]}{r.randint(10, 99)}",
            ]
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
