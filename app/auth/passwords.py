"""Password rules (OWASP ASVS) and hashing (Argon2id at OWASP's parameters).

Rules: at least 8 characters, up to 128 accepted, not one of the most common passwords,
not the person's own login; no composition rules.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 128

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_COMMON = "too_common"
    SAME_AS_LOGIN = "same_as_login"


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def problems(password: str, *, logins: tuple[str | None, ...] = ()) -> list[PasswordProblem]:
    """What is wrong with ``password`` (an empty list means it is acceptable)."""
    length = len(password)
    if length < MIN_LENGTH:
        return [PasswordProblem.TOO_SHORT]
    if length > MAX_LENGTH:
        return [PasswordProblem.TOO_LONG]
    found = []
    if password.lower() in common_passwords():
        found.append(PasswordProblem.TOO_COMMON)
    if any(login and password.lower() == login.lower() for login in logins):
        found.append(PasswordProblem.SAME_AS_LOGIN)
    return found


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


# Spent on unknown accounts so a failed log-in takes as long whether or not the account exists.
DUMMY_HASH = HASHER.hash("coopdx-no-such-account")
