"""Quiz grading, the completion and resume rules, the catalogue filter and who may open a certificate."""

import pytest

from app.content_files import Text
from app.auth.roles import Role
from app.tenancy import scope_for
from app.training import catalogue, certificates, grading
from app.training.modules import Lesson, Module, QuizOption, QuizQuestion
from app.training.progress import ModuleProgress, Standing


def question(code: str) -> QuizQuestion:
    return QuizQuestion(code=code, text=Text(f"Câu {code}?", f"Question {code}?"), options=(
        QuizOption("a", Text("Đúng", "Right"), True, Text("Vì đúng.", "Because it is right.")),
        QuizOption("b", Text("Sai", "Wrong"), False, Text("Vì sai.", "Because it is wrong.")),
    ))


def module(questions: int = 5, pass_mark: int = 80, lessons: tuple[str, ...] = ("l1", "l2", "l3"),
           title: Text = Text("Hóa đơn điện tử", "E-invoices"),
           summary: Text = Text("Xuất hóa đơn qua mạng.", "Issue invoices online."),
           dimensions: tuple[str, ...] = ("finance",)) -> Module:
    return Module(code="einvoice", title=title, summary=summary, dimensions=dimensions, questions=(),
                  minutes=10, pass_mark=pass_mark,
                  lessons=tuple(Lesson(code, Text(code, code), Text("## x", "## x")) for code in lessons),
                  quiz=tuple(question(f"q{n}") for n in range(1, questions + 1)))


def answers(right: int, wrong: int = 0) -> dict[str, str]:
    """The first ``right`` questions answered right, the next ``wrong`` wrong, the rest unanswered."""
    chosen = {f"q{n}": "a" for n in range(1, right + 1)}
    chosen.update({f"q{n}": "b" for n in range(right + 1, right + wrong + 1)})
    return chosen


@pytest.mark.parametrize(("questions", "pass_mark", "chosen", "correct", "percent", "passed"), [
    pytest.param(5, 80, answers(5), 5, 100, True, id="all-right"),
    pytest.param(5, 80, answers(0, 5), 0, 0, False, id="all-wrong"),
    pytest.param(5, 80, answers(4, 1), 4, 80, True, id="exactly-at-the-mark"),
    pytest.param(5, 80, answers(3, 2), 3, 60, False, id="below-the-mark"),
    pytest.param(5, 70, answers(4, 1), 4, 80, True, id="above-the-mark"),
    pytest.param(3, 67, answers(2, 1), 2, 66, False, id="two-thirds-rounds-down-below-67"),
    pytest.param(3, 66, answers(2, 1), 2, 66, True, id="two-thirds-reaches-66"),
    pytest.param(6, 17, answers(1, 5), 1, 16, False, id="one-sixth-rounds-down"),
    pytest.param(5, 80, {}, 0, 0, False, id="nothing-answered"),
    pytest.param(5, 80, answers(4), 4, 80, True, id="one-unanswered"),
    pytest.param(5, 80, {**answers(4), "q5": "z"}, 4, 80, True, id="unknown-option-is-wrong"),
    pytest.param(5, 80, {**answers(3), "q4": "z", "q5": ""}, 3, 60, False, id="unknown-and-empty"),
    pytest.param(5, 80, {**answers(5), "q99": "a"}, 5, 100, True, id="extra-question-ignored"),
])
def test_grade(questions, pass_mark, chosen, correct, percent, passed):
    graded = grading.grade(module(questions, pass_mark), chosen)
    assert (graded.correct, graded.total, graded.percent, graded.passed) == (correct, questions, percent, passed)


def test_each_question_is_marked_with_the_chosen_and_the_correct_option():
    graded = grading.grade(module(), {"q1": "a", "q2": "b", "q4": "z"})
    marked = {item.question.code: item for item in graded.marked}
    assert [item.question.code for item in graded.marked] == ["q1", "q2", "q3", "q4", "q5"]
    assert (marked["q1"].chosen.code, marked["q1"].right) == ("a", True)
    assert (marked["q2"].chosen.code, marked["q2"].correct.code, marked["q2"].right) == ("b", "a", False)
    assert marked["q2"].chosen.explanation.en == "Because it is wrong."
    assert (marked["q3"].chosen, marked["q3"].right) == (None, False)
    assert (marked["q4"].chosen, marked["q4"].right) == (None, False)


@pytest.mark.parametrize(("done", "passed", "left", "resume", "complete"), [
    ((), False, ("l1", "l2", "l3"), "l1", False),
    (("l1",), False, ("l2", "l3"), "l2", False),
    (("l2",), False, ("l1", "l3"), "l1", False),
    (("l1", "l2", "l3"), False, (), None, False),
    (("l1", "l3"), True, ("l2",), "l2", False),
    (("l1", "l2", "l3"), True, (), None, True),
    (("l3", "l1", "l2", "old-lesson"), True, (), None, True),
])
def test_completion_and_resume(done, passed, left, resume, complete):
    content = module()
    assert grading.lessons_left(content, done) == left
    assert grading.resume_at(content, done) == resume
    assert grading.is_complete(content, done, passed) is complete


