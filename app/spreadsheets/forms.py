"""Forms of the spreadsheet pages: which export, for which cooperatives and period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import AnyOf, ValidationError

from app import locations
from app.cooperatives.vocabulary import Kind, Sector, choices
from app.database import local_today
from app.forms import AppForm
from app.numbers import optional_id

FORMATS = ("xlsx", "csv")
FIRST_YEAR = 2024  # the first year assessments were recorded


class ExportForm(AppForm):
    """The dashboard's filters, and the export and format asked for (the button pressed)."""

    ward_code = SelectField(_l("Commune or ward"), coerce=optional_id)
    kind = SelectField(_l("Kind of organisation"), default="")
    sector = SelectField(_l("Main sector"), default="")
    year = SelectField(_l("Year"), coerce=optional_id,
                       description=_l("Self-assessments submitted and training completed in that year."))
    download = SelectField(_l("Spreadsheet"), validators=[AnyOf([])])  # choices set per request

    def __init__(self, province_code: int | None, exports: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.province_code = province_code
        self.ward_code.choices = [("", str(_l("All communes and wards")))] + [
            (code, name) for code, name in locations.wards(province_code)]
        self.kind.choices = [("", str(_l("All kinds")))] + choices(Kind)
        self.sector.choices = [("", str(_l("All sectors")))] + choices(Sector)
        this_year = local_today().year
        self.year.choices = [("", str(_l("Every year")))] + [
            (year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]
        names = [f"{export}.{extension}" for export in exports for extension in FORMATS]
        self.download.choices = [(name, name) for name in names]
        self.download.validators = [AnyOf(names)]

    def validate_ward_code(self, field: SelectField) -> None:
        if field.data is not None and not locations.ward_in_province(field.data, self.province_code):
            raise ValidationError(_l("Choose a commune or ward of the province."))


class UploadForm(AppForm):
    """A register file to check (the dry run comes first; nothing is imported yet)."""

    file = FileField(_l("The filled-in file (Excel .xlsx or CSV)"),
                     validators=[FileRequired(message=_l("Choose the file to upload."))])


class ImportForm(AppForm):
    """Importing a checked file needs no input beyond the CSRF token."""
