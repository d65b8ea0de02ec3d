"""Every model, imported in one place so Alembic and the app see the whole schema."""

from app.assessments.models import Answer, Assessment, DimensionScore, DimensionTarget, QuestionnaireVersion
from app.audit import AuditEntry
from app.auth.models import PasswordReset, Placement, User
from app.cooperatives.models import Cooperative
from app.difficulties.models import Difficulty, DifficultyReply
from app.exemplars.models import Exemplar
from app.invitations.models import Invitation
from app.standings.models import (AnswerTotal, LatestAssessment, QuarterTotal, QuestionScore, ScoreTotal,
                                  WrittenAnswer)
from app.training.models import Certificate, LessonProgress, ModuleVersion, QuizAttempt

__all__ = [
    "Answer",
    "AnswerTotal",
    "Assessment",
    "AuditEntry",
    "Certificate",
    "Cooperative",
    "DimensionScore",
    "Difficulty",
    "DifficultyReply",
    "DimensionTarget",
    "Exemplar",
    "Invitation",
    "LatestAssessment",
    "LessonProgress",
    "ModuleVersion",
    "PasswordReset",
    "Placement",
    "QuarterTotal",
    "QuestionScore",
    "QuestionnaireVersion",
    "QuizAttempt",
    "ScoreTotal",
    "User",
    "WrittenAnswer",
]
