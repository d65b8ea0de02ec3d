"""The settings page of a province: its alliance staff (and the administrator) set the placement
limits, the monthly report's due day and the register import's limits. Each change is written to the audit log."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import audit
from app.auth.roles import Role
from app.database import commit_retrying
from app.extensions import db
from app.locations import province_name, provinces
from app.province_settings.forms import ProvinceSettingsForm
from app.province_settings.models import MEGABYTE, ProvinceSettings, settings_by_province, settings_for
from app.rendering import render_page

bp = Blueprint("province_settings", __name__, url_prefix="/settings")


def require_staff() -> Role:
    role = current_user.role_enum
    if role not in (Role.ALLIANCE, Role.ADMIN):
        abort(403)
    return role


@bp.get("/")
@login_required
def index() -> Response:
    """Alliance staff go to their province's settings; the administrator sees every province's."""
    if require_staff() is Role.ALLIANCE:
        return redirect(url_for(".edit", province_code=current_user.province_code))
    codes = [code for code, _name in provinces()]
    return render_page("province_settings/index.html", provinces=provinces(), settings=settings_by_province(codes))


@bp.route("/provinces/<int:province_code>", methods=["GET", "POST"])
@login_required
def edit(province_code: int) -> Response:
    role = require_staff()
    # Another province is outside an alliance's scope: not found, as everywhere else.
    if not province_name(province_code) or (role is Role.ALLIANCE and province_code != current_user.province_code):
        abort(404)
    current = settings_for(province_code)
    form = ProvinceSettingsForm(data=asdict(current))
    if form.validate_on_submit():
        chosen = {name: form[name].data for name in asdict(current)}
        changes = {name: [asdict(current)[name], value] for name, value in chosen.items()
                   if value != asdict(current)[name]}

        def save() -> None:
            row = db.session.get(ProvinceSettings, province_code) or ProvinceSettings(province_code=province_code)
            for name, value in chosen.items():
                setattr(row, name, value)
            row.updated_by_id = current_user.id
            db.session.add(row)
            if changes:
                audit.record(current_user.id, "province_settings.update", f"province:{province_code}", **changes)

        # A colleague saving the province's first settings at the same moment: ours then update theirs.
        commit_retrying(save)
        flash(_("The settings of %(province)s have been saved.", province=province_name(province_code)), "success")
        return redirect(url_for(".edit", province_code=province_code), code=303)
    config = current_app.config
    return render_page("province_settings/edit.html", form=form, province_code=province_code,
                       default_rows=config["IMPORT_MAX_ROWS"], default_megabytes=config["IMPORT_MAX_BYTES"] / MEGABYTE,
                       status=422 if form.errors else 200)
