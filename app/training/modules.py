"""Training modules as plain, frozen values, parsed and validated from their content folders.

A module folder holds ``module.yaml`` and one Markdown file per lesson and language
(``<lesson code>.vi.md``, ``<lesson code>.en.md``). No Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.content_files import LANGUAGES, ContentError, Text

# The month up to which a module's content follows the rules in force, e.g. "2026-11".
UPDATED_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Lesson:
    code: str
    title: Text
    body: Text  # Markdown


@dataclass(frozen=True)
class QuizOption:
    code: str
    label: Text
    correct: bool
    explanation: Text


@dataclass(frozen=True)
class QuizQuestion:
    code: str
    text: Text
    options: tuple[QuizOption, ...]

    @property
    def correct_code(self) -> str:
        return next(option.code for option in self.options if option.correct)

    def option(self, code: str) -> QuizOption | None:
        return next((option for option in self.options if option.code == code), None)


@dataclass(frozen=True)
class Module:
    code: str
    title: Text
    summary: Text
    dimensions: tuple[str, ...]
    questions: tuple[str, ...]
    minutes: int
    pass_mark: int  # percent of quiz questions right
    lessons: tuple[Lesson, ...]
    quiz: tuple[QuizQuestion, ...]
    # Versions stored before content carried its currency have neither (see ``parse(stored=True)``).
    updated: str | None = None  # "YYYY-MM": content follows the rules in force up to that month
    legal_basis: tuple[Text, ...] = ()  # the legal texts the lessons rely on

    @property
    def updated_month(self) -> str | None:
        """The month of ``updated`` as readers write it: ``11/2026``."""
        if self.updated is None:
            return None
        year, month = self.updated.split("-")
        return f"{month}/{year}"

    def lesson(self, code: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.code == code), None)

    @property
    def lesson_codes(self) -> tuple[str, ...]:
        return tuple(lesson.code for lesson in self.lessons)


def _text(problems: list[str], where: str, data: Any, key: str) -> Text:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, Mapping) or not all(isinstance(value.get(lang), str) and value[lang].strip()
                                                 for lang in LANGUAGES):
        problems.append(f"{where}: '{key}' needs non-empty 'vi' and 'en' texts")
        return Text("", "")
    return Text(value["vi"].strip(), value["en"].strip())


def parse(data: Any, bodies: Mapping[tuple[str, str], str], source: str,
          question_codes: Set[str] | None = None, dimension_codes: Sequence[str] | None = None, *,
          stored: bool = False) -> Module:
    """Validate a module's data and lesson bodies ((lesson code, language) → Markdown).

    Question and dimension codes are checked against the questionnaire when it is given (it is
    when content is loaded; a stored version was checked then). Content files must say up to which
    month they follow the law (``updated``) and on which texts they rely (``legal_basis``); a version
    ``stored`` before these fields existed may lack them."""
    problems: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("code"), str):
        raise ContentError([f"{source}: needs a mapping with a 'code'"])
    code = data["code"]
    where = f"{source}: module {code}"
    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions or not all(isinstance(d, str) for d in dimensions):
        problems.append(f"{where}: 'dimensions' must list the questionnaire's dimension codes it serves")
        dimensions = []
    elif dimension_codes is not None and any(d not in dimension_codes for d in dimensions):
        problems.append(f"{where}: 'dimensions' must list some of {', '.join(dimension_codes)}")
        dimensions = []
    questions = data.get("questions", [])
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        problems.append(f"{where}: 'questions' must be a list of question codes")
        questions = []
    if question_codes is not None:
        unknown = [q for q in questions if q not in question_codes]
        if unknown:
            problems.append(f"{where}: 'questions' names codes the questionnaire does not have: {unknown}")
    minutes, pass_mark = data.get("minutes"), data.get("pass_mark")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        problems.append(f"{where}: 'minutes' must be a whole number > 0")
        minutes = 0
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100:
        problems.append(f"{where}: 'pass_mark' must be a percentage from 1 to 100")
        pass_mark = 100
    lessons = _lessons(problems, where, data.get("lessons"), bodies)
    quiz = _quiz(problems, where, data.get("quiz"))
    updated = data.get("updated")
    if (updated is not None or not stored) and not (isinstance(updated, str) and UPDATED_MONTH.match(updated)):
        problems.append(f"{where}: 'updated' must be the month its content follows the law to, as YYYY-MM")
        updated = None
    legal_basis = _legal_basis(problems, where, data.get("legal_basis"), required=not stored)
    module = Module(
        code=code, title=_text(problems, where, data, "title"), summary=_text(problems, where, data, "summary"),
        dimensions=tuple(dimensions), questions=tuple(questions), minutes=minutes, pass_mark=pass_mark,
        lessons=lessons, quiz=quiz, updated=updated, legal_basis=legal_basis,
    )
    if problems:
        raise ContentError(problems)
    return module


def _legal_basis(problems: list[str], where: str, raw: Any, *, required: bool) -> tuple[Text, ...]:
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: 'legal_basis' must list the legal texts the module relies on")
        return ()
    texts = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or not all(isinstance(item.get(lang), str) and item[lang].strip()
                                                    for lang in LANGUAGES):
            problems.append(f"{where}, legal basis {index + 1}: needs non-empty 'vi' and 'en' texts")
            continue
        texts.append(Text(item["vi"].strip(), item["en"].strip()))
    return tuple(texts)


def _lessons(problems: list[str], where: str, raw: Any, bodies: Mapping[tuple[str, str], str]) -> tuple[Lesson, ...]:
    if not isinstance(raw, list) or not 3 <= len(raw) <= 5:
        problems.append(f"{where}: 'lessons' must list 3 to 5 lessons")
        raw = raw if isinstance(raw, list) else []
    lessons, seen = [], set()
    for index, item in enumerate(raw):
        code = item.get("code") if isinstance(item, Mapping) else None
        lesson_where = f"{where}, lesson {code or index + 1}"
        if not isinstance(code, str) or code in seen:
            problems.append(f"{lesson_where}: needs a unique 'code'")
            continue
        seen.add(code)
        missing = [lang for lang in LANGUAGES if not bodies.get((code, lang), "").strip()]
        if missing:
            problems.append(f"{lesson_where}: missing Markdown file(s) {', '.join(f'{code}.{m}.md' for m in missing)}")
        lessons.append(Lesson(code=code, title=_text(problems, lesson_where, item, "title"),
                              body=Text(bodies.get((code, "vi"), ""), bodies.get((code, "en"), ""))))
    return tuple(lessons)


def _quiz(problems: list[str], where: str, raw: Any) -> tuple[QuizQuestion, ...]:
    if not isinstance(raw, list) or len(raw) < 5:
        problems.append(f"{where}: 'quiz' must have at least 5 questions")
        raw = raw if isinstance(raw, list) else []
    questions, seen = [], set()
    for index, item in enumerate(raw):
        code = item.get("code") if isinstance(item, Mapping) else None
        quiz_where = f"{where}, quiz question {code or index + 1}"
        if not isinstance(code, str) or code in seen:
            problems.append(f"{quiz_where}: needs a unique 'code'")
            continue
        seen.add(code)
        options = []
        for option_index, option in enumerate(item.get("options") or []):
            option_code = option.get("code") if isinstance(option, Mapping) else None
            option_where = f"{quiz_where}, option {option_code or option_index + 1}"
            if not isinstance(option_code, str):
                problems.append(f"{option_where}: needs a 'code'")
                continue
            options.append(QuizOption(code=option_code, label=_text(problems, option_where, option, "label"),
                                      correct=option.get("correct") is True,
                                      explanation=_text(problems, option_where, option, "explanation")))
        if len(options) < 2 or sum(option.correct for option in options) != 1:
            problems.append(f"{quiz_where}: needs at least two options, exactly one of them correct")
        if len({option.code for option in options}) != len(options):
            problems.append(f"{quiz_where}: option codes must differ")
        questions.append(QuizQuestion(code=code, text=_text(problems, quiz_where, item, "text"),
                                      options=tuple(options)))
    return tuple(questions)


def read_folder(folder: Path) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """The raw data of one module folder: ``module.yaml`` and its lesson bodies."""
    try:
        data = yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError([f"{folder.name}/module.yaml: cannot be read: {error}"]) from error
    bodies = {}
    for path in folder.glob("*.md"):
        stem, _, language = path.name.removesuffix(".md").rpartition(".")
        if language in LANGUAGES:
            bodies[(stem, language)] = path.read_text(encoding="utf-8")
    return data, bodies


def definition(data: Mapping[str, Any], bodies: Mapping[tuple[str, str], str]) -> dict[str, Any]:
    """Everything a module version stores: the YAML data with the lesson bodies inlined."""
    stored = dict(data)
    stored["bodies"] = {f"{code}.{language}": text for (code, language), text in sorted(bodies.items())}
    return stored


def from_definition(stored: Mapping[str, Any], source: str) -> Module:
    """A stored version's module, including versions stored before ``updated``/``legal_basis`` existed."""
    bodies = {}
    for key, text in stored.get("bodies", {}).items():
        code, _, language = key.rpartition(".")
        bodies[(code, language)] = text
    data = {key: value for key, value in stored.items() if key != "bodies"}
    return parse(data, bodies, source, stored=True)
