"""Synthetic patients for the fourteenth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used.
Names come from `bn_BD` (Bengali), `or_IN` (Odia) and `si_LK` (Sinhala), written in Latin
letters as a US clinic's registration desk writes them: this module's own plain romanization of
the Bengali, Odia and Sinhala letters (each consonant with its vowel, the inherent `a` of a
word's last consonant dropped in Bengali and Odia and kept in Sinhala, aspirates written with an
`h`, long vowels written as short ones, no diacritics, the script's digits as ASCII ones).
Cities and streets come from `en` (Faker's generic English provider) as Faker writes them, and
from `bn_BD`, `or_IN` and `si_LK` romanized the same way. Each patient's name locale and address
locale are drawn apart by this module's own `random.Random`; one seeded Faker per locale; a comma
in a street or city is written as a space, and none has a semicolon, a double quote, a backslash
or an apostrophe.

Identifier shapes are this module's own: MRNs like `KD2041883`, `204-1883-M7`, `CL.204188`,
`20/418837`, `H2041K883`; member ids like `QXT-20418837`, `2041KD18837`, `MBR.204.188372`,
`K2041883721-04`; accounts like `A/2041883`, `2041.8837.2`, `GT-204-1883-K`, `KD204188372`;
licences as Florida (`A123-456-78-901-2`), Illinois (`A123-4567-8901`), Michigan
(`A 123 456 789 012`), Ohio (two letters and six digits), Virginia (a letter and eight digits)
and New York (`123 456 789`) write them; US ZIPs, one in five with the +4; phones in forms of
their own (`a/b-c`, `+1 a-b-c`, `(a) b.c`, `1-a-b-c`, `a-b-c ext. n`, `a.b.c`); SSNs (dashes
mostly, a space, a dot, none); MBIs, one in five dashed; Luhn-valid cards (Visa, Mastercard,
Amex, Discover, JCB, Diners; some grouped); public IPv4 addresses; e-mails built from the name.
No real person: every value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("bn_BD", "en", "or_IN", "si_LK")
NAME_LOCALES = {"bn_BD": 8, "or_IN": 7, "si_LK": 7}
ADDRESS_LOCALES = {"en": 6, "bn_BD": 5, "or_IN": 5, "si_LK": 4}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "sltnet.lk",
    "dialog.lk",
    "btcl.net.bd",
    "bol-online.com",
    "citechco.net",
    "odishamail.in",
    "fastmail.com",
    "gmx.com",
    "hey.com",
    "duck.com",
    "mail.com",
    "yandex.com",
)

# Bengali and Odia letters by the last part of their Unicode name (`BENGALI LETTER KHA`).
_CONSONANTS = {
    "KA": "k", "KHA": "kh", "GA": "g", "GHA": "gh", "NGA": "n", "CA": "ch", "CHA": "chh",
    "JA": "j", "JHA": "jh", "NYA": "n", "TTA": "t", "TTHA": "th", "DDA": "d", "DDHA": "dh",
    "NNA": "n", "TA": "t", "THA": "th", "DA": "d", "DHA": "dh", "NA": "n", "PA": "p",
    "PHA": "ph", "BA": "b", "BHA": "bh", "MA": "m", "YA": "y", "RA": "r", "LA": "l",
    "LLA": "l", "VA": "v", "WA": "w", "SHA": "sh", "SSA": "sh", "SA": "s", "HA": "h",
    "RRA": "r", "RHA": "rh", "YYA": "y", "KHANDA TA": "t",
}  # fmt: skip
_VOWELS = {
    "A": "a", "AA": "a", "I": "i", "II": "i", "U": "u", "UU": "u", "E": "e", "AI": "oi",
    "O": "o", "AU": "ou", "VOCALIC R": "ri",
}  # fmt: skip
_SIGNS = {"ANUSVARA": "n", "CANDRABINDU": "n", "VISARGA": "h"}
# Sinhala: the consonant's key without its `-YANNA` and its class word, aspirates with an `h`.
_SINHALA_CONSONANTS = {
    "KA": "k", "GA": "g", "CA": "ch", "JA": "j", "TTA": "t", "DDA": "d", "NA": "n", "TA": "t",
    "DA": "d", "PA": "p", "BA": "b", "MA": "m", "YA": "y", "RA": "r", "LA": "l", "VA": "v",
    "SA": "s", "HA": "h", "FA": "f", "NGA": "n", "NYA": "n",
}  # fmt: skip
_SINHALA_VOWELS = {
    "A": "a", "AA": "a", "AE": "ae", "AEE": "ae", "I": "i", "II": "i", "U": "u", "UU": "u",
    "E": "e", "EE": "e", "AI": "ai", "O": "o", "OO": "o", "AU": "au",
}  # fmt: skip
_SINHALA_SIGNS = {
    "AELA-PILLA": "a", "KETTI AEDA-PILLA": "ae", "DIGA AEDA-PILLA": "ae", "KETTI IS-PILLA": "i",
    "DIGA IS-PILLA": "i", "KETTI PAA-PILLA": "u", "DIGA PAA-PILLA": "u", "KOMBUVA": "e",
    "DIGA KOMBUVA": "e", "KOMBU DEKA": "ai", "KOMBUVA HAA AELA-PILLA": "o",
    "KOMBUVA HAA DIGA AELA-PILLA": "o", "KOMBUVA HAA GAYANUKITTA": "au", "GAETTA-PILLA": "ru",
    "DIGA GAETTA-PILLA": "ru",
}  # fmt: skip
_SCRIPTS = ("BENGALI", "ORIYA", "SINHALA")


def _sinhala(rest: str) -> tuple[str, str] | None:
    if rest.startswith("LETTER "):
        key = rest[len("LETTER ") :]
        if not key.endswith("YANNA"):
            return "?", key
        key = key[: -len("YANNA")]
        words = key.split(" ")
        core = words[-1] + "A" if not words[-1].endswith("A") else words[-1]
        if (len(words) == 1 and core.rstrip("A") == "") or key in _SINHALA_VOWELS:
            return "V", _SINHALA_VOWELS.get(key, "a")
        out = _SINHALA_CONSONANTS.get(core, core[:1].lower())
        if words[0] == "MAHAAPRAANA":
            out += "h"
        return "C", out
    if rest.startswith("VOWEL SIGN "):
        return "M", _SINHALA_SIGNS.get(rest[len("VOWEL SIGN ") :], "a")
    if rest == "SIGN AL-LAKUNA":
        return "X", ""
    if rest in ("SIGN ANUSVARAYA", "SIGN VISARGAYA"):
        return "S", "n" if rest == "SIGN ANUSVARAYA" else "h"
    return "?", rest


def _kind(c: str) -> tuple[str, str, str] | None:
    """(script, kind, Latin) of a Bengali, Odia or Sinhala character: kind is `C` (consonant),
    `V` (independent vowel), `M` (vowel sign), `X` (virama), `S` (anusvara and the like), `N`
    (nukta), `D` (digit); None for any other character."""
    name = unicodedata.name(c, "")
    script = name.split(" ", 1)[0]
    if script not in _SCRIPTS:
        return None
    rest = name[len(script) + 1 :]
    if rest.startswith("DIGIT "):
        return script, "D", str(unicodedata.digit(c))
    if script == "SINHALA":
        what, latin_ = _sinhala(rest)
        return script, what, latin_
    if rest.startswith("LETTER "):
        key = rest[len("LETTER ") :]
        if key in _VOWELS:
            return script, "V", _VOWELS[key]
        return script, "C", _CONSONANTS.get(key, key.lower().rstrip("a") or "a")
    if rest.startswith("VOWEL SIGN "):
        return script, "M", _VOWELS.get(rest[len("VOWEL SIGN ") :], "a")
    if rest == "SIGN VIRAMA":
        return script, "X", ""
    if rest == "SIGN NUKTA":
        return script, "N", ""
    if rest.startswith("SIGN ") and rest[5:] in _SIGNS:
        return script, "S", _SIGNS[rest[5:]]
    if rest.startswith("AU LENGTH MARK") or rest.startswith("AI LENGTH MARK"):
        return script, "N", ""
    return script, "?", ""


def romanized(text: str) -> str:
    """Bengali, Odia and Sinhala letters written in Latin ones, each word capitalized;
    zero-width joiners and apostrophes dropped, everything else kept."""
    out: list[str] = []
    word: list[str] = []
    pending = False  # a consonant whose inherent `a` is still open
    script = ""

    def close(at_end: bool) -> None:
        nonlocal pending
        if pending:
            # Bengali and Odia drop a word's final inherent `a` (Biswas, Mohanty); Sinhala
            # writes its final consonants with an al-lakuna, so an open one keeps its `a`.
            if not (at_end and script != "SINHALA" and len(word) > 1):
                word.append("a")
            pending = False

    def flush() -> None:
        close(True)
        if word:
            out.append("".join(word).capitalize())
            word.clear()

    for c in text:
        if c in "\u200c\u200d'\u2019":
            continue
        kind = _kind(c)
        if kind is None:
            flush()
            out.append(c)
            continue
        script, what, value = kind
        if what == "C":
            close(False)
            word.append(value)
            pending = True
        elif what == "V":
            close(False)
            word.append(value)
        elif what == "M":
            pending = False
            word.append(value)
        elif what == "X":
            pending = False
        elif what == "S":
            close(False)
            word.append(value)
        elif what == "D":
            flush()
            out.append(value)
    flush()
    return "".join(out)


class FourteenthPeople(FakerPeople):
    MBI_DASHED = 0.2
    SSN_SEPARATORS = ("-", "-", "-", "-", "-", " ", ".", "")
    ZIP_RANGE = (1005, 99901)
    ZIP_PLUS4 = 0.2
    IP_FIRST_OCTETS = (5, 23, 31, 45, 62, 73, 84, 99, 103, 122, 137, 151, 176, 185, 203, 217)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 89 + 7019 * i)

    def _clean(self, raw: str) -> str | None:
        value = " ".join(raw.replace(",", " ").split()).strip(" .")
        if value and latin(value) and len(value) >= 3 and not set(value) & set(";\\\"'"):
            return value
        return None

    def _drawn(self, locale: str, what: str) -> str:
        fake = self.fakers[locale]
        for _ in range(80):
            raw = str(getattr(fake, what)())
            value = self._clean(raw if locale == "en" else romanized(raw))
            if value:
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(205, 985), r.randint(202, 987), self.digits(4)
        return r.choices(
            [
                f"{a}/{b}-{c}",
                f"+1 {a}-{b}-{c}",
                f"({a}) {b}.{c}",
                f"1-{a}-{b}-{c}",
                f"{a}-{b}-{c} ext. {r.randint(2, 899)}",
                f"{a}.{b}.{c}",
            ],
            [3, 4, 3, 3, 2, 3],
        )[0]

    def mrn(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(2)}{r.randint(1, 9)}{d(6)}",
                f"{r.randint(1, 9)}{d(2)}-{d(4)}-{self.letter()}{r.randint(1, 9)}",
                f"CL.{r.randint(1, 9)}{d(5)}",
                f"{r.randint(1, 9)}{d(1)}/{d(6)}",
                f"H{d(4)}{self.letter()}{d(3)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(3)}-{d(8)}",
                f"{d(4)}{self.letters(2)}{d(5)}",
                f"MBR.{d(3)}.{d(6)}",
                f"{self.letter()}{d(10)}-0{r.randint(1, 9)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"A/{r.randint(1, 9)}{d(6)}",
                f"{d(4)}.{d(4)}.{r.randint(1, 9)}",
                f"GT-{d(3)}-{d(4)}-{self.letter()}",
                f"{self.letters(2)}{d(9)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letter()}{d(3)}-{d(3)}-{d(2)}-{d(3)}-{d(1)}",
                f"{self.letter()}{d(3)}-{d(4)}-{d(4)}",
                f"{self.letter()} {d(3)} {d(3)} {d(3)} {d(3)}",
                f"{self.letters(2)}{d(6)}",
                f"{self.letter()}{d(8)}",
                f"{r.randint(1, 9)}{d(2)} {d(3)} {d(3)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(
            ["4", "4", "4", "52", "54", "2720", "2305", "37", "34", "6011", "649", "3566", "38"]
        )
        size = {"34": 15, "37": 15, "38": 14}.get(prefix, 16)
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.35:
            if size == 16:
                sep = r.choice([" ", "-"])
                return sep.join(number[i : i + 4] for i in range(0, 16, 4))
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        first = self._drawn(name_locale, "first_name")
        last = self._drawn(name_locale, "last_name")
        dob = datetime.date(1930, 3, 1) + datetime.timedelta(days=r.randint(0, 34000))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}{b}",
                f"{a}.{b}{r.randint(1, 99)}",
                f"{b}.{a}",
                f"{a[:1]}{b}{r.randint(1950, 2010)}",
                f"{b}_{a}",
            ]
        )
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(),
            email=f"{local.strip('._-')}@{r.choice(DOMAINS)}",
            street=self._drawn(address_locale, "street_address"),
            city=self._drawn(address_locale, "city"),
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
