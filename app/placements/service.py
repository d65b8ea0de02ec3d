"""Placing graduates: the term rules applied to rows, and every write to a placement's term
(database work; the caller commits and audits).

Each write first takes a write lock on the host cooperative and the graduate (``lock``), then
reads what the rules need and writes: two staff placing people in one cooperative at the same
moment cannot both take its last place of the year.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update

from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.database import local_today, utcnow
from app.extensions import db
from app.placements import terms
from app.placements.models import (ACTIVE, APPROVED, COMPLETED, ENDED_EARLY, PENDING, PLANNED, REJECTED, Extension,
                                   Placement, placed_now)
from app.placements.terms import Refusal, Term, TermLimits
from app.province_settings.models import settings_for


class PlacementRefused(ValueError):
    """The term rules refuse the placement; ``refusals`` say which and why."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__([refusal.rule.value for refusal in refusals])
        self.refusals = refusals


def limits_for(cooperative: Cooperative) -> TermLimits:
    """The host's province's limits."""
    return settings_for(cooperative.province_code).term_limits


def open_status(starts_on: date, today: date) -> str:
    """What an open placement is on ``today``: planned until it starts, then active."""
    return PLANNED if starts_on > today else ACTIVE


def status_on(placement: Placement, today: date) -> str:
    """What an open placement is on ``today`` (planned before its start), or what it was closed as."""
    return open_status(placement.starts_on, today) if placement.is_open else placement.status


def lock(cooperative_id: int, graduate_id: int | None) -> None:
    """Take the write locks that order placement writes for this host and this person (a no-op
    update: a row lock on PostgreSQL, the database's write lock on SQLite)."""
    db.session.execute(update(Cooperative).where(Cooperative.id == cooperative_id)
                       .values(updated_at=Cooperative.updated_at).execution_options(synchronize_session=False))
    if graduate_id is not None:
        db.session.execute(update(User).where(User.id == graduate_id).values(id=User.id)
                           .execution_options(synchronize_session=False))


def other_terms(graduate_id: int | None, except_id: int | None = None) -> list[Term]:
    """The person's placements in every host, but ``except_id``, as terms."""
    if graduate_id is None:
        return []
    query = select(Placement.starts_on, Placement.ends_on, Placement.ended_on).where(Placement.graduate_id == graduate_id)
    if except_id is not None:
        query = query.where(Placement.id != except_id)
    return [Term(starts_on, ended_on if ended_on is not None else ends_on)
            for starts_on, ends_on, ended_on in db.session.execute(query)]


def started_at_host(cooperative_id: int, year: int, except_id: int | None = None) -> int:
    """How many placements of the host start in ``year`` (every status: each was a new placement)."""
    query = select(func.count()).select_from(Placement).where(
        Placement.cooperative_id == cooperative_id,
        Placement.starts_on >= date(year, 1, 1), Placement.starts_on <= date(year, 12, 31))
    if except_id is not None:
        query = query.where(Placement.id != except_id)
    return db.session.scalar(query) or 0


def check_term(cooperative: Cooperative, graduate_id: int | None, term: Term, *, placement_id: int | None = None,
               new_in_year: bool = True, since: date | None = None) -> list[Refusal]:
    """The rules ``term`` breaks for this person at this host (``placement_id``: the placement it
    replaces the term of, left out of the counts)."""
    started = started_at_host(cooperative.id, term.starts_on.year, placement_id) if new_in_year else None
    return terms.check(term, other_terms(graduate_id, placement_id), limits_for(cooperative), since=since,
                       started_at_host=started)


def create(*, cooperative: Cooperative, graduate_id: int | None, starts_on: date, ends_on: date,
           field_of_study: str = "", funding_note: str = "", invitee_name: str = "",
           created_by_id: int | None = None, today: date | None = None) -> Placement:
    """Add a placement the rules allow (raises ``PlacementRefused`` otherwise) and flush it."""
    lock(cooperative.id, graduate_id)
    refusals = check_term(cooperative, graduate_id, Term(starts_on, ends_on))
    if refusals:
        raise PlacementRefused(refusals)
    placement = Placement(cooperative_id=cooperative.id, graduate_id=graduate_id, starts_on=starts_on,
                          ends_on=ends_on, field_of_study=field_of_study, funding_note=funding_note,
                          invitee_name=invitee_name, created_by_id=created_by_id,
                          status=open_status(starts_on, today or local_today()))
    db.session.add(placement)
    db.session.flush()
    return placement


