"""The province's yearly report: a printable page and the same figures as a spreadsheet.

Alliance staff see their province; the administrator picks one. The year comes from the URL (a
year with data, this year by default). The page only reads; the spreadsheet is a download sent by a
POST form, because it is written to the audit log like every export.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit, locations
from app.dashboard.context import choose_province
from app.dashboard.setting import OVERSEERS, Setting, setting_for
from app.database import local_today
from app.extensions import db
from app.i18n import current_locale
from app.numbers import parse_digits
from app.rendering import render_page
from app.reports import facts, summary_sheet, wording, yearly
from app.spreadsheets import writing
from app.tenancy import user_scope
from app.training import store as training_store

bp = Blueprint("reports", __name__, url_prefix="/reports")


@dataclass(frozen=True)
class Choice:
    setting: Setting
    year: int
    years: list[int]


def chosen() -> Choice | None:
    """The province (None: an administrator has not chosen one yet) and the year asked for."""
    if current_user.role_enum not in OVERSEERS:
        abort(403)
    setting = setting_for(current_user, request.args)
    if setting.selected.province_code is None:
        return None
    this_year = local_today().year
    years = facts.years_with_data(user_scope(current_user), setting.selected.province_code, this_year)
    year = parse_digits(request.args.get("year"), max_digits=4)
    return Choice(setting, year if year in years else this_year, years)


def worded_report(choice: Choice) -> wording.Worded:
    locale = current_locale()
    gathered = facts.year_facts(user_scope(current_user), choice.setting, choice.year, today=local_today(),
                                locale=locale)
    return wording.worded(yearly.build(gathered), choice.setting, training_store.current_modules(), locale)


def args_of(choice: Choice) -> dict[str, int]:
    args = {"year": choice.year}
    if not choice.setting.selected.fixed_province:
        args["province_code"] = choice.setting.selected.province_code
    return args


@bp.get("/province")
@login_required
def province() -> Response:
    """The report for the year, ready to print or to copy into the province's report."""
    choice = chosen()
    if choice is None:
        return choose_province("reports.province")
    province_code = choice.setting.selected.province_code
    return render_page("reports/province.html", report=worded_report(choice), years=choice.years,
                       args=args_of(choice), province_code=province_code,
                       province_title=locations.province_title(province_code, current_locale()),
                       choose_province=not choice.setting.selected.fixed_province,
                       provinces=locations.provinces(), today=local_today(), percent=wording.percent)


@bp.post("/province.xlsx")
@login_required
def download() -> Response:
    """The same figures as an Excel sheet; the download is written to the audit log first."""
    choice = chosen()
    if choice is None:
        return choose_province("reports.province")
    province_code = choice.setting.selected.province_code
    report = worded_report(choice)
    audit.record(current_user.id, "export", f"province:{province_code}", export="province_report", format="xlsx",
                 year=choice.year)
    db.session.commit()
    alliance = _("Cooperative Alliance of %(province)s",
                 province=locations.province_title(province_code, current_locale()))
    # One short sheet (a hundred rows or so): read whole, and its temporary file deleted at once.
    with writing.xlsx_file([summary_sheet.sheet(report, alliance)]) as handle:
        content = handle.read()
    filename = f"htxso-bao-cao-{province_code}-{choice.year}.xlsx"
    return Response(content, mimetype=writing.XLSX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
