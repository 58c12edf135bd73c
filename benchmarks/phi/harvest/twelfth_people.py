"""Synthetic patients for the twelfth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used.
Names come from `hy_AM` (Armenian), `ka_GE` (Georgian), `mk_MK` (Macedonian) and `ko_KR`
(Korean), written in Latin letters as a US clinic's registration desk writes them: this
module's own plain transliteration of the Armenian, Georgian and Macedonian Cyrillic letters,
and for Korean the Revised Romanization of each syllable, a family name in the spelling its
bearers use in the US (`Kim`, `Lee`, `Park`, `Choi`; none shorter than three letters). Cities
and streets come from `es` as Faker writes them (accents kept) and from `hy_AM`, `ka_GE` and `mk_MK`
transliterated the same way (the Georgian abbreviation for "street" written `St.`). Each
patient's name locale and address locale are drawn apart by this module's own
`random.Random`; one seeded Faker per locale; a comma in a street or city is written as a
space, and none has a semicolon, a double quote, a backslash or an apostrophe.

Identifier shapes are this module's own: MRNs like `T41-88372`, `2041-88-372`, `AMC2041883`,
`204188K3`, `P204.188.37`; member ids like `KJ2041-8837`, `MEM20418837`, `20K418Q8837`,
`R2041883712`; accounts like `GTR-2041-883`, `20X-418837`, `BA204/18837`, `20418.83712`;
licences as North Dakota (`ABC-12-3456`), Pennsylvania (`12 345 678`), Iowa (`123AB4567`),
Oklahoma (a letter and nine digits) and Hawaii (`H00` and six digits) write them; US ZIPs, one
in five with the +4; phones in forms of their own (`(a) b.c`, `a/b-c`, `1.a.b.c`, `+1 a b-c`,
`a-b-c ext n`); SSNs (dashes mostly, a dot, a space); MBIs; Luhn-valid cards (Visa, Mastercard
2221-2720 and 51-55, Amex, Discover, UnionPay; some grouped with spaces or dashes); public IPv4
addresses; e-mails built from the name. No real person: every value is drawn from a fixed seed.
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

LOCALES = ("es", "hy_AM", "ka_GE", "ko_KR", "mk_MK")
NAME_LOCALES = {"hy_AM": 8, "ka_GE": 7, "mk_MK": 7, "ko_KR": 8}
ADDRESS_LOCALES = {"es": 7, "hy_AM": 5, "ka_GE": 5, "mk_MK": 6}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "naver.com",
    "daum.net",
    "hanmail.net",
    "kakao.com",
    "mail.am",
    "yandex.am",
    "mail.ge",
    "caucasus.net",
    "t-home.mk",
    "telefonica.net",
    "gmx.es",
    "fastmail.com",
    "hey.com",
    "me.com",
)

# Each letter by its Unicode name (`ARMENIAN SMALL LETTER ...`, `GEORGIAN LETTER ...`,
# `CYRILLIC SMALL LETTER ...`).
_ARMENIAN = {
    "AYB": "a", "BEN": "b", "GIM": "g", "DA": "d", "ECH": "e", "ZA": "z", "EH": "e",
    "ET": "y", "TO": "t", "ZHE": "zh", "INI": "i", "LIWN": "l", "XEH": "kh", "CA": "ts",
    "KEN": "k", "HO": "h", "JA": "dz", "GHAD": "gh", "CHEH": "ch", "MEN": "m", "YI": "y",
    "NOW": "n", "SHA": "sh", "VO": "o", "CHA": "ch", "PEH": "p", "JHEH": "j", "RA": "r",
    "SEH": "s", "VEW": "v", "TIWN": "t", "REH": "r", "CO": "ts", "YIWN": "w", "PIWR": "p",
    "KEH": "k", "OH": "o", "FEH": "f",
}  # fmt: skip
_GEORGIAN = {
    "AN": "a", "BAN": "b", "GAN": "g", "DON": "d", "EN": "e", "VIN": "v", "ZEN": "z",
    "TAN": "t", "IN": "i", "KAN": "k", "LAS": "l", "MAN": "m", "NAR": "n", "ON": "o",
    "PAR": "p", "ZHAR": "zh", "RAE": "r", "SAN": "s", "TAR": "t", "UN": "u", "PHAR": "p",
    "KHAR": "k", "GHAN": "gh", "QAR": "q", "SHIN": "sh", "CHIN": "ch", "CAN": "ts",
    "JIL": "dz", "CIL": "ts", "CHAR": "ch", "XAN": "kh", "JHAN": "j", "HAE": "h",
}  # fmt: skip
_MACEDONIAN = {
    "A": "a", "BE": "b", "VE": "v", "GHE": "g", "DE": "d", "GJE": "gj", "IE": "e",
    "ZHE": "zh", "ZE": "z", "DZE": "dz", "I": "i", "JE": "j", "KA": "k", "EL": "l",
    "LJE": "lj", "EM": "m", "EN": "n", "NJE": "nj", "O": "o", "PE": "p", "ER": "r",
    "ES": "s", "TE": "t", "KJE": "kj", "U": "u", "EF": "f", "HA": "h", "TSE": "ts",
    "CHE": "ch", "DZHE": "dzh", "SHA": "sh",
}  # fmt: skip
_TABLE = {
    **{unicodedata.lookup(f"ARMENIAN SMALL LETTER {k}"): t for k, t in _ARMENIAN.items()},
    **{unicodedata.lookup(f"GEORGIAN LETTER {k}"): t for k, t in _GEORGIAN.items()},
    **{unicodedata.lookup(f"CYRILLIC SMALL LETTER {k}"): t for k, t in _MACEDONIAN.items()},
}
_ARM_VO = unicodedata.lookup("ARMENIAN SMALL LETTER VO")
_ARM_ECH = unicodedata.lookup("ARMENIAN SMALL LETTER ECH")
_ARM_YIWN = unicodedata.lookup("ARMENIAN SMALL LETTER YIWN")
_ARM_EV = unicodedata.lookup("ARMENIAN SMALL LIGATURE ECH YIWN")
_GEORGIAN_STREET = unicodedata.lookup("GEORGIAN LETTER KHAR") + "."

# Korean: the Revised Romanization of a syllable's initial, vowel and final.
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k",
             "t", "p", "h")  # fmt: skip
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip
# Family names as their bearers write them in the US (the syllable by its romanization).
_FAMILY = {
    "gim": "Kim", "i": "Lee", "bak": "Park", "choe": "Choi", "jeong": "Jung", "gang": "Kang",
    "jo": "Cho", "yun": "Yoon", "jang": "Jang", "im": "Lim", "han": "Han", "o": "Oh",
    "seo": "Seo", "sin": "Shin", "gwon": "Kwon", "hwang": "Hwang", "an": "Ahn", "song": "Song",
    "ryu": "Ryu", "yu": "Yoo", "hong": "Hong", "jeon": "Jeon", "go": "Koh", "mun": "Moon",
    "yang": "Yang", "son": "Sohn", "bae": "Bae", "baek": "Baek", "heo": "Heo", "no": "Noh",
    "nam": "Nam", "sim": "Shim", "ha": "Hah", "gwak": "Kwak", "seong": "Sung", "cha": "Cha",
    "ju": "Joo", "u": "Woo", "gu": "Koo", "min": "Min", "jin": "Jin", "na": "Nah",
    "ji": "Jee", "eom": "Uhm", "byeon": "Byun", "chae": "Chae", "won": "Won", "cheon": "Chun",
    "bang": "Bang", "gong": "Kong", "hyeon": "Hyun", "ham": "Hahm", "yeom": "Yeom",
    "yeo": "Yeo", "chu": "Choo", "do": "Doh", "so": "Soh", "seok": "Seok", "seon": "Seon",
    "seol": "Seol", "ma": "Mah", "gil": "Gil", "yeon": "Yeon", "wi": "Wee", "pyo": "Pyo",
    "myeong": "Myung", "gi": "Kee", "ban": "Bahn", "ra": "Rah", "wang": "Wang", "geum": "Keum",
    "ok": "Ok", "yuk": "Yook", "in": "Inn", "maeng": "Maeng", "je": "Jeh", "mo": "Moh",
    "tak": "Tak", "guk": "Kook", "eo": "Eoh", "eun": "Eun", "pyeon": "Pyun", "yong": "Yong",
    "ye": "Yeh", "gyeong": "Kyung", "bong": "Bong", "sa": "Sah", "bu": "Boo", "ga": "Kah",
    "bok": "Bok", "tae": "Tae", "mok": "Mok", "hyeong": "Hyung", "pi": "Pih", "du": "Doo",
    "gam": "Kam", "seomun": "Seomoon", "jegal": "Jegal", "seonu": "Sunwoo",
    "namgung": "Namkoong", "hwangbo": "Hwangbo", "dokgo": "Dokgo", "sagong": "Sagong",
}  # fmt: skip
_APOSTROPHES = "'\u2019\u02bc"


def _hangul(text: str) -> str | None:
    """A word of Hangul syllables in the Revised Romanization; None for anything else."""
    out = []
    for c in text:
        code = ord(c) - 0xAC00
        if not 0 <= code < 11172:
            return None
        out.append(_INITIALS[code // 588] + _VOWELS[code % 588 // 28] + _FINALS[code % 28])
    return "".join(out)


def romanized(text: str) -> str:
    """Armenian, Georgian and Macedonian letters written in Latin ones (each word's first letter
    a capital), accents and apostrophes dropped."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace(f" {_GEORGIAN_STREET}", " St.")
    out: list[str] = []
    start = True
    low_text = text.lower()
    i = 0
    while i < len(text):
        c, low = text[i], low_text[i]
        nxt = low_text[i + 1] if i + 1 < len(text) else ""
        if low == _ARM_VO and nxt == _ARM_YIWN:
            t, i = "u", i + 2
        elif low == _ARM_VO and start:
            t, i = "vo", i + 1
        elif low == _ARM_ECH and start:
            t, i = "ye", i + 1
        elif low == _ARM_EV:
            t, i = ("yev" if start else "ev"), i + 1
        elif low in _TABLE:
            t, i = _TABLE[low], i + 1
        elif c in _APOSTROPHES:
            i += 1
            continue
        else:
            out.append(c)
            start = not c.isalnum()
            i += 1
            continue
        out.append(t.capitalize() if start else t)
        start = False
    return unicodedata.normalize("NFC", "".join(out))


