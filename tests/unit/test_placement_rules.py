"""Who does what with a placement, what a plan's goal can be tied to, and the progress view's figures
(pure rules and presenters)."""

from datetime import date

import pytest
import yaml

from app.assessments.questionnaire import parse
from app.assessments.scoring import score
from app.auth.roles import Role
from app.placements import permissions
from app.placements.host_progress import Submission, progress_between
from app.placements.permissions import Viewer
from app.placements.plan import Tie, parse_tie, tie_choices
from app.placements.progress import ReportRow, Tally, tally, timeline
from app.placements.terms import Span
from tests.factories import SMALL_ANSWERS, SMALL_QUESTIONNAIRE

D = date
GRADUATE = Viewer(Role.GRADUATE, is_graduate=True)
OTHER_GRADUATE = Viewer(Role.GRADUATE)
MANAGER = Viewer(Role.COOP_MANAGER, is_host_manager=True)
ALLIANCE = Viewer(Role.ALLIANCE)
ADMIN = Viewer(Role.ADMIN)


@pytest.mark.parametrize(
    ("viewer", "manage", "extend", "decide", "plan", "comment", "write", "review"),
    [
        (GRADUATE, False, True, False, True, False, True, False),
        (OTHER_GRADUATE, False, False, False, False, False, False, False),
        (MANAGER, False, True, False, False, True, False, True),
        (ALLIANCE, True, False, True, False, False, False, False),
        (ADMIN, True, False, True, False, False, False, False),
    ],
)
def test_who_does_what_with_an_open_placement(viewer, manage, extend, decide, plan, comment, write, review):
    assert permissions.may_manage(viewer) is manage
    assert permissions.may_request_extension(viewer, is_open=True) is extend
    assert permissions.may_decide_extension(viewer) is decide
    assert permissions.may_edit_plan(viewer, is_open=True) is plan
    assert permissions.may_comment_on_plan(viewer) is comment
    assert permissions.may_write_report(viewer, "draft") is write
    assert permissions.may_review_report(viewer, "submitted") is review


@pytest.mark.parametrize(
    ("status", "write", "review"),
    [("draft", True, False), ("returned", True, False), ("submitted", False, True), ("confirmed", False, False)],
)
def test_a_report_moves_between_the_graduate_and_the_host(status, write, review):
    assert permissions.may_write_report(GRADUATE, status) is write
    assert permissions.may_review_report(MANAGER, status) is review


def test_a_closed_placement_takes_no_extension_and_no_new_goal():
    assert not permissions.may_request_extension(GRADUATE, is_open=False)
    assert not permissions.may_edit_plan(GRADUATE, is_open=False)


@pytest.fixture(scope="module")
def questionnaire():
    return parse(yaml.safe_load(SMALL_QUESTIONNAIRE.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("value", "tie"),
    [
        ("question:finance.etax_filing", Tie("finance", "finance.etax_filing")),
        ("dimension:security", Tie("security")),
        ("dimension:nowhere", Tie()),
        ("question:finance.nothing", Tie()),
        ("", Tie()),
        ("finance", Tie()),
    ],
)
def test_a_tie_names_a_known_area_or_question(questionnaire, value, tie):
    assert parse_tie(value, questionnaire) == tie
    assert parse_tie(tie.value, questionnaire) == tie


def test_tie_choices_put_the_weakest_area_first_then_next_steps(questionnaire):
    result = score(questionnaire, SMALL_ANSWERS)
    choices = tie_choices(questionnaire, result, "en", "Free", "Area: %(title)s",
                          kept=[Tie("finance", "finance.einvoice_provider")])
    values = [choice.value for choice in choices]
    assert values[0] == ""
    assert values[1:3] == ["dimension:finance", "dimension:security"]  # finance is furthest below its target
    questions = [value for value in values if value.startswith("question:")]
    assert questions[:len(result.next_steps)] == [f"question:{step.question_code}" for step in result.next_steps]
    assert "question:finance.einvoice_provider" in questions  # a goal's existing tie stays choosable
    assert len(values) == len(set(values))


def test_without_results_a_goal_can_only_be_free():
    assert [choice.value for choice in tie_choices(None, None, "vi", "Tự do", "%(title)s")] == [""]


def at(assessment_id, day, overall):
    return Submission(assessment_id, day, overall, None)


@pytest.mark.parametrize(
    ("submissions", "start_id", "latest_id", "change"),
    [
        ([], None, None, None),
        ([at(1, D(2025, 6, 1), 40.0)], 1, 1, None),  # nothing new since the start
        ([at(1, D(2025, 6, 1), 40.0), at(2, D(2026, 6, 1), 55.5)], 1, 2, 15.5),
        ([at(1, D(2025, 6, 1), 40.0), at(2, D(2025, 8, 31), 42.0), at(3, D(2026, 6, 1), 50.0)], 2, 3, 8.0),
        # A host with no result before the start is measured from its first one during the placement.
        ([at(4, D(2026, 1, 10), 30.0), at(5, D(2026, 9, 1), 45.0)], 4, 5, 15.0),
    ],
)
def test_the_host_at_the_start_against_its_latest(submissions, start_id, latest_id, change):
    progress = progress_between(submissions, D(2025, 9, 1))
    assert (progress.at_start.assessment_id if progress.at_start else None) == start_id
    assert (progress.latest.assessment_id if progress.latest else None) == latest_id
    assert progress.change == change


@pytest.mark.parametrize(
    ("today", "is_open", "elapsed", "left"),
    [
        (D(2026, 8, 1), True, 0, 396),  # planned: nothing elapsed yet
        (D(2026, 9, 1), True, 1, 395),
        (D(2027, 9, 30), True, 395, 1),
        (D(2027, 10, 31), True, 396, 0),  # past the planned end, not yet completed
        (D(2027, 10, 31), False, 396, None),
    ],
)
def test_the_term_as_a_timeline(today, is_open, elapsed, left):
    line = timeline(D(2026, 9, 1), D(2027, 10, 1), D(2027, 10, 1), today, is_open=is_open,
                    limit_end=D(2029, 8, 31), limit_remaining=Span(22, 30))
    assert (line.total_days, line.elapsed_days, line.days_left) == (396, elapsed, left)


def test_reports_are_counted_filed_confirmed_late_and_missing():
    def row(status, late):
        return ReportRow(month=D(2026, 1, 1), report_id=1 if status else None, status=status, due_on=D(2026, 2, 5),
                         late=late)

    rows = [row("confirmed", False), row("confirmed", True), row("returned", False), row("submitted", False),
            row("draft", True), row(None, True), row(None, False)]
    assert tally(rows) == Tally(filed=4, confirmed=2, late=3, missing=2)
