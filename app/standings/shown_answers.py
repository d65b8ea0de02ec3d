"""A submitted answer as the person chose or wrote it, for pages that show answers read-only."""

from __future__ import annotations

from typing import Any

from app.assessments.questionnaire import Question
from app.i18n import number


def answer_text(question: Question, value: Any, locale: str) -> str:
    """Option labels for choices (joined for a checklist), the number with its unit, or the text."""
    if question.kind == "multi" and isinstance(value, list):
        return "; ".join((option.label(locale) if (option := question.option(code)) else code) for code in value)
    if question.kind == "number":
        unit = question.unit(locale) if question.unit else ""
        return f"{number(value)} {unit}".strip()
    if question.kind == "text":
        return str(value)
    option = question.option(str(value))
    return option.label(locale) if option else str(value)
