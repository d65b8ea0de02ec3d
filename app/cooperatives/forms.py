"""Forms of the register: a cooperative's profile, public self-registration, and decisions."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, StopValidation, ValidationError

from app import locations
from app.auth.forms import ContactFields, PhoneField, contact_fields, new_password_fields
from app.cooperatives import registry, tax_code
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Kind, Sector
from app.cooperatives.whole_numbers import (REASON_DECIMAL, REASON_FORMAT, REASON_NEGATIVE, REASON_TOO_LARGE,
                                            WholeNumberError, parse_whole_number)
from app.database import local_today
from app.form_messages import at_most, localised_number
from app.forms import AppForm
from app.numbers import optional_id

# VND: a million billion đồng is far above any cooperative and well inside a BIGINT.
MAX_AMOUNT = 10**15
MAX_COUNT = 10_000_000
# The first cooperatives of the Democratic Republic of Vietnam date from the late 1940s.
FIRST_FOUNDING_YEAR = 1945

TAX_CODE_MESSAGES = {
    tax_code.REASON_FORMAT: _l("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch "
                               "(for example 0102595740 or 0102595740-001)."),
    tax_code.REASON_CHECK_DIGIT: _l("This tax code is not valid: its last digit does not match the others. "
                                    "Check it against your business registration certificate."),
    tax_code.REASON_BRANCH: _l("The branch number after the dash cannot be 000."),
}
# What a whole-number field says about each mistake, with an example that fits what it counts.
NOT_NEGATIVE = _l("The number cannot be negative.")
AMOUNT_MESSAGES = {
    REASON_FORMAT: _l("Enter the amount in đồng using digits only, for example %(example)s.",
                      example=localised_number(1_500_000_000)),
    REASON_NEGATIVE: NOT_NEGATIVE,
    REASON_DECIMAL: _l("Enter a whole number of đồng without a decimal part, for example %(example)s.",
                       example=localised_number(1_500_000_000)),
    REASON_TOO_LARGE: _l("This number is too large. Check the number of zeros."),
}
PEOPLE_MESSAGES = {
    REASON_FORMAT: _l("Enter the number of people using digits only, for example 45."),
    REASON_NEGATIVE: NOT_NEGATIVE,
    REASON_DECIMAL: _l("People are counted in whole numbers: write for example 45, not %(decimal)s.",
                       decimal=localised_number(2.5)),
    REASON_TOO_LARGE: _l("This number of people is too large. Check it."),
}
YEAR_MESSAGES = dict.fromkeys((REASON_FORMAT, REASON_NEGATIVE, REASON_DECIMAL, REASON_TOO_LARGE),
                              _l("Enter the year with four digits, for example 2018."))


def kind_choices() -> list[SelectChoice]:
    """The kinds of organisation, labelled in the current language."""
    return [SelectChoice(kind.value, kind.label) for kind in Kind]


def sector_choices() -> list[SelectChoice]:
    """The sectors, labelled in the current language."""
    return [SelectChoice(sector.value, sector.label) for sector in Sector]


def province_choices() -> list[SelectChoice]:
    """The 34 provinces, by name."""
    return [SelectChoice(str(code), name) for code, name in locations.provinces()]


def ward_choices(province_code: int | None) -> list[SelectChoice]:
    """A "choose…" option, then the communes and wards of the province."""
    blank = SelectChoice("", _("Choose the commune or ward"))
    return [blank] + [SelectChoice(str(code), name) for code, name in locations.wards(province_code)]


class Given:
    """Like ``InputRequired`` for fields whose value may be 0 (``DataRequired`` refuses 0)."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(self.message)


