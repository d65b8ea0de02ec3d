"""Control characters and numbers of other scripts in what people send: refused with a field error
(or ignored in a filter), never stored, never a server error."""

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select

import app as app_package
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.forms import AppForm
from tests.web.test_cooperatives_registration import registration

pytestmark = pytest.mark.usefixtures("english")
REFUSED = "invisible control characters"


def all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from all_subclasses(subclass)


def test_every_form_of_the_app_refuses_control_characters():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    forms = [form for form in all_subclasses(FlaskForm) if form.__module__.startswith("app.")]
    assert len(forms) > 15
    assert [form for form in forms if not issubclass(form, AppForm)] == []


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Cooperative)),
                db.session.scalar(select(func.count()).select_from(User)))


@pytest.mark.parametrize(("field", "value"), [
    ("email", "an\x00@example.vn"),
    ("phone", "0912\x00345678"),
    ("name", "Hợp tác xã\x00 Mỹ An"),
    ("address", "Ấp\x1b Mỹ Phú"),
    ("person_name", "Nguyễn\tVăn An"),
    ("password", "mùa nước nổi\x00 về đồng"),
])
def test_registration_refuses_control_characters_with_a_field_error(app, client, field, value):
    before = counts(app)
    response = client.post("/cooperatives/register", data=registration(**{field: value}))
    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_tax_code_typed_in_full_width_digits_is_not_a_second_cooperative(app, client, make):
    make.cooperative(tax_code="0102595740")
    before = counts(app)
    response = client.post("/cooperatives/register", data=registration(tax_code="０１０２５９５７４０"))
    assert response.status_code == 422
    assert "A tax code has 10 digits" in response.get_data(as_text=True)
    assert counts(app) == before


def test_review_feedback_keeps_line_ends_and_refuses_nul(app, client, auth, make):
    make.questionnaire()
    cooperative = make.cooperative()
    assessment = make.assessment(cooperative)
    alliance = make.user("alliance")
    auth.login(alliance.email)
    refused = client.post(f"/assessments/{assessment.id}/review", data={"feedback": "Tốt\x00"})
    assert refused.status_code == 422 and REFUSED in refused.get_data(as_text=True)
    saved = client.post(f"/assessments/{assessment.id}/review", data={"feedback": "Tốt.\r\n\tCố gắng thêm."})
    assert saved.status_code == 303


@pytest.mark.parametrize("query", ["q=%00", "q=abc%00def", "province_code=" + "9" * 5000,
                                   "ward_code=" + "9" * 5000, "province_code=%D9%A8%D9%A2", "page=" + "9" * 5000])
def test_register_filters_ignore_what_they_cannot_read(client, auth, make, query):
    make.cooperative("Hợp tác xã Tân Hòa")
    auth.login(make.user("admin").email)
    response = client.get(f"/cooperatives/?{query}")
    assert response.status_code == 200
    assert "Hợp tác xã Tân Hòa" in response.get_data(as_text=True) or "page=" in query


@pytest.mark.parametrize("query", ["province_code=" + "9" * 5000, "province_code=%C2%B2", "province_code=%00"])
def test_ward_options_of_an_unreadable_province_are_empty(client, query):
    response = client.get(f"/cooperatives/wards?{query}")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<option") == 1


@pytest.mark.parametrize("cooperative", ["²", "١٢", "9" * 5000, "#٣"])
def test_an_administrator_naming_a_cooperative_in_other_digits_gets_a_field_error(client, auth, make, cooperative):
    auth.login(make.user("admin").email)
    response = client.post("/admin/users/new", data={"name": "Lê Thị Hoa", "role": "coop_member",
                                                     "cooperative": cooperative, "email": "hoa@example.vn"})
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/verify/abc%00", "/training/etax%00", "/invitations/%00",
                                  "/assessments/%D9%A1/results", "/cooperatives/%EF%BC%91",
                                  "/cooperatives/" + "9" * 5000])
def test_a_url_with_control_characters_or_other_digits_is_not_found(client, auth, make, path):
    auth.login(make.user("admin").email)
    assert client.get(path).status_code == 404
