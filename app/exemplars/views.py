"""Model cooperatives: the page of models and rankings, and marking or unmarking one with a reason.

Staff see their province's rankings and mark models; a cooperative's people read the models of
their province, to learn from them, and see on their own pages when they are one.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.dashboard.context import choose_province, filter_choices
from app.dashboard.setting import OVERSEERS, setting_for
from app.database import commit_retrying, utcnow
from app.exemplars import marking, rankings
from app.exemplars.forms import MarkForm, UnmarkForm
from app.i18n import current_locale
from app.rendering import render_page
from app.tenancy import cooperative_filter, get_cooperative_or_404, published_filter, user_scope

bp = Blueprint("exemplars", __name__, url_prefix="/exemplars")


def staff() -> bool:
    return current_user.role_enum in OVERSEERS


@bp.get("/")
@login_required
def index() -> Response:
    """The models of the province with what each does best; for staff also the rankings."""
    locale = current_locale()
    if not staff():
        visible = published_filter(current_user) & (Cooperative.status == Status.ACTIVE.value)
        return render_page("exemplars/index.html", models=rankings.models(visible, locale), staff=False,
                           locale=locale)
    setting = setting_for(current_user, request.args)
    selected = setting.selected
    if selected.province_code is None:
        return choose_province("exemplars.index")
    scope = user_scope(current_user)
    since = selected.since(utcnow())
    visible = cooperative_filter(scope) & (Cooperative.province_code == selected.province_code)
    return render_page("exemplars/index.html", models=rankings.models(visible, locale), staff=True,
                       by_score=rankings.by_score(scope, selected, since),
                       by_improvement=rankings.by_improvement(scope, selected, since),
                       selected=selected, locale=locale, **filter_choices(setting))


def staff_cooperative(cooperative_id: int) -> Cooperative:
    if not staff():
        abort(403)
    return get_cooperative_or_404(current_user, cooperative_id)


def render_marking(cooperative: Cooperative, *, mark_form: MarkForm | None = None,
                   unmark_form: UnmarkForm | None = None, status: int = 200) -> Response:
    return render_page("exemplars/mark.html", cooperative=cooperative,
                       exemplar=marking.current_exemplar(cooperative.id),
                       may_mark=marking.latest_reviewed(cooperative.id),
                       mark_form=mark_form or MarkForm(), unmark_form=unmark_form or UnmarkForm(), status=status)


@bp.get("/<int:cooperative_id>")
@login_required
def marking_page(cooperative_id: int) -> Response:
    """Mark the cooperative as a model, or end it, with a reason."""
    return render_marking(staff_cooperative(cooperative_id))


@bp.post("/<int:cooperative_id>/mark")
@login_required
def mark(cooperative_id: int) -> Response:
    cooperative = staff_cooperative(cooperative_id)
    form = MarkForm()
    if not form.validate_on_submit():
        return render_marking(cooperative, mark_form=form, status=422)
    if not marking.latest_reviewed(cooperative.id):
        form.reason.errors.append(_("Review its latest assessment first: only reviewed results make a model."))
        return render_marking(cooperative, mark_form=form, status=422)
    commit_retrying(lambda: marking.mark(cooperative, current_user, form.reason.data))
    flash(_("%(name)s is now a model cooperative. Its people see it on their home page.", name=cooperative.name),
          "success")
    return redirect(url_for("dashboard.cooperative", cooperative_id=cooperative.id, _anchor="exemplar"), code=303)


@bp.post("/<int:cooperative_id>/unmark")
@login_required
def unmark(cooperative_id: int) -> Response:
    cooperative = staff_cooperative(cooperative_id)
    form = UnmarkForm()
    if not form.validate_on_submit():
        return render_marking(cooperative, unmark_form=form, status=422)
    commit_retrying(lambda: marking.unmark(cooperative, current_user, form.end_reason.data))
    flash(_("%(name)s is no longer a model cooperative.", name=cooperative.name), "info")
    return redirect(url_for("dashboard.cooperative", cooperative_id=cooperative.id, _anchor="exemplar"), code=303)
