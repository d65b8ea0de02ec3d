"""What each export holds: the rows behind the alliance's reports, read in batches so memory stays
flat at any size, within the user's scope and the chosen filters.

Headers are Vietnamese whatever the interface language (the province's report is in Vietnamese);
question and dimension codes go in the second header row, so rounds of different questionnaire
versions share the columns whose codes match.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, select, true

from app import locations
from app.assessments import versions
from app.assessments.models import SUBMITTED, Answer, Assessment, DimensionScore, QuestionnaireVersion
from app.assessments.questionnaire import Question, Questionnaire
from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Kind, Sector, Status
from app.dashboard.selection import cooperative_conditions, local_midnight_in_utc, narrowing, with_latest
from app.dashboard.setting import Setting
from app.database import LOCAL_ZONE
from app.extensions import db
from app.spreadsheets.cells import Column
from app.spreadsheets.writing import Sheet
from app.standings.models import LatestAssessment, YearLatest
from app.tenancy import Scope
from app.training import store as training_store
from app.training.models import Certificate

BATCH = 500
LOCALE = "vi"


@dataclass(frozen=True)
class ExportFilter:
    """Which cooperatives and which period an export covers (the dashboard's filters)."""

    scope: ColumnElement[bool]  # the user's scope as a condition on Cooperative
    ward_code: int | None = None
    sector: Sector | None = None
    kind: Kind | None = None
    year: int | None = None  # assessments submitted and certificates issued in this year
    # The cooperatives the dashboard's table shows for its current filter (an export started there).
    shown: ColumnElement[bool] | None = None

    def cooperatives(self) -> ColumnElement[bool]:
        conditions = [self.scope] if self.shown is None else [self.scope, self.shown]
        if self.ward_code is not None:
            conditions.append(Cooperative.ward_code == self.ward_code)
        if self.sector is not None:
            conditions.append(Cooperative.sector == self.sector.value)
        if self.kind is not None:
            conditions.append(Cooperative.kind == self.kind.value)
        return and_(*conditions)

    def within_year(self, column: Any) -> ColumnElement[bool]:
        """``column`` (a UTC time) falls in the chosen year, counted in Vietnam's time."""
        if self.year is None:
            return true()
        return and_(column >= local_midnight_in_utc(date(self.year, 1, 1)),
                    column < local_midnight_in_utc(date(self.year + 1, 1, 1)))


def dashboard_selection(scope: Scope, setting: Setting, now: datetime) -> ColumnElement[bool]:
    """The cooperatives the dashboard's table lists for ``setting``'s filter (the same conditions,
    narrowing included), as a condition on ``Cooperative``."""
    selected = setting.selected
    listed = (with_latest(select(Cooperative.id).select_from(Cooperative))
              .where(*cooperative_conditions(scope, selected),
                     *narrowing(selected, selected.since(now), setting.targets)))
    # Not correlated: the subquery reads its own cooperatives, whatever the export selects from.
    return Cooperative.id.in_(listed.correlate(None))


def local_date(value: datetime | None) -> date | None:
    """A stored UTC time as the date it was in Vietnam."""
    return None if value is None else value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).date()


def batches(statement: Select, key: Any) -> Iterator[list[Any]]:
    """Rows of ``statement`` in batches of ``BATCH``, ordered by ``key`` and read page by page from
    the last key seen, so no batch holds more than ``BATCH`` rows and no cursor stays open (the
    session keeps rows only while they are referenced)."""
    last = None
    while True:
        page = statement.order_by(key).limit(BATCH)
        if last is not None:
            page = page.where(key > last)
        rows = db.session.execute(page).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0].id  # every statement selects the keyed row first


def current_questionnaire() -> Questionnaire | None:
    version = versions.latest_version()
    return versions.questionnaire_of(version) if version else None


# --- cooperatives -----------------------------------------------------------------------------------

def cooperative_columns(questionnaire: Questionnaire | None) -> list[Column]:
    with force_locale(LOCALE):
        columns = [
            Column("tax_code", _("Tax code")), Column("name", _("Cooperative name")),
            Column("kind", _("Kind of organisation")), Column("sector", _("Main sector")),
            Column("province", _("Province or city")),
            Column("ward", _("Commune or ward")), Column("ward_code", _("Commune or ward code"), "integer"),
            Column("address", _("Address")), Column("phone", _("Phone number")),
            Column("founded_year", _("Year founded"), "integer"),
            Column("members", _("Number of members"), "integer"),
            Column("employees", _("Number of employees"), "integer"),
            Column("charter_capital", _("Charter capital (VND)"), "money"),
            Column("revenue_last_year", _("Revenue last year (VND)"), "money"),
            Column("status", _("Status")), Column("registered_on", _("In the register since"), "date"),
            Column("assessed_on", _("Last self-assessment"), "date"),
            Column("questionnaire_version", _("Questionnaire version"), "integer"),
            Column("overall", _("Overall score"), "number"), Column("level", _("Level"), "integer"),
            Column("level_name", _("Level name")),
        ]
        for dimension in questionnaire.dimensions if questionnaire else ():
            columns.append(Column(f"score.{dimension.code}", dimension.title(LOCALE), "number"))
    return columns


