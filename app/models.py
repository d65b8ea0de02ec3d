"""Every model, imported in one place so Alembic and the app see the whole schema."""

from app.assessments.models import Answer, Assessment, DimensionScore, DimensionTarget, QuestionnaireVersion
from app.audit import AuditEntry
from app.auth.models import PasswordReset, Placement, User
from app.cooperatives.models import Cooperative
from app.invitations.models import Invitation
from app.spreadsheets.models import RegisterImport
from app.training.models import Certificate, LessonProgress, ModuleVersion, QuizAttempt

__all__ = [
    "Answer",
    "Assessment",
    "AuditEntry",
    "Certificate",
    "Cooperative",
    "DimensionScore",
    "DimensionTarget",
    "Invitation",
    "LessonProgress",
    "ModuleVersion",
    "PasswordReset",
    "Placement",
    "QuestionnaireVersion",
    "QuizAttempt",
    "RegisterImport",
    "User",
]
