"""The alliance's lists: difficulties raised in the province, and what boards wrote in their
assessments about their difficulties and the support they want (searchable, accent-insensitive)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from app.assessments.models import Assessment
from app.dashboard.filters import ProvinceFilter
from app.dashboard.selection import cooperative_conditions
from app.difficulties.models import Difficulty
from app.difficulties.threads import with_thread
from app.folding import fold
from app.standings.models import WrittenAnswer
from app.tenancy import Scope


def raised(scope: Scope, selected: ProvinceFilter, *, state: str | None, category: str | None,
           since: datetime | None) -> Select:
    """Difficulties of the filtered cooperatives (any status of cooperative), newest first."""
    statement = (with_thread(select(Difficulty))
                 .join(Difficulty.cooperative).options(contains_eager(Difficulty.cooperative))
                 .where(*cooperative_conditions(scope, selected, with_status=False)))
    if state:
        statement = statement.where(Difficulty.status == state)
    if category:
        statement = statement.where(Difficulty.category == category)
    if since is not None:
        statement = statement.where(Difficulty.created_at >= since)
    if selected.text:
        statement = statement.where(Difficulty.search_text.contains(fold(selected.text), autoescape=True))
    return statement.order_by(Difficulty.created_at.desc(), Difficulty.id.desc())


def written(scope: Scope, selected: ProvinceFilter, since: datetime | None) -> Select:
    """Written answers of the filtered cooperatives' submissions (with their assessment and
    cooperative loaded), newest first."""
    statement = (select(WrittenAnswer)
                 .join(WrittenAnswer.assessment).join(Assessment.cooperative)
                 .options(contains_eager(WrittenAnswer.assessment).contains_eager(Assessment.cooperative))
                 .where(*cooperative_conditions(scope, selected, with_status=False)))
    if since is not None:
        statement = statement.where(Assessment.submitted_at >= since)
    if selected.text:
        statement = statement.where(WrittenAnswer.search_body.contains(fold(selected.text), autoescape=True))
    return statement.order_by(Assessment.submitted_at.desc(), WrittenAnswer.id.desc())
