"""Cooperatives the alliance holds up as models, with why, by whom and since when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db


class Exemplar(db.Model):
    """One period during which a cooperative was a model; the current one has no ``ended_at``."""

    __tablename__ = "exemplars"
    __table_args__ = (
        Index("uq_exemplars_one_current", "cooperative_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    end_reason: Mapped[str | None] = mapped_column(Text)

    cooperative = relationship("Cooperative")
    marked_by = relationship("User", foreign_keys=[marked_by_id])
