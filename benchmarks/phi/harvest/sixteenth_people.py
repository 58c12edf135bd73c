"""Synthetic patients for the sixteenth corpus, from their own seeded source: `patients.Patient`
instances whose names, cities and streets come from Faker in locales no earlier corpus used.
Names come from `ar_AA` (Arabic, the generic locale), `ar_PS` (Palestinian Arabic) and `th_TH`
(Thai); cities and streets from `th_TH` and `th` (Thai; the Arabic locales have no address
provider of their own). All are written in Latin letters as a US clinic's registration desk
writes them, by this module's own romanizations: Arabic (`_arabic`) with long vowels doubled as
English spellings of Levantine and Gulf names write them (`ee`, `oo`, `aa` for a medial `alef`),
`a` between two consonants, the article as `El-`, `ta marbuta` as `eh`, no diacritics; Thai
(`_thai`) after the Royal Thai General System's consonant values, initial and final, the leading
vowels put after their consonants, `o` between two consonants of a closed syllable and `a` in an
open one, silent letters (under `thanthakhat`, a leading `ho`) dropped, tone marks dropped, `rr` as
`an`. Each
patient's name locale and address locale are drawn apart by this module's own `random.Random`;
one seeded Faker per locale; no value has a semicolon, a double quote, a backslash or an
apostrophe.

Identifier shapes are this module's own: MRNs like `QT/204188`, `204:1883:7`, `H20K41883`,
`2041.K8837`; member ids like `KDH-2041-883Q`, `20/K4188372`, `MB20418837.21`; accounts like
`ACCT2041883`, `2041_88372`, `KD204/18837`; licences as Michigan (`A 123 456 789 012`), New
Hampshire (`12ABC34567`), Washington (`WDL12AB345CD`), Ohio (`AB123456`) and Oregon
(`1234567`) write them; US ZIPs, one in five with the +4; phones in the national formats of the
name's locale (the generic Arabic names with the UAE's `050 123 4567`, `+971 50 123 4567`;
Palestine `059 123 4567`, `+970 59 123 4567`; Thailand `081 234 5678`, `+66 81 234 5678`,
`02-123-4567`) and in US forms of their own (`a/b-c`, `1 a b-c`, `+1 (a) b-c`); SSNs (dashes
mostly, a space, none); MBIs, one in three dashed; Luhn-valid cards (Visa, Mastercard, Amex,
Discover, JCB, Diners; some grouped); public IPv4 addresses; e-mails built from the name. No
real person: every value is drawn from a fixed seed.
"""

from __future__ import annotations

import datetime
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faker_people import FakerPeople, ascii_letters, latin
from patients import Patient, luhn_complete

LOCALES = ("ar_AA", "ar_PS", "th", "th_TH")
NAME_LOCALES = {"ar_AA": 6, "ar_PS": 7, "th_TH": 8}
ADDRESS_LOCALES = {"th_TH": 7, "th": 5}
STATES = (
    *("AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA"),
    *("KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ"),
    *("NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT"),
    *("VA", "WA", "WV", "WI", "WY"),
)
DOMAINS = (
    "hotmail.co.th",
    "truemail.co.th",
    "csloxinfo.com",
    "paltel.ps",
    "hadara.ps",
    "eim.ae",
    "emirates.net.ae",
    "fastmail.com",
    "gmx.com",
    "mail.com",
    "yandex.com",
    "hushmail.com",
)

# --- Arabic ---------------------------------------------------------------------------------

_AR = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",  # noqa: RUF001
    "ع": "'", "ء": "'", "ئ": "'", "ؤ": "'",
}  # fmt: skip
_AR_ALEF = {"ا", "أ", "إ", "آ", "ى"}  # noqa: RUF001