def change_term(placement: Placement, *, starts_on: date, ends_on: date, today: date | None = None) -> None:
    """Move an open placement's start or planned end, if the rules allow (``PlacementRefused`` if not)."""
    lock(placement.cooperative_id, placement.graduate_id)
    moved_year = starts_on.year != placement.starts_on.year
    refusals = check_term(placement.cooperative, placement.graduate_id, Term(starts_on, ends_on),
                          placement_id=placement.id, new_in_year=moved_year)
    if refusals:
        raise PlacementRefused(refusals)
    placement.starts_on, placement.ends_on = starts_on, ends_on
    placement.status = open_status(starts_on, today or local_today())


def end(placement: Placement, *, status: str, last_day: date, reason: str | None = None) -> None:
    """Close an open placement as completed or ended early, ``last_day`` being the last day worked
    (the day before its start for one that never began). A pending extension request lapses."""
    placement.status = status
    placement.ended_on = last_day
    placement.end_reason = reason if status == ENDED_EARLY else None
    for extension in placement.extensions:
        if extension.status == PENDING:
            extension.status = REJECTED


def complete(placement: Placement, today: date) -> None:
    """The term is over: the last day is the planned end, or today if the alliance closes it sooner."""
    end(placement, status=COMPLETED, last_day=min(today, placement.ends_on))


def end_early(placement: Placement, last_day: date, reason: str) -> None:
    end(placement, status=ENDED_EARLY, last_day=last_day, reason=reason)


def extension_limit(placement: Placement) -> tuple[date, terms.Span]:
    """The last day the person's limit allows this placement to reach, and what remains after its
    planned end (read for the extension form)."""
    others = other_terms(placement.graduate_id, placement.id)
    limits = limits_for(placement.cooperative)
    term = Term(placement.starts_on, placement.ends_on)
    return terms.latest_end(placement.starts_on, others, limits), terms.remaining(term, others, limits)


def extension_refusals(placement: Placement, new_ends_on: date) -> list[Refusal]:
    """The rules a new planned end breaks; the remainder is counted from the current end."""
    return check_term(placement.cooperative, placement.graduate_id, Term(placement.starts_on, new_ends_on),
                      placement_id=placement.id, new_in_year=False, since=placement.ends_on)


def pending_extension(placement_id: int) -> Extension | None:
    return db.session.scalar(select(Extension).where(Extension.placement_id == placement_id,
                                                     Extension.status == PENDING))


def approve(extension: Extension, *, decided_by_id: int, comment: str | None) -> None:
    """Move the planned end as requested if the rules still allow it (``PlacementRefused`` if not)."""
    placement = extension.placement
    lock(placement.cooperative_id, placement.graduate_id)
    refusals = extension_refusals(placement, extension.new_ends_on)
    if refusals:
        raise PlacementRefused(refusals)
    extension.previous_ends_on = placement.ends_on
    placement.ends_on = extension.new_ends_on
    decide(extension, APPROVED, decided_by_id=decided_by_id, comment=comment)


def decide(extension: Extension, status: str, *, decided_by_id: int, comment: str | None) -> None:
    extension.status = status
    extension.decided_by_id = decided_by_id
    extension.comment = comment or None
    extension.decided_at = utcnow()


def current_cooperatives(graduate_id: int, today: date | None = None) -> set[int]:
    """The hosts the graduate is placed in today."""
    return set(db.session.scalars(select(Placement.cooperative_id).where(
        Placement.graduate_id == graduate_id, placed_now(today))))


def place_now(graduate_id: int, cooperative: Cooperative, *, today: date | None = None,
              invitation_id: int | None = None) -> Placement:
    """Place a graduate in ``cooperative`` from today: in the placement their invitation was made
    for when there is one; otherwise in a new one that runs as long as their limit allows
    (``PlacementRefused`` when the rules allow none)."""
    today = today or local_today()
    if invitation_id is not None:
        waiting = db.session.scalar(select(Placement).where(
            Placement.invitation_id == invitation_id, Placement.graduate_id.is_(None)))
        if waiting is not None:
            waiting.graduate_id = graduate_id
            return waiting
    lock(cooperative.id, graduate_id)
    last = terms.latest_end(today, other_terms(graduate_id), limits_for(cooperative))
    # With the limit used up the term below is refused for it, by name.
    ends_on = max(last, today + timedelta(days=1))
    return create(cooperative=cooperative, graduate_id=graduate_id, starts_on=today, ends_on=ends_on, today=today)


def end_current(graduate_id: int, keep: int | None, today: date) -> list[int]:
    """End the graduate's current placements other than at ``keep`` (the administrator moved them),
    yesterday or, for one that began today, before it began; the hosts they left."""
    conditions = [Placement.graduate_id == graduate_id, placed_now(today)]
    if keep is not None:
        conditions.append(Placement.cooperative_id != keep)
    ended = list(db.session.scalars(select(Placement).where(*conditions)))
    for placement in ended:
        end(placement, status=ENDED_EARLY, last_day=today - timedelta(days=1), reason=None)
    return [placement.cooperative_id for placement in ended]
