"""Single-use link tokens: only the hash is kept, and a link is valid until used or expired."""

from datetime import datetime, timedelta

import pytest

from app.tokens import LinkState, hash_token, link_state, new_token

EXPIRES = datetime(2025, 11, 20, 10, 0, 0)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("used_at", "now", "state"),
    [
        (None, EXPIRES - timedelta(days=7), LinkState.VALID),
        (None, EXPIRES - SECOND, LinkState.VALID),
        (None, EXPIRES, LinkState.EXPIRED),
        (None, EXPIRES + SECOND, LinkState.EXPIRED),
        (EXPIRES - timedelta(days=1), EXPIRES - SECOND, LinkState.USED),
        (EXPIRES - timedelta(days=1), EXPIRES + timedelta(days=30), LinkState.USED),
        (EXPIRES - SECOND, EXPIRES - SECOND, LinkState.USED),
    ],
)
def test_link_state(used_at, now, state):
    assert link_state(EXPIRES, used_at, now) is state


def test_a_new_token_comes_with_its_hash():
    token, token_hash = new_token()
    assert token_hash == hash_token(token)
    assert token not in token_hash
    assert len(token_hash) == 64


def test_tokens_differ_every_time():
    tokens = {new_token()[0] for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) >= 32 for token in tokens)


def test_hash_is_stable_and_distinct():
    assert hash_token("abc") == hash_token("abc")
    assert hash_token("abc") != hash_token("abd")
