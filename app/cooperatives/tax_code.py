"""Vietnamese tax codes (mã số thuế) of organisations.

A code is ten digits, the last a check digit, optionally followed by ``-`` and three
digits for a dependent unit (branch). The check digit is ``10 − (Σ wᵢ·dᵢ mod 11)`` with
weights 31, 29, 23, 19, 17, 13, 7, 5, 3 over the first nine digits; a code whose
check value would be 10 is never issued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
PATTERN = re.compile(r"([0-9]{10})(?:-([0-9]{3}))?")


class TaxCodeError(ValueError):
    """Why a tax code is not valid; ``reason`` is one of the REASON_* constants."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


REASON_FORMAT = "format"
REASON_CHECK_DIGIT = "check_digit"
REASON_BRANCH = "branch"


@dataclass(frozen=True)
class TaxCode:
    main: str
    branch: str | None = None

    def __str__(self) -> str:
        return f"{self.main}-{self.branch}" if self.branch else self.main


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid code can start with them."""
    value = 10 - sum(w * int(d) for w, d in zip(WEIGHTS, first_nine, strict=True)) % 11
    return None if value == 10 else value


def parse(raw: str) -> TaxCode:
    """Normalise and validate a tax code typed by a person (spaces and dots are ignored)."""
    cleaned = re.sub(r"[\s.]", "", raw or "")
    match = PATTERN.fullmatch(cleaned)
    if not match:
        raise TaxCodeError(REASON_FORMAT)
    main, branch = match.groups()
    if check_digit(main[:9]) != int(main[9]):
        raise TaxCodeError(REASON_CHECK_DIGIT)
    if branch == "000":
        raise TaxCodeError(REASON_BRANCH)
    return TaxCode(main, branch)


def with_check_digit(first_nine: str) -> str | None:
    """Complete nine digits into a valid ten-digit code (used for demo data)."""
    digit = check_digit(first_nine)
    return None if digit is None else f"{first_nine}{digit}"
