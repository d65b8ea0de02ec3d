"""Spreadsheets for alliance staff: exports of their province (the administrator: any province or
all), each written to the audit log; and the register import — template, upload, dry run, then all
rows or none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO
from urllib.parse import urlencode

from flask import (Blueprint, Response, abort, current_app, flash, redirect, request, send_file,
                   stream_with_context, url_for)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select, update

from app import audit, locations
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Kind, Sector
from app.dashboard.setting import setting_for
from app.database import local_today, utcnow
from app.extensions import db
from app.numbers import parse_digits
from app.province_settings.models import Settings, settings_for
from app.rendering import render_page
from app.spreadsheets import exports, follow_up, reading, register_import, writing
from app.spreadsheets.cells import Column
from app.spreadsheets.forms import ExportForm, ImportForm, UploadForm
from app.spreadsheets.models import RegisterImport
from app.tenancy import cooperative_filter, user_scope

bp = Blueprint("spreadsheets", __name__, url_prefix="/spreadsheets")

STAFF = frozenset({Role.ALLIANCE, Role.ADMIN})
# The marker of an export asked for from the dashboard or its table, with their filter.
DASHBOARD_VIEW = "dashboard"
DESCRIPTIONS = {
    "cooperatives": (_l("Cooperatives and their latest scores"),
                     _l("One row per cooperative: its profile, its latest self-assessment, level and score per "
                        "area.")),
    "answers": (_l("Answers of every submitted self-assessment"),
                _l("One row per submitted self-assessment, one column per question (the code in the second "
                   "row), so rounds on different questionnaire versions share the questions they have in "
                   "common.")),
    "completions": (_l("Training completed"),
                    _l("One row per module completed: who, which module, for which cooperative, when.")),
    "difficulties": (_l("Difficulties and their replies"),
                     _l("One row per difficulty: category, status, the question it concerns, when it was raised, "
                        "forwarded or resolved, and its replies in one cell, oldest first.")),
    "placements": (_l("Placements and monthly reports"),
                   _l("One row per monthly report (a placement without a report: one row): the graduate, the "
                      "host cooperative, the term and status, the month, hours, status and review.")),
}
EXPORTS = {**exports.EXPORTS, **follow_up.EXPORTS}


def require_staff() -> None:
    if current_user.role_enum not in STAFF:
        abort(403)


def chosen_province() -> int | None:
    """Alliance staff: their province. The administrator: the one chosen in the URL or form, or all."""
    if current_user.role_enum is Role.ALLIANCE:
        return current_user.province_code
    code = parse_digits(request.values.get("province_code"), max_digits=3)
    return code if code is not None and locations.province_name(code) else None


def export_form(province_code: int | None) -> ExportForm:
    return ExportForm(province_code, list(EXPORTS))


def exports_page(form: ExportForm, province_code: int | None, status: int = 200) -> Response:
    return render_page("spreadsheets/exports.html", form=form, province_code=province_code,
                       choose_province=current_user.role_enum is Role.ADMIN, provinces=locations.provinces(),
                       descriptions=DESCRIPTIONS, status=status)


@bp.get("/exports")
@login_required
def index() -> Response:
    """The exports, with the dashboard's filters."""
    require_staff()
    province_code = chosen_province()
    return exports_page(export_form(province_code), province_code)


