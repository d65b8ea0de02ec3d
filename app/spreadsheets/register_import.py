"""The register import: which columns a file has, what each row would do (the dry run), and doing it
all or nothing.

Every row is checked by the same form as a cooperative typed in by hand (``CooperativeForm``), so an
imported record obeys exactly the rules of the register: tax code check digit, commune or ward of the
province, whole numbers. A row whose tax code is already in the province's register updates that
cooperative; a tax code of another province, or twice in the file, is an error. Nothing is written
while any row has an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import audit, locations
from app.auth.models import User
from app.cooperatives import tax_code
from app.cooperatives.forms import CooperativeForm
from app.cooperatives.models import Cooperative
from app.cooperatives.registry import audit_target
from app.cooperatives.vocabulary import Kind, Sector, Status
from app.extensions import db
from app.folding import fold
from app.numbers import is_digits
from app.spreadsheets import reading
from app.spreadsheets.cells import Column

# The template's columns, in order: (code, Vietnamese label, kind).
COLUMNS = (
    ("tax_code", _l("Tax code"), "text"),
    ("name", _l("Name of the organisation"), "text"),
    ("kind", _l("Kind of organisation"), "text"),
    ("sector", _l("Main sector"), "text"),
    ("ward", _l("Commune or ward"), "text"),
    ("ward_code", _l("Commune or ward code"), "integer"),
    ("address", _l("Address (village, street, house number)"), "text"),
    ("phone", _l("Cooperative's phone number"), "text"),
    ("founded_year", _l("Year founded"), "integer"),
    ("members", _l("Number of members"), "integer"),
    ("employees", _l("Number of employees"), "integer"),
    ("charter_capital", _l("Charter capital (đồng)"), "money"),
    ("revenue_last_year", _l("Revenue last year (đồng)"), "money"),
)
KNOWN = tuple(code for code, _label, _kind in COLUMNS)
REQUIRED = ("name", "kind", "sector", "members", "employees")
# Column code → the form field that checks it.
FIELDS = {"phone": "office_phone", "ward": "ward_code"}

FILE_MESSAGES = {
    reading.NOT_A_SPREADSHEET: _l("This file is not a spreadsheet. Upload the template filled in, saved as "
                                  "Excel (.xlsx) or CSV."),
    reading.OLD_EXCEL: _l("This is an old Excel file (.xls). Open it in Excel and save it as an Excel "
                          "workbook (.xlsx), then upload it again."),
    reading.TOO_LARGE: _l("The file is larger than %(limit)s. Split it into smaller files."),
    reading.ZIP_BOMB: _l("The workbook unpacks into far more data than a register holds, so it was not "
                         "opened. Save the list again as a plain workbook (.xlsx)."),
    reading.BROKEN: _l("The workbook could not be read: it is damaged or not really an Excel file. Save it "
                       "again from Excel and upload it once more."),
    reading.ENCODING: _l("The CSV file is not in UTF-8, so Vietnamese letters would be garbled. In Excel "
                         "choose “Save as” → “CSV UTF-8”, or upload the Excel workbook instead."),
    reading.TOO_MANY_ROWS: _l("The file has more than %(limit)s rows. Split it into smaller files."),
    reading.NO_HEADER: _l("The column codes were not found in the first two rows (missing: %(missing)s). Use "
                          "the template: its second row holds the codes."),
    reading.EMPTY: _l("The file has no cooperatives in it."),
}
CELL_MESSAGES = {
    reading.FORMULA: _l("cell %(cell)s holds a formula; type the value itself"),
    reading.CELL_TOO_LONG: _l("cell %(cell)s is too long"),
}


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass
class RowPlan:
    """What one row of the file would do."""

    number: int
    name: str
    action: Action
    changes: list[str] = field(default_factory=list)  # labels of the fields an update changes
    errors: list[str] = field(default_factory=list)
    form: CooperativeForm | None = None
    existing: Cooperative | None = None


@dataclass(frozen=True)
class Plan:
    rows: tuple[RowPlan, ...]

    def count(self, action: Action) -> int:
        return sum(row.action is action for row in self.rows)

    @property
    def importable(self) -> bool:
        return not self.count(Action.ERROR) and bool(self.count(Action.CREATE) + self.count(Action.UPDATE))


def template_columns() -> list[Column]:
    with force_locale("vi"):
        return [Column(code, str(label), kind) for code, label, kind in COLUMNS]


def _choice_lookup(enum: type[Kind] | type[Sector]) -> dict[str, str]:
    """Folded code and labels (Vietnamese and English) → code, so "Hợp tác xã (HTX)" and "htx" agree."""
    lookup: dict[str, str] = {}
    for member in enum:
        lookup[fold(member.value)] = member.value
        for locale in ("vi", "en"):
            with force_locale(locale):
                lookup[fold(member.label)] = member.value
    return lookup


def _ward(values: Mapping[str, str], province_code: int) -> str:
    """The ward as a code for the form: the code column, else the ward column — a code, or a name
    matched in the province."""
    code = values.get("ward_code", "").strip()
    if code:
        return code
    name = fold(values.get("ward", ""))
    if not name:
        return ""
    if is_digits(name):
        return name  # the code, written in the name column
    for ward_code, ward_name in locations.wards(province_code):
        if fold(ward_name) == name:
            return str(ward_code)
    return "unknown"


def _tax_code(raw: str) -> str:
    """Excel drops a tax code's leading zero when the cell is a number: give it back (the check digit
    still decides whether the code is valid)."""
    raw = raw.strip()
    if is_digits(raw) and len(raw) == 9:
        return "0" + raw
    return raw


def formdata(values: Mapping[str, str], province_code: int, kinds: Mapping[str, str],
             sectors: Mapping[str, str]) -> MultiDict:
    kind, sector = values.get("kind", ""), values.get("sector", "")
    return MultiDict({
        "name": values.get("name", ""),
        "kind": kinds.get(fold(kind), kind),
        "sector": sectors.get(fold(sector), sector),
        "tax_code": _tax_code(values.get("tax_code", "")),
        "founded_year": values.get("founded_year", ""),
        "members": values.get("members", ""),
        "employees": values.get("employees", ""),
        "charter_capital": values.get("charter_capital", ""),
        "revenue_last_year": values.get("revenue_last_year", ""),
        "ward_code": _ward(values, province_code),
        "address": values.get("address", ""),
        "office_phone": values.get("phone", ""),
    })


def existing_by_tax_code(table: reading.Table) -> dict[str, Cooperative]:
    """The cooperatives already registered under the file's tax codes, in one query."""
    codes = set()
    for row in table.rows:
        try:
            codes.add(str(tax_code.parse(_tax_code(row.values.get("tax_code", "")))))
        except tax_code.TaxCodeError:
            continue
    if not codes:
        return {}
    return {c.tax_code: c for c in db.session.scalars(select(Cooperative).where(Cooperative.tax_code.in_(codes)))}


