"""The province picture: the dashboard, the cooperative table and a cooperative's page for staff.

Alliance staff see their province; the administrator picks one. Every figure links to the table
of the cooperatives behind it; the table's state (filters, search, sort, page) lives in the URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.cooperatives.vocabulary import Status, choices
from app.dashboard import profile
from app.dashboard.context import choose_province, dashboard_context, filter_choices
from app.dashboard.setting import OVERSEERS, setting_for
from app.dashboard.table import table_page
from app.database import utcnow
from app.i18n import current_locale
from app.rendering import render_page
from app.tenancy import get_cooperative_or_404, user_scope

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

PICTURE_TARGET = "picture"
TABLE_TARGET = "cooperative-table"


@bp.app_template_global()
def table_href(args: Mapping[str, Any]) -> str:
    """The cooperative table's URL with ``args``: built once per request and completed by hand,
    since a dashboard links every figure, bar and row to it (a hundred links or more)."""
    if "table_path" not in g:
        g.table_path = url_for("dashboard.cooperatives")
    return f"{g.table_path}?{urlencode(args)}" if args else g.table_path


def require_overseer() -> None:
    if current_user.role_enum not in OVERSEERS:
        abort(403)


@bp.get("/")
@login_required
def show() -> Response:
    """The province's dashboard (an administrator first chooses the province)."""
    require_overseer()
    setting = setting_for(current_user, request.args)
    if setting.selected.province_code is None:
        return choose_province("dashboard.show")
    return render_page("dashboard/show.html", fragment="dashboard/_picture.html", target=PICTURE_TARGET,
                       **dashboard_context(setting))


@bp.get("/cooperatives")
@login_required
def cooperatives() -> Response:
    """The cooperative table: latest scores, level, change, difficulties and review state."""
    require_overseer()
    setting = setting_for(current_user, request.args)
    if setting.selected.province_code is None:
        return choose_province("dashboard.cooperatives")
    locale = current_locale()
    page, rows = table_page(user_scope(current_user), setting.selected, areas=setting.areas,
                            targets=setting.targets, now=utcnow(), per_page=current_app.config["PER_PAGE"])
    return render_page(
        "dashboard/cooperatives.html", fragment="dashboard/_table.html", target=TABLE_TARGET,
        setting=setting, selected=setting.selected, page=page, rows=rows, args=setting.selected.query_args(),
        sort_choices=profile.sort_choices(setting, locale), statuses=choices(Status), locale=locale,
        narrowing=profile.narrowing_labels(setting, locale), **filter_choices(setting),
    )


@bp.get("/cooperatives/<int:cooperative_id>")
@login_required
def cooperative(cooperative_id: int) -> Response:
    """One cooperative for staff preparing a visit: profile, history, answers, reviews, training,
    difficulties and whether it is a model."""
    require_overseer()
    found = get_cooperative_or_404(current_user, cooperative_id)
    return render_page("dashboard/cooperative.html",
                       **profile.profile_context(found, request.args, locale=current_locale()))
