"""The audit log page: administrators read every entry, alliance staff their province's; filtered by
kind of action, person and dates (state in the URL), newest first."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, contains_eager
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Length, Optional

from app import locations
from app.audit import AuditEntry
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.database import LOCAL_ZONE
from app.extensions import db
from app.forms import AppForm
from app.numbers import parse_digits
from app.paging import page_number
from app.rendering import render_page

bp = Blueprint("audit", __name__, url_prefix="/audit")
RESULTS_TARGET = "audit-rows"

ACTIONS = {
    "export": _l("Downloaded a spreadsheet"),
    "register.import": _l("Imported the register from a file"),
    "cooperative.create": _l("Added a cooperative"),
    "cooperative.edit": _l("Edited a cooperative's profile"),
    "cooperative.approve": _l("Approved a cooperative"),
    "cooperative.reject": _l("Rejected a registration"),
    "cooperative.dissolve": _l("Marked a cooperative dissolved"),
    "user.create": _l("Created an account"),
    "user.role_change": _l("Changed someone's role"),
    "user.reassign": _l("Moved someone to another cooperative or province"),
    "user.deactivate": _l("Deactivated an account"),
    "user.reactivate": _l("Reactivated an account"),
    "user.reset_link": _l("Made a password-reset link"),
    "invitation.create": _l("Made an invitation link"),
    "invitation.cancel": _l("Cancelled an invitation"),
    "invitation.accept": _l("Accepted an invitation"),
    "assessment.review": _l("Reviewed a self-assessment"),
    "targets.province": _l("Changed the province's targets"),
    "province_settings.update": _l("Changed the province's settings"),
    "exemplar.mark": _l("Marked a model cooperative"),
    "exemplar.unmark": _l("Removed a model cooperative's mark"),
    "placement.create": _l("Placed a young graduate"),
    "placement.update": _l("Changed a placement's term"),
    "placement.end_early": _l("Ended a placement early"),
    "placement.complete": _l("Completed a placement"),
    "placement.extension_request": _l("Asked to extend a placement"),
    "placement.extension_approve": _l("Approved a placement's extension"),
    "placement.extension_reject": _l("Refused a placement's extension"),
    "difficulty.new": _l("Set a difficulty back to new"),
    "difficulty.in_progress": _l("Took up a difficulty"),
    "difficulty.resolved": _l("Marked a difficulty resolved"),
    "difficulty.forwarded": _l("Forwarded a difficulty to a higher body"),
}


DETAILS = {
    "export": _l("Spreadsheet"), "format": _l("Format"), "ward_code": _l("Commune or ward code"),
    "kind": _l("Kind of organisation"), "sector": _l("Main sector"), "year": _l("Year"),
    "filename": _l("File"), "created": _l("Added"), "updated": _l("Updated"), "fields": _l("Changed"),
    "name": _l("Name"), "role": _l("Role"), "reason": _l("Reason"), "via": _l("Through"),
    "cooperative_id": _l("Cooperative"), "targets": _l("Targets"), "edited": _l("Edited"),
    "graduate_id": _l("Young graduate"), "starts_on": _l("Starts on"), "ends_on": _l("Ends on"),
    "last_day": _l("Last day worked"), "new_ends_on": _l("New end date"), "extension_id": _l("Extension"),
    "upload_id": _l("Upload"), "filter": _l("Filter of the dashboard"),
    "difficulty_id": _l("Difficulty"), "forwarded_to": _l("Forwarded to"),
    "placement_max_years": _l("Longest placement per person (years)"),
    "placement_max_new_per_year": _l("New placements per cooperative per year"),
    "report_due_day": _l("Monthly report due by day"),
    "import_max_rows": _l("Most rows in an imported file"),
    "import_max_megabytes": _l("Largest imported file (MB)"),
}


def detail_label(key: str) -> str:
    return str(DETAILS[key]) if key in DETAILS else key


def described_targets(entries: list[AuditEntry]) -> dict[str, tuple[str, str | None]]:
    """Each target of the page's entries as (words, link): a cooperative's or a person's name, a
    province's name; two queries for the whole page."""
    ids: dict[str, set[int]] = {"cooperative": set(), "user": set()}
    for entry in entries:
        kind, _, raw = entry.target.partition(":")
        if kind in ids and (number := parse_digits(raw)) is not None:
            ids[kind].add(number)
    cooperatives = dict(db.session.execute(select(Cooperative.id, Cooperative.name)
                                           .where(Cooperative.id.in_(ids["cooperative"]))).all())
    people = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids["user"]))).all())
    described: dict[str, tuple[str, str | None]] = {}
    for entry in entries:
        kind, _, raw = entry.target.partition(":")
        number = parse_digits(raw)
        if kind == "cooperative" and number in cooperatives:
            described[entry.target] = (cooperatives[number], url_for("cooperatives.detail", cooperative_id=number))
        elif kind == "user" and number in people:
            link = url_for("admin.edit_user", user_id=number) if current_user.role_enum is Role.ADMIN else None
            described[entry.target] = (people[number], link)
        elif kind == "province" and number is not None:
            described[entry.target] = (locations.province_name(number), None)
        elif kind == "province":
            described[entry.target] = (str(_l("All provinces")), None)
    return described


