"""Forms for sending an invitation and for accepting one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from app.auth.forms import ContactFields, PasswordRules
from app.auth.roles import Role
from app.forms import AppForm


class InvitationForm(AppForm):
    """The view sets ``role.choices`` to the roles the inviter may give, and drops ``email``
    when no mail server is configured."""

    role = SelectField(_l("Role in the cooperative"))
    invitee_name = StringField(_l("Name of the person (optional)"),
                               validators=[Optional(), Length(max=120)],
                               filters=[lambda v: v.strip() if v else v])
    email = EmailField(_l("Their email (optional)"),
                       description=_l("The link is also sent to this address."),
                       validators=[Optional(), Length(max=254),
                                   Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                          message=_l("Enter an email address like name@example.vn."))],
                       filters=[lambda v: v.strip().lower() if v else None])

    def offer(self, roles: tuple[Role, ...]) -> None:
        self.role.choices = [SelectChoice(role.value, role.label) for role in roles]


class AcceptInvitationForm(ContactFields):
    name = StringField(_l("Your full name"), validators=[DataRequired(), Length(max=120)],
                       filters=[lambda v: " ".join(v.split()) if v else v])
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 8 characters. A short sentence is easy to remember and hard to guess."),
        validators=[DataRequired(), PasswordRules("email", "phone")])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))])
