"""Forms for sending an invitation and for accepting one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.auth.forms import ContactFields, contact_fields, new_password_fields
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
    """The invited person's account; fields in the order the page shows them."""

    name = StringField(_l("Your full name"), validators=[DataRequired(), Length(max=120)],
                       filters=[lambda v: " ".join(v.split()) if v else v])
    email, phone = contact_fields()
    password, confirm = new_password_fields(_l("Choose a password"), _l("Repeat the password"))
