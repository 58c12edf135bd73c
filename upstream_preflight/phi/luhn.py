"""Checksums that tell a card number from any other long digit string."""

from __future__ import annotations

# Issuer prefixes and lengths of the card networks; a Luhn-valid number outside them (epoch
# milliseconds, snowflake ids) is not treated as a card.
_CARD_PREFIXES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("4", (13, 16, 19)),
    ("34", (15,)),
    ("37", (15,)),
    ("36", (14,)),
    ("38", (14,)),
    ("30", (14,)),
    ("35", (16, 17, 18, 19)),
    ("51", (16,)),
    ("52", (16,)),
    ("53", (16,)),
    ("54", (16,)),
    ("55", (16,)),
    ("22", (16,)),
    ("23", (16,)),
    ("24", (16,)),
    ("25", (16,)),
    ("26", (16,)),
    ("27", (16,)),
    ("6011", (16, 17, 18, 19)),
    ("64", (16, 17, 18, 19)),
    ("65", (16, 17, 18, 19)),
    ("62", (16, 17, 18, 19)),
)


_LENGTHS: dict[str, tuple[int, ...]] = dict(_CARD_PREFIXES)
_PREFIX_SIZES = sorted({len(prefix) for prefix, _ in _CARD_PREFIXES}, reverse=True)
# A doubled digit's digit sum, as text: 5 doubled is 10, which counts 1.
_DOUBLED = str.maketrans("0123456789", "0246813579")


def luhn_valid(digits: str) -> bool:
    if len(digits) < 2 or not (digits.isascii() and digits.isdigit()):
        return False
    # Summing the bytes of ASCII digits adds 48 for each digit on top of the digit sum.
    total = sum(digits[-1::-2].encode()) + sum(digits[-2::-2].translate(_DOUBLED).encode())
    return (total - 48 * len(digits)) % 10 == 0


def is_card_number(digits: str) -> bool:
    """A payment card number: a known issuer prefix and length, and a valid Luhn check digit."""
    size = len(digits)
    for prefix_size in _PREFIX_SIZES:
        if size in _LENGTHS.get(digits[:prefix_size], ()):
            return luhn_valid(digits)
    return False
