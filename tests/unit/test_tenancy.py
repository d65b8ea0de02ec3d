"""The scoping rule: who sees which cooperatives."""

import pytest

from app.auth.roles import Role
from app.tenancy import Scope, scope_for


@pytest.mark.parametrize(
    ("role", "province", "cooperative", "placed", "expected"),
    [
        (Role.ADMIN, None, None, frozenset(), Scope(everything=True)),
        (Role.ALLIANCE, 82, None, frozenset(), Scope(province_code=82)),
        (Role.ALLIANCE, None, None, frozenset(), Scope(province_code=None)),
        (Role.COOP_MANAGER, None, 7, frozenset(), Scope(cooperative_ids=frozenset({7}))),
        (Role.COOP_MEMBER, 82, 7, frozenset(), Scope(cooperative_ids=frozenset({7}))),
        (Role.COOP_MEMBER, None, None, frozenset(), Scope()),
        (Role.GRADUATE, None, None, frozenset({3, 9}), Scope(cooperative_ids=frozenset({3, 9}), read_only=True)),
        (Role.GRADUATE, None, 7, frozenset(), Scope(read_only=True)),
    ],
)
def test_scope_for_each_role(role, province, cooperative, placed, expected):
    assert scope_for(role, province_code=province, cooperative_id=cooperative, placed_in=placed) == expected


@pytest.mark.parametrize(
    ("scope", "cooperative_id", "province_code", "allowed"),
    [
        (Scope(everything=True), 1, 1, True),
        (Scope(province_code=82), 1, 82, True),
        (Scope(province_code=82), 1, 86, False),
        (Scope(province_code=None), 1, 82, False),
        (Scope(cooperative_ids=frozenset({7})), 7, 86, True),
        (Scope(cooperative_ids=frozenset({7})), 8, 82, False),
        (Scope(), 1, 82, False),
    ],
)
def test_scope_allows(scope, cooperative_id, province_code, allowed):
    assert scope.allows(cooperative_id, province_code) is allowed
