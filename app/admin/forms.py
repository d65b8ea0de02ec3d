"""Forms for the administrator's user management."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, SearchField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.auth.forms import ContactFields
from app.auth.roles import Role
from app.cooperatives import tax_code
from app.forms import AppForm
from app.locations import provinces
from app.numbers import optional_id, parse_digits

TAX_CODE_MESSAGES = {
    tax_code.REASON_FORMAT: _l("Enter the 10-digit tax code (a branch adds a dash and 3 digits), "
                               "or the cooperative's number in the register."),
    tax_code.REASON_CHECK_DIGIT: _l("This tax code is not valid: check the digits."),
    tax_code.REASON_BRANCH: _l("A branch number cannot be 000."),
}


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, role.label) for role in Role]


def province_choices() -> list[SelectChoice]:
    return [SelectChoice("", "—"), *(SelectChoice(str(code), name) for code, name in provinces())]


class CooperativeField(StringField):
    """A cooperative named by its tax code, or by its register number when it has none.

    ``data`` keeps the text as typed; after validation ``reference`` is the normalised tax
    code (str), the register number (int), or None when the field is empty.
    """

    reference: str | int | None = None

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.data = self.data.strip() if self.data else None

    def pre_validate(self, form: Form) -> None:
        self.reference = None
        if not self.data:
            return
        # Tax codes have ten digits: anything shorter is a register number.
        number = parse_digits(self.data.removeprefix("#"), max_digits=9)
        if number is not None:
            self.reference = number
            return
        try:
            self.reference = str(tax_code.parse(self.data))
        except tax_code.TaxCodeError as error:
            raise ValidationError(TAX_CODE_MESSAGES[error.reason]) from error


class UserFields(AppForm):
    """Name, role and where the person belongs; what is required depends on the role."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)],
                       filters=[lambda v: " ".join(v.split()) if v else v])
    role = SelectField(_l("Role"), choices=role_choices)
    cooperative = CooperativeField(
        _l("Cooperative"),
        description=_l("For managers, members and graduates: the cooperative's tax code, "
                       "or its number in the register if it has no tax code."),
        validators=[Length(max=20)])
    province_code = SelectField(_l("Province"), coerce=optional_id, choices=province_choices,
                                description=_l("For alliance staff: the province they oversee."))

    def selected_role(self) -> Role | None:
        try:
            return Role(self.role.data)
        except ValueError:
            return None

    def validate_cooperative(self, field: Field) -> None:
        role = self.selected_role()
        if role is not None and role.belongs_to_cooperative and field.reference is None:
            raise ValidationError(_l("Give the cooperative for this role."))

    def validate_province_code(self, field: Field) -> None:
        role = self.selected_role()
        if role is not None and role.belongs_to_province and field.data is None:
            raise ValidationError(_l("Choose the province this person oversees."))


class NewUserForm(UserFields, ContactFields):
    """A new account; the person sets their password through a one-time link."""


class EditUserForm(UserFields):
    """Changes to someone's name, role and place. The view sets ``locked_role`` when the
    administrator edits their own account: giving it up could leave nobody in charge."""

    locked_role: str | None = None

    def validate_role(self, field: Field) -> None:
        if self.locked_role is not None and field.data != self.locked_role:
            raise ValidationError(_l("You cannot change your own role: ask another administrator."))


class UserFilterForm(AppForm):
    """Search and filters of the user list; they live in the URL."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search by name, email or phone"), default="", validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), default="",
                       choices=lambda: [SelectChoice("", str(_l("All roles"))), *role_choices()])
    state = SelectField(_l("Status"), default="", choices=lambda: [SelectChoice("", str(_l("Everyone"))),
                                                       SelectChoice("active", str(_l("Active"))),
                                                       SelectChoice("inactive", str(_l("Deactivated")))])
