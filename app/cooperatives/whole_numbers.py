"""Whole numbers as people type them: "1.500.000", "1 500 000", "1,500,000 đ" → 1500000.

Vietnamese writes thousands with dots and decimals with a comma, English the other way
round; a group separator is accepted only when every group after the first has exactly
three digits, so "1.5" or "1.500,5" are recognised as decimals, not guessed at.
Only ASCII digits count, and a number longer than a BIGINT is too large, however many digits it has.
"""

from __future__ import annotations

import re

from app.numbers import digits_only, parse_digits

REASON_FORMAT = "format"
REASON_NEGATIVE = "negative"
REASON_DECIMAL = "decimal"
REASON_TOO_LARGE = "too_large"

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"(₫|đồng|đ|vnđ|vnd)$", re.IGNORECASE)
_PLAIN = re.compile(r"[0-9]+")
# The same separator between every group: "1.500.000" or "1 500 000", never "1.500,000".
_GROUPED = re.compile(r"[0-9]{1,3}([., ])[0-9]{3}(?:\1[0-9]{3})*")
_DECIMAL = re.compile(r"[0-9][0-9., ]*[.,][0-9]+")


class WholeNumberError(ValueError):
    """Why the text is not an acceptable whole number; ``reason`` is a REASON_* constant."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_whole_number(raw: str, *, maximum: int | None = None) -> int:
    """The non-negative whole number in ``raw``; raises ``WholeNumberError`` otherwise."""
    text = _SPACES.sub(" ", raw or "").strip()
    text = _CURRENCY.sub("", text).strip()
    negative = text[:1] in {"-", "−"}
    if negative:
        text = text[1:].strip()
    if _PLAIN.fullmatch(text) or _GROUPED.fullmatch(text):
        if negative:
            raise WholeNumberError(REASON_NEGATIVE)
        value = parse_digits(digits_only(text))
        if value is None or (maximum is not None and value > maximum):
            raise WholeNumberError(REASON_TOO_LARGE)
        return value
    if _DECIMAL.fullmatch(text):
        raise WholeNumberError(REASON_NEGATIVE if negative else REASON_DECIMAL)
    raise WholeNumberError(REASON_FORMAT)