def latest_submitted(export_filter: ExportFilter, cooperative_ids: Sequence[int]) -> dict[int, Assessment]:
    """Each cooperative's latest submitted assessment, one query: the standings' pointer (what the
    dashboard shows), or the one to its latest of the chosen year (what the yearly report counts)."""
    if export_filter.year is None:
        latest = select(LatestAssessment.assessment_id).where(LatestAssessment.cooperative_id.in_(cooperative_ids))
    else:
        latest = select(YearLatest.assessment_id).where(YearLatest.cooperative_id.in_(cooperative_ids),
                                                        YearLatest.year == export_filter.year)
    rows = db.session.scalars(select(Assessment).where(Assessment.id.in_(latest)))
    return {assessment.cooperative_id: assessment for assessment in rows}


def scores_of(assessment_ids: Iterable[int]) -> dict[int, dict[str, float]]:
    scores: dict[int, dict[str, float]] = {}
    for assessment_id, code, score in db.session.execute(
            select(DimensionScore.assessment_id, DimensionScore.dimension_code, DimensionScore.score)
            .where(DimensionScore.assessment_id.in_(list(assessment_ids)))):
        scores.setdefault(assessment_id, {})[code] = score
    return scores


def cooperative_rows(export_filter: ExportFilter, questionnaire: Questionnaire | None) -> Iterator[list[Any]]:
    dimensions = [d.code for d in questionnaire.dimensions] if questionnaire else []
    version_numbers = dict(db.session.execute(select(QuestionnaireVersion.id, QuestionnaireVersion.number)).all())
    with force_locale(LOCALE):
        for batch in batches(select(Cooperative).where(export_filter.cooperatives()), Cooperative.id):
            cooperatives = [row[0] for row in batch]
            latest = latest_submitted(export_filter, [c.id for c in cooperatives])
            scores = scores_of(a.id for a in latest.values())
            for cooperative in cooperatives:
                assessment = latest.get(cooperative.id)
                level_name = ""
                if assessment is not None:
                    level_name = level_label(assessment)
                own = scores.get(assessment.id, {}) if assessment else {}
                yield [
                    cooperative.tax_code, cooperative.name, Kind(cooperative.kind).label,
                    Sector(cooperative.sector).label, locations.province_name(cooperative.province_code),
                    locations.ward_name(cooperative.ward_code), cooperative.ward_code, cooperative.address,
                    cooperative.phone, cooperative.founded_year, cooperative.members, cooperative.employees,
                    cooperative.charter_capital, cooperative.revenue_last_year, Status(cooperative.status).label,
                    local_date(cooperative.created_at),
                    local_date(assessment.submitted_at) if assessment else None,
                    version_numbers.get(assessment.version_id) if assessment else None,
                    round(assessment.overall_score, 1) if assessment and assessment.overall_score is not None
                    else None,
                    assessment.level if assessment else None, level_name,
                    *(round(own[code], 1) if code in own else None for code in dimensions),
                ]


def level_label(assessment: Assessment) -> str:
    """"Mức 3 — Hình thành": the stored level as its questionnaire version names it."""
    questionnaire = versions.questionnaire_of(assessment.version)
    level = next((item for item in questionnaire.levels if item.level == assessment.level), None)
    return f"{assessment.level} — {level.name(LOCALE)}" if level else str(assessment.level)


def cooperatives_sheet(export_filter: ExportFilter) -> Sheet:
    questionnaire = current_questionnaire()
    with force_locale(LOCALE):
        title = _("Cooperatives")
    return Sheet(title, cooperative_columns(questionnaire), cooperative_rows(export_filter, questionnaire))


# --- answers ----------------------------------------------------------------------------------------

def answer_columns(questions: Sequence[Question]) -> list[Column]:
    with force_locale(LOCALE):
        fixed = [
            Column("assessment_id", _("Assessment"), "integer"), Column("tax_code", _("Tax code")),
            Column("name", _("Cooperative name")), Column("kind", _("Kind of organisation")),
            Column("sector", _("Main sector")),
            Column("province", _("Province or city")), Column("ward", _("Commune or ward")),
            Column("questionnaire_version", _("Questionnaire version"), "integer"),
            Column("submitted_on", _("Submitted on"), "date"), Column("overall", _("Overall score"), "number"),
            Column("level", _("Level"), "integer"),
        ]
    return fixed + [Column(question.code, question.text(LOCALE), "number" if question.kind == "number" else "text")
                    for question in questions]


