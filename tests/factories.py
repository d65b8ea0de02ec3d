"""Rows for tests, written through the real models into the real database."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from itertools import count
from pathlib import Path

from sqlalchemy import select

from app.assessments import drafts, scoring, versions
from app.assessments.models import Assessment, QuestionnaireVersion
from app.assessments.questionnaire import Profile, Question, Questionnaire
from app.auth import passwords
from app.auth.models import User
from app.cooperatives import tax_code
from app.cooperatives.models import Cooperative
from app.extensions import db
from app.placements.models import MonthlyReport, Placement, ReportEntry
from app.locations import wards
from app.training import store as training_store
from app.training.models import ModuleVersion

PASSWORD = "lúa chín vàng đồng"
PROVINCE = 82  # Đồng Tháp
OTHER_PROVINCE = 86  # Vĩnh Long
_sequence = count(1)
# A graduate made with a cooperative is placed there for three years from 1 September 2025.
PLACEMENT_STARTS = date(2025, 9, 1)
PLACEMENT_ENDS = date(2028, 8, 31)


@cache
def password_hash() -> str:
    """One real Argon2id hash, computed once per test run."""
    return passwords.hash_password(PASSWORD)


def unique_tax_code() -> str:
    while True:
        code = tax_code.with_check_digit(f"18{next(_sequence):07d}")
        if code:
            return code


def make_cooperative(name: str = "Hợp tác xã Nông nghiệp Tân Hòa", *, province_code: int = PROVINCE,
                     status: str = "active", **fields: object) -> Cooperative:
    values: dict[str, object] = {
        "kind": "htx",
        "sector": "agriculture",
        "tax_code": unique_tax_code(),
        "founded_year": 2015,
        "members": 40,
        "employees": 6,
        "ward_code": wards(province_code)[0][0],
        "address": "Ấp 1",
    }
    values.update(fields)
    cooperative = Cooperative(name=name, province_code=province_code, status=status, **values)
    db.session.add(cooperative)
    db.session.commit()
    return cooperative


def make_user(role: str, *, cooperative: Cooperative | None = None, province_code: int | None = None,
              email: str | None = None, phone: str | None = None, active: bool = True,
              name: str | None = None) -> User:
    n = next(_sequence)
    user = User(
        name=name or f"Người dùng {n}",
        email=email if (email or phone) else f"user{n}@example.vn",
        phone=phone,
        password_hash=password_hash(),
        role=role,
        cooperative_id=cooperative.id if cooperative and role != "graduate" else None,
        province_code=province_code if province_code is not None else (PROVINCE if role == "alliance" else None),
        active=active,
    )
    db.session.add(user)
    db.session.flush()
    if role == "graduate" and cooperative is not None:
        db.session.add(Placement(graduate_id=user.id, cooperative_id=cooperative.id, starts_on=PLACEMENT_STARTS,
                                 ends_on=PLACEMENT_ENDS))
    db.session.commit()
    return user


SMALL_QUESTIONNAIRE = Path(__file__).resolve().parent / "data" / "questionnaire_small.yaml"
# The questionnaire as first shipped (version 1), to test what happens to rounds answered on it.
QUESTIONNAIRE_V1 = Path(__file__).resolve().parent / "data" / "digital_readiness_v1.yaml"
SMALL_MODULES = Path(__file__).resolve().parent / "data" / "modules"  # etax, einvoice, cybersecurity

# A complete set of answers to the small questionnaire.
SMALL_ANSWERS = {
    "finance.etax_filing": "helped",
    "finance.einvoice_use": "yes_provider",
    "finance.einvoice_provider": "no",
    "security.practices": ["two_step"],
    "security.trained_people": 5,
}


def make_questionnaire(path: Path = SMALL_QUESTIONNAIRE) -> QuestionnaireVersion:
    """Load a questionnaire file as ``flask content load`` does (the small test one by default)."""
    result = versions.load(path)
    db.session.commit()
    return db.session.scalar(select(QuestionnaireVersion).where(
        QuestionnaireVersion.code == result.code, QuestionnaireVersion.number == result.number))


def make_assessment(cooperative: Cooperative, *, answers: dict | None = None, submit: bool = True,
                    by: User | None = None) -> Assessment:
    """An assessment of ``cooperative`` answered with ``answers`` and, by default, submitted."""
    if versions.latest_version("digital-readiness") is None:
        make_questionnaire()
    user_id = by.id if by else None
    assessment = drafts.start(cooperative, user_id)
    for code, value in (SMALL_ANSWERS if answers is None else answers).items():
        drafts.save_answer(assessment, code, value, user_id)
    db.session.flush()
    if submit:
        outcome = drafts.submit(assessment, user_id)
        assert not isinstance(outcome, list), f"incomplete answers: {[q.code for q in outcome]}"
    db.session.commit()
    return assessment


def make_modules(folder: Path = SMALL_MODULES, code: str = "etax") -> ModuleVersion:
    """Load training modules as ``flask content load`` does (the small test ones by default, after the
    small questionnaire they link to); hands back the newest version of module ``code``."""
    if versions.latest_version("digital-readiness") is None:
        versions.load(SMALL_QUESTIONNAIRE)
        db.session.flush()
    training_store.load(folder)
    db.session.commit()
    return training_store.latest(code)


def _answer(question: Question, best: bool) -> object:
    """The best answer to ``question``, or a middling one."""
    if question.kind == "number":
        return (question.bands[-1].min if best else question.bands[0].min) if question.scored else 3
    choices = sorted((o for o in question.options if not o.not_applicable and not o.exclusive),
                     key=lambda option: option.points)
    if question.kind == "multi":
        return [o.code for o in choices] if best and question.scored else [choices[0].code]
    return (choices[-1] if best else choices[len(choices) // 2]).code


def complete_answers(questionnaire: Questionnaire, profile: Profile = scoring.UNKNOWN_PROFILE, *,
                     best: bool = True) -> dict[str, object]:
    """An answer to every question a cooperative with ``profile`` is asked (texts left out): the best
    answers, or middling ones."""
    answers: dict[str, object] = {}
    for question in questionnaire.questions:
        if question.kind != "text" and scoring.is_visible(questionnaire, question, answers, profile=profile):
            answers[question.code] = _answer(question, best)
    return answers


def make_placement(cooperative: Cooperative, graduate: User | None = None, *, starts_on: date, ends_on: date,
                   status: str | None = None, ended_on: date | None = None, field_of_study: str = "Kế toán",
                   invitee_name: str = "") -> Placement:
    """A placement written straight into the table (the term rules are tested on their own)."""
    placement = Placement(cooperative_id=cooperative.id, graduate_id=graduate.id if graduate else None,
                          starts_on=starts_on, ends_on=ends_on, status=status or "active", ended_on=ended_on,
                          field_of_study=field_of_study, invitee_name=invitee_name)
    db.session.add(placement)
    db.session.commit()
    return placement


def make_report(placement: Placement, month: date, *, values: dict[str, str] | None = None,
                status: str = "draft", first_submitted_at: datetime | None = None) -> MonthlyReport:
    """A monthly report with its fields (revision 1 each)."""
    report = MonthlyReport(placement_id=placement.id, month=month, status=status,
                           first_submitted_at=first_submitted_at,
                           submitted_at=first_submitted_at if status != "draft" else None)
    db.session.add(report)
    db.session.flush()
    for field, value in (values or {}).items():
        db.session.add(ReportEntry(report_id=report.id, field=field, value=value, revision=1))
    db.session.commit()
    return report
