"""The register of cooperatives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from app.cooperatives.vocabulary import Kind, Sector, Status
from app.database import utcnow
from app.extensions import db
from app.folding import fold


class Cooperative(db.Model):
    __tablename__ = "cooperatives"
    __table_args__ = (
        CheckConstraint("kind IN ('htx', 'lien_hiep', 'tht', 'qtdnd')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'active', 'rejected', 'dissolved')", name="status_known"),
        CheckConstraint("members >= 0 AND employees >= 0", name="counts_not_negative"),
        Index("ix_cooperatives_province_status", "province_code", "status"),
        # The register's order (by folded name), read from an index on every page, however deep.
        Index("ix_cooperatives_register_order", "search_name", "id"),
        Index("ix_cooperatives_province_register_order", "province_code", "search_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name without accents, lower-cased, so "hop tac xa" finds "Hợp tác xã".
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    sector: Mapped[str] = mapped_column(String(20), index=True)
    tax_code: Mapped[str | None] = mapped_column(String(14), unique=True)
    founded_year: Mapped[int | None] = mapped_column(Integer)
    members: Mapped[int] = mapped_column(Integer, default=0)
    employees: Mapped[int] = mapped_column(Integer, default=0)
    charter_capital: Mapped[int | None] = mapped_column(BigInteger)
    revenue_last_year: Mapped[int | None] = mapped_column(BigInteger)
    province_code: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[int] = mapped_column(Integer, index=True)
    address: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str | None] = mapped_column(String(15))
    status: Mapped[str] = mapped_column(String(12), default=Status.PENDING.value, index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @validates("name")
    def _keep_search_name(self, _key: str, value: str) -> str:
        self.search_name = fold(value)
        return value

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

    @property
    def sector_enum(self) -> Sector:
        return Sector(self.sector)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)
