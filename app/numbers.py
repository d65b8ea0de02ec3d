"""Numbers and codes from text a person or a URL sent: ASCII digits only, of bounded length (pure).

Python's ``int()``, ``str.isdigit()`` and ``\\d`` accept digits of every script ("١٤", "１４",
even "²", which ``int()`` then refuses), and ``int()`` refuses more than 4,300 digits with an
error. Everything that turns text into a number or reads digits from a code goes through here,
so "１４１９９８５００４" is never the same tax code as "1419985004" and a 5,000-digit page
number is just a number that is too large.
"""

from __future__ import annotations

import re

DIGITS = "0123456789"
# A BIGINT holds 18 full digits: no number a person types here needs more.
MAX_DIGITS = 18

_DIGITS = re.compile(r"[0-9]+")


def is_digits(text: str, *, max_digits: int | None = MAX_DIGITS) -> bool:
    """True when ``text`` is one to ``max_digits`` (None: any number of) ASCII digits and nothing else."""
    if not text or (max_digits is not None and len(text) > max_digits):
        return False
    return _DIGITS.fullmatch(text) is not None


def parse_digits(raw: str | None, *, max_digits: int = MAX_DIGITS) -> int | None:
    """The whole number written in ``raw`` (surrounding spaces ignored) with ASCII digits only,
    else None: empty, a sign, another script's digits or more than ``max_digits`` digits."""
    text = (raw or "").strip()
    return int(text) if is_digits(text, max_digits=max_digits) else None


def row_id(raw: object) -> int | None:
    """A row id or code named in a URL or a form, else None: ASCII digits only, and few enough of them
    to fit a 32-bit INTEGER column (PostgreSQL refuses a larger number in the query itself)."""
    number = parse_digits(str(raw or ""), max_digits=9)
    return number if number else None


def digits_only(text: str) -> str:
    """``text`` without everything that is not an ASCII digit ("0912 345.678" → "0912345678")."""
    return "".join(character for character in text if character in DIGITS)


def optional_id(value: object) -> int | None:
    """A select's value as a row id or code: None for the empty "choose…" option; a ``ValueError``
    (which WTForms turns into "not a valid choice") for anything but ASCII digits."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    number = parse_digits(str(value))
    if number is None:
        raise ValueError(value)
    return number
