"""Forms for logging in and managing one's own password."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Field, Form, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from app import phones
from app.auth import passwords
from app.forms import AppForm

PASSWORD_MESSAGES = {
    passwords.PasswordProblem.TOO_SHORT: _l("Use at least %(n)d characters.", n=passwords.MIN_LENGTH),
    passwords.PasswordProblem.TOO_LONG: _l("Use at most %(n)d characters.", n=passwords.MAX_LENGTH),
    passwords.PasswordProblem.TOO_COMMON: _l(
        "This password is one of the most commonly used and easy to guess. Choose another — "
        "a short sentence you can remember works well."),
    passwords.PasswordProblem.SAME_AS_LOGIN: _l("The password must not be your email or phone number."),
}


class PasswordRules:
    """Checks a new password against the rules; the form may name fields holding the person's logins."""

    def __init__(self, *login_fields: str) -> None:
        self.login_fields = login_fields

    def __call__(self, form: Form, field: Field) -> None:
        logins = tuple(form[name].data for name in self.login_fields if name in form)
        logins += tuple(getattr(form, "known_logins", ()))
        found = passwords.problems(field.data or "", logins=logins)
        if found:
            raise ValidationError(" ".join(str(PASSWORD_MESSAGES[p]) for p in found))


def new_password_fields(label: LazyString = _l("New password"),
                        repeat: LazyString = _l("Repeat the new password")) -> tuple[PasswordField, PasswordField]:
    """A password to choose and its repetition (made anew for each form, so they sit where they are
    declared); ``label`` and ``repeat`` say whether it replaces an old one."""
    hint = _l("At least 8 characters. A short sentence is easy to remember and hard to guess.")
    password = PasswordField(label, description=hint, validators=[DataRequired(), PasswordRules("email", "phone")])
    confirm = PasswordField(repeat, validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))])
    return password, confirm


class PhoneField(StringField):
    """A Vietnamese phone number, stored in national form."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        if self.data:
            self.data = self.data.strip()

    def pre_validate(self, form: Form) -> None:
        if self.data:
            normalised = phones.normalise(self.data)
            if normalised is None:
                raise ValidationError(_l("Enter a Vietnamese phone number, for example 0912 345 678."))
            self.data = normalised


# The longest email address a mail server accepts.
MAX_LOGIN = 254


class LoginForm(AppForm):
    login = StringField(_l("Email or phone number"), validators=[DataRequired(), Length(max=MAX_LOGIN)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=passwords.MAX_LENGTH)])


class ChangePasswordForm(AppForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password, confirm = new_password_fields()


class ResetPasswordForm(AppForm):
    password, confirm = new_password_fields()


def contact_fields() -> tuple[EmailField, PhoneField]:
    """Email and phone fields, made anew for each form so they sit where the form declares them."""
    email = EmailField(_l("Email"),
                       validators=[Optional(), Length(max=MAX_LOGIN),
                                   Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                          message=_l("Enter an email address like name@example.vn."))],
                       filters=[lambda v: v.strip().lower() if v else None])
    phone = PhoneField(_l("Phone number"))  # no Optional(): it would skip validate_phone when empty
    return email, phone


class ContactFields(AppForm):
    """Email and/or phone: at least one is needed to log in."""

    email, phone = contact_fields()

    def validate_phone(self, field: Field) -> None:
        if not field.data and not self.email.data:
            raise ValidationError(_l("Give an email address or a phone number: you will log in with it."))
