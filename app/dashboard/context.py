"""What every page of the province picture shares: the filter form's choices, the page where an
administrator picks a province, and the dashboard itself (the home of alliance staff and ``/dashboard``)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from werkzeug.wrappers import Response

from app import locations
from app.cooperatives.vocabulary import Kind, Sector, choices
from app.dashboard.filters import PERIOD_LABELS, Period
from app.dashboard.overview import overview
from app.dashboard.setting import Setting
from app.database import local_today, utcnow
from app.i18n import current_locale
from app.rendering import render_page
from app.tenancy import user_scope
from app.training import store as training_store


def filter_choices(setting: Setting) -> dict[str, Any]:
    """The choices of the filter form."""
    return {
        "provinces": locations.provinces(),
        "wards": locations.wards(setting.selected.province_code),
        "sector_choices": choices(Sector),
        "kind_choices": choices(Kind),
        "periods": [(period.value, str(PERIOD_LABELS[period])) for period in Period],
        "choose_province": not setting.selected.fixed_province,
        "province_title": locations.province_title(setting.selected.province_code, current_locale()),
    }


def dashboard_context(setting: Setting) -> dict[str, Any]:
    """Everything the dashboard shows (home of alliance staff, and ``/dashboard``)."""
    locale = current_locale()
    return {
        "setting": setting,
        "selected": setting.selected,
        "picture": overview(user_scope(current_user), setting, now=utcnow(), today=local_today(), locale=locale,
                            modules=training_store.current_modules()),
        **filter_choices(setting),
    }


def choose_province(endpoint: str) -> Response:
    """The page where an administrator picks the province a province page shows."""
    return render_page("dashboard/choose.html", provinces=locations.provinces(), endpoint=endpoint)
