"""Forms of the alliance's review: the feedback on one assessment and the review list's filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired

from app.form_messages import at_most, localised_number

from app.forms import AppForm

FEEDBACK_MAX = 4000
REVIEWED = "reviewed"
WAITING = "waiting"


def stripped(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ReviewForm(AppForm):
    """The alliance's feedback; sending it marks the assessment reviewed (sending it again edits it)."""

    feedback = TextAreaField(
        _l("Feedback to the cooperative"),
        description=_l("The cooperative's board reads this on its results page. At most %(max)s characters.",
                       max=localised_number(FEEDBACK_MAX)),
        filters=[stripped],
        validators=[DataRequired(_l("Write the feedback before sending it.")), at_most(FEEDBACK_MAX)],
    )


class ReviewFilterForm(AppForm):
    """Which submitted assessments the review list shows; the choice lives in the URL."""

    class Meta:
        csrf = False

    state = SelectField(
        _l("Review status"), default="",
        choices=lambda: [SelectChoice("", str(_l("All submitted assessments"))),
                         SelectChoice(WAITING, str(_l("Not reviewed yet"))),
                         SelectChoice(REVIEWED, str(_l("Reviewed")))],
    )
