"""Command-line tasks: ``flask content load``, ``flask create-admin`` and ``flask seed-demo``.

Messages are written in the application's default language (see ``app.i18n.select_locale``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit, phones
from app.assessments import versions
from app.auth import passwords
from app.auth.forms import PASSWORD_MESSAGES
from app.auth.models import User
from app.auth.roles import Role
from app.content_files import ContentError
from app.content_versions import Outcome
from app.demo import seed
from app.standings.cli import standings
from app.training import store as training_store
from app.extensions import db

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Demo accounts share a published password: only where that cannot hurt, unless asked.
DEMO_ENVIRONMENTS = frozenset({"development", "testing"})


def register(app: Flask) -> None:
    """Attach the project's commands to ``app``."""
    app.cli.command("create-admin")(create_admin)
    app.cli.command("seed-demo")(seed_demo)
    app.cli.add_command(content)
    app.cli.add_command(standings)


content = AppGroup("content", help="Questionnaire and training content.")


@content.command("load")
@click.option("--questionnaire", "questionnaire_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=versions.QUESTIONNAIRE_FILE, show_default=True, help="The questionnaire file to load.")
@click.option("--modules", "modules_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=training_store.MODULES_DIR, show_default=True, help="The folder of training modules.")
def load_content(questionnaire_file: Path, modules_dir: Path) -> None:
    """Validate the content files and load them; unchanged content changes nothing."""
    try:
        result = versions.load(questionnaire_file)
        db.session.flush()
        module_loads = training_store.load(modules_dir)
    except ContentError as error:
        db.session.rollback()
        fail("\n".join(error.problems))
    db.session.commit()
    messages = {
        Outcome.UNCHANGED: _("Questionnaire %(code)s: version %(number)d is up to date."),
        Outcome.UPDATED: _("Questionnaire %(code)s: version %(number)d updated (no assessment used it yet)."),
        Outcome.CREATED: _("Questionnaire %(code)s: version %(number)d created."),
    }
    click.echo(messages[result.outcome] % {"code": result.code, "number": result.number})
    counts = Counter(load.outcome for load in module_loads)
    click.echo(_("Training modules: %(created)d created, %(updated)d updated, %(unchanged)d up to date.",
                 created=counts[Outcome.CREATED], updated=counts[Outcome.UPDATED],
                 unchanged=counts[Outcome.UNCHANGED]))


def fail(message: str) -> NoReturn:
    """Print ``message`` to standard error and end the command with exit status 1."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


@click.option("--email", required=True, help="Email address the administrator logs in with.")
@click.option("--phone", help="Phone number to log in with as well (optional).")
@click.option("--name", required=True, help="The administrator's full name.")
@click.option("--password", help="For scripts; when left out the password is asked for, hidden, twice.")
def create_admin(email: str, phone: str | None, name: str, password: str | None) -> None:
    """Create a system administrator account."""
    email = email.strip().lower()
    name = name.strip()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        fail(_("Enter an email address like name@example.vn."))
    if phone is not None:
        phone = phones.normalise(phone)
        if phone is None:
            fail(_("Enter a Vietnamese phone number, for example 0912 345 678."))
    if not name or len(name) > 120:
        fail(_("Give the administrator's name (at most 120 characters)."))
    if db.session.scalar(select(User.id).where(User.email == email)):
        fail(_("An account with the email %(email)s already exists.", email=email))
    if phone and db.session.scalar(select(User.id).where(User.phone == phone)):
        fail(_("An account with the phone number %(phone)s already exists.", phone=phone))
    if password is None:
        password = click.prompt(_("Password"), hide_input=True,
                                confirmation_prompt=_("Repeat the password"))
    found = passwords.problems(password, logins=(email, phone))
    if found:
        fail(" ".join(str(PASSWORD_MESSAGES[problem]) for problem in found))

    user = User(name=name, email=email, phone=phone, password_hash=passwords.hash_password(password),
                role=Role.ADMIN.value)
    db.session.add(user)
    db.session.flush()
    # Same action as an account made on the admin pages; no actor, the command line made it.
    audit.record(None, "user.create", f"user:{user.id}", role=Role.ADMIN.value, via="command line")
    db.session.commit()
    click.echo(_("Administrator %(name)s created. Log in with %(login)s.", name=name, login=email))


@click.option("--allow-production", is_flag=True,
              help="Seed even outside development and testing (the demo password is public).")
def seed_demo(allow_production: bool) -> None:
    """Load the demo province, its cooperatives and one log-in per role; safe to run again."""
    if current_app.config["ENV_NAME"] not in DEMO_ENVIRONMENTS and not allow_production:
        fail(_("The demo accounts share a published password, so they are only loaded in development "
               "(COOPDX_ENV=development). Add --allow-production to load them here anyway."))
    report = seed.seed_demo()
    db.session.commit()
    click.echo(_("Cooperatives: %(added)d added, %(kept)d already there.",
                 added=report.cooperatives_added, kept=report.cooperatives_kept))
    click.echo(_("Users: %(added)d added, %(kept)d already there.",
                 added=report.users_added, kept=report.users_kept))
    click.echo(_("Submitted self-assessments added: %(added)d.", added=report.assessments_added))
    click.echo(_("Training certificates added: %(added)d.", added=report.certificates_added))
    click.echo(_("Placements of young graduates added: %(added)d.", added=report.placements_added))
    click.echo(_("Difficulties added: %(added)d.", added=report.difficulties_added))
    if report.model_added:
        click.echo(_("A model cooperative is marked."))
    click.echo()
    click.echo(seed.login_table(report.logins))
    click.echo()
    click.echo(_("Accounts of cooperatives waiting for approval can log in once the alliance approves them."))
