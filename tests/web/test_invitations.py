"""Invitation links: who may make them, what the page shows, and accepting them once."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import User
from app.database import local_today, utcnow
from app.extensions import db
from app.invitations.models import Invitation
from app.placements.models import Placement
from app.placements.terms import add_years
from app.tokens import hash_token, new_token
from tests.conftest import csrf_token_from
from tests.factories import OTHER_PROVINCE

pytestmark = pytest.mark.usefixtures("english")

NEW_PASSWORD = "một ngày đẹp trời ở quê"


def invite(client, cooperative, role="coop_member", name="Trần Thị Mai", **extra):
    """Make an invitation; the page it redirects to (which shows the new link once)."""
    return client.post(f"/invitations/new/{cooperative.id}", data={"role": role, "invitee_name": name, **extra},
                       follow_redirects=True)


def link_from(response) -> str:
    match = re.search(r'id="invitation-link" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no invitation link on the page"
    return match.group(1)


def accept_data(**overrides):
    data = {"name": "Trần Thị Mai", "email": "mai@example.vn", "phone": "", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    data.update(overrides)
    return data


def rows(app, model, *conditions):
    with app.app_context():
        return db.session.scalars(select(model).where(*conditions)).all()


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def cooperative(make):
    return make.cooperative("Hợp tác xã Nông nghiệp Tân Hòa")


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative, name="Nguyễn Văn Quản")


@pytest.fixture
def invitation_path(client, auth, manager, cooperative):
    """A member's invitation made by the manager; the client is logged out again."""
    auth.login(manager.email)
    path = urlsplit(link_from(invite(client, cooperative))).path
    auth.logout()
    return path


# Making invitations

def test_manager_invites_a_colleague(app, client, auth, manager, cooperative):
    auth.login(manager.email)
    form = client.get(f"/invitations/new/{cooperative.id}").get_data(as_text=True)
    offered = re.findall(r'<option[^>]*value="([a-z_]+)"', form)
    assert offered == ["coop_member", "graduate", "coop_manager"]

    made = client.post(f"/invitations/new/{cooperative.id}", data={"role": "coop_member",
                                                                   "invitee_name": "Trần Thị Mai"})
    assert made.status_code == 303 and made.headers["Location"] == f"/invitations/new/{cooperative.id}"
    assert "/invitations/" not in made.get_data(as_text=True).replace(made.headers["Location"], "")
    response = client.get(made.headers["Location"])
    assert response.status_code == 200
    link = link_from(response)
    assert link.startswith("http://localhost/invitations/")
    token = urlsplit(link).path.rsplit("/", 1)[1]

    [invitation] = rows(app, Invitation)
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert invitation.role == "coop_member"
    assert invitation.cooperative_id == cooperative.id
    assert invitation.created_by_id == manager.id
    assert invitation.invitee_name == "Trần Thị Mai"
    assert abs(invitation.expires_at - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)

    page = response.get_data(as_text=True)
    assert 'data-copy-target="invitation-link"' in page
    assert "data-copied-label=" in page
    sms = re.search(r'href="(sms:\?&amp;body=[^"]+)"', page)
    assert sms and link in unquote(sms.group(1))
    assert "Zalo" in page
    share = re.search(r'<button type="button" class="button" data-share-text="([^"]+)" hidden>', page)
    assert share and link in share.group(1)
    assert "Open invitations" in page and "Trần Thị Mai" in page
    assert [e.action for e in rows(app, AuditEntry)] == ["invitation.create"]


def test_reloading_the_page_after_making_a_link_makes_no_second_one(app, client, auth, manager, cooperative):
    auth.login(manager.email)
    page = invite(client, cooperative)
    link = link_from(page)
    again = client.get(f"/invitations/new/{cooperative.id}").get_data(as_text=True)
    assert 'id="invitation-link"' not in again and link not in again  # shown once
    assert len(rows(app, Invitation)) == 1
    # The link still works, once.
    auth.logout()
    path = urlsplit(link).path
    assert client.post(path, data=accept_data()).status_code == 303
    client.post("/auth/logout")
    assert client.post(path, data=accept_data(email="other@example.vn")).status_code == 410


