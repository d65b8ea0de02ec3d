"""No English from WTForms on a Vietnamese page: every form of the app, sent empty or with nonsense,
answers in Vietnamese (WTForms ships no Vietnamese catalogue: the app supplies wtforms.po)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.i18n import messages_path

import app as app_package
from app.auth.models import PasswordReset
from app.auth.roles import Role
from app.cooperatives.forms import CooperativeForm, RegistrationForm
from app.database import utcnow
from app.extensions import db
from app.invitations.forms import InvitationForm
from app.invitations.models import Invitation
from app.spreadsheets.exports import EXPORTS
from app.spreadsheets.forms import ExportForm
from app.tokens import new_token


def english_patterns() -> list[re.Pattern[str]]:
    """Every message of the installed WTForms, as a pattern its filled-in text matches."""
    with (Path(messages_path()) / "wtforms.pot").open("rb") as handle:
        template = read_po(handle)
    patterns = []
    for message in template:
        for text in ([message.id] if isinstance(message.id, str) else message.id):
            if text:
                pattern = re.sub(r"%(?:\\\(\w+\\\))?[sd]", ".+?", re.escape(text))
                patterns.append(re.compile(pattern))
    return patterns


ENGLISH = english_patterns()


def english_in(text: str) -> list[str]:
    return [pattern.pattern for pattern in ENGLISH if pattern.search(text)]


def app_form_classes() -> list[type[FlaskForm]]:
    """Every form class the app defines (forms built inside a view are reached through their page)."""
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, waiting = [], [FlaskForm]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            waiting.append(subclass)
            if subclass.__module__.startswith("app.") and "<locals>" not in subclass.__qualname__:
                found.append(subclass)
    return sorted(set(found), key=lambda cls: cls.__qualname__)


def build(form_class: type[FlaskForm]) -> FlaskForm:
    """The form as its view makes it."""
    if issubclass(form_class, CooperativeForm):
        return form_class(fixed_province=None)
    if issubclass(form_class, ExportForm):
        return form_class(82, list(EXPORTS))
    form = form_class()
    if isinstance(form, InvitationForm):
        form.offer((Role.COOP_MEMBER,))
    for field in form:  # choices a view fills in from the database
        if isinstance(field, SelectField) and field.choices is None:
            field.choices = [("", "—")]
    return form


def all_errors(errors: dict | list | str) -> list[str]:
    if isinstance(errors, dict):
        return [text for value in errors.values() for text in all_errors(value)]
    if isinstance(errors, list):
        return [text for value in errors for text in all_errors(value)]
    return [str(errors)]


FORMS = app_form_classes()


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"LoginForm", "RegistrationForm", "AcceptInvitationForm", "EditUserForm", "ReviewForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("typed", ["", "x" * 5000, "-2,5"], ids=["empty", "too-long", "nonsense"])
def test_every_form_answers_in_vietnamese(app, form_class, typed):
    with app.test_request_context("/"):
        names = list(build(form_class)._fields)
    with app.test_request_context("/", method="POST", data=MultiDict({name: typed for name in names})):
        app.preprocess_request()
        form = build(form_class)
        form.validate()
        errors = all_errors(form.errors)
    assert [error for error in errors if english_in(error)] == []


def test_the_built_in_messages_read_in_vietnamese(app):
    with app.test_request_context("/", method="POST", data={}):
        app.preprocess_request()
        form = build(RegistrationForm)
        form.validate()
        assert "Vui lòng điền mục này." in form.person_name.errors + form.password.errors


# Every page with a form, sent empty or with nonsense: the answer names the problems in Vietnamese.

@pytest.fixture
def people(make):
    make.questionnaire()
    cooperative = make.cooperative()
    return {
        "cooperative": cooperative,
        "pending": make.cooperative("HTX Chờ Duyệt", status="pending"),
        "manager": make.user("coop_manager", cooperative=cooperative),
        "alliance": make.user("alliance"),
        "admin": make.user("admin"),
    }


def links(app, people) -> dict[str, str]:
    """Tokens of a password-reset link and of an invitation."""
    reset, reset_hash = new_token()
    invitation, invitation_hash = new_token()
    with app.app_context():
        db.session.add(PasswordReset(token_hash=reset_hash, user_id=people["manager"].id,
                                     expires_at=utcnow() + timedelta(days=1)))
        db.session.add(Invitation(token_hash=invitation_hash, role="coop_member",
                                  cooperative_id=people["cooperative"].id, created_by_id=people["manager"].id,
                                  expires_at=utcnow() + timedelta(days=1)))
        db.session.commit()
    return {"reset": reset, "invitation": invitation}


def pages(people, tokens) -> list[tuple[str | None, str, dict[str, str]]]:
    """(who is logged in, where the form posts, what it sends)."""
    cooperative, pending = people["cooperative"].id, people["pending"].id
    nonsense = {"name": "x" * 500, "members": "2,5", "employees": "abc", "founded_year": "-3",
                "charter_capital": "1,5", "province_code": "abc", "ward_code": "xyz", "kind": "bank",
                "email": "not an email", "phone": "12", "role": "king", "province": "abc"}
    return [
        (None, "/auth/login", {}),
        (None, "/cooperatives/register", {}),
        (None, "/cooperatives/register", nonsense),
        (None, f"/auth/reset/{tokens['reset']}", {}),
        (None, f"/invitations/{tokens['invitation']}", {}),
        (None, f"/invitations/{tokens['invitation']}", {"name": "x" * 500, "email": "x@", "phone": "1"}),
        ("manager", "/auth/account", {}),
        ("manager", f"/invitations/new/{cooperative}", {}),
        ("manager", f"/targets/cooperatives/{cooperative}", {"target_finance": "abc", "target_security": "2,5"}),
        ("alliance", "/cooperatives/new", {}),
        ("alliance", "/cooperatives/new", nonsense),
        ("alliance", f"/cooperatives/{cooperative}/edit", nonsense),
        ("alliance", f"/cooperatives/{pending}/reject", {}),
        ("alliance", "/targets/province", {"target_finance": "abc", "target_security": "500"}),
        ("admin", "/admin/users/new", {}),
        ("admin", "/admin/users/new", nonsense),
        ("admin", f"/admin/users/{people['manager'].id}", {"role": "king", "name": ""}),
    ]


def test_every_form_page_names_the_problems_in_vietnamese(app, make, people):
    tokens = links(app, people)
    for who, path, data in pages(people, tokens):
        client = app.test_client()
        if who:
            client.post("/auth/login", data={"login": people[who].email, "password": "lúa chín vàng đồng"})
        response = client.post(path, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 422, (path, data)
        assert '<html lang="vi">' in page
        assert english_in(page) == [], (path, data)


def test_limits_are_written_with_the_locale_s_numbers(client, auth, make):
    assessment = make.assessment(make.cooperative())
    auth.login(make.user("alliance").email)
    page = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "Tối đa 4.000 ký tự." in page and "Tối đa 4000" not in page
    refused = client.post(f"/assessments/{assessment.id}/review", data={"feedback": "x" * 4001})
    assert refused.status_code == 422
    assert "Tối đa 4.000 ký tự." in refused.get_data(as_text=True)
