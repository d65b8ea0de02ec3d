"""Forms of the self-assessment actions that are not answers (answers are parsed by ``answer_input``)."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf

from app.forms import AppForm


class StartForm(AppForm):
    """Start the cooperative's self-assessment, or continue its open draft."""


class SubmitForm(AppForm):
    """Submit a complete draft; it is final afterwards."""


class GraduateAccessForm(AppForm):
    """Allow or stop the placed graduate answering the draft."""

    allow = HiddenField(validators=[AnyOf(["yes", "no"])])