def test_the_expiry_is_shown_in_vietnamese_format(app, client, auth, manager, cooperative):
    client.set_cookie("lang", "vi")
    auth.login(manager.email)
    page = invite(client, cooperative).get_data(as_text=True)
    [invitation] = rows(app, Invitation)
    local = invitation.expires_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local.strftime("%H:%M %d/%m/%Y") in page


def test_the_invitation_days_come_from_the_configuration(app, client, auth, manager, cooperative):
    app.config["INVITATION_DAYS"] = 2
    auth.login(manager.email)
    invite(client, cooperative)
    [invitation] = rows(app, Invitation)
    assert abs(invitation.expires_at - (utcnow() + timedelta(days=2))) < timedelta(minutes=1)


def test_alliance_invites_a_manager_into_a_cooperative_of_its_province(app, client, auth, make, cooperative):
    staff = make.user("alliance")
    auth.login(staff.email)
    response = invite(client, cooperative, role="coop_manager", name="")
    assert response.status_code == 200
    [invitation] = rows(app, Invitation)
    assert (invitation.role, invitation.created_by_id, invitation.invitee_name) == ("coop_manager", staff.id, "")


def test_alliance_cannot_invite_into_another_province(app, client, auth, make):
    elsewhere = make.cooperative("HTX Vĩnh Long", province_code=OTHER_PROVINCE)
    auth.login(make.user("alliance").email)
    assert client.get(f"/invitations/new/{elsewhere.id}").status_code == 404
    assert invite(client, elsewhere).status_code == 404
    assert count(app, Invitation) == 0


def test_nobody_invites_into_a_cooperative_that_is_not_active(app, client, auth, make):
    pending = make.cooperative("HTX Chờ Duyệt", status="pending")
    auth.login(make.user("alliance").email)
    assert client.get(f"/invitations/new/{pending.id}").status_code == 403
    assert invite(client, pending).status_code == 403
    assert count(app, Invitation) == 0


@pytest.mark.parametrize("role", ["coop_member", "graduate"])
def test_members_and_graduates_cannot_invite(app, client, auth, make, cooperative, role):
    auth.login(make.user(role, cooperative=cooperative).email)
    assert client.get(f"/invitations/new/{cooperative.id}").status_code == 403
    assert invite(client, cooperative).status_code == 403
    assert count(app, Invitation) == 0


def test_a_manager_cannot_invite_into_another_cooperative(app, client, auth, make, manager):
    other = make.cooperative("HTX Bên Cạnh")
    auth.login(manager.email)
    assert client.get(f"/invitations/new/{other.id}").status_code == 404
    assert invite(client, other).status_code == 404
    assert count(app, Invitation) == 0


def test_a_role_not_offered_is_refused(app, client, auth, manager, cooperative):
    auth.login(manager.email)
    response = invite(client, cooperative, role="alliance")
    assert response.status_code == 422
    assert count(app, Invitation) == 0


def test_logged_out_visitors_are_sent_to_log_in(client, cooperative):
    response = client.get(f"/invitations/new/{cooperative.id}")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_the_invitation_page_three_ways(client, auth, manager, cooperative):
    auth.login(manager.email)
    url = f"/invitations/new/{cooperative.id}"
    whole = client.get(url)
    assert "<html" in whole.get_data(as_text=True)
    assert "HX-Request" in whole.headers["Vary"]

    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "open-invitations"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body
    assert 'id="open-invitations"' in body
    assert fragment.headers["Cache-Control"] == "no-store"

    boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "open-invitations"})
    assert "<html" in boosted.get_data(as_text=True)


# Email

def test_the_link_is_emailed_when_a_mail_server_is_configured(app, client, auth, manager, cooperative, smtp):
    app.config["MAIL_SERVER"] = "smtp.example.vn"
    auth.login(manager.email)
    assert 'name="email"' in client.get(f"/invitations/new/{cooperative.id}").get_data(as_text=True)
    response = invite(client, cooperative, email="Mai@Example.vn")
    link = link_from(response)
    [message] = smtp.sent
    assert message["To"] == "mai@example.vn"
    assert cooperative.name in message["Subject"]
    assert link in message.get_content()
    assert "Hello Trần Thị Mai," in message.get_content()
    assert "emailed to mai@example.vn" in response.get_data(as_text=True)