def _arabic_word(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        return "El-" + _arabic_word(word[2:])
    out: list[str] = []
    last = ""  # "c" after a consonant, "v" after a vowel
    for i, c in enumerate(word):
        at_end = i == len(word) - 1
        if c in _AR_ALEF:
            out.append("a" if i == 0 or at_end else "aa")
            last = "v"
        elif c in ("و", "ي"):
            if i == 0 or (i + 1 < len(word) and word[i + 1] in _AR_ALEF):
                if last == "c":
                    out.append("a")
                out.append("w" if c == "و" else "y")
                last = "c"
            else:
                out.append("oo" if c == "و" else ("i" if at_end else "ee"))
                last = "v"
        elif c == "ة":
            out.append("eh" if last == "c" else "h")
            last = "v"
        elif c in _AR:
            value = _AR[c]
            if value == "'":
                if last == "c":
                    out.append("a")
                last = "v"
                continue
            if last == "c":
                out.append("a")
            out.append(value)
            last = "c"
        elif c == "\u0651" and out:  # shadda: the consonant doubled
            out.append(out[-1][-1])
    text = "".join(out).replace("aaa", "aa")
    return text[:1].upper() + text[1:]


# --- Thai -----------------------------------------------------------------------------------

_TH_INITIAL = {
    "ก": "k", "ข": "kh", "ฃ": "kh", "ค": "kh", "ฅ": "kh", "ฆ": "kh", "ง": "ng", "จ": "ch",
    "ฉ": "ch", "ช": "ch", "ซ": "s", "ฌ": "ch", "ญ": "y", "ฎ": "d", "ฏ": "t", "ฐ": "th",
    "ฑ": "th", "ฒ": "th", "ณ": "n", "ด": "d", "ต": "t", "ถ": "th", "ท": "th", "ธ": "th",
    "น": "n", "บ": "b", "ป": "p", "ผ": "ph", "ฝ": "f", "พ": "ph", "ฟ": "f", "ภ": "ph",
    "ม": "m", "ย": "y", "ร": "r", "ล": "l", "ว": "w", "ศ": "s", "ษ": "s", "ส": "s",
    "ห": "h", "ฬ": "l", "อ": "", "ฮ": "h",
}  # fmt: skip
_TH_FINAL = {
    **dict.fromkeys("กขคฆ", "k"),
    **dict.fromkeys("จชซฌฎฏฐฑฒดตถทธศษส", "t"),
    **dict.fromkeys("บปพฟภ", "p"),
    **dict.fromkeys("ญณนรลฬ", "n"),
    "ม": "m", "ง": "ng", "ย": "i", "ว": "o", "อ": "o", "ห": "", "ฮ": "",
}  # fmt: skip
_TH_LEAD = {"เ": "e", "แ": "ae", "โ": "o", "ใ": "ai", "ไ": "ai"}
_TH_AFTER = {
    "ะ": "a", "ั": "a", "า": "a", "ำ": "am", "ิ": "i", "ี": "i", "ึ": "ue", "ื": "ue", "ุ": "u",
    "ู": "u", "ฤ": "rue",
}  # fmt: skip
_TH_MARKS = {"่", "้", "๊", "๋", "็", "ๆ", "ฯ"}


def _thai_word(word: str) -> str:
    chars = [c for c in word if c not in _TH_MARKS]
    # a letter under thanthakhat (and the one before it when both are silent) is not read
    kept: list[str] = []
    for c in chars:
        if c == "์":
            if kept:
                kept.pop()
            continue
        kept.append(c)
    text = "".join(kept).replace("รร", "\x00")
    out: list[str] = []
    lead = ""
    vowel = False  # the syllable being read has its vowel
    i = 0
    while i < len(text):
        c = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if c in _TH_LEAD:
            lead = _TH_LEAD[c]
            vowel = False
        elif c == "\x00":
            out.append("an")
            vowel = True
        elif c in _TH_AFTER:
            value = _TH_AFTER[c]
            if lead == "e" and c == "า":
                value = "ao"
            elif lead == "e" and c == "ี" and nxt == "ย":
                value, i = "ia", i + 1
            elif lead == "e" and c == "ื" and nxt == "อ":
                value, i = "uea", i + 1
            elif lead:
                value = lead if c in "ะ" else lead + value
            out.append(value)
            lead = ""
            vowel = True
        elif c == "ห" and nxt and nxt in "งญนมยรลว" and not lead and not vowel:
            pass  # a leading `ho` only sets the tone of the sonorant after it
        elif c in _TH_INITIAL:
            follows = nxt in _TH_AFTER or nxt == "\x00"
            if vowel and not follows and not lead:
                out.append(_TH_FINAL.get(c, ""))
                vowel = False
            elif lead:
                out.append(_TH_INITIAL[c])
                if nxt in _TH_AFTER:
                    pass
                elif c == "อ" and not out[-1]:
                    out.append(lead)
                    lead = ""
                    vowel = True
                else:
                    out.append(lead)
                    lead = ""
                    vowel = True
            else:
                out.append(_TH_INITIAL[c] or ("" if follows else "o"))
                if not follows:
                    closed = nxt in _TH_FINAL and (
                        i + 2 >= len(text) or text[i + 2] not in _TH_AFTER
                    )
                    if _TH_INITIAL[c]:
                        out.append("o" if closed else "a")
                    vowel = True
        elif unicodedata.category(c) == "Nd":
            out.append(str(unicodedata.digit(c)))
        elif c.isascii():
            out.append(c)
        i += 1
    result = "".join(out)
    return result[:1].upper() + result[1:]


def romanized(text: str, locale: str) -> str:
    """Arabic and Thai words in Latin letters (see the module's docstring); anything else kept."""
    word = _thai_word if locale.startswith("th") else _arabic_word
    text = text.replace("\u060c", ",")
    return " ".join(word(w) if w and not w.isascii() else w for w in text.split(" "))


# Words the emitters write: a name, city or street with one is drawn again.
RESERVED = {
    "attributes", "body", "claims", "client", "close", "code", "data", "error", "event",
    "events", "field", "fields", "frame", "name", "nonce", "open", "page", "ping", "pong",
    "resource", "scope", "server", "span", "state", "status", "text", "title", "token", "trace",
    "type", "value",
}  # fmt: skip


class SixteenthPeople(FakerPeople):
    MBI_DASHED = 0.33
    SSN_SEPARATORS = ("-", "-", "-", "-", "-", " ", "")
    ZIP_RANGE = (1002, 99901)
    ZIP_PLUS4 = 0.2
    IP_FIRST_OCTETS = (5, 23, 31, 46, 62, 77, 91, 101, 118, 146, 171, 182, 202, 223)

    def __init__(self, seed: int) -> None:
        super().__init__(seed, LOCALES, lambda seed, i: seed * 89 + 7411 * i)

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
        if r.random() < 0.3:
            a, b, c = r.randint(205, 985), r.randint(202, 987), d(4)
            return r.choice([f"{a}/{b}-{c}", f"1 {a} {b}-{c}", f"+1 ({a}) {b}-{c}"])
        if locale == "ar_AA":
            m = f"5{r.choice('024568')}"
            return r.choice([f"0{m} {d(3)} {d(4)}", f"+971 {m} {d(3)} {d(4)}"])
        if locale == "ar_PS":
            m = f"5{r.choice('69')}"
            return r.choice([f"0{m} {d(3)} {d(4)}", f"+970 {m} {d(3)} {d(4)}"])
        m = f"{r.choice('689')}{r.randint(1, 9)}"
        return r.choice([f"0{m} {d(3)} {d(4)}", f"+66 {m} {d(3)} {d(4)}", f"02-{d(3)}-{d(4)}"])

    def mrn(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(2)}/{r.randint(1, 9)}{d(5)}",
                f"{r.randint(1, 9)}{d(2)}:{d(4)}:{d(1)}",
                f"H{d(2)}{self.letter()}{d(5)}",
                f"{r.randint(1, 9)}{d(3)}.{self.letter()}{d(4)}",
            ]
        )

    def member_id(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letters(3)}-{d(4)}-{d(3)}{self.letter()}",
                f"{r.randint(1, 9)}{d(1)}/{self.letter()}{d(7)}",
                f"MB{d(8)}.{d(2)}",
            ]
        )

    def account(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"ACCT{d(7)}",
                f"{r.randint(1, 9)}{d(3)}_{d(5)}",
                f"{self.letters(2)}{d(3)}/{d(5)}",
            ]
        )

    def licence(self) -> str:
        r = self.r
        d = self.digits
        return r.choice(
            [
                f"{self.letter()} {d(3)} {d(3)} {d(3)} {d(3)}",
                f"{d(2)}{self.letters(3)}{d(5)}",
                f"WDL{d(2)}{self.letters(2)}{d(3)}{self.letters(2)}",
                f"{self.letters(2)}{d(6)}",
                f"{r.randint(1, 9)}{d(6)}",
            ]
        )

    def card(self) -> str:
        r = self.r
        prefix = r.choice(["4", "4", "4", "53", "2720", "34", "37", "6011", "3528", "36"])
        size = {"34": 15, "37": 15, "36": 14}.get(prefix, 16)
        number = luhn_complete(prefix + self.digits(size - len(prefix) - 1))
        if r.random() < 0.25:
            if size == 16:
                return "-".join(number[i : i + 4] for i in range(0, 16, 4))
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        return number

    def patient(self) -> Patient:
        r = self.r
        name_locale = r.choices(list(NAME_LOCALES), list(NAME_LOCALES.values()))[0]
        address_locale = r.choices(list(ADDRESS_LOCALES), list(ADDRESS_LOCALES.values()))[0]
        first = self._drawn(name_locale, "first_name")
        last = self._drawn(name_locale, "last_name")
        dob = datetime.date(1929, 3, 1) + datetime.timedelta(days=r.randint(0, 34000))
        a, b = ascii_letters(first) or "pt", ascii_letters(last) or "pt"
        local = r.choice(
            [
                f"{a}_{b}",
                f"{b}.{a[:1]}{r.randint(1, 99)}",
                f"{a}{b}",
                f"{a[:2]}{b}{r.randint(1950, 2010)}",
                f"{b}-{a}",
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
