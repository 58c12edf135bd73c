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


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_card_number(digits: str) -> bool:
    """A payment card number: a known issuer prefix and length, and a valid Luhn check digit."""
    return any(
        digits.startswith(prefix) and len(digits) in lengths for prefix, lengths in _CARD_PREFIXES
    ) and luhn_valid(digits)
