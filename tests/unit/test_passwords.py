"""Password rules (ASVS) and hashing parameters (OWASP)."""

import pytest
from argon2 import PasswordHasher

from app.auth import passwords
from app.auth.passwords import PasswordProblem


@pytest.mark.parametrize(
    ("password", "logins", "expected"),
    [
        ("", (), [PasswordProblem.TOO_SHORT]),
        ("1234567", (), [PasswordProblem.TOO_SHORT]),
        ("abcdefgh", (), [PasswordProblem.TOO_COMMON]),
        ("PASSWORD", (), [PasswordProblem.TOO_COMMON]),
        ("12345678", (), [PasswordProblem.TOO_COMMON]),
        ("anhyeuem", (), [PasswordProblem.TOO_COMMON]),
        ("lúa chín", (), []),  # 8 characters, any characters allowed
        ("đồng lúa mùa nước nổi", (), []),
        ("x" * 64 + "y", (), []),  # long passphrases are welcome
        ("a" * 128, (), []),
        ("a" * 129, (), [PasswordProblem.TOO_LONG]),
        ("0912345678", ("0912345678",), [PasswordProblem.SAME_AS_LOGIN]),
        ("Chu@HTX.vn", ("chu@htx.vn", None), [PasswordProblem.SAME_AS_LOGIN]),
        ("no composition rules", (), []),
    ],
)
def test_password_rules(password, logins, expected):
    assert passwords.problems(password, logins=logins) == expected


def test_the_shipped_list_is_large_and_lower_case():
    common = passwords.common_passwords()
    assert len(common) > 9000
    assert all(word == word.lower() and len(word) >= 8 for word in common)


def test_hash_uses_owasp_argon2id_parameters():
    stored = passwords.hash_password("lúa chín vàng")
    assert stored.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in stored
    assert passwords.verify(stored, "lúa chín vàng")
    assert not passwords.verify(stored, "lúa chín xanh")
    assert not passwords.verify("not-a-hash", "anything")
    assert not passwords.needs_rehash(stored)


def test_weaker_old_hashes_need_rehash():
    old = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("lúa chín vàng")
    assert passwords.verify(old, "lúa chín vàng")
    assert passwords.needs_rehash(old)
    assert passwords.needs_rehash("pbkdf2:sha256:1000$x$y")
