"""Synthetic patients for the thirteenth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used.
Names come from `hi_IN` (Hindi), `mr_IN` (Marathi), `ne_NP` (Nepali), `gu_IN` (Gujarati) and
`ta_IN` (Tamil), written in Latin letters as a US clinic's registration desk writes them: this
module's own plain romanization of the Devanagari, Gujarati and Tamil letters (each consonant
with its vowel, the inherent `a` of a word's last consonant dropped in Devanagari and Gujarati,
long vowels written as short ones, no diacritics). Cities and streets come from `de` as Faker
writes them (umlauts and `ß` kept) and from `hi_IN`, `mr_IN`, `ne_NP` and `ta_IN` romanized the
same way. Each patient's name locale and address locale are drawn apart by this module's own
`random.Random`; one seeded Faker per locale; a comma in a street or city is written as a space,
and none has a semicolon, a double quote, a backslash or an apostrophe.

Identifier shapes are this module's own: MRNs like `K7-204-1883`, `20418837-M`, `HMC/2041/8837`,
`204QX18837`, `MR#2041883`; member ids like `QTX204-188-372`, `M2041.8837.21`, `204K188372-01`,
`HP2041883721`; accounts like `AC20-4188-37`, `204188/37`, `ACCT204188372`, `204-QX-18837`;
licences as Minnesota (a letter and twelve digits), Washington (`WDL` and nine letters and
digits), New Jersey (a letter and fourteen digits), Colorado (`12-345-6789`), Kansas
(`K12-34-5678`) and Wisconsin (`A123-4567-8901-23`) write them; US ZIPs, one in four with the
+4; phones in forms of their own (`(a)-b-c`, `a b c`, `+1.a.b.c`, ten digits, `1 (a) b c`,
`a.b.c x n`); SSNs (dashes mostly, a space, none); MBIs; Luhn-valid cards (Visa, Mastercard
51-55 and 2221-2720, Amex, Discover 644-649 and 65, JCB, Diners; some grouped with spaces or
dashes); public IPv4 addresses; e-mails built from the name. No real person: every value is
drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("de", "gu_IN", "hi_IN", "mr_IN", "ne_NP", "ta_IN")
NAME_LOCALES = {"hi_IN": 8, "mr_IN": 6, "ne_NP": 6, "gu_IN": 5, "ta_IN": 7}
ADDRESS_LOCALES = {"de": 8, "hi_IN": 5, "mr_IN": 4, "ne_NP": 4, "ta_IN": 4}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "rediffmail.com",
    "yahoo.co.in",
    "outlook.in",
    "sify.com",
    "wlink.com.np",
    "web.de",
    "gmx.de",
    "t-online.de",
    "posteo.de",
    "mailbox.org",
    "zoho.com",
    "tutanota.com",
    "pm.me",
)

# Brahmic letters by the last part of their Unicode name (`DEVANAGARI LETTER KHA`,
# `TAMIL VOWEL SIGN II`, ...): consonants, independent vowels and vowel signs.
_CONSONANTS = {
    "KA": "k", "KHA": "kh", "GA": "g", "GHA": "gh", "NGA": "n", "CA": "ch", "CHA": "chh",
    "JA": "j", "JHA": "jh", "NYA": "n", "TTA": "t", "TTHA": "th", "DDA": "d", "DDHA": "dh",
    "NNA": "n", "TA": "t", "THA": "th", "DA": "d", "DHA": "dh", "NA": "n", "NNNA": "n",
    "PA": "p", "PHA": "ph", "BA": "b", "BHA": "bh", "MA": "m", "YA": "y", "RA": "r",
    "RRA": "r", "LA": "l", "LLA": "l", "LLLA": "zh", "VA": "v", "SHA": "sh", "SSA": "sh",
    "SA": "s", "HA": "h", "KHHA": "kh", "RHA": "rh", "ZA": "z", "FA": "f", "QA": "q",
    "GHHA": "gh", "DDDHA": "r", "YYA": "y",
}  # fmt: skip
_VOWELS = {
    "A": "a", "AA": "a", "I": "i", "II": "i", "U": "u", "UU": "u", "E": "e", "EE": "e",
    "AI": "ai", "O": "o", "OO": "o", "AU": "au", "VOCALIC R": "ri", "CANDRA O": "o",
    "CANDRA E": "e", "SHORT E": "e", "SHORT O": "o",
}  # fmt: skip
_SIGNS = {"ANUSVARA": "n", "CANDRABINDU": "n", "VISARGA": "h"}
_SCRIPTS = ("DEVANAGARI", "GUJARATI", "TAMIL")


def _kind(c: str) -> tuple[str, str, str] | None:
    """(script, kind, key) of a Brahmic character: kind is `C` (consonant), `V` (independent
    vowel), `M` (vowel sign), `X` (virama), `S` (anusvara and the like), `N` (nukta); None for
    any other character."""
    name = unicodedata.name(c, "")
    script = name.split(" ", 1)[0]
    if script not in _SCRIPTS:
        return None
    rest = name[len(script) + 1 :]
    if rest.startswith("LETTER "):
        key = rest[len("LETTER ") :]
        if key in _VOWELS:
            return script, "V", key
        return script, "C", key
    if rest.startswith("VOWEL SIGN "):
        return script, "M", rest[len("VOWEL SIGN ") :]
    if rest == "SIGN VIRAMA":
        return script, "X", ""
    if rest == "SIGN NUKTA":
        return script, "N", ""
    if rest.startswith("SIGN ") and rest[5:] in _SIGNS:
        return script, "S", rest[5:]
    if rest.startswith("DIGIT "):
        return script, "D", str(unicodedata.digit(c))
    return script, "?", rest


def romanized(text: str) -> str:
    """Devanagari, Gujarati and Tamil letters written in Latin ones, each word capitalized;
    zero-width joiners and apostrophes dropped, everything else kept."""
    out: list[str] = []
    word: list[str] = []
    pending = False  # a consonant whose inherent `a` is still open
    script = ""

    def close(at_end: bool) -> None:
        nonlocal pending
        if pending:
            # Devanagari and Gujarati drop a word's final inherent `a` (Ram, Patil); Tamil
            # writes its final consonants with a virama, so an open one is read with its `a`.
            if not (at_end and script != "TAMIL" and len(word) > 1):
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
        script, what, key = kind
        if what == "C":
            close(False)
            word.append(_CONSONANTS.get(key, key.lower().rstrip("a") or "a"))
            pending = True
        elif what == "V":
            close(False)
            word.append(_VOWELS[key])
        elif what == "M":
            pending = False
            word.append(_VOWELS.get(key, "a"))
        elif what == "X":
            pending = False
        elif what == "S":
            close(False)
            word.append(_SIGNS[key])
        elif what == "D":
            flush()
            out.append(key)
    flush()
    return "".join(out)


class ThirteenthPeople(FakerPeople):
    MBI_DASHED = 0.25
    SSN_SEPARATORS = ("-", "-", "-", "-", " ", "")
    ZIP_RANGE = (1001, 99929)
    ZIP_PLUS4 = 0.25
    IP_FIRST_OCTETS = (3, 12, 18, 38, 52, 64, 76, 81, 91, 109, 130, 148, 160, 188, 212)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 97 + 5011 * i)

    def _clean(self, raw: str) -> str | None:
        value = " ".join(raw.replace(",", " ").split()).strip(" .")
        if value and latin(value) and len(value) >= 3 and not set(value) & set(";\\\"'"):
            return value
        return None

    def _drawn(self, locale: str, what: str) -> str:
        fake = self.fakers[locale]
        for _ in range(80):
            raw = str(getattr(fake, what)())
            value = self._clean(raw if locale == "de" else romanized(raw))
            if value:
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self) -> str:
        r = self.r
        a, b, c = r.randint(201, 989), r.randint(201, 989), self.digits(4)
        return r.choices(
            [
                f"({a})-{b}-{c}",
                f"{a} {b} {c}",
                f"+1.{a}.{b}.{c}",
                f"{a}{b}{c}",
                f"1 ({a}) {b} {c}",
                f"{a}.{b}.{c} x{r.randint(10, 4999)}",
            ],
            [4, 3, 3, 2, 3, 2],
        )[0]

    def mrn(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letter()}{r.randint(1, 9)}-{d(3)}-{d(4)}",
                f"{r.randint(1, 9)}{d(7)}-{self.letter()}",
                f"HMC/{d(4)}/{d(4)}",
                f"{r.randint(1, 9)}{d(2)}{self.letters(2)}{d(5)}",
                f"MR#{r.randint(1, 9)}{d(6)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(3)}{d(3)}-{d(3)}-{d(3)}",
                f"M{d(4)}.{d(4)}.{d(2)}",
                f"{d(3)}{self.letter()}{d(6)}-0{r.randint(1, 4)}",
                f"HP{r.randint(1, 9)}{d(9)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"AC{d(2)}-{d(4)}-{d(2)}",
                f"{r.randint(1, 9)}{d(5)}/{d(2)}",
                f"ACCT{r.randint(1, 9)}{d(8)}",
                f"{d(3)}-{self.letters(2)}-{d(5)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        alnum = "ABCDEFGHJKLMNPRSTWXYZ0123456789"
        return r.choice(
            [
                f"{self.letter()}{d(12)}",
                "WDL" + "".join(r.choice(alnum) for _ in range(9)),
                f"{self.letter()}{d(14)}",
                f"{d(2)}-{d(3)}-{d(4)}",
                f"K{d(2)}-{d(2)}-{d(4)}",
                f"{self.letter()}{d(3)}-{d(4)}-{d(4)}-{d(2)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(
            ["4", "4", "51", "55", "2221", "2619", "34", "37", "6011", "645", "65", "3530", "36"]
        )
        size = {"34": 15, "37": 15, "36": 14}.get(prefix, 16)
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.4:
            if size == 16:
                sep = r.choice([" ", "-"])
                return sep.join(number[i : i + 4] for i in range(0, 16, 4))
            if size == 15:
                return f"{number[:4]} {number[4:10]} {number[10:]}"
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        first = self._drawn(name_locale, "first_name")
        last = self._drawn(name_locale, "last_name")
        dob = datetime.date(1929, 6, 1) + datetime.timedelta(days=r.randint(0, 34200))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}.{b}",
                f"{b}{a[:1]}{r.randint(10, 99)}",
                f"{a}_{b[:1]}",
                f"{a}{r.randint(1960, 2009)}",
                f"{a[:1]}.{b}",
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