@pytest.mark.parametrize(("record", "standing", "done_count"), [
    (ModuleProgress(), Standing.NOT_STARTED, 0),
    (ModuleProgress(lessons_done=frozenset({"l1"})), Standing.READING, 1),
    (ModuleProgress(best_percent=40), Standing.READING, 0),
    (ModuleProgress(lessons_done=frozenset({"l1", "l2", "l3"}), best_percent=60), Standing.READING, 3),
    (ModuleProgress(lessons_done=frozenset({"l1"}), best_percent=80, passed=True), Standing.QUIZ_PASSED, 1),
    (ModuleProgress(lessons_done=frozenset({"l1", "l2", "l3"}), best_percent=80, passed=True), Standing.COMPLETED, 3),
    # A lesson added after the certificate was issued does not take the completion away.
    (ModuleProgress(lessons_done=frozenset({"l1", "l2"}), best_percent=100, passed=True, certificate_code="c"),
     Standing.COMPLETED, 2),
    (ModuleProgress(lessons_done=frozenset({"gone"})), Standing.READING, 0),
])
def test_standing(record, standing, done_count):
    assert record.standing(module()) is standing
    assert record.done_count(module()) == done_count


@pytest.mark.parametrize(("args", "text", "dimension"), [
    ({}, "", None),
    ({"q": "  hóa   đơn ", "dimension": "finance"}, "hóa đơn", "finance"),
    ({"dimension": "astrology"}, "", None),
    ({"q": "x" * 500}, "x" * catalogue.MAX_SEARCH, None),
])
def test_parse_filter(args, text, dimension):
    dimensions = ("strategy", "finance", "security")
    assert catalogue.parse_filter(args, dimensions) == catalogue.CatalogueFilter(text=text, dimension=dimension)


@pytest.mark.parametrize(("text", "dimension", "locale", "found"), [
    ("", None, "vi", True),
    ("hoa don", None, "vi", True),
    ("HÓA ĐƠN", None, "vi", True),
    ("dien tu hoa", None, "vi", True),
    ("qua mang", None, "vi", True),  # in the summary
    ("online", None, "vi", False),  # English words do not match the Vietnamese texts
    ("online", None, "en", True),
    ("e-invoices", "finance", "en", True),
    ("hoa don", "security", "vi", False),
    ("hoa don thue", None, "vi", False),
])
def test_catalogue_matches(text, dimension, locale, found):
    assert catalogue.matches(module(), catalogue.CatalogueFilter(text, dimension), locale) is found


HOLDER_COOP, OTHER_COOP, PROVINCE, OTHER_PROVINCE = 1, 2, 82, 86


@pytest.mark.parametrize(("role", "viewer_cooperative", "viewer_province", "is_holder", "cooperative", "province",
                          "allowed"), [
    (Role.COOP_MEMBER, HOLDER_COOP, None, True, HOLDER_COOP, PROVINCE, True),
    (Role.GRADUATE, None, None, True, None, None, True),
    (Role.ADMIN, None, None, False, HOLDER_COOP, PROVINCE, True),
    (Role.ADMIN, None, None, False, None, None, True),
    (Role.COOP_MANAGER, HOLDER_COOP, None, False, HOLDER_COOP, PROVINCE, True),
    (Role.COOP_MANAGER, OTHER_COOP, None, False, HOLDER_COOP, PROVINCE, False),
    (Role.COOP_MEMBER, HOLDER_COOP, None, False, HOLDER_COOP, PROVINCE, False),
    (Role.GRADUATE, None, None, False, HOLDER_COOP, PROVINCE, False),
    (Role.ALLIANCE, None, PROVINCE, False, HOLDER_COOP, PROVINCE, True),
    (Role.ALLIANCE, None, OTHER_PROVINCE, False, HOLDER_COOP, PROVINCE, False),
    (Role.ALLIANCE, None, PROVINCE, False, None, None, False),
])
def test_who_may_open_a_certificate(role, viewer_cooperative, viewer_province, is_holder, cooperative, province,
                                    allowed):
    placed = frozenset({HOLDER_COOP}) if role is Role.GRADUATE else frozenset()
    scope = scope_for(role, province_code=viewer_province, cooperative_id=viewer_cooperative, placed_in=placed)
    assert certificates.may_view(role, scope, is_holder=is_holder, cooperative_id=cooperative,
                                 province_code=province) is allowed
