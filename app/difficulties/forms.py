"""Forms: raising a difficulty, replying to one (staff may move its status), and the list's filter."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from app.database import local_today
from app.difficulties import categories
from app.difficulties.models import FORWARDED
from app.difficulties.permissions import next_statuses
from app.difficulties.vocabulary import status_label
from app.forms import AppForm
from app.i18n import current_locale
from app.plain_text import stripped

TEXT_MAX = 4000
BODY_MAX = 200
# Limits as the reader's language writes numbers ("4.000" in Vietnamese), formatted when shown.
TEXT_MAX_SHOWN = LazyString(lambda: format_decimal(TEXT_MAX))
TOO_LONG = _l("The text is too long: at most %(max)s characters.", max=TEXT_MAX_SHOWN)


def new_token() -> str:
    """A one-time token for a form: the same form sent twice is stored once."""
    return secrets.token_urlsafe(24)


class TokenForm(AppForm):
    token = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])


class RaiseForm(TokenForm):
    """A difficulty or proposal, optionally about one question of the cooperative's assessment."""

    category = SelectField(
        _l("What is it about?"),
        choices=lambda: [SelectChoice("", str(_l("Choose a category")))] + [
            SelectChoice(category.code, category.label(current_locale())) for category in categories.categories()],
        validators=[DataRequired(_l("Choose what the difficulty is about."))],
        invalid_choice_message=_l("Choose what the difficulty is about."),
    )
    description = TextAreaField(
        _l("Describe the difficulty or your proposal"),
        description=_l("What happens, since when, what you have tried and what help you need. "
                       "At most %(max)s characters.", max=TEXT_MAX_SHOWN),
        filters=[stripped],
        validators=[DataRequired(_l("Describe the difficulty before sending it.")),
                    Length(max=TEXT_MAX, message=TOO_LONG)],
    )
    question = HiddenField()
    assessment = HiddenField()


class ReplyForm(TokenForm):
    """A reply in a difficulty's thread; staff may also move the difficulty's status with it."""

    body = TextAreaField(
        _l("Your reply"),
        description=_l("At most %(max)s characters.", max=TEXT_MAX_SHOWN),
        filters=[stripped],
        validators=[Length(max=TEXT_MAX, message=TOO_LONG)],
    )
    status = SelectField(_l("Status after this reply"), default="",
                         invalid_choice_message=_l("This status cannot follow the current one. Choose another."))
    forwarded_to = StringField(
        _l("Forwarded to"),
        description=_l("The body that now handles it, for example: Thuế tỉnh Đồng Tháp, Sở Tài chính."),
        filters=[stripped],
        validators=[Optional(), Length(max=BODY_MAX, message=_l("At most %(max)d characters."))],
    )
    forwarded_on = DateField(_l("Forwarded on"), validators=[Optional()],
                             invalid_value_message=_l("Choose the date with the calendar (day, month, year)."))

    def offer_statuses(self, current: str) -> None:
        """The statuses a staff reply may set from ``current`` (empty: leave it)."""
        self.status.choices = [SelectChoice("", str(_l("Leave as it is: %(status)s", status=status_label(current))))] + [
            SelectChoice(status, status_label(status)) for status in next_statuses(current)]

    @property
    def new_status(self) -> str:
        """The status chosen (staff only: a cooperative's reply form has no status field)."""
        return self.status.data or "" if "status" in self._fields else ""

    def validate_body(self, field: TextAreaField) -> None:
        if not field.data and not self.new_status:
            raise StopValidation(_l("Write a reply, or choose a new status."))

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Forwarding needs the body it goes to and the day (checked here: the fields are optional
        otherwise, and an optional field skips its own checks when empty)."""
        valid = super().validate(extra_validators)
        if self.new_status != FORWARDED:
            return valid
        if not self.forwarded_to.data:
            self.forwarded_to.errors = [*self.forwarded_to.errors, _l("Name the body the difficulty is forwarded to.")]
            valid = False
        if self.forwarded_on.data is None and not self.forwarded_on.errors:
            self.forwarded_on.errors = [*self.forwarded_on.errors, _l("Give the date it was forwarded.")]
            valid = False
        elif self.forwarded_on.data is not None and self.forwarded_on.data > local_today():
            self.forwarded_on.errors = [*self.forwarded_on.errors, _l("The date cannot be in the future.")]
            valid = False
        return valid