def test_a_failing_mail_server_does_not_lose_the_invitation(app, client, auth, manager, cooperative, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError

    app.config["MAIL_SERVER"] = "smtp.example.vn"
    monkeypatch.setattr("app.mail.smtplib.SMTP", unreachable)
    auth.login(manager.email)
    response = invite(client, cooperative, email="mai@example.vn")
    assert response.status_code == 200
    assert link_from(response)
    assert "The email could not be sent" in response.get_data(as_text=True)
    assert count(app, Invitation) == 1


def test_without_a_mail_server_nothing_is_sent_and_no_email_is_asked(app, client, auth, manager, cooperative, smtp):
    auth.login(manager.email)
    assert 'name="email"' not in client.get(f"/invitations/new/{cooperative.id}").get_data(as_text=True)
    response = invite(client, cooperative, email="mai@example.vn")
    assert response.status_code == 200
    assert smtp.sent == []


# Accepting

def test_accepting_lands_logged_in_in_the_right_cooperative(app, client, invitation_path, cooperative):
    page = client.get(invitation_path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert cooperative.name in text and "Cooperative member" in text
    assert 'value="Trần Thị Mai"' in text  # the name the inviter typed is filled in
    assert 'hx-boost="false"' in text

    response = client.post(invitation_path, data=accept_data())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/home")
    home = client.get("/home").get_data(as_text=True)
    assert "Hello Trần Thị Mai" in home
    assert cooperative.name in home

    [user] = rows(app, User, User.email == "mai@example.vn")
    assert (user.role, user.cooperative_id, user.active) == ("coop_member", cooperative.id, True)
    [invitation] = rows(app, Invitation)
    assert invitation.used_by_id == user.id and invitation.used_at is not None


def test_a_graduate_invitation_creates_a_placement(app, client, auth, make, cooperative):
    auth.login(make.user("alliance").email)
    path = urlsplit(link_from(invite(client, cooperative, role="graduate", name="Lê Văn Trẻ"))).path
    auth.logout()
    client.set_cookie("lang", "en")
    response = client.post(path, data=accept_data(name="Lê Văn Trẻ", email="", phone="0912 345 678"))
    assert response.status_code == 303

    [user] = rows(app, User, User.phone == "0912345678")
    assert (user.role, user.cooperative_id) == ("graduate", None)
    [placement] = rows(app, Placement, Placement.graduate_id == user.id)
    # As long as the province's limit allows: 3 years by default.
    three_years = add_years(local_today(), 3) - timedelta(days=1)
    assert (placement.cooperative_id, placement.starts_on, placement.ends_on) == (cooperative.id, local_today(),
                                                                                  three_years)
    assert cooperative.name in client.get("/home").get_data(as_text=True)


def test_a_used_link_answers_410_and_says_so(client, invitation_path):
    client.post(invitation_path, data=accept_data())
    client.post("/auth/logout")
    response = client.get(invitation_path)
    assert response.status_code == 410
    text = response.get_data(as_text=True)
    assert "This invitation has already been used" in text
    assert "Nguyễn Văn Quản" in text  # who to ask for a new one


def test_an_expired_link_answers_410_and_says_so(app, client, invitation_path):
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        invitation.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(invitation_path)
    assert response.status_code == 410
    assert "This invitation has expired" in response.get_data(as_text=True)
    assert client.post(invitation_path, data=accept_data()).status_code == 410
    assert rows(app, User, User.email == "mai@example.vn") == []


def test_a_link_dies_when_its_maker_is_deactivated(app, client, invitation_path, manager):
    with app.app_context():
        db.session.get(User, manager.id).active = False
        db.session.commit()
    assert client.get(invitation_path).status_code == 410
    assert client.post(invitation_path, data=accept_data()).status_code == 410
    assert rows(app, User, User.email == "mai@example.vn") == []


def test_a_link_dies_when_its_maker_may_no_longer_give_the_role(app, client, invitation_path, manager):
    with app.app_context():
        db.session.get(User, manager.id).role = "coop_member"
        db.session.commit()
    assert client.get(invitation_path).status_code == 410


def test_an_unknown_link_answers_404(client, invitation_path):
    assert client.get("/invitations/not-a-real-token").status_code == 404
    assert client.post("/invitations/not-a-real-token", data=accept_data()).status_code == 404


def test_a_link_to_a_cooperative_no_longer_active_cannot_be_used(app, client, invitation_path, cooperative):
    from app.cooperatives.models import Cooperative

    with app.app_context():
        db.session.get(Cooperative, cooperative.id).status = "dissolved"
        db.session.commit()
    response = client.post(invitation_path, data=accept_data())
    assert response.status_code == 410
    assert "is not active" in response.get_data(as_text=True)
    assert rows(app, User, User.email == "mai@example.vn") == []


def test_a_replayed_acceptance_creates_one_user(app, client, invitation_path):
    users_before = count(app, User)
    assert client.post(invitation_path, data=accept_data()).status_code == 303
    assert client.post(invitation_path, data=accept_data()).status_code == 410
    assert client.post(invitation_path, data=accept_data(email="other@example.vn")).status_code == 410
    assert count(app, User) == users_before + 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short", "confirm": "short"}, "Use at least 8 characters."),
        ({"confirm": "something else entirely"}, "The two passwords differ."),
        ({"email": "", "phone": ""}, "Give an email address or a phone number"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_an_invalid_form_creates_nothing(app, client, invitation_path, overrides, message):
    users_before = count(app, User)
    response = client.post(invitation_path, data=accept_data(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, User) == users_before
    [invitation] = rows(app, Invitation)
    assert invitation.used_at is None


@pytest.mark.parametrize("typed", [{"email": "new@example.vn", "phone": "098 765 4321"},
                                   {"email": "taken@example.vn", "phone": "0912 000 111"}],
                         ids=["phone-taken", "email-taken"])
def test_a_login_in_use_is_refused_without_saying_which_and_the_form_kept(app, client, make, invitation_path, typed):
    make.user("coop_member", email="taken@example.vn", phone="0987654321")
    users_before = count(app, User)
    response = client.post(invitation_path, data=accept_data(**typed))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    message = "This email address or phone number cannot be used for a new account."
    # The same words on both logins given, whichever of them has an account.
    assert re.search(r'id="email-error">([^<]*)<', text).group(1) == \
        re.search(r'id="phone-error">([^<]*)<', text).group(1)
    assert message in re.search(r'id="phone-error">([^<]*)<', text).group(1)
    assert "Another account" not in text
    assert f'value="{typed["email"]}"' in text and 'value="Trần Thị Mai"' in text
    assert count(app, User) == users_before
    assert rows(app, Invitation)[0].used_at is None


def test_attempts_to_accept_from_one_address_are_limited(app, client, make, invitation_path):
    app.config["REGISTRATION_LIMIT_PER_ADDRESS"] = "3 per hour"
    make.user("coop_member", email="taken@example.vn")
    for guess in ("a@example.vn", "taken@example.vn", "b@example.vn"):
        assert client.post(invitation_path, data=accept_data(email=guess, confirm="x")).status_code == 422
    assert client.post(invitation_path, data=accept_data()).status_code == 429
    assert rows(app, Invitation)[0].used_at is None


def test_a_logged_in_visitor_is_asked_before_anything_changes(app, client, auth, make, invitation_path):
    someone = make.user("coop_member", cooperative=make.cooperative("HTX Khác"), name="Người Cũ",
                        email="cu@example.vn")
    auth.login(someone.email)
    question = client.get(invitation_path)
    page = question.get_data(as_text=True)
    assert question.status_code == 200
    assert "You are logged in as Người Cũ (cu@example.vn). Log out and accept the invitation" in page
    assert f'action="{invitation_path}/switch"' in page and 'href="/home"' in page
    assert 'name="password"' not in page
    # Sending the account form anyway switches nothing and makes nothing.
    users_before = count(app, User)
    assert client.post(invitation_path, data=accept_data()).status_code == 409
    assert count(app, User) == users_before
    assert "Người Cũ" in client.get("/home").get_data(as_text=True)

    # Choosing to log out ends that session and opens the form.
    switched = client.post(f"{invitation_path}/switch")
    assert switched.status_code == 303 and switched.headers["Location"] == invitation_path
    form = client.get(invitation_path).get_data(as_text=True)
    assert "You have logged out." in form and 'name="password"' in form
    assert client.get("/home").status_code == 302
    assert client.post(invitation_path, data=accept_data()).status_code == 303
    home = client.get("/home").get_data(as_text=True)
    assert "Hello Trần Thị Mai" in home and "Người Cũ" not in home


def test_the_vietnamese_question_before_switching(client, auth, make, invitation_path):
    client.set_cookie("lang", "vi")
    someone = make.user("coop_member", cooperative=make.cooperative("HTX Khác"), name="Người Cũ",
                        email="cu@example.vn")
    auth.login(someone.email)
    page = client.get(invitation_path).get_data(as_text=True)
    assert ("Anh/chị đang đăng nhập với tài khoản Người Cũ (cu@example.vn). Đăng xuất và nhận lời mời "
            "với tư cách người được mời?") in page


@pytest.mark.csrf
def test_accepting_needs_the_form_token(app, client, manager, cooperative):
    token, token_hash = new_token()
    with app.app_context():
        db.session.add(Invitation(token_hash=token_hash, role="coop_member", cooperative_id=cooperative.id,
                                  created_by_id=manager.id, expires_at=utcnow() + timedelta(days=1)))
        db.session.commit()
    invitation_path = f"/invitations/{token}"
    refused = client.post(invitation_path, data=accept_data())
    assert refused.status_code == 400
    assert rows(app, User, User.email == "mai@example.vn") == []
    token = csrf_token_from(client.get(invitation_path).get_data(as_text=True))
    assert client.post(invitation_path, data=accept_data(csrf_token=token)).status_code == 303


# Cancelling

def test_cancelling_makes_the_link_unusable(app, client, auth, manager, cooperative):
    auth.login(manager.email)
    path = urlsplit(link_from(invite(client, cooperative))).path
    [invitation] = rows(app, Invitation)
    page = client.get(f"/invitations/new/{cooperative.id}").get_data(as_text=True)
    assert f"/invitations/{invitation.id}/cancel" in page and "hx-confirm" in page

    response = client.post(f"/invitations/{invitation.id}/cancel")
    assert response.status_code == 303
    assert "Trần Thị Mai" not in client.get(f"/invitations/new/{cooperative.id}").get_data(as_text=True)
    assert client.post(f"/invitations/{invitation.id}/cancel").status_code == 303  # a second click is harmless
    assert [e.action for e in rows(app, AuditEntry)] == ["invitation.create", "invitation.cancel"]

    auth.logout()
    assert client.get(path).status_code == 410


def test_cancelling_with_htmx_returns_the_updated_list(client, auth, manager, cooperative):
    auth.login(manager.email)
    invite(client, cooperative, name="Người Thứ Nhất")
    invite(client, cooperative, name="Người Thứ Hai")
    first = re.search(r"/invitations/(\d+)/cancel", client.get(f"/invitations/new/{cooperative.id}")
                      .get_data(as_text=True)).group(1)
    response = client.post(f"/invitations/{first}/cancel",
                           headers={"HX-Request": "true", "HX-Target": "open-invitations"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="open-invitations"' in body
    assert "Người Thứ Nhất" not in body and "Người Thứ Hai" in body


def test_another_tenant_cannot_cancel(app, client, auth, make, manager, cooperative):
    auth.login(manager.email)
    invite(client, cooperative)
    [invitation] = rows(app, Invitation)
    auth.logout()
    auth.login(make.user("coop_manager", cooperative=make.cooperative("HTX Khác")).email)
    assert client.post(f"/invitations/{invitation.id}/cancel").status_code == 404
    auth.logout()
    auth.login(make.user("coop_member", cooperative=cooperative).email)
    assert client.post(f"/invitations/{invitation.id}/cancel").status_code == 403
    assert rows(app, Invitation)[0].expires_at > utcnow()
