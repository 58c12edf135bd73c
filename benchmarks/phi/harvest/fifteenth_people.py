"""Synthetic patients for the fifteenth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used.
Names come from `ar_DZ` (Algerian Arabic), `ar_SA` (Saudi Arabic), `fa_IR` (Persian) and `he_IL`
(Hebrew); cities and streets from `ar_DZ`, `fa_IR` and `he_IL` (`ar_SA` has no address provider
of its own). All four are written in Latin letters as a US clinic's registration desk writes
them: this module's own plain romanization (`romanized`) of the Arabic, Persian and Hebrew
letters, which leave most short vowels unwritten: each consonant with its Latin value, `alef`,
`ayin` and the like as vowel carriers, `waw` and `ya` (`vav` and `yod`) as consonants at a word's
start or before a vowel and as vowels elsewhere, a short vowel put between two consonants (`a`
before the word's first vowel, `e` after it; written vowel marks kept), Persian's final `he`
as `eh`, the article `al-` and `Al` of family names kept, the script's digits as ASCII ones, no
diacritics. Each patient's name locale and address locale are drawn apart by this module's own
`random.Random`; one seeded Faker per locale; no value has a semicolon, a double quote, a
backslash or an apostrophe.

Identifier shapes are this module's own: MRNs like `P204.188.37`, `20K41883Q`, `2041883/4`,
`KDH2041-88`, `CH-2041-88370`; member ids like `XK204 188 372`, `204-KD-18837`, `ID204188372K`,
`K20.4188.3721`; accounts like `AC20-418837`, `204/18837/21`, `K2041883-72`, `BL.20418837`;
licences as New Jersey (`A1234 56789 01234`), Wisconsin (`A123-4567-8901-23`), Colorado
(`12-345-6789`), Iowa (`123AB4567`), Kansas (`K12-34-5678`) and Pennsylvania (`12 345 678`)
write them; US ZIPs, one in four with the +4; phones in the national formats of the patient's
name locale (Algeria `0551 23 45 67`, `+213 551 23 45 67`; Saudi Arabia `055 123 4567`, `+966 55
123 4567`; Iran `0912 345 6789`, `+98 912 345 6789`; Israel `052-123-4567`, `+972-52-123-4567`)
and in US forms of their own (`+1.a.b.c`, `(a) b c`, `a-b c`, `1.a.b.c`); SSNs (dashes mostly,
a space, none); MBIs, one in four dashed; Luhn-valid cards (Visa, Mastercard, Amex, Discover,
UnionPay, Maestro; some grouped); public IPv4 addresses; e-mails built from the name. No real
person: every value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("ar_DZ", "ar_SA", "fa_IR", "he_IL")
NAME_LOCALES = {"ar_DZ": 7, "ar_SA": 6, "fa_IR": 8, "he_IL": 7}
ADDRESS_LOCALES = {"ar_DZ": 6, "fa_IR": 6, "he_IL": 6}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "djaweb.dz",
    "algerietelecom.dz",
    "stc.com.sa",
    "chmail.ir",
    "parsonline.net",
    "walla.co.il",
    "bezeqint.net",
    "netvision.net.il",
    "zoho.com",
    "tutanota.com",
    "posteo.net",
    "runbox.com",
)

# --- romanization ---------------------------------------------------------------------------

# Arabic script: consonants (Persian values where they differ), vowel letters, marks.
_AR_CONSONANTS = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "th", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k",
    "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h",  # noqa: RUF001
}  # fmt: skip
_FA_CONSONANTS = {**_AR_CONSONANTS, "ث": "s", "ذ": "z", "ض": "z", "ظ": "z", "ق": "gh"}
_AR_VOWELS = {"ا": "a", "آ": "a", "أ": "a", "إ": "i", "ى": "a", "ة": "a", "ؤ": "u", "ئ": "i"}  # noqa: RUF001
_AR_MARKS = {"\u064e": "a", "\u064f": "u", "\u0650": "i"}  # fatha, damma, kasra
_AR_SEMI = {"و": ("w", "u"), "ي": ("y", "i"), "ی": ("y", "i")}
_FA_SEMI = {"و": ("v", "u"), "ي": ("y", "i"), "ی": ("y", "i")}
_AR_CARRIERS = {"ع"}
_AR_SPECIAL = {"الله": "Allah", "عبد": "Abd", "آل": "Al", "ال": "Al"}
# Hebrew: consonants (`b`, `k` and `p` at a word's start), carriers, semivowels.
_HE_CONSONANTS = {
    "ב": "v", "ג": "g", "ד": "d", "ז": "z", "ח": "ch", "ט": "t", "כ": "kh", "ך": "kh",  # noqa: RUF001
    "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "פ": "f", "ף": "f",  # noqa: RUF001
    "צ": "tz", "ץ": "tz", "ק": "k", "ר": "r", "ש": "sh", "ת": "t", "ה": "h",
}  # fmt: skip
_HE_INITIAL = {"ב": "b", "כ": "k", "פ": "p"}
_HE_SEMI = {"ו": ("v", "o"), "י": ("y", "i")}  # noqa: RUF001
_HE_CARRIERS = {"א", "ע"}
_DROPPED = {"ء", "ـ", "\u0652", "\u200c", "\u200d", "\u05f3", "\u05f4", "'", "\u2019"}


def _tokens(word: str, hebrew: bool, persian: bool) -> list[tuple[str, str]]:
    """The word's letters as (kind, Latin): `C` consonant, `V` vowel, `S` semivowel (its
    consonant and vowel values joined by `|`), `A` a vowel carrier, `D` a doubling mark."""
    out: list[tuple[str, str]] = []
    consonants = _HE_CONSONANTS if hebrew else (_FA_CONSONANTS if persian else _AR_CONSONANTS)
    semi = _HE_SEMI if hebrew else (_FA_SEMI if persian else _AR_SEMI)
    carriers = _HE_CARRIERS if hebrew else _AR_CARRIERS
    for i, c in enumerate(word):
        if c in _DROPPED:
            continue
        if c == "\u0651":
            out.append(("D", ""))
        elif c in semi:
            out.append(("S", "|".join(semi[c])))
        elif c in carriers:
            out.append(("A", "a"))
        elif not hebrew and c in _AR_VOWELS:
            out.append(("V", _AR_VOWELS[c]))
        elif not hebrew and c in _AR_MARKS:
            out.append(("V", _AR_MARKS[c]))
        elif c in consonants:
            value = _HE_INITIAL.get(c, consonants[c]) if (hebrew and not out) else consonants[c]
            if c in ("ה", "ه") and i == len(word) - 1 and out:  # noqa: RUF001
                value = "a" if hebrew else ("eh" if persian else "h")
                out.append(("V" if hebrew or persian else "C", value))
                continue
            out.append(("C", value))
        elif unicodedata.category(c) == "Nd":
            out.append(("N", str(unicodedata.digit(c))))
        elif unicodedata.category(c).startswith("M"):
            continue
        else:
            out.append(("N", c))
    return out


def _word(word: str, hebrew: bool, persian: bool) -> str:
    if not hebrew and word in _AR_SPECIAL:
        return _AR_SPECIAL[word]
    if not hebrew and word.startswith("ال") and len(word) > 3:
        return "Al-" + _word(word[2:], hebrew, persian)
    tokens = _tokens(word, hebrew, persian)
    # resolve semivowels and carriers: what follows decides
    resolved: list[tuple[str, str]] = []
    for i, (kind, value) in enumerate(tokens):
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if kind == "S":
            cons, vow = value.split("|")
            doubled = i + 1 < len(tokens) and tokens[i + 1] == (kind, value)
            if resolved and resolved[-1] == ("C", cons) and tokens[i - 1] == (kind, value):
                continue  # the second of a doubled semivowel
            if i == 0 or nxt == "V" or doubled:
                resolved.append(("C", cons))
            else:
                resolved.append(("V", vow))
        elif kind == "A":
            if hebrew and nxt == "S":
                if tokens[i + 1][1].startswith("y"):
                    resolved.append(("V", "e"))  # `ein`, `eilat`
                continue
            if nxt == "V":
                continue
            resolved.append(("V", "a"))
        elif kind == "D":
            if resolved and resolved[-1][0] == "C":
                resolved.append(resolved[-1])
        else:
            resolved.append((kind, value))
    out: list[str] = []
    seen_vowel = False
    for i, (kind, value) in enumerate(resolved):
        if kind == "V" and out and out[-1] == value:
            continue  # `ii`, `aa`: one vowel
        out.append(value)
        if kind == "V":
            seen_vowel = True
            continue
        nxt = resolved[i + 1] if i + 1 < len(resolved) else None
        if kind == "C" and nxt is not None and nxt[0] == "C" and nxt[1] != value:
            out.append("e" if seen_vowel else "a")
            seen_vowel = True
    text = "".join(out)
    return text[:1].upper() + text[1:]


def romanized(text: str, locale: str) -> str:
    """Arabic, Persian and Hebrew words written in Latin letters (see the module's docstring),
    each word capitalized; anything else kept."""
    hebrew, persian = locale.startswith("he"), locale.startswith("fa")
    words = text.replace("\u060c", ",").split(" ")
    return " ".join(_word(w, hebrew, persian) if w else w for w in words)


# Words the emitters write (`[chan 0]`, `Kex:`): a name, city or street with one is drawn again.
RESERVED = {
    "address", "amount", "bounce", "chan", "city", "click", "client", "close", "code", "data",
    "date", "details", "email", "error", "from", "key", "kex", "line", "mac", "message", "name",
    "object", "open", "phone", "post", "queued", "reason", "sent", "server", "state", "status",
    "tag", "type",
}  # fmt: skip

# --- the patients ---------------------------------------------------------------------------


class FifteenthPeople(FakerPeople):
    MBI_DASHED = 0.25
    SSN_SEPARATORS = ("-", "-", "-", "-", "-", "-", " ", "")
    ZIP_RANGE = (1201, 99829)
    ZIP_PLUS4 = 0.25
    IP_FIRST_OCTETS = (2, 12, 38, 41, 57, 63, 79, 88, 95, 109, 128, 141, 159, 188, 195, 212)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 97 + 8123 * i)

    def _clean(self, raw: str) -> str | None:
        value = " ".join(raw.replace(",", " ").split()).strip(" .-")
        words = {w.lower() for w in value.replace("-", " ").split()}
        if words & RESERVED:
            return None
        if value and latin(value) and len(value) >= 3 and not set(value) & set(";\\\"'"):
            return value
        return None

    def _drawn(self, locale: str, what: str) -> str:
        fake = self.fakers[locale]
        for _ in range(80):
            value = self._clean(romanized(str(getattr(fake, what)()), locale))
            if value:
                return value
        raise RuntimeError(f"no Latin-script {what} from {fake}")

    def letters(self, n: int) -> str:
        return "".join(self.letter() for _ in range(n))

    def phone(self, locale: str) -> str:
        r = self.r
        d = self.digits
        if r.random() < 0.35:
            a, b, c = r.randint(205, 985), r.randint(202, 987), d(4)
            return r.choice([f"+1.{a}.{b}.{c}", f"({a}) {b} {c}", f"{a}-{b} {c}", f"1.{a}.{b}.{c}"])
        if locale == "ar_DZ":
            m = f"{r.choice('567')}{d(2)}"
            return r.choice([f"0{m} {d(2)} {d(2)} {d(2)}", f"+213 {m} {d(2)} {d(2)} {d(2)}"])
        if locale == "ar_SA":
            m = f"5{r.choice('0345689')}"
            return r.choice([f"0{m} {d(3)} {d(4)}", f"+966 {m} {d(3)} {d(4)}"])
        if locale == "fa_IR":
            m = f"9{r.choice('0123')}{d(1)}"
            return r.choice([f"0{m} {d(3)} {d(4)}", f"+98 {m} {d(3)} {d(4)}"])
        m = f"5{r.choice('0234578')}"
        return r.choice([f"0{m}-{d(3)}-{d(4)}", f"+972-{m}-{d(3)}-{d(4)}"])

    def mrn(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"P{r.randint(1, 9)}{d(2)}.{d(3)}.{d(2)}",
                f"{r.randint(1, 9)}{d(1)}{self.letter()}{d(5)}{self.letter()}",
                f"{r.randint(1, 9)}{d(6)}/{d(1)}",
                f"{self.letters(3)}{d(4)}-{d(2)}",
                f"CH-{d(4)}-{d(5)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(2)}{d(3)} {d(3)} {d(3)}",
                f"{r.randint(1, 9)}{d(2)}-{self.letters(2)}-{d(5)}",
                f"ID{d(9)}{self.letter()}",
                f"{self.letter()}{d(2)}.{d(4)}.{d(4)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"AC{d(2)}-{d(6)}",
                f"{r.randint(1, 9)}{d(2)}/{d(5)}/{d(2)}",
                f"{self.letter()}{d(7)}-{d(2)}",
                f"BL.{d(8)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letter()}{d(4)} {d(5)} {d(5)}",
                f"{self.letter()}{d(3)}-{d(4)}-{d(4)}-{d(2)}",
                f"{d(2)}-{d(3)}-{d(4)}",
                f"{d(3)}{self.letters(2)}{d(4)}",
                f"K{d(2)}-{d(2)}-{d(4)}",
                f"{r.randint(1, 9)}{d(1)} {d(3)} {d(3)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(
            ["4", "4", "4", "51", "55", "2221", "34", "37", "6011", "65", "62", "6759"]
        )
        size = {"34": 15, "37": 15}.get(prefix, 16)
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.3:
            if size == 16:
                return " ".join(number[i : i + 4] for i in range(0, 16, 4))
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        first = self._drawn(name_locale, "first_name")
        last = self._drawn(name_locale, "last_name")
        dob = datetime.date(1931, 6, 1) + datetime.timedelta(days=r.randint(0, 33500))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}.{b}",
                f"{a}{b[:1]}{r.randint(10, 99)}",
                f"{b}{a}",
                f"{a[:1]}.{b}{r.randint(1940, 2012)}",
                f"{a}-{b}",
            ]
        )
        return Patient(
            first_name=first,
            last_name=last,
            dob=dob,
            ssn=self.ssn(),
            mrn=self.mrn(),
            phone=self.phone(name_locale),
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
