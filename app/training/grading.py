"""Quiz grading and the completion rule (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.training.modules import Module, QuizOption, QuizQuestion


@dataclass(frozen=True)
class Marked:
    """One quiz question after grading: what was chosen, what is right, and why."""

    question: QuizQuestion
    chosen: QuizOption | None
    correct: QuizOption

    @property
    def right(self) -> bool:
        return self.chosen is not None and self.chosen.code == self.correct.code


@dataclass(frozen=True)
class Grade:
    marked: tuple[Marked, ...]
    pass_mark: int

    @property
    def correct(self) -> int:
        return sum(item.right for item in self.marked)

    @property
    def total(self) -> int:
        return len(self.marked)

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: passing must really reach the mark."""
        return self.correct * 100 // self.total if self.total else 0

    @property
    def passed(self) -> bool:
        return self.percent >= self.pass_mark


def grade(module: Module, answers: Mapping[str, str]) -> Grade:
    """Grade one attempt; an unanswered or unknown choice counts as wrong."""
    marked = []
    for question in module.quiz:
        chosen = question.option(answers.get(question.code, ""))
        correct = question.option(question.correct_code)
        marked.append(Marked(question=question, chosen=chosen, correct=correct))  # type: ignore[arg-type]
    return Grade(marked=tuple(marked), pass_mark=module.pass_mark)


def lessons_left(module: Module, done: Iterable[str]) -> tuple[str, ...]:
    finished = set(done)
    return tuple(code for code in module.lesson_codes if code not in finished)


def is_complete(module: Module, done: Iterable[str], passed_quiz: bool) -> bool:
    """Complete when every lesson of the module is done and its quiz was passed once."""
    return passed_quiz and not lessons_left(module, done)


def resume_at(module: Module, done: Iterable[str]) -> str | None:
    """The first lesson not yet done (None when all are done: the quiz is next)."""
    left = lessons_left(module, done)
    return left[0] if left else None