@bp.post("/exports")
@login_required
def download() -> Response:
    """Send the chosen export, streamed; the request is written to the audit log first."""
    require_staff()
    province_code = chosen_province()
    form = export_form(province_code)
    if not form.validate_on_submit():
        return exports_page(form, province_code, status=422)
    name, extension = form.download.data.split(".")
    scope = cooperative_filter(user_scope(current_user))
    if province_code is not None:
        scope = scope & (Cooperative.province_code == province_code)
    shown, dashboard_filter = None, None
    if request.form.get("view") == DASHBOARD_VIEW:
        # Started from the dashboard or its table: exactly the cooperatives the screen lists.
        setting = setting_for(current_user, request.form)
        shown = exports.dashboard_selection(user_scope(current_user), setting, utcnow())
        dashboard_filter = urlencode(setting.selected.query_args()) or "-"
    export_filter = exports.ExportFilter(
        scope=scope, ward_code=form.ward_code.data, year=form.year.data,
        kind=Kind(form.kind.data) if form.kind.data else None,
        sector=Sector(form.sector.data) if form.sector.data else None, shown=shown)
    audit.record(current_user.id, "export", f"province:{province_code}" if province_code else "province:all",
                 export=name, format=extension, ward_code=form.ward_code.data, kind=form.kind.data or None,
                 sector=form.sector.data or None, year=form.year.data, filter=dashboard_filter)
    db.session.commit()
    sheet = EXPORTS[name](export_filter)
    filename = f"htxso-{name}-{province_code or 'all'}-{local_today():%Y%m%d}.{extension}"
    disposition = f'attachment; filename="{filename}"'
    if extension == "csv":
        return Response(stream_with_context(writing.csv_chunks(sheet)), mimetype=writing.CSV_TYPE,
                        headers={"Content-Disposition": disposition})
    return Response(stream_with_context(_file_chunks(writing.xlsx_file([sheet]))), mimetype=writing.XLSX_TYPE,
                    headers={"Content-Disposition": disposition})


