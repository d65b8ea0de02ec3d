"""Forms of the placements wing: one per action. Every message a person can see is translated."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, Form, HiddenField, MonthField, SearchField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Optional, ValidationError

from app import phones
from app.forms import AppForm
from app.placements.reporting import MAX_TEXT
from app.placements.vocabulary import GOAL_STATUS_LABELS

MAX_NAME = 120
MAX_FUNDING_NOTE = 500
MAX_GOAL_TITLE = 200


class TextLimit:
    """At most ``limit`` characters and no control characters, said with the number as the reader
    writes it ("Tối đa 4.000 ký tự")."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        text = field.data or ""
        if len(text) > self.limit:
            raise ValidationError(_l("Use at most %(limit)s characters.", limit=format_decimal(self.limit)))


def strip(value: str | None) -> str | None:
    return value.strip() if value else value


class DayField(DateField):
    """A date as ``<input type="date">`` sends it, or typed as 31/12/2026 where there is no date picker."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter a date like 31/12/2026."))) from error


class MonthOfYearField(MonthField):
    """A month as ``<input type="month">`` sends it, or typed as 12/2026."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format=["%Y-%m", "%m/%Y"], **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter a month like 12/2026."))) from error


class ChoiceField(SelectField):
    """A select whose "not one of the choices" message is translated (WTForms' own is English only)."""

    def __init__(self, label: Any = None, validators: Any = None, *, invalid: Any, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form: Form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(str(self.invalid)) from error


def required_date(message: Any) -> list[Any]:
    return [DataRequired(message=message)]


class TermFields(AppForm):
    """What a placement is about and how long it runs (shared by creating and editing)."""

    field_of_study = StringField(_l("Field of study"), filters=[strip],
                                 description=_l("For example: accounting, agronomy, information technology."),
                                 validators=[TextLimit(MAX_NAME)])
    starts_on = DayField(_l("Start date"), validators=required_date(_l("Give the start date.")))
    ends_on = DayField(_l("Planned end date"), validators=required_date(_l("Give the planned end date.")))
    funding_note = TextAreaField(_l("Funding note"), filters=[strip],
                                 description=_l("Who pays what, for example: the province pays 1.5 times the "
                                                "regional minimum wage; the cooperative pays social insurance."),
                                 validators=[TextLimit(MAX_FUNDING_NOTE)])


class NewPlacementForm(TermFields):
    """The host, and the graduate: an existing account, or a name to invite."""

    cooperative_id = ChoiceField(_l("Host cooperative"), coerce=int,
                                 invalid=_l("Choose one of the cooperatives in the list."),
                                 validators=[DataRequired(message=_l("Choose the host cooperative."))])
    graduate_login = StringField(_l("The graduate's account: email or phone"), filters=[strip],
                                 description=_l("Leave empty for a graduate who has no account yet."),
                                 validators=[TextLimit(254)])
    invitee_name = StringField(_l("Or the name of the graduate to invite"), filters=[strip],
                               description=_l("An invitation link is made for them to create their account."),
                               validators=[TextLimit(MAX_NAME)])

    def validate_invitee_name(self, field: Field) -> None:
        if not field.data and not self.graduate_login.data:
            raise ValidationError(_l("Give the graduate's account, or their name to invite them."))
        if field.data and self.graduate_login.data:
            raise ValidationError(_l("Give either an account or a name to invite, not both."))

    def login_conditions(self) -> tuple[str | None, str | None]:
        """The email and phone the typed account could be."""
        text = self.graduate_login.data or ""
        if "@" in text:
            return text.lower(), None
        return None, phones.normalise(text)


class EditPlacementForm(TermFields):
    """Change a placement's subject, term and funding note."""


class EndEarlyForm(AppForm):
    last_day = DayField(_l("Last day of work"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), filters=[strip],
                           validators=[DataRequired(message=_l("Write the reason: it is kept with the placement.")),
                                       TextLimit(2000)])


class CompleteForm(AppForm):
    """Close a placement whose term is over."""


class ExtensionForm(AppForm):
    new_ends_on = DayField(_l("New end date"), validators=required_date(_l("Give the new end date.")))
    reason = TextAreaField(_l("Why the placement should be longer"), filters=[strip],
                           validators=[DataRequired(message=_l("Write why: the alliance decides on it.")),
                                       TextLimit(2000)])


class ExtensionDecisionForm(AppForm):
    decision = HiddenField(validators=[AnyOf(["approve", "reject"])])
    comment = TextAreaField(_l("Comment"), filters=[strip], validators=[TextLimit(2000)])


class GoalForm(AppForm):
    """A goal of the plan; ``link`` ties it to an area or a question of the host's results. The view
    sets the choices of ``link``."""

    title = StringField(_l("Goal"), filters=[strip],
                        validators=[DataRequired(message=_l("Write the goal.")), TextLimit(MAX_GOAL_TITLE)])
    link = ChoiceField(_l("Tied to"), default="", invalid=_l("Choose one of the areas or questions in the list."))
    target_month = MonthOfYearField(_l("Target month"), validators=[Optional()])
    status = ChoiceField(_l("Status"), default="planned", invalid=_l("Choose one of the statuses in the list."),
                         choices=lambda: [(code, str(label)) for code, label in GOAL_STATUS_LABELS.items()])


class PlanCommentForm(AppForm):
    body = TextAreaField(_l("Comment on the plan"), filters=[strip],
                         validators=[DataRequired(message=_l("Write the comment.")), TextLimit(2000)])


class StartReportForm(AppForm):
    month = HiddenField()


class SubmitReportForm(AppForm):
    """Submit the report (the page's fields are saved first)."""


class ReviewReportForm(AppForm):
    decision = HiddenField(validators=[AnyOf(["confirm", "return"])])
    comment = TextAreaField(_l("Comment for the graduate"), filters=[strip], validators=[TextLimit(MAX_TEXT)])

    def validate_comment(self, field: Field) -> None:
        if self.decision.data == "return" and not field.data:
            raise ValidationError(_l("Say what to change: the graduate reads it before sending the report again."))


class PlacementFilterForm(AppForm):
    """The placements list's filters; they live in the URL. The view sets the choices."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), default="")
    cooperative = SelectField(_l("Host cooperative"), default="")
    ward = SelectField(_l("Commune or ward"), default="")
    field = SearchField(_l("Field of study"), default="", filters=[strip], validators=[TextLimit(MAX_NAME)])