class WholeNumberField(StringField):
    """A non-negative whole number typed the way people write it ("1.500.000", "1 500 000");
    ``messages`` says what is wrong for each ``WholeNumberError`` reason."""

    def __init__(self, label: Any = None, validators: Any = None, *, maximum: int,
                 messages: dict[str, LazyString], **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.maximum = maximum
        self.messages = messages

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        raw = valuelist[0].strip()
        self.data = None
        if raw:
            try:
                self.data = parse_whole_number(raw, maximum=self.maximum)
            except WholeNumberError as error:
                raise ValueError(str(self.messages[error.reason])) from error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]  # as typed, so a mistake can be corrected in place
        return "" if self.data is None else format_decimal(self.data)


class TaxCodeField(StringField):
    """A tax code, normalised (spaces and dots dropped) once it is valid."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.data = (self.data or "").strip()

    def pre_validate(self, form: Form) -> None:
        if self.data:
            try:
                self.data = str(tax_code.parse(self.data))
            except tax_code.TaxCodeError as error:
                raise ValidationError(str(TAX_CODE_MESSAGES[error.reason])) from error


class CooperativeForm(AppForm):
    """A cooperative's profile; the province may be fixed (see ``permissions.fixed_province``)."""

    # Fields in the order the page shows them, so the error summary follows the page.
    name = StringField(_l("Name of the organisation"),
                       validators=[DataRequired(message=_l("Enter the name as on the registration certificate.")),
                                   at_most(200)],
                       filters=[lambda value: " ".join(value.split()) if value else value])
    kind = SelectField(_l("Kind of organisation"), choices=kind_choices,
                       invalid_choice_message=_l("Choose a kind from the list."))
    sector = SelectField(_l("Main sector"), choices=sector_choices,
                         invalid_choice_message=_l("Choose a sector from the list."))
    tax_code = TaxCodeField(_l("Tax code"))
    founded_year = WholeNumberField(_l("Year founded"), maximum=9999, messages=YEAR_MESSAGES)
    province_code = SelectField(_l("Province or city"), coerce=optional_id, choices=province_choices,
                                invalid_value_message=_l("Choose a province from the list."),
                                invalid_choice_message=_l("Choose a province from the list."))
    ward_code = SelectField(_l("Commune or ward"), coerce=optional_id, validate_choice=False,
                            invalid_value_message=_l("Choose the commune or ward from the list."),
                            validators=[DataRequired(message=_l("Choose the commune or ward."))])
    address = StringField(_l("Address (village, street, house number)"), validators=[at_most(255)],
                          filters=[lambda value: value.strip() if value else ""])
    office_phone = PhoneField(_l("Cooperative's phone number"), validators=[Optional()])
    members = WholeNumberField(_l("Number of members"), [Given(_l("Enter the number of members."))],
                               maximum=MAX_COUNT, messages=PEOPLE_MESSAGES)
    employees = WholeNumberField(_l("Number of employees"),
                                 [Given(_l("Enter the number of employees (0 if there are none)."))],
                                 maximum=MAX_COUNT, messages=PEOPLE_MESSAGES)
    charter_capital = WholeNumberField(_l("Charter capital (đồng)"), maximum=MAX_AMOUNT, messages=AMOUNT_MESSAGES)
    revenue_last_year = WholeNumberField(_l("Revenue last year (đồng)"), maximum=MAX_AMOUNT,
                                         messages=AMOUNT_MESSAGES)

    duplicate_tax_code_message = _l("A cooperative with this tax code is already in the register.")

    def __init__(self, *args: Any, fixed_province: int | None, existing_id: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_province = fixed_province
        self.existing_id = existing_id
        if fixed_province is not None:
            del self.province_code
        self.ward_code.choices = ward_choices(self.province)

    @property
    def province(self) -> int | None:
        """The province in effect: the fixed one, else the chosen one when it exists."""
        if self.fixed_province is not None:
            return self.fixed_province
        chosen = self.province_code.data
        return chosen if chosen is not None and locations.province_name(chosen) else None

    def validate_tax_code(self, field: Field) -> None:
        if field.errors:
            return
        if not field.data:
            # A cooperative group (tổ hợp tác) may work without a tax code; legal entities have one.
            if self.kind.data != Kind.THT:
                raise ValidationError(_("Enter the tax code. Only a cooperative group may leave it empty."))
            return
        if registry.tax_code_taken(field.data, except_id=self.existing_id):
            raise ValidationError(str(self.duplicate_tax_code_message))

    def validate_founded_year(self, field: Field) -> None:
        this_year = local_today().year
        if field.data is not None and not FIRST_FOUNDING_YEAR <= field.data <= this_year:
            raise ValidationError(_("Enter a year between %(first)d and %(last)d.",
                                    first=FIRST_FOUNDING_YEAR, last=this_year))

    def validate_ward_code(self, field: Field) -> None:
        if field.data is not None and self.province is not None \
                and not locations.ward_in_province(field.data, self.province):
            raise ValidationError(_("This commune or ward is not in %(province)s. Choose the commune or ward again.",
                                    province=locations.province_name(self.province)))

    def values(self) -> dict[str, Any]:
        """The profile as the form holds it, by column of ``Cooperative``."""
        return {
            "name": self.name.data,
            "kind": self.kind.data,
            "sector": self.sector.data,
            "tax_code": self.tax_code.data or None,
            "founded_year": self.founded_year.data,
            "members": self.members.data,
            "employees": self.employees.data,
            "charter_capital": self.charter_capital.data,
            "revenue_last_year": self.revenue_last_year.data,
            "province_code": self.province,
            "ward_code": self.ward_code.data,
            "address": self.address.data or "",
            "phone": self.office_phone.data or None,
        }

    def changes(self, cooperative: Cooperative) -> list[str]:
        """The columns of ``cooperative`` the form would change."""
        return [column for column, value in self.values().items() if getattr(cooperative, column) != value]

    def label_of(self, column: str) -> str:
        """The label of the field that holds ``column``."""
        name = {"phone": "office_phone", "province_code": "province_code"}.get(column, column)
        return str(self[name].label.text) if name in self else column

    def apply_to(self, cooperative: Cooperative) -> list[str]:
        """Copy the form onto ``cooperative``; the names of the columns that changed."""
        values = self.values()
        changed = self.changes(cooperative)
        for column in changed:
            setattr(cooperative, column, values[column])
        return changed


class RegistrationForm(CooperativeForm, ContactFields):
    """A cooperative registering itself, and the account of the person who registers it.

    Whether an email or phone number already has an account is not checked here: a public form
    must not tell (see ``registry.register``)."""

    # Without JavaScript, changing the province shows its communes and wards only after a request.
    refresh_wards = SubmitField(_l("Update the list of communes and wards"))
    person_name = StringField(_l("Your full name"),
                              validators=[DataRequired(message=_l("Enter your full name.")), at_most(120)],
                              filters=[lambda value: " ".join(value.split()) if value else value])
    email, phone = contact_fields()
    password, confirm = new_password_fields(_l("Password"), _l("Repeat the password"))

    duplicate_tax_code_message = _l("A cooperative with this tax code is already registered. If it is yours, "
                                    "ask its manager or the alliance for an account.")

    def refreshing_wards(self) -> bool:
        """True when the person asked for the wards of the province they chose, not to register."""
        return self.is_submitted() and bool(self.refresh_wards.data)

    def keep_ward_of_province(self) -> None:
        """Forget a chosen commune or ward that is not in the chosen province."""
        if not locations.ward_in_province(self.ward_code.data, self.province):
            self.ward_code.data = None


class ApprovalForm(AppForm):
    """Approving needs no input beyond the CSRF token."""


class ReasonForm(AppForm):
    """Rejecting or dissolving: the reason is kept with the cooperative's record."""

    reason = TextAreaField(_l("Reason"),
                           validators=[DataRequired(message=_l("Write the reason: it is kept with the record.")),
                                       at_most(2000)],
                           filters=[lambda value: value.strip() if value else value])
