"""The shipped training modules (app/content/modules): quizzes that need the lessons, not a guess.

A quiz where the right answer is usually the longest option can be passed without reading; each
question needs at least three options to be worth asking. Module references in lessons say
"học phần", never "bài" (which is a lesson).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.assessments.questionnaire import Text
from app.training import modules
from app.training.modules import Module, QuizOption, QuizQuestion

MODULES_DIR = Path(__file__).resolve().parents[2] / "app" / "content" / "modules"
FOLDERS = sorted(path for path in MODULES_DIR.iterdir() if path.is_dir())
MAX_LONGEST_SHARE = 0.40  # of a module's questions whose correct option is the longest
MIN_OPTIONS = 3
PASS_MARKS = range(60, 91)  # percent: high enough to mean something, low enough to allow one slip


def load(folder: Path) -> Module:
    data, bodies = modules.read_folder(folder)
    return modules.parse(data, bodies, source=f"{folder.name}/module.yaml")


def correct_is_longest(question: QuizQuestion, language: str) -> bool:
    """True when no wrong option is longer than the correct one (a tie counts as longest)."""
    right = len(next(option for option in question.options if option.correct).label(language))
    return all(right >= len(option.label(language)) for option in question.options)


def longest_share(module: Module, language: str) -> float:
    return sum(correct_is_longest(question, language) for question in module.quiz) / len(module.quiz)


def question(*labels: tuple[str, bool]) -> QuizQuestion:
    return QuizQuestion("q", Text("?", "?"), tuple(
        QuizOption(str(index), Text(label, label), correct, Text("", "")) for index, (label, correct) in
        enumerate(labels)))


@pytest.mark.parametrize(("options", "longest"), [
    ((("Đọc mã OTP cho người gọi", False), ("Không đọc; cúp máy và tự gọi số chính thức", True)), True),
    ((("Gửi ảnh qua Zalo cá nhân của cán bộ", False), ("Nộp qua cổng", True)), False),
    ((("Bằng nhau", True), ("Bằng nhau", False)), True),
])
def test_correct_is_longest_counts_ties_as_longest(options, longest):
    assert correct_is_longest(question(*options), "vi") is longest


def test_every_module_folder_is_checked():
    assert len(FOLDERS) == 12


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_the_correct_option_is_not_usually_the_longest(folder):
    module = load(folder)
    for language in ("vi", "en"):
        share = longest_share(module, language)
        assert share <= MAX_LONGEST_SHARE, (
            f"{folder.name} ({language}): the correct option is the longest in {share:.0%} of the questions")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_every_question_has_plausible_options_and_explanations(folder):
    module = load(folder)
    assert len(module.quiz) >= 5
    assert module.pass_mark in PASS_MARKS
    for item in module.quiz:
        assert len(item.options) >= MIN_OPTIONS, f"{folder.name} {item.code}: {len(item.options)} options"
        assert all(option.explanation.vi and option.explanation.en for option in item.options)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_modules_carry_their_month_and_legal_basis(folder):
    module = load(folder)
    assert module.updated_month == "11/2026"
    assert module.legal_basis and all(text.vi and text.en for text in module.legal_basis)


def test_lessons_call_another_module_hoc_phan_not_bai():
    loaded = [load(folder) for folder in FOLDERS]
    titles = [module.title.vi for module in loaded]
    for module in loaded:
        for lesson in module.lessons:
            for title in titles:
                assert f"bài “{title}”" not in lesson.body.vi, f"{module.code}/{lesson.code}: bài “{title}”"
