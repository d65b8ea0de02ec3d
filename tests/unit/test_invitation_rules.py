"""Who may invite which role into which cooperative."""

import pytest

from app.auth.roles import Role
from app.invitations.rules import Host, Inviter, invitable_roles

HOME = Host(id=1, province_code=82, active=True)
OTHER_COOPERATIVE = Host(id=2, province_code=82, active=True)
OTHER_PROVINCE = Host(id=3, province_code=86, active=True)
INACTIVE = Host(id=1, province_code=82, active=False)

ALLIANCE = Inviter(Role.ALLIANCE, province_code=82)
ALLIANCE_ELSEWHERE = Inviter(Role.ALLIANCE, province_code=86)
ALLIANCE_WITHOUT_PROVINCE = Inviter(Role.ALLIANCE)
MANAGER = Inviter(Role.COOP_MANAGER, cooperative_id=1)
MANAGER_WITHOUT_COOPERATIVE = Inviter(Role.COOP_MANAGER)
MEMBER = Inviter(Role.COOP_MEMBER, cooperative_id=1)
GRADUATE = Inviter(Role.GRADUATE)
ADMIN = Inviter(Role.ADMIN)

EVERY_COOPERATIVE_ROLE = {Role.COOP_MANAGER, Role.COOP_MEMBER, Role.GRADUATE}


@pytest.mark.parametrize(
    ("inviter", "host", "roles"),
    [
        (ALLIANCE, HOME, EVERY_COOPERATIVE_ROLE),
        (ALLIANCE, OTHER_COOPERATIVE, EVERY_COOPERATIVE_ROLE),
        (ALLIANCE, OTHER_PROVINCE, set()),
        (ALLIANCE_ELSEWHERE, HOME, set()),
        (ALLIANCE_ELSEWHERE, OTHER_PROVINCE, EVERY_COOPERATIVE_ROLE),
        (ALLIANCE_WITHOUT_PROVINCE, HOME, set()),
        (ALLIANCE, INACTIVE, set()),
        (MANAGER, HOME, EVERY_COOPERATIVE_ROLE),
        (MANAGER, OTHER_COOPERATIVE, set()),
        (MANAGER, OTHER_PROVINCE, set()),
        (MANAGER, INACTIVE, set()),
        (MANAGER_WITHOUT_COOPERATIVE, HOME, set()),
        (MEMBER, HOME, set()),
        (MEMBER, OTHER_COOPERATIVE, set()),
        (GRADUATE, HOME, set()),
        (ADMIN, HOME, set()),
    ],
)
def test_invitable_roles(inviter, host, roles):
    assert set(invitable_roles(inviter, host)) == roles


@pytest.mark.parametrize(
    ("inviter", "role"),
    [(ALLIANCE, Role.ALLIANCE), (ALLIANCE, Role.ADMIN), (MANAGER, Role.ALLIANCE), (MANAGER, Role.ADMIN)],
)
def test_nobody_invites_staff_or_administrators(inviter, role):
    assert role not in invitable_roles(inviter, HOME)


def test_a_manager_offers_members_first():
    # The first choice is the form's default: a manager mostly invites colleagues, not managers.
    assert invitable_roles(MANAGER, HOME)[0] is Role.COOP_MEMBER