def question_union(questionnaires: Sequence[Questionnaire]) -> list[Question]:
    """Every question code of the given versions once, in the newest version's order, then the
    codes only older versions have (each labelled by the newest version that has it)."""
    seen: dict[str, Question] = {}
    for questionnaire in questionnaires:  # newest first
        for question in questionnaire.questions:
            seen.setdefault(question.code, question)
    return list(seen.values())


def answer_text(question: Question | None, value: Any) -> Any:
    """An answer as a reader of the sheet reads it: option labels in Vietnamese, numbers as numbers."""
    if value is None or question is None:
        return value
    if question.kind == "multi" and isinstance(value, list):
        return "; ".join(option.label(LOCALE) if (option := question.option(str(code))) else str(code)
                         for code in value)
    if question.kind in ("scale", "single", "boolean"):
        option = question.option(str(value))
        return option.label(LOCALE) if option else str(value)
    if question.kind == "number" and not isinstance(value, bool) and isinstance(value, int | float):
        return value
    return str(value)


def answers_sheet(export_filter: ExportFilter) -> Sheet:
    submitted = (select(Assessment, Cooperative).join(Cooperative, Cooperative.id == Assessment.cooperative_id)
                 .where(export_filter.cooperatives(), Assessment.status == SUBMITTED,
                        export_filter.within_year(Assessment.submitted_at)))
    used = db.session.scalars(
        select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(
            submitted.with_only_columns(Assessment.version_id).distinct()))
        .order_by(QuestionnaireVersion.number.desc())).all()
    parsed = {version.id: versions.questionnaire_of(version) for version in used}
    numbers = {version.id: version.number for version in used}
    questions = question_union([parsed[version.id] for version in used])
    with force_locale(LOCALE):
        title = _("Answers")

    def rows() -> Iterator[list[Any]]:
        with force_locale(LOCALE):
            for batch in batches(submitted, Assessment.id):
                ids = [assessment.id for assessment, _cooperative in batch]
                answers: dict[int, dict[str, Any]] = {}
                for assessment_id, code, value in db.session.execute(
                        select(Answer.assessment_id, Answer.question_code, Answer.value)
                        .where(Answer.assessment_id.in_(ids))):
                    answers.setdefault(assessment_id, {})[code] = value
                for assessment, cooperative in batch:
                    own = answers.get(assessment.id, {})
                    questionnaire = parsed[assessment.version_id]
                    yield [
                        assessment.id, cooperative.tax_code, cooperative.name, Kind(cooperative.kind).label,
                        Sector(cooperative.sector).label, locations.province_name(cooperative.province_code),
                        locations.ward_name(cooperative.ward_code), numbers[assessment.version_id],
                        local_date(assessment.submitted_at),
                        round(assessment.overall_score, 1) if assessment.overall_score is not None else None,
                        assessment.level,
                        *(answer_text(questionnaire.question(question.code), own.get(question.code))
                          for question in questions),
                    ]

    return Sheet(title, answer_columns(questions), rows())


# --- training completions ---------------------------------------------------------------------------

def completions_sheet(export_filter: ExportFilter) -> Sheet:
    modules = training_store.current_modules()
    with force_locale(LOCALE):
        title = _("Training completions")
        columns = [
            Column("holder", _("Name")), Column("role", _("Role")), Column("module_code", _("Module code")),
            Column("module", _("Module")), Column("cooperative", _("Cooperative")),
            Column("tax_code", _("Tax code")), Column("ward", _("Commune or ward")),
            Column("issued_on", _("Completed on"), "date"), Column("certificate", _("Certificate code")),
        ]
    statement = (select(Certificate, Cooperative, User.role)
                 .join(Cooperative, Cooperative.id == Certificate.cooperative_id)
                 .join(User, User.id == Certificate.user_id)
                 .where(export_filter.cooperatives(), export_filter.within_year(Certificate.issued_at)))

    def rows() -> Iterator[list[Any]]:
        with force_locale(LOCALE):
            for batch in batches(statement, Certificate.id):
                for certificate, cooperative, role in batch:
                    module = modules.get(certificate.module_code)
                    yield [
                        certificate.holder_name, Role(role).label, certificate.module_code,
                        module.title(LOCALE) if module else certificate.module_code, cooperative.name,
                        cooperative.tax_code, locations.ward_name(cooperative.ward_code),
                        local_date(certificate.issued_at), certificate.verification_code,
                    ]

    return Sheet(title, columns, rows())


EXPORTS = {
    "cooperatives": cooperatives_sheet,
    "answers": answers_sheet,
    "completions": completions_sheet,
}
