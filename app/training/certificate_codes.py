"""Certificate verification codes, made to be read off paper and typed back on a phone.

A code is 16 characters from an alphabet without look-alikes (no 0/O, no 1/I/L), written in
four groups of four: ``7KQM-X3PD-HN9T-C2WF`` (about 79 random bits: unguessable). Typed back, case,
spaces and dashes do not matter. Codes issued before this form (16 URL-safe characters, where
case matters) are matched exactly as they are stored.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 16
GROUP = 4
# Anything longer is no code of either form; it is not looked up.
LONGEST_TYPED = 64


def grouped(characters: str) -> str:
    return "-".join(characters[start:start + GROUP] for start in range(0, len(characters), GROUP))


def new_code() -> str:
    """A fresh code in its stored form, ``XXXX-XXXX-XXXX-XXXX``."""
    return grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalised(typed: str) -> str | None:
    """The stored form of a code as a person typed it (any case, spaces or dashes anywhere), or None
    when it cannot be a code of the current form."""
    compact = re.sub(r"[\s-]", "", typed).upper()
    if len(compact) != LENGTH or any(character not in ALPHABET for character in compact):
        return None
    return grouped(compact)


def candidates(typed: str) -> list[str]:
    """The stored codes ``typed`` may stand for, the exact text first (an older code)."""
    if len(typed) > LONGEST_TYPED:
        return []
    found = [typed]
    current = normalised(typed)
    if current is not None and current != typed:
        found.append(current)
    return found