def plan(table: reading.Table, province_code: int) -> Plan:
    """The dry run: what each row would do in the province's register, and every error."""
    kinds, sectors = _choice_lookup(Kind), _choice_lookup(Sector)
    existing = existing_by_tax_code(table)
    seen: dict[str, int] = {}
    rows = []
    for row in table.rows:
        data = formdata(row.values, province_code, kinds, sectors)
        try:
            normalised = str(tax_code.parse(data["tax_code"])) if data["tax_code"] else ""
        except tax_code.TaxCodeError:
            normalised = ""
        match = existing.get(normalised)
        errors = [str(CELL_MESSAGES[problem.reason] % {"cell": problem.reference}) for problem in row.problems]
        if match is not None and match.province_code != province_code:
            errors.append(_("Tax code %(code)s is already in the register of %(province)s.", code=normalised,
                            province=locations.province_name(match.province_code)))
            match = None
        form = CooperativeForm(formdata=data, meta={"csrf": False}, fixed_province=province_code,
                               existing_id=match.id if match else None)
        if not form.validate():
            errors += [f"{form[name].label.text}: {' '.join(str(m) for m in messages)}" for name, messages in form.errors.items()]
        if normalised and normalised in seen:
            errors.append(_("The same tax code is on row %(row)d.", row=seen[normalised]))
        elif normalised:
            seen[normalised] = row.number
        name = data["name"] or row.values.get("tax_code", "")
        if errors:
            rows.append(RowPlan(row.number, name, Action.ERROR, errors=errors))
        elif match is None:
            rows.append(RowPlan(row.number, name, Action.CREATE, form=form))
        else:
            changes = [form.label_of(column) for column in form.changes(match)]
            rows.append(RowPlan(row.number, name, Action.UPDATE if changes else Action.UNCHANGED, changes=changes,
                                form=form, existing=match))
    return Plan(tuple(rows))


def apply(planned: Plan, actor: User, upload_id: int) -> tuple[int, int]:
    """Create and update the cooperatives of an error-free plan (the caller commits); the counts."""
    created = updated = 0
    for row in planned.rows:
        if row.action is Action.CREATE and row.form is not None:
            cooperative = Cooperative(status=Status.ACTIVE.value)
            row.form.apply_to(cooperative)
            db.session.add(cooperative)
            db.session.flush()
            audit.record(actor.id, "cooperative.create", audit_target(cooperative), name=cooperative.name,
                         via=f"import:{upload_id}")
            created += 1
        elif row.action is Action.UPDATE and row.form is not None and row.existing is not None:
            changed = row.form.apply_to(row.existing)
            audit.record(actor.id, "cooperative.edit", audit_target(row.existing), fields=changed,
                         via=f"import:{upload_id}")
            updated += 1
    return created, updated


def file_message(problem: reading.FileProblem) -> str:
    """The translated sentence for a refused file."""
    details = dict(problem.details)
    if problem.reason == reading.TOO_LARGE:
        details["limit"] = f"{format_decimal(details['limit'] / (1024 * 1024), '#,##0.#')} MB"
    elif "limit" in details:
        details["limit"] = format_decimal(details["limit"])
    if "missing" in details:
        details["missing"] = ", ".join(details["missing"])
    return str(FILE_MESSAGES[problem.reason]) % details
