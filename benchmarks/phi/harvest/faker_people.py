"""What the patient generators of the later corpora (`fifth_people.py`, `sixth_people.py`,
`seventh_people.py`) share: one seeded Faker per locale beside the generator's own
`random.Random`, digits, capital letters and MBIs drawn from it, and the Latin-script and ASCII
tests their names and e-mail addresses go through. Each generator keeps its own locales, seeds
and identifier shapes."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

from faker import Faker

MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def latin(text: str) -> bool:
    """Every letter is Latin script."""
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


def ascii_letters(text: str) -> str:
    """`text` folded to lower-case ASCII letters and digits (for an e-mail's local part)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in folded.lower() if c.isalnum())


class FakerPeople:
    # Each generator's own shapes: how often an MBI is written with its dashes, the separators an
    # SSN's groups get (drawn with these weights), the range of ZIPs and how often one has its +4,
    # the first octets of public IPv4 addresses.
    MBI_DASHED: float
    SSN_SEPARATORS: tuple[str, ...]
    ZIP_RANGE: tuple[int, int]
    ZIP_PLUS4: float
    IP_FIRST_OCTETS: tuple[int, ...]

    def __init__(
        self, seed: int, locales: tuple[str, ...], locale_seed: Callable[[int, int], int]
    ) -> None:
        """`locale_seed(seed, i)` seeds the Faker of the i-th locale."""
        self.r = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        for i, locale in enumerate(locales):
            fake = Faker(locale)
            fake.seed_instance(locale_seed(seed, i))
            self.fakers[locale] = fake

    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def letter(self) -> str:
        return self.r.choice(LETTERS)

    def mbi(self) -> str:
        r = self.r

        def a() -> str:
            return r.choice(MBI_LETTERS)

        def an() -> str:
            return r.choice(MBI_LETTERS + "0123456789")

        def d() -> str:
            return r.choice("0123456789")

        body = f"{r.randint(1, 9)}{a()}{an()}{d()}{a()}{an()}{d()}{a()}{a()}{d()}{d()}"
        return f"{body[:4]}-{body[4:7]}-{body[7:]}" if r.random() < self.MBI_DASHED else body

    def ssn(self) -> str:
        r = self.r
        area = r.choice([n for n in range(1, 900) if n != 666])
        group, serial = r.randint(1, 99), r.randint(1, 9999)
        sep = r.choice(list(self.SSN_SEPARATORS))
        return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"

    def zip_code(self) -> str:
        five = f"{self.r.randint(*self.ZIP_RANGE):05d}"
        return f"{five}-{self.digits(4)}" if self.r.random() < self.ZIP_PLUS4 else five

    def ip(self) -> str:
        r = self.r
        first = r.choice(list(self.IP_FIRST_OCTETS))
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(2, 253)}"
