"""Dimension targets: the alliance sets its province's, a manager may set their cooperative's own.

A gap is measured against the cooperative's target, else the province's, else the
questionnaire's default (``scoring.resolve_targets``). Targets apply to assessments
submitted after they change; stored scores keep the target they were computed with.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.validators import NumberRange, Optional

from app import audit
from app.assessments import versions
from app.assessments.models import DimensionTarget
from app.assessments.questionnaire import Questionnaire
from app.assessments.scoring import resolve_targets
from app.auth.roles import Role
from app.database import commit_retrying
from app.extensions import db
from app.forms import AppForm, DigitsField
from app.i18n import current_locale
from app.rendering import render_page
from app.tenancy import get_cooperative_or_404

bp = Blueprint("targets", __name__, url_prefix="/targets")


def current_questionnaire() -> Questionnaire:
    version = versions.latest_version()
    if version is None:
        abort(404)
    return versions.questionnaire_of(version)


def targets_form(questionnaire: Questionnaire, saved: dict[str, float]) -> AppForm:
    """One optional 0–100 field per dimension; empty means "use the default above"."""

    class TargetsForm(AppForm):
        pass

    locale = current_locale()
    for dimension in questionnaire.dimensions:
        field = DigitsField(
            dimension.title(locale), max_digits=3,
            validators=[Optional(), NumberRange(0, 100, message=_l("Give a score from 0 to 100."))],
        )
        setattr(TargetsForm, f"target_{dimension.code}", field)
    form = TargetsForm()
    if request.method == "GET":
        for dimension in questionnaire.dimensions:
            value = saved.get(dimension.code)
            form[f"target_{dimension.code}"].data = None if value is None else round(value)
    return form


def saved_targets(*, cooperative_id: int | None = None, province_code: int | None = None) -> dict[str, DimensionTarget]:
    query = select(DimensionTarget)
    query = query.where(DimensionTarget.cooperative_id == cooperative_id) if cooperative_id \
        else query.where(DimensionTarget.province_code == province_code)
    return {row.dimension_code: row for row in db.session.scalars(query)}


def apply(form: AppForm, questionnaire: Questionnaire, rows: dict[str, DimensionTarget],
          owner: dict[str, int]) -> dict[str, float | None]:
    chosen: dict[str, float | None] = {}
    for dimension in questionnaire.dimensions:
        value = form[f"target_{dimension.code}"].data
        row = rows.get(dimension.code)
        chosen[dimension.code] = value
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(DimensionTarget(dimension_code=dimension.code, target=value, **owner))
        else:
            row.target = value
    return chosen


@bp.route("/province", methods=["GET", "POST"])
@login_required
def province() -> Response:
    """Alliance staff set the targets of their province."""
    if current_user.role != Role.ALLIANCE or current_user.province_code is None:
        abort(403)
    questionnaire = current_questionnaire()
    rows = saved_targets(province_code=current_user.province_code)
    form = targets_form(questionnaire, {code: row.target for code, row in rows.items()})
    if form.validate_on_submit():
        owner = {"province_code": current_user.province_code}

        def change() -> None:
            # A colleague saving a first target at the same moment makes the retry update theirs.
            chosen = apply(form, questionnaire, saved_targets(**owner), owner)
            audit.record(current_user.id, "targets.province", f"province:{current_user.province_code}",
                         targets=chosen)

        commit_retrying(change)
        flash(_("The province's targets are saved. They apply to assessments submitted from now on."), "success")
        return redirect(url_for("targets.province"), code=303)
    return render_page("targets/edit.html", form=form, questionnaire=questionnaire,
                       defaults={d.code: d.target for d in questionnaire.dimensions},
                       heading=_("Targets for the province"), may_edit=True, status=422 if form.errors else 200)


@bp.route("/cooperatives/<int:cooperative_id>", methods=["GET", "POST"])
@login_required
def cooperative(cooperative_id: int) -> Response:
    """A cooperative's manager sets the cooperative's own targets (others may look)."""
    coop = get_cooperative_or_404(current_user, cooperative_id)
    may_edit = current_user.role == Role.COOP_MANAGER and current_user.cooperative_id == coop.id
    if request.method == "POST" and not may_edit:
        abort(403)
    questionnaire = current_questionnaire()
    rows = saved_targets(cooperative_id=coop.id)
    province_rows = saved_targets(province_code=coop.province_code)
    defaults = resolve_targets(questionnaire, {}, {code: row.target for code, row in province_rows.items()})
    form = targets_form(questionnaire, {code: row.target for code, row in rows.items()})
    if form.validate_on_submit():
        owner = {"cooperative_id": coop.id}
        commit_retrying(lambda: apply(form, questionnaire, saved_targets(**owner), owner))
        flash(_("Your targets are saved. They apply to your next submitted assessment."), "success")
        return redirect(url_for("targets.cooperative", cooperative_id=coop.id), code=303)
    return render_page("targets/edit.html", form=form, questionnaire=questionnaire, defaults=defaults,
                       heading=_("Targets of %(name)s", name=coop.name), may_edit=may_edit,
                       status=422 if form.errors else 200)