class TwelfthPeople(FakerPeople):
    MBI_DASHED = 0.3
    SSN_SEPARATORS = ("-", "-", "-", "-", ".", " ")
    ZIP_RANGE = (1002, 99901)
    ZIP_PLUS4 = 0.2
    IP_FIRST_OCTETS = (2, 23, 31, 45, 50, 63, 68, 96, 107, 128, 142, 154, 185, 199, 207)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 89 + 4099 * i)

    def _clean(self, raw: str) -> str | None:
        value = " ".join(raw.replace(",", " ").split()).strip(" .")
        if value and latin(value) and len(value) >= 3 and not set(value) & set(";\\\"'"):
            return value
        return None

    def _drawn(self, locale: str, what: str) -> str:
        fake = self.fakers[locale]
        for _ in range(80):
            raw = str(getattr(fake, what)())
            value = self._clean(raw if locale == "es" else romanized(raw))
            if value:
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def _korean(self, fake: Faker, what: str) -> str:
        for _ in range(80):
            raw = str(getattr(fake, what)())
            word = _hangul(raw)
            if word is None:
                continue
            if what == "last_name":
                word = _FAMILY.get(word, "")
            value = self._clean(word.capitalize())
            if value:
                return value
        raise RuntimeError(f"no romanized {what} from {fake}")

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(205, 989), r.randint(210, 989), self.digits(4)
        return r.choices(
            [
                f"({a}) {b}.{c}",
                f"{a}/{b}-{c}",
                f"1.{a}.{b}.{c}",
                f"+1 {a} {b}-{c}",
                f"{a}-{b}-{c} ext {r.randint(2, 899)}",
            ],
            [4, 3, 3, 3, 2],
        )[0]

    def mrn(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letter()}{self.digits(2)}-{self.digits(5)}",
                f"{r.randint(1, 9)}{self.digits(3)}-{self.digits(2)}-{self.digits(3)}",
                f"AMC{r.randint(1, 9)}{self.digits(6)}",
                f"{r.randint(1, 9)}{self.digits(5)}{self.letter()}{self.digits(1)}",
                f"P{self.digits(3)}.{self.digits(3)}.{self.digits(2)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        return r.choice(
            [
                f"{self.letters(2)}{self.digits(4)}-{self.digits(4)}",
                f"MEM{r.randint(1, 9)}{self.digits(7)}",
                f"{self.digits(2)}{self.letter()}{self.digits(3)}{self.letter()}{self.digits(4)}",
                f"R{r.randint(1, 9)}{self.digits(9)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        return r.choice(
            [
                f"GTR-{self.digits(4)}-{self.digits(3)}",
                f"{r.randint(1, 9)}{self.digits(1)}{self.letter()}-{self.digits(6)}",
                f"BA{self.digits(3)}/{self.digits(5)}",
                f"{r.randint(1, 9)}{self.digits(4)}.{self.digits(5)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(3)}-{d(2)}-{d(4)}",
                f"{d(2)} {d(3)} {d(3)}",
                f"{d(3)}{self.letters(2)}{d(4)}",
                f"{self.letter()}{d(9)}",
                f"H00{d(6)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "2221", "2720", "52", "34", "37", "6011", "62"])
        size = 15 if prefix in ("34", "37") else 16
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        group = r.random()
        if size == 16 and group < 0.35:
            sep = r.choice([" ", "-"])
            return sep.join(number[i : i + 4] for i in range(0, 16, 4))
        if size == 15 and group < 0.35:
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        if name_locale == "ko_KR":
            fake = self.fakers[name_locale]
            first, last = self._korean(fake, "first_name"), self._korean(fake, "last_name")
        else:
            first, last = (
                self._drawn(name_locale, "first_name"),
                self._drawn(name_locale, "last_name"),
            )
        dob = datetime.date(1931, 3, 1) + datetime.timedelta(days=r.randint(0, 33800))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}_{b}",
                f"{b}.{a[:1]}{r.randint(60, 99)}",
                f"{a}{b}",
                f"{a[:1]}{b}{r.randint(100, 999)}",
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
