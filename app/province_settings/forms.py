"""The province settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form
from wtforms.validators import ValidationError

from app.cooperatives.forms import NOT_NEGATIVE, Given, WholeNumberField
from app.cooperatives.whole_numbers import REASON_DECIMAL, REASON_FORMAT, REASON_NEGATIVE, REASON_TOO_LARGE
from app.forms import AppForm

# The register import's limits a province may choose: a file is read whole to preview it, and no
# request body may exceed MAX_CONTENT_LENGTH (16 MB).
MAX_IMPORT_ROWS = 50_000
MAX_IMPORT_MEGABYTES = 15

# The limits are small whole numbers (years, placements, a day of the month).
COUNT_MESSAGES = {
    REASON_FORMAT: _l("Enter a whole number using digits only, for example 3."),
    REASON_NEGATIVE: NOT_NEGATIVE,
    REASON_DECIMAL: _l("Enter a whole number without a decimal part, for example 3."),
    REASON_TOO_LARGE: _l("This number is too large."),
}


class Between:
    """A whole number from ``low`` to ``high``."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(_l("Give a number from %(low)s to %(high)s.", low=self.low, high=self.high))


class ProvinceSettingsForm(AppForm):
    placement_max_years = WholeNumberField(
        _l("Longest placement per person (years)"), maximum=99, messages=COUNT_MESSAGES,
        description=_l("All the placements of one person, in every host, add up to at most this. "
                       "Decision 1804/QĐ-TTg (2021–2025) set 3 years."),
        validators=[Given(_l("Give the number of years.")), Between(1, 10)])
    placement_max_new_per_year = WholeNumberField(
        _l("New placements per cooperative per year"), maximum=999, messages=COUNT_MESSAGES,
        description=_l("Placements starting in one calendar year at one cooperative. "
                       "Decision 1804/QĐ-TTg (2021–2025) set 2."),
        validators=[Given(_l("Give the number of placements.")), Between(1, 20)])
    report_due_day = WholeNumberField(
        _l("Monthly report due by day"), maximum=99, messages=COUNT_MESSAGES,
        description=_l("A graduate's report on a month is late after this day of the following month."),
        validators=[Given(_l("Give the day of the month.")), Between(1, 28)])
    import_max_rows = WholeNumberField(
        _l("Most rows in an imported file"), maximum=10**6, messages=COUNT_MESSAGES,
        description=_l("A register file with more cooperatives than this is refused as a whole."),
        validators=[Between(1, MAX_IMPORT_ROWS)])
    import_max_megabytes = WholeNumberField(
        _l("Largest imported file (MB)"), maximum=999, messages=COUNT_MESSAGES,
        description=_l("A larger register file is refused unread."),
        validators=[Between(1, MAX_IMPORT_MEGABYTES)])
