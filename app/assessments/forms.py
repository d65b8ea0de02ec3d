"""Forms of the self-assessment actions that are not answers (answers are parsed by ``answer_input``)."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField
from wtforms.validators import AnyOf, InputRequired, Optional

from app.forms import AppForm


class StartForm(AppForm):
    """Start the cooperative's self-assessment, or continue its open draft."""


CONFIRM_CARRIED = "confirm"


class SubmitForm(AppForm):
    """Submit a complete draft; it is final afterwards. ``carried`` says the manager was asked about
    the answers carried over from the last round and confirms them all by submitting."""

    carried = HiddenField(validators=[Optional(), AnyOf([CONFIRM_CARRIED])])


class GraduateAccessForm(AppForm):
    """Allow or stop the placed graduate answering the draft."""

    allow = HiddenField(validators=[AnyOf(["yes", "no"])])


class VersionForm(AppForm):
    """Continue the draft on the questionnaire's newer version (the number the page offered)."""

    number = IntegerField(validators=[InputRequired()])
