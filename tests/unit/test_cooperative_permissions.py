"""Who may do what with the register, and which status changes are allowed."""

import pytest

from app.auth.roles import Role
from app.cooperatives.permissions import (Decision, edits_are_audited, fixed_province, may_add_cooperative,
                                          may_browse_register, may_decide, may_edit_profile, next_status,
                                          open_decisions)
from app.cooperatives.vocabulary import Status

ROLES = list(Role)


@pytest.mark.parametrize(("role", "browse", "add", "edit", "decide", "audited"), [
    (Role.ADMIN, True, True, True, True, True),
    (Role.ALLIANCE, True, True, True, True, True),
    (Role.COOP_MANAGER, False, False, True, False, False),
    (Role.COOP_MEMBER, False, False, False, False, False),
    (Role.GRADUATE, False, False, False, False, False),
])
def test_what_each_role_may_do(role, browse, add, edit, decide, audited):
    assert may_browse_register(role) is browse
    assert may_add_cooperative(role) is add
    assert may_edit_profile(role) is edit
    assert may_decide(role) is decide
    assert edits_are_audited(role) is audited


@pytest.mark.parametrize(("decision", "current", "result"), [
    (Decision.APPROVE, Status.PENDING, Status.ACTIVE),
    (Decision.APPROVE, Status.REJECTED, Status.ACTIVE),
    (Decision.APPROVE, Status.ACTIVE, None),
    (Decision.APPROVE, Status.DISSOLVED, None),
    (Decision.REJECT, Status.PENDING, Status.REJECTED),
    (Decision.REJECT, Status.ACTIVE, None),
    (Decision.REJECT, Status.REJECTED, None),
    (Decision.REJECT, Status.DISSOLVED, None),
    (Decision.DISSOLVE, Status.ACTIVE, Status.DISSOLVED),
    (Decision.DISSOLVE, Status.DISSOLVED, None),
    (Decision.DISSOLVE, Status.PENDING, None),
    (Decision.DISSOLVE, Status.REJECTED, None),
])
def test_transitions(decision, current, result):
    assert next_status(decision, current) == result


@pytest.mark.parametrize(("current", "decisions"), [
    (Status.PENDING, (Decision.APPROVE, Decision.REJECT)),
    (Status.REJECTED, (Decision.APPROVE,)),
    (Status.ACTIVE, (Decision.DISSOLVE,)),
    (Status.DISSOLVED, ()),
])
def test_staff_see_the_decisions_open_from_each_status(current, decisions):
    assert open_decisions(Role.ALLIANCE, current) == decisions
    assert open_decisions(Role.ADMIN, current) == decisions


@pytest.mark.parametrize("role", [Role.COOP_MANAGER, Role.COOP_MEMBER, Role.GRADUATE])
@pytest.mark.parametrize("current", list(Status))
def test_cooperative_people_take_no_decision(role, current):
    assert open_decisions(role, current) == ()


@pytest.mark.parametrize(("role", "own", "cooperative", "fixed"), [
    (Role.ADMIN, None, None, None),          # the administrator chooses
    (Role.ADMIN, None, 82, None),
    (Role.ALLIANCE, 82, None, 82),           # new cooperative: the alliance's own province
    (Role.ALLIANCE, 82, 82, 82),
    (Role.COOP_MANAGER, None, 86, 86),       # a manager cannot move the cooperative
])
def test_fixed_province(role, own, cooperative, fixed):
    assert fixed_province(role, own_province=own, cooperative_province=cooperative) == fixed
