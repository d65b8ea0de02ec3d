"""Who completed which training: a cooperative's people module by module, and the cooperatives of a
province counted from their certificates. Each in a constant number of queries, counted in SQL.

A certificate counts for the cooperative printed on it (a graduate's is their host's), so a
province's figures stay what they were on the day each module was completed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, distinct, func, or_, select

from app.auth.models import User
from app.auth.roles import Role
from app.extensions import db
from app.folding import fold
from app.placements.models import Placement, placed_now
from app.training import progress
from app.training.models import Certificate
from app.training.modules import Module
from app.training.progress import ModuleProgress, Standing

# Managers first, then members, then the graduates placed there.
ROLE_ORDER = {Role.COOP_MANAGER: 0, Role.COOP_MEMBER: 1, Role.GRADUATE: 2}


@dataclass(frozen=True)
class Person:
    """One person of a cooperative and their record on each module they touched."""

    user: User
    records: Mapping[str, ModuleProgress]
    completed: int  # modules completed


def people_of(cooperative_id: int, today: date | None = None) -> list[User]:
    """The cooperative's active managers and members, and the graduates placed there now."""
    placed = select(Placement.graduate_id).where(Placement.cooperative_id == cooperative_id,
                                                 placed_now(today))
    users = db.session.scalars(select(User).where(
        User.active.is_(True),
        or_(User.cooperative_id == cooperative_id, (User.role == Role.GRADUATE) & User.id.in_(placed))))
    return sorted(users, key=lambda user: (ROLE_ORDER.get(user.role_enum, len(ROLE_ORDER)), fold(user.name)))


def cooperative_records(cooperative_id: int, modules: Mapping[str, Module],
                        locale: str) -> tuple[list[Person], list[str]]:
    """Each person with their records, and the codes of the modules any of them touched (by title)."""
    people = people_of(cooperative_id)
    records = progress.progress_of_people([person.id for person in people])
    rows = []
    for person in people:
        own = {code: record for code, record in records.get(person.id, {}).items() if code in modules}
        rows.append(Person(user=person, records=own, completed=sum(
            record.standing(modules[code]) is Standing.COMPLETED for code, record in own.items())))
    touched = {code for row in rows for code in row.records}
    return rows, sorted(touched, key=lambda code: fold(modules[code].title(locale)))


@dataclass(frozen=True)
class Completions:
    """Certificates counted: the people holding at least one, all of them, and per module."""

    people: int = 0
    certificates: int = 0
    by_module: Mapping[str, int] = field(default_factory=dict)


NONE = Completions()


def by_cooperative(cooperative_ids: Collection[int]) -> dict[int, Completions]:
    """Per cooperative (those without a certificate are missing: use ``.get(id, NONE)``); two queries."""
    ids = sorted(set(cooperative_ids))
    if not ids:
        return {}
    totals = db.session.execute(
        select(Certificate.cooperative_id, func.count(distinct(Certificate.user_id)), func.count())
        .where(Certificate.cooperative_id.in_(ids)).group_by(Certificate.cooperative_id)).all()
    modules: dict[int, dict[str, int]] = {}
    for cooperative_id, code, number in db.session.execute(
            select(Certificate.cooperative_id, Certificate.module_code, func.count())
            .where(Certificate.cooperative_id.in_(ids))
            .group_by(Certificate.cooperative_id, Certificate.module_code)):
        modules.setdefault(cooperative_id, {})[code] = number
    return {cooperative_id: Completions(people, certificates, modules.get(cooperative_id, {}))
            for cooperative_id, people, certificates in totals}


def in_cooperatives(cooperative_ids: Select) -> Completions:
    """Everything the cooperatives selected by ``cooperative_ids`` (a select of ids) hold; two queries."""
    within = Certificate.cooperative_id.in_(cooperative_ids)
    people, certificates = db.session.execute(
        select(func.count(distinct(Certificate.user_id)), func.count()).where(within)).one()
    by_module = dict(db.session.execute(
        select(Certificate.module_code, func.count()).where(within).group_by(Certificate.module_code)).all())
    return Completions(people, certificates, by_module)
