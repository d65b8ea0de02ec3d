"""An uploaded register file, kept between its dry run and its import."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import utcnow
from app.extensions import db


class RegisterImport(db.Model):
    __tablename__ = "register_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    province_code: Mapped[int] = mapped_column(Integer, index=True)
    filename: Mapped[str] = mapped_column(String(200))
    # The file as uploaded; emptied once it has been imported.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    imported_at: Mapped[datetime | None]
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def imported(self) -> bool:
        return self.imported_at is not None
