"""Forms of the training actions (quiz answers are read per question by the view)."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from app.forms import AppForm


class MarkDoneForm(AppForm):
    """Mark a lesson as done."""


class QuizForm(AppForm):
    """Submit one quiz attempt; the one-time token makes a second submission of it count once."""

    token = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
