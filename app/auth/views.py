"""Logging in and out, one's own account, and password-reset links."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import phones
from app.auth import passwords
from app.auth.forms import MAX_LOGIN, ChangePasswordForm, LoginForm, ResetPasswordForm
from app.auth.models import PasswordReset, User
from app.characters import has_control_characters
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.database import utcnow
from app.extensions import db, limiter
from app.rendering import render_page
from app.safe_redirect import safe_next
from app.tokens import LinkState, hash_token, link_state

bp = Blueprint("auth", __name__, url_prefix="/auth")


def normalised_login(login: str) -> str:
    """The account a typed login names: a phone in national form, else the lower-cased email."""
    login = login.strip()
    if phones.looks_like_phone(login):
        return phones.normalise(login) or login
    return login.lower()


def account_key() -> str:
    """Rate-limit key of the per-account limit: the account tried, from whatever address. Guesses
    spread over many addresses, or over the account's email and phone, all count towards one limit."""
    login = request.form.get("login", "")
    user = find_user(login) if len(login) <= MAX_LOGIN and not has_control_characters(login) else None
    return f"user:{user.id}" if user else f"login:{normalised_login(login)}"


def failed(response: Response) -> bool:
    return response.status_code == 422


def find_user(login: str) -> User | None:
    account = normalised_login(login)
    column = User.phone if phones.looks_like_phone(login.strip()) else User.email
    return db.session.scalar(select(User).where(column == account))


def start_session(user: User) -> None:
    """A fresh session for ``user``: nothing from before log-in survives."""
    session.clear()
    login_user(user)
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=account_key,
               methods=["POST"], deduct_when=failed, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=failed, scope="login-address")
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.login.data)
        password_ok = passwords.verify(user.password_hash if user else passwords.DUMMY_HASH, form.password.data)
        if user and password_ok:
            if not user.active:
                form.login.errors.append(inactive_message(user))
                return render_page("auth/login.html", form=form, status=422)
            if passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_password(form.password.data)
            user.last_login_at = utcnow()
            db.session.commit()
            start_session(user)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"), code=303)
        form.password.errors.append(_("The login or the password is wrong."))
        return render_page("auth/login.html", form=form, status=422)
    return render_page("auth/login.html", form=form, status=422 if form.errors else 200)


def inactive_message(user: User) -> str:
    if user.cooperative_id:
        cooperative = db.session.get(Cooperative, user.cooperative_id)
        if cooperative and cooperative.status == Status.PENDING:
            return _("Your cooperative's registration is waiting for the alliance's approval. "
                     "You can log in once it is approved.")
    return _("This account has been deactivated. Contact the alliance if you think this is a mistake.")


def end_session() -> None:
    """Log out: every session of the person ends (copied cookies too), and this one is emptied."""
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
        logout_user()
    session.clear()


@bp.post("/logout")
def logout() -> Response:
    end_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"), code=303)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Response | str:
    user: User = current_user._get_current_object()
    form = ChangePasswordForm()
    form.known_logins = (user.email, user.phone)
    if form.validate_on_submit():
        if not passwords.verify(user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            user.password_hash = passwords.hash_password(form.password.data)
            user.end_sessions()  # other devices must log in again
            db.session.commit()
            start_session(user)
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return redirect(url_for("auth.account"), code=303)
    return render_page("auth/account.html", form=form, status=422 if form.errors else 200)


def usable_reset(token: str) -> PasswordReset:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    if reset is None:
        abort(404)
    if link_state(reset.expires_at, reset.used_at, utcnow()) is not LinkState.VALID or not reset.user.active:
        abort(410)
    return reset


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str:
    reset = usable_reset(token)
    form = ResetPasswordForm()
    form.known_logins = (reset.user.email, reset.user.phone)
    if form.validate_on_submit():
        reset.user.password_hash = passwords.hash_password(form.password.data)
        reset.user.end_sessions()
        reset.used_at = utcnow()
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Your new password is set. Log in with it now."), "success")
        return redirect(url_for("auth.login"), code=303)
    return render_page("auth/reset.html", form=form, person=reset.user, status=422 if form.errors else 200)
