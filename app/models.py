"""Every model, imported in one place so Alembic and the app see the whole schema."""

from app.assessments.models import Answer, Assessment, DimensionScore, DimensionTarget, QuestionnaireVersion
from app.audit import AuditEntry
from app.auth.models import PasswordReset, User
from app.cooperatives.models import Cooperative
from app.difficulties.models import Difficulty, DifficultyReply
from app.exemplars.models import Exemplar
from app.invitations.models import Invitation
from app.placements.models import Extension, Goal, MonthlyReport, Placement, PlanComment, ReportEntry, ReportEvent
from app.province_settings.models import ProvinceSettings
from app.spreadsheets.models import RegisterImport
from app.standings.models import (AnswerTotal, LatestAssessment, QuarterTotal, QuestionScore, ScoreTotal,
                                  WrittenAnswer, YearLatest)
from app.training.models import Certificate, LessonProgress, ModuleVersion, QuizAttempt

__all__ = [
    "Answer",
    "AnswerTotal",
    "Assessment",
    "AuditEntry",
    "Certificate",
    "Cooperative",
    "Difficulty",
    "DifficultyReply",
    "DimensionScore",
    "DimensionTarget",
    "Exemplar",
    "Extension",
    "Goal",
    "Invitation",
    "LatestAssessment",
    "LessonProgress",
    "ModuleVersion",
    "MonthlyReport",
    "PasswordReset",
    "Placement",
    "PlanComment",
    "ProvinceSettings",
    "QuarterTotal",
    "QuestionScore",
    "QuestionnaireVersion",
    "QuizAttempt",
    "RegisterImport",
    "ReportEntry",
    "ReportEvent",
    "ScoreTotal",
    "User",
    "WrittenAnswer",
    "YearLatest",
]