def _file_chunks(handle: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    """A temporary file's content in chunks; the file is closed (and deleted) at the end."""
    with handle:
        while chunk := handle.read(size):
            yield chunk


# --- register import ---------------------------------------------------------------------------------

def import_limits(province_code: int | None) -> reading.Limits:
    """The province's limits on rows and size (its settings, else the configured ones)."""
    config = current_app.config
    chosen = settings_for(province_code) if province_code is not None else Settings()
    return reading.Limits(max_bytes=chosen.import_max_bytes(config["IMPORT_MAX_BYTES"]),
                          max_rows=chosen.import_max_rows or config["IMPORT_MAX_ROWS"],
                          max_cell=config["IMPORT_MAX_CELL"], max_unzipped=config["IMPORT_MAX_UNZIPPED"])


def read_upload(content: bytes, province_code: int) -> reading.Table:
    return reading.read(content, register_import.KNOWN, register_import.REQUIRED, import_limits(province_code))


def upload_or_404(upload_id: int) -> RegisterImport:
    """An upload of a province the user oversees (alliance staff: theirs), else 404."""
    upload = db.session.get(RegisterImport, upload_id)
    if upload is None or not user_scope(current_user).allows(0, upload.province_code):
        abort(404)
    return upload


def import_page(form: UploadForm, province_code: int | None, status: int = 200) -> Response:
    recent = db.session.scalars(
        select(RegisterImport).where(RegisterImport.province_code == province_code)
        .order_by(RegisterImport.id.desc()).limit(10)).all() if province_code else []
    return render_page("spreadsheets/import.html", form=form, province_code=province_code, recent=recent,
                       choose_province=current_user.role_enum is Role.ADMIN, provinces=locations.provinces(),
                       limits=import_limits(province_code), status=status)


@bp.get("/import")
@login_required
def import_start() -> Response:
    """Fill the register from a spreadsheet: the template, the upload, recent imports."""
    require_staff()
    return import_page(UploadForm(), chosen_province())


@bp.get("/import/template.xlsx")
@login_required
def import_template() -> Response:
    """The template: the columns (labels, then codes), how to fill them, and the province's wards."""
    require_staff()
    province_code = chosen_province()
    with force_locale("vi"):
        sheets = [writing.Sheet(_("Cooperatives"), register_import.template_columns(), []),
                  writing.Sheet(_("How to fill it in"), [Column("note", _("How to fill it in"))],
                                [[line] for line in template_instructions(province_code)])]
        if province_code:
            sheets.append(writing.Sheet(_("Communes and wards"),
                                        [Column("ward", _("Commune or ward")),
                                         Column("ward_code", _("Commune or ward code"), "integer")],
                                        [[name, code] for code, name in locations.wards(province_code)]))
    return send_file(writing.xlsx_file(sheets), mimetype=writing.XLSX_TYPE, as_attachment=True,
                     download_name=f"htxso-mau-nhap-so-htx-{province_code or 'all'}.xlsx")


def template_instructions(province_code: int | None) -> list[str]:
    kinds = ", ".join(f"{kind.label} ({kind.value})" for kind in Kind)
    sectors = ", ".join(f"{sector.label} ({sector.value})" for sector in Sector)
    return [
        _("Fill in one cooperative per row of the first sheet, from the third row down. Keep the first two "
          "rows: the second holds the column codes the import reads."),
        _("Required: name, kind, sector, commune or ward, number of members, number of employees; the tax "
          "code too, except for a cooperative group."),
        _("Kind: one of %(kinds)s.", kinds=kinds),
        _("Sector: one of %(sectors)s.", sectors=sectors),
        _("Commune or ward: its name as in the list on the third sheet, or its code."),
        _("Numbers: digits only (1500000 or 1.500.000); no formulas."),
        _("A row whose tax code is already in the register of %(province)s updates that cooperative; the "
          "others are added as active.", province=locations.province_name(province_code) or _("the province")),
        _("Upload the file: you first see what each row would do and every error; nothing is written until "
          "you confirm, and then either every row is imported or none."),
    ]


@bp.post("/import")
@login_required
def import_upload() -> Response:
    """Keep the uploaded file and show its dry run; a file that cannot be read is refused here."""
    require_staff()
    province_code = chosen_province()
    form = UploadForm()
    if province_code is None:
        form.form_errors.append(_("Choose the province whose register the file fills."))
        return import_page(form, province_code, status=422)
    if not form.validate_on_submit():
        return import_page(form, province_code, status=422)
    content = form.file.data.read(import_limits(province_code).max_bytes + 1)
    try:
        read_upload(content, province_code)
    except reading.FileProblem as problem:
        form.file.errors.append(register_import.file_message(problem))
        return import_page(form, province_code, status=422)
    upload = RegisterImport(created_by_id=current_user.id, province_code=province_code, content=content,
                            filename=(form.file.data.filename or "")[:200])
    db.session.add(upload)
    db.session.commit()
    return redirect(url_for(".import_preview", upload_id=upload.id), code=303)


def preview_page(upload: RegisterImport, planned: register_import.Plan | None, status: int = 200) -> Response:
    return render_page("spreadsheets/import_preview.html", upload=upload, plan=planned, form=ImportForm(),
                       Action=register_import.Action, status=status)


@bp.get("/import/<int:upload_id>")
@login_required
def import_preview(upload_id: int) -> Response:
    """The dry run: what each row would do, and every error; nothing is written."""
    require_staff()
    upload = upload_or_404(upload_id)
    if upload.imported:
        return preview_page(upload, None)
    table = read_upload(upload.content or b"", upload.province_code)
    return preview_page(upload, register_import.plan(table, upload.province_code))


@bp.post("/import/<int:upload_id>")
@login_required
def import_commit(upload_id: int) -> Response:
    """Import every row of an error-free file, or none; importing twice imports once."""
    require_staff()
    upload = upload_or_404(upload_id)
    if not ImportForm().validate_on_submit():
        abort(400)
    if upload.imported:
        return redirect(url_for(".import_preview", upload_id=upload.id), code=303)
    planned = register_import.plan(read_upload(upload.content or b"", upload.province_code),
                                   upload.province_code)
    if not planned.importable:
        return preview_page(upload, planned, status=422)
    # Claim the upload first: a second click (or a second officer) finds it imported and stops.
    claimed = db.session.execute(
        update(RegisterImport).where(RegisterImport.id == upload.id, RegisterImport.imported_at.is_(None))
        .values(imported_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        return redirect(url_for(".import_preview", upload_id=upload.id), code=303)
    created, updated = register_import.apply(planned, current_user, upload.id)
    db.session.execute(update(RegisterImport).where(RegisterImport.id == upload.id)
                       .values(created=created, updated=updated, content=None)
                       .execution_options(synchronize_session=False))
    audit.record(current_user.id, "register.import", f"province:{upload.province_code}", upload_id=upload.id,
                 filename=upload.filename, created=created, updated=updated)
    db.session.commit()
    flash(_("Imported: %(created)s cooperatives added, %(updated)s updated.", created=created, updated=updated),
          "success")
    return redirect(url_for("cooperatives.index"), code=303)
