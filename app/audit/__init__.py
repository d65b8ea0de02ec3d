"""The audit log: who read or changed many cooperatives, or changed someone's access, and when.

Entries are only ever added: the database refuses to change or delete them (triggers, see the
migration that adds ``province_code``). Each entry carries the province it concerns, so alliance
staff read their province's entries and the administrator every one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.numbers import parse_digits


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The province the action concerns (None: the whole country, or nothing provincial).
    province_code: Mapped[int | None] = mapped_column(Integer, index=True)

    actor = relationship("User")


def province_of(target: str, details: dict[str, Any]) -> int | None:
    """The province an entry concerns, from its target ("cooperative:12", "province:82", "user:5",
    "placement:3", "assessment:7": the province of the cooperative concerned)."""
    from app.assessments.models import Assessment
    from app.auth.models import User
    from app.cooperatives.models import Cooperative
    from app.placements.models import Placement

    if isinstance(details.get("province_code"), int):
        return details["province_code"]
    kind, _, raw = target.partition(":")
    number = parse_digits(raw)
    if number is None:
        return None
    if kind == "province":
        return number
    if kind == "cooperative":
        return db.session.scalar(select(Cooperative.province_code).where(Cooperative.id == number))
    if kind in ("placement", "assessment"):
        owner = Placement if kind == "placement" else Assessment
        return db.session.scalar(select(Cooperative.province_code)
                                 .join(owner, owner.cooperative_id == Cooperative.id).where(owner.id == number))
    if kind == "user":
        row = db.session.execute(
            select(User.province_code, Cooperative.province_code)
            .outerjoin(Cooperative, Cooperative.id == User.cooperative_id).where(User.id == number)).first()
        if row is not None:
            return row[0] if row[0] is not None else row[1]
    return None


def record(actor_id: int | None, action: str, target: str = "", **details: Any) -> None:
    """Add an audit entry to the current transaction (the caller commits)."""
    db.session.add(AuditEntry(actor_id=actor_id, action=action, target=target, details=details,
                              province_code=province_of(target, details)))
