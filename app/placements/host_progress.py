"""How much a host cooperative moved during a placement: its stored scores at the start against its
latest, read from what was stored at submit time (never recomputed), in a constant number of
queries however many placements a page shows.

The score "at the start" is the host's last submission on or before the placement's first day;
a host that had none yet is measured from its first submission during the placement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.assessments.models import SUBMITTED, Assessment, DimensionScore
from app.database import LOCAL_ZONE
from app.extensions import db
from app.placements.models import Placement


@dataclass(frozen=True)
class Submission:
    """One submitted self-assessment's stored overall result."""

    assessment_id: int
    submitted_on: date  # in Vietnam
    overall: float | None
    level: int | None


@dataclass(frozen=True)
class HostProgress:
    at_start: Submission | None
    latest: Submission | None

    @property
    def measured_since_start(self) -> bool:
        """True when a submission after the one at the start exists, so there is a change to show."""
        return (self.at_start is not None and self.latest is not None
                and self.latest.assessment_id != self.at_start.assessment_id)

    @property
    def change(self) -> float | None:
        if not self.measured_since_start or self.at_start.overall is None or self.latest.overall is None:  # type: ignore[union-attr]
            return None
        return self.latest.overall - self.at_start.overall  # type: ignore[union-attr]


def progress_between(submissions: Sequence[Submission], starts_on: date) -> HostProgress:
    """The submission at the start and the latest one, from the host's submissions in order (pure)."""
    if not submissions:
        return HostProgress(None, None)
    before = [submission for submission in submissions if submission.submitted_on <= starts_on]
    return HostProgress(at_start=before[-1] if before else submissions[0], latest=submissions[-1])


def local_date(moment: datetime) -> date:
    """A stored UTC time as the date it was in Vietnam."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).date()


def submissions_of(cooperative_ids: Sequence[int]) -> dict[int, list[Submission]]:
    """Each cooperative's submitted self-assessments, oldest first (one query)."""
    found: dict[int, list[Submission]] = {cooperative_id: [] for cooperative_id in cooperative_ids}
    if not found:
        return found
    rows = db.session.execute(
        select(Assessment.id, Assessment.cooperative_id, Assessment.submitted_at, Assessment.overall_score,
               Assessment.level)
        .where(Assessment.cooperative_id.in_(sorted(found)), Assessment.status == SUBMITTED)
        .order_by(Assessment.submitted_at, Assessment.id))
    for assessment_id, cooperative_id, submitted_at, overall, level in rows:
        found[cooperative_id].append(Submission(assessment_id, local_date(submitted_at), overall, level))
    return found


def host_progress(placements: Sequence[Placement]) -> dict[int, HostProgress]:
    """Per placement id: the host's result at the start of the placement and its latest."""
    submissions = submissions_of(list({placement.cooperative_id for placement in placements}))
    return {placement.id: progress_between(submissions[placement.cooperative_id], placement.starts_on)
            for placement in placements}


def dimension_scores(assessment_ids: Sequence[int]) -> dict[int, dict[str, float]]:
    """Stored dimension scores by assessment id and dimension code (one query)."""
    scores: dict[int, dict[str, float]] = {assessment_id: {} for assessment_id in assessment_ids}
    if scores:
        for row in db.session.scalars(select(DimensionScore).where(DimensionScore.assessment_id.in_(sorted(scores)))):
            scores[row.assessment_id][row.dimension_code] = row.score
    return scores
