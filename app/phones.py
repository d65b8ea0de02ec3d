"""Vietnamese phone numbers as people type them: "+84 912 345 678" → "0912345678"."""

from __future__ import annotations

import re

PATTERN = re.compile(r"0[0-9]{9,10}")


def normalise(raw: str) -> str | None:
    """The number in national form, or None when it is not a Vietnamese phone number."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits if PATTERN.fullmatch(digits) else None


def looks_like_phone(raw: str) -> bool:
    """True for input made of digits and phone punctuation (not an email address)."""
    return bool(raw) and "@" not in raw and bool(re.fullmatch(r"[0-9\s.\-()+]+", raw.strip()))
