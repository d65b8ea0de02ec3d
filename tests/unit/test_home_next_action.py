"""What a cooperative's home offers first, and how long the self-assessment is said to take (pure)."""

from datetime import datetime, timedelta

import pytest

from app.main.home_data import REASSESS_AFTER, AssessmentSize, NextAction, next_action

NOW = datetime(2026, 12, 1, 8, 0)
RECENT = NOW - timedelta(days=30)
OLD = NOW - REASSESS_AFTER


@pytest.mark.parametrize(
    ("may_start", "may_answer", "has_draft", "last_submitted_at", "expected"),
    [
        (True, False, False, None, NextAction.START),  # a newly approved cooperative's manager
        (False, False, False, None, NextAction.TRAINING),  # a member or graduate: the manager starts
        (True, True, True, None, NextAction.CONTINUE),
        (False, True, True, RECENT, NextAction.CONTINUE),  # a member helps answer the new round
        (False, False, True, None, NextAction.READ_DRAFT),  # a graduate not (yet) allowed to answer
        (False, False, True, RECENT, NextAction.RESULTS),  # ... who can read the last results instead
        (True, False, False, RECENT, NextAction.RESULTS),
        (True, False, False, OLD, NextAction.REASSESS),  # a year on, a new round says more
        (False, False, False, OLD, NextAction.RESULTS),  # only the manager starts one
    ],
)
def test_next_action(may_start, may_answer, has_draft, last_submitted_at, expected):
    assert next_action(may_start=may_start, may_answer=may_answer, has_draft=has_draft,
                       last_submitted_at=last_submitted_at, now=NOW) is expected


@pytest.mark.parametrize(("questions", "minutes"), [(55, (20, 30)), (6, (5, 10)), (20, (5, 10)), (70, (25, 40))])
def test_the_time_to_plan_for(questions, minutes):
    assert AssessmentSize(parts=7, questions=questions).minutes == minutes
