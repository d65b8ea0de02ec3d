"""What each user may see: the one scoping rule for cooperative data.

Alliance staff see the cooperatives of their province, cooperative users their own
cooperative, graduates the cooperatives they are placed in (read-only), the
administrator everything. Anything outside the scope answers 404, never 403, so an
id reveals nothing about another tenant.

Placements follow the same rule, narrowed to the people concerned: a graduate sees their own
placements (in any host, ended ones too), a cooperative's manager those of their cooperative,
a member none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import ColumnElement, Integer, Select, bindparam, false, or_, select, true

from app.auth.models import User
from app.auth.roles import Role
from app.cooperatives.models import Cooperative
from app.database import local_today
from app.extensions import db
from app.placements.models import Placement, placed_now


@dataclass(frozen=True)
class Scope:
    """The set of cooperatives a user may see, as plain values."""

    everything: bool = False
    province_code: int | None = None
    cooperative_ids: frozenset[int] = frozenset()
    read_only: bool = False

    def allows(self, cooperative_id: int, province_code: int) -> bool:
        return (self.everything or province_code == self.province_code
                or cooperative_id in self.cooperative_ids)

    def covers_province(self, province_code: int | None) -> bool:
        """Every cooperative of the province is in scope (province-wide totals may be shown)."""
        return self.everything or (province_code is not None and province_code == self.province_code)


def scope_for(role: Role, *, province_code: int | None, cooperative_id: int | None,
              placed_in: frozenset[int] = frozenset()) -> Scope:
    """The scope of a role, given where the user belongs (pure)."""
    if role is Role.ADMIN:
        return Scope(everything=True)
    if role is Role.ALLIANCE:
        return Scope(province_code=province_code)
    if role is Role.GRADUATE:
        return Scope(cooperative_ids=placed_in, read_only=True)
    return Scope(cooperative_ids=frozenset({cooperative_id}) if cooperative_id else frozenset())


def active_placements(user_id: int, today: date | None = None) -> frozenset[int]:
    rows = db.session.scalars(
        select(Placement.cooperative_id).where(Placement.graduate_id == user_id, placed_now(today))
    )
    return frozenset(rows)


def user_scope(user: User) -> Scope:
    role = user.role_enum
    placed = active_placements(user.id) if role is Role.GRADUATE else frozenset()
    return scope_for(role, province_code=user.province_code, cooperative_id=user.cooperative_id,
                     placed_in=placed)


def cooperative_filter(scope: Scope) -> ColumnElement[bool]:
    """The scope as a SQL condition on ``Cooperative``."""
    return scope_filter(scope, Cooperative.province_code, Cooperative.id)


def scope_filter(scope: Scope, province_code: ColumnElement[int],
                 cooperative_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The scope as a SQL condition on any row that carries a cooperative's id and its province
    (a cooperative, or a copy of its place kept beside it)."""
    if scope.everything:
        return true()
    conditions = []
    if scope.province_code is not None:
        conditions.append(province_code == scope.province_code)
    if scope.cooperative_ids:
        conditions.append(cooperative_id.in_(sorted(scope.cooperative_ids)))
    return or_(*conditions) if conditions else false()


def visible_cooperatives(user: User) -> Select[tuple[Cooperative]]:
    """``select(Cooperative)`` limited to what ``user`` may see."""
    return select(Cooperative).where(cooperative_filter(user_scope(user)))


def within_scope(user: User, statement: Select, cooperative_id: ColumnElement[int]) -> Select:
    """Limit ``statement`` over rows a cooperative owns (joined on ``cooperative_id``) to the
    cooperatives ``user`` may see; the statement may then select the ``Cooperative`` too. A graduate's
    placements are read by the statement itself, so a scoped load stays one query."""
    condition = bound_scope_filter(scope_key(user), scope_values(user)) if user.role_enum is Role.GRADUATE \
        else cooperative_filter(user_scope(user))
    return statement.join(Cooperative, Cooperative.id == cooperative_id).where(condition)


# The same scope as a condition whose values are bound parameters (``scope_values``): a statement built
# on it once serves every user with the same ``scope_key``, so the autosave's scoped load is built once.
def scope_key(user: User) -> tuple[str, ...] | tuple[str, date]:
    """What the user's scope condition looks like, without its values (a graduate's changes daily)."""
    role = user.role_enum
    if role is Role.ADMIN:
        return ("everything",)
    if role is Role.ALLIANCE:
        return ("province",) if user.province_code is not None else ("nothing",)
    if role is Role.GRADUATE:
        return ("placed", local_today())
    return ("cooperative",) if user.cooperative_id else ("nothing",)


def scope_values(user: User) -> dict[str, int | None]:
    """The values ``bound_scope_filter`` binds, for ``user``."""
    return {"scope_province": user.province_code, "scope_cooperative": user.cooperative_id, "scope_user": user.id}


def bound_scope_filter(key: tuple, values: dict[str, int | None] | None = None) -> ColumnElement[bool]:
    """The scope of users with ``scope_key`` ``key`` as a SQL condition on ``Cooperative``: the same
    rule as ``scope_for``, its values those of ``scope_values``, given here or when the statement runs."""
    values = values or {}

    def bound(name: str) -> ColumnElement[int]:
        return bindparam(name, values.get(name), type_=Integer)

    kind = key[0]
    if kind == "everything":
        return true()
    if kind == "province":
        return Cooperative.province_code == bound("scope_province")
    if kind == "cooperative":
        return Cooperative.id == bound("scope_cooperative")
    if kind == "placed":
        return Cooperative.id.in_(select(Placement.cooperative_id).where(
            Placement.graduate_id == bound("scope_user"), placed_now(key[1])))
    return false()


def get_cooperative_or_404(user: User, cooperative_id: int) -> Cooperative:
    cooperative = db.session.scalar(visible_cooperatives(user).where(Cooperative.id == cooperative_id))
    if cooperative is None:
        abort(404)
    return cooperative


def placement_filter(user: User) -> ColumnElement[bool]:
    """The placements ``user`` may see, as a SQL condition (joined with their ``Cooperative``)."""
    role = user.role_enum
    if role is Role.GRADUATE:
        return Placement.graduate_id == user.id
    if role is Role.COOP_MANAGER:
        return Placement.cooperative_id == user.cooperative_id if user.cooperative_id else false()
    if role is Role.COOP_MEMBER:
        return false()
    return cooperative_filter(user_scope(user))


def visible_placements(user: User) -> Select[tuple[Placement]]:
    """``select(Placement)`` limited to what ``user`` may see; the statement may select the ``Cooperative``."""
    return (select(Placement).join(Cooperative, Cooperative.id == Placement.cooperative_id)
            .where(placement_filter(user)))


def get_placement_or_404(user: User, placement_id: int) -> Placement:
    placement = db.session.scalar(visible_placements(user).where(Placement.id == placement_id))
    if placement is None:
        abort(404)
    return placement


def published_filter(user: User) -> ColumnElement[bool]:
    """Where the cooperatives the alliance publishes (its models) may be read by ``user``: staff
    within their scope; a cooperative's people and its graduates within its province."""
    scope = user_scope(user)
    if scope.everything or scope.province_code is not None:
        return cooperative_filter(scope)
    own_provinces = select(Cooperative.province_code).where(cooperative_filter(scope))
    return Cooperative.province_code.in_(own_provinces.scalar_subquery())
