"""Demo self-assessments: most demo cooperatives have a submitted round, some a second one.

Answers are drawn with a seeded random generator from a per-cooperative "maturity" that
depends on its kind, sector and size, so the demo shows varied levels, deltas and averages,
and is the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from app.assessments import drafts, scoring, versions
from app.assessments.models import Assessment
from app.assessments.questionnaire import Question, Questionnaire
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Status
from app.database import utcnow
from app.extensions import db
from app.standings import upkeep

# Where a kind usually stands; credit funds are the most formal, cooperative groups the least.
KIND_MATURITY = {"qtdnd": 0.62, "lien_hiep": 0.55, "htx": 0.40, "tht": 0.18}
SECTOR_SHIFT = {"trade": 0.08, "credit": 0.05, "environment": -0.05, "transport": -0.03}

# Each demo difficulty: the words a board would write, what it asks of the alliance, and its coded
# categories (the options of strategy.difficulty_categories).
DIFFICULTIES = [
    ("Thành viên lớn tuổi, ít dùng điện thoại thông minh; kế toán chưa quen nộp thuế điện tử.",
     "Cần cán bộ Liên minh hướng dẫn trực tiếp khai thuế và hóa đơn điện tử.", ["etax", "einvoice", "people"]),
    ("Chưa có người phụ trách công nghệ, Hội đồng quản trị kiêm nhiệm nhiều việc.",
     "Mong được hỗ trợ một trí thức trẻ về làm việc tại HTX.", ["people"]),
    ("Sản phẩm chưa có mã truy xuất nguồn gốc nên khó vào siêu thị và sàn thương mại điện tử.",
     "Cần hướng dẫn đăng ký mã QR truy xuất và đưa sản phẩm lên Postmart.", ["market", "legal"]),
    ("Internet ở ấp còn yếu, máy tính của HTX đã cũ.",
     "Cần hỗ trợ vốn ưu đãi để mua máy tính và phần mềm kế toán.", ["infrastructure", "capital"]),
    ("Chi phí chữ ký số và phần mềm hằng năm là gánh nặng với HTX nhỏ.",
     "Cần thông tin về các gói hỗ trợ và tập huấn chung cho nhiều HTX.", ["esignature", "capital"]),
]


def maturity(cooperative: Cooperative, rng: random.Random) -> float:
    base = KIND_MATURITY.get(cooperative.kind, 0.4) + SECTOR_SHIFT.get(cooperative.sector, 0.0)
    if cooperative.members > 200:
        base += 0.08
    return min(0.92, max(0.05, base + rng.uniform(-0.18, 0.18)))


def _ordered(question: Question) -> list[Any]:
    return sorted((o for o in question.options if not o.not_applicable and not o.exclusive),
                  key=lambda option: option.points)


def draw_answer(question: Question, level: float, kind: str, rng: random.Random) -> Any:
    """One plausible answer for a cooperative at ``level`` (0 to 1)."""
    not_applicable = [o for o in question.options if o.not_applicable]
    if not_applicable and rng.random() < {"qtdnd": 0.7, "tht": 0.3}.get(kind, 0.05):
        return not_applicable[0].code
    if question.kind == "text":
        return None
    if question.unscored and question.kind == "multi":
        # Reasons and channels: a few of them, fewer the further the cooperative has come.
        ticked = [o.code for o in _ordered(question) if rng.random() < 0.5 * (1 - level)]
        exclusive = next((o.code for o in question.options if o.exclusive), None)
        return ticked or ([exclusive] if exclusive else [_ordered(question)[0].code])
    if question.kind == "number":
        band = question.bands[min(len(question.bands) - 1, int(level * len(question.bands) + rng.uniform(-0.6, 0.6)))]
        top = band.max if band.max is not None else band.min + 10
        return int(rng.uniform(band.min, top + 0.999))
    if question.kind == "multi":
        ticked = [o.code for o in _ordered(question) if rng.random() < level]
        exclusive = next((o.code for o in question.options if o.exclusive), None)
        return ticked or ([exclusive] if exclusive else [_ordered(question)[0].code])
    options = _ordered(question)
    index = round(level * (len(options) - 1) + rng.uniform(-0.8, 0.8))
    return options[max(0, min(len(options) - 1, index))].code


def draw_answers(questionnaire: Questionnaire, cooperative: Cooperative, level: float,
                 rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    difficulty, support, categories = rng.choice(DIFFICULTIES)
    profile = drafts.profile_of(cooperative)
    for question in questionnaire.questions:
        if not scoring.is_visible(questionnaire, question, answers, profile=profile):
            continue
        value = draw_answer(question, level, cooperative.kind, rng)
        if question.code == "strategy.biggest_difficulty":
            value = difficulty
        elif question.code == "strategy.support_needed":
            value = support
        elif question.code == "strategy.difficulty_categories":
            value = [code for code in categories if question.option(code) is not None] or None
        if value is not None:
            answers[question.code] = value
    return answers


def _submit_round(cooperative: Cooperative, answers: dict[str, Any], user_id: int | None, days_ago: int) -> None:
    assessment = drafts.start(cooperative, user_id)
    for code in drafts.answers_of(assessment.id):
        if code not in answers:
            drafts.save_answer(assessment, code, None, user_id)
    for code, value in answers.items():
        drafts.save_answer(assessment, code, value, user_id)
    db.session.flush()
    outcome = drafts.submit(assessment, user_id)
    if isinstance(outcome, list):
        raise RuntimeError(f"demo answers incomplete for {cooperative.name}: {[q.code for q in outcome]}")
    when = utcnow() - timedelta(days=days_ago)
    db.session.execute(update(Assessment).where(Assessment.id == assessment.id)
                       .values(created_at=when - timedelta(days=3)))
    upkeep.restamp(assessment.id, when)


def seed_assessments(cooperatives: Sequence[Cooperative], manager_ids: dict[int, int]) -> int:
    """Give active demo cooperatives without any assessment one or two submitted rounds."""
    version = versions.latest_version()
    if version is None:
        versions.load()
        db.session.flush()
        version = versions.latest_version()
    questionnaire = versions.questionnaire_of(version)
    assessed = set(db.session.scalars(select(Assessment.cooperative_id).distinct()))
    added = 0
    for cooperative in sorted(cooperatives, key=lambda c: c.tax_code or c.name):
        rng = random.Random(f"demo-assessment:{cooperative.name}")
        if cooperative.status != Status.ACTIVE or cooperative.id in assessed or rng.random() < 0.15:
            continue
        level = maturity(cooperative, rng)
        user_id = manager_ids.get(cooperative.id)
        _submit_round(cooperative, draw_answers(questionnaire, cooperative, level, rng), user_id, days_ago=240)
        added += 1
        if rng.random() < 0.45:
            improved = min(0.95, level + rng.uniform(0.05, 0.2))
            _submit_round(cooperative, draw_answers(questionnaire, cooperative, improved, rng), user_id, days_ago=20)
            added += 1
    return added
