"""Marking a cooperative as a model, or no longer, always with a reason."""

from __future__ import annotations

from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import AppForm
from app.plain_text import stripped

REASON_MAX = 1000
REASON_MAX_SHOWN = LazyString(lambda: format_decimal(REASON_MAX))
TOO_LONG = _l("The reason is too long: at most %(max)s characters.", max=REASON_MAX_SHOWN)


class MarkForm(AppForm):
    reason = TextAreaField(
        _l("Why is it a model?"),
        description=_l("What others can learn from it. Its people read this. At most %(max)s characters.",
                       max=REASON_MAX_SHOWN),
        filters=[stripped],
        validators=[DataRequired(_l("Say why it is a model.")), Length(max=REASON_MAX, message=TOO_LONG)],
    )


class UnmarkForm(AppForm):
    end_reason = TextAreaField(
        _l("Why is it no longer a model?"),
        description=_l("At most %(max)s characters.", max=REASON_MAX_SHOWN),
        filters=[stripped],
        validators=[DataRequired(_l("Say why it is no longer a model.")), Length(max=REASON_MAX, message=TOO_LONG)],
    )
