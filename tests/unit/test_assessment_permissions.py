"""Who may start, answer and submit a self-assessment they can see."""

import pytest

from app.assessments.permissions import (Refusal, answer_refusal, may_answer, may_set_graduate_access, may_start,
                                         may_submit)
from app.auth.roles import Role


@pytest.mark.parametrize(("role", "start", "submit", "graduate_access"), [
    (Role.COOP_MANAGER, True, True, True),
    (Role.COOP_MEMBER, False, False, False),
    (Role.GRADUATE, False, False, False),
    (Role.ALLIANCE, False, False, False),
    (Role.ADMIN, False, False, False),
])
def test_only_the_manager_starts_submits_and_lets_the_graduate_in(role, start, submit, graduate_access):
    assert may_start(role) is start
    assert may_submit(role) is submit
    assert may_set_graduate_access(role) is graduate_access


@pytest.mark.parametrize(("role", "graduate_may_answer", "answers"), [
    (Role.COOP_MANAGER, False, True),
    (Role.COOP_MEMBER, False, True),
    (Role.GRADUATE, False, False),
    (Role.GRADUATE, True, True),
    (Role.ALLIANCE, False, False),
    (Role.ALLIANCE, True, False),  # the graduate's permission is for the graduate only
    (Role.ADMIN, True, False),
])
def test_who_answers(role, graduate_may_answer, answers):
    assert may_answer(role, graduate_may_answer=graduate_may_answer) is answers


@pytest.mark.parametrize(("role", "submitted", "graduate_may_answer", "refusal"), [
    (Role.COOP_MANAGER, False, False, None),
    (Role.COOP_MEMBER, False, False, None),
    (Role.GRADUATE, False, True, None),
    (Role.COOP_MANAGER, True, False, Refusal.FINAL),
    (Role.COOP_MEMBER, True, False, Refusal.FINAL),
    (Role.GRADUATE, True, True, Refusal.FINAL),
    (Role.GRADUATE, False, False, Refusal.FORBIDDEN),
    (Role.GRADUATE, True, False, Refusal.FORBIDDEN),  # the role is checked first
    (Role.ALLIANCE, False, False, Refusal.FORBIDDEN),
    (Role.ALLIANCE, True, False, Refusal.FORBIDDEN),
    (Role.ADMIN, False, False, Refusal.FORBIDDEN),
])
def test_why_an_answer_is_refused(role, submitted, graduate_may_answer, refusal):
    assert answer_refusal(role, submitted=submitted, graduate_may_answer=graduate_may_answer) == refusal