def action_label(action: str) -> str:
    """The action in words; an action without a label yet shows its code."""
    return str(ACTIONS[action]) if action in ACTIONS else action


class AuditFilterForm(AppForm):
    class Meta:
        csrf = False

    action = SelectField(_l("What"), default="")
    person = SearchField(_l("Who (name or email)"), validators=[Optional(), Length(max=100)])
    since = DateField(_l("From"), validators=[Optional()], format="%Y-%m-%d")
    until = DateField(_l("To"), validators=[Optional()], format="%Y-%m-%d")
    province_code = SelectField(_l("Province or city"), default="")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [("", str(_l("Every action")))] + [(code, str(label)) for code, label in ACTIONS.items()]
        self.province_code.choices = [("", str(_l("All provinces")))] + [
            (str(code), name) for code, name in locations.provinces()]


def utc_start(day: date, *, next_day: bool = False) -> datetime:
    """Midnight of ``day`` (or of the day after) in Vietnam, as a stored UTC time."""
    moment = datetime.combine(day, time(), tzinfo=LOCAL_ZONE) + (timedelta(days=1) if next_day else timedelta())
    return moment.astimezone(UTC).replace(tzinfo=None)


def filtered(form: AuditFilterForm, province_code: int | None) -> Select:
    actor = aliased(User)
    query = select(AuditEntry).outerjoin(actor, actor.id == AuditEntry.actor_id).options(
        contains_eager(AuditEntry.actor.of_type(actor)))
    if province_code is not None:
        query = query.where(AuditEntry.province_code == province_code)
    if form.action.data:
        query = query.where(AuditEntry.action == form.action.data)
    if form.person.data:
        words = form.person.data.strip()
        query = query.where(or_(actor.name.icontains(words, autoescape=True),
                                actor.email.icontains(words, autoescape=True)))
    if form.since.data:
        query = query.where(AuditEntry.at >= utc_start(form.since.data))
    if form.until.data:
        query = query.where(AuditEntry.at < utc_start(form.until.data, next_day=True))
    return query.order_by(AuditEntry.id.desc())


@bp.get("/")
@login_required
def index() -> Response:
    """The audit log of the user's province (the administrator: any province, or all)."""
    role = current_user.role_enum
    if role not in (Role.ADMIN, Role.ALLIANCE):
        abort(403)
    form = AuditFilterForm(formdata=request.args)
    if not form.validate():
        for field in form:
            if field.errors:
                field.data, field.errors = field.default, []
    if role is Role.ALLIANCE:
        province_code = current_user.province_code
        del form.province_code
    else:
        province_code = parse_digits(form.province_code.data, max_digits=3)
    page = db.paginate(filtered(form, province_code), page=page_number(request.args),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    args = {field.name: field.raw_data[0] for field in form if field.raw_data and field.raw_data[0]}
    return render_page("audit/index.html", fragment="audit/_rows.html", target=RESULTS_TARGET, form=form,
                       page=page, args=args, action_label=action_label, detail_label=detail_label,
                       targets=described_targets(page.items),
                       province_code=province_code)
