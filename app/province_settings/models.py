"""Settings each province chooses for itself: policy that is data, not constants in code.

One row per province, created the first time its alliance saves the settings page; a province
without a row has the defaults. Further settings join this table as columns with defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, select
from sqlalchemy.orm import Mapped, mapped_column

from app.database import utcnow
from app.extensions import db
from app.placements.terms import DEFAULT_MAX_NEW_PER_YEAR, DEFAULT_MAX_YEARS, TermLimits

# A monthly report is due by this day of the following month unless the province says otherwise.
DEFAULT_REPORT_DUE_DAY = 5
MEGABYTE = 1024 * 1024


class ProvinceSettings(db.Model):
    __tablename__ = "province_settings"

    province_code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    placement_max_years: Mapped[int] = mapped_column(Integer, default=DEFAULT_MAX_YEARS)
    placement_max_new_per_year: Mapped[int] = mapped_column(Integer, default=DEFAULT_MAX_NEW_PER_YEAR)
    report_due_day: Mapped[int] = mapped_column(Integer, default=DEFAULT_REPORT_DUE_DAY)
    # The register import's limits; empty: the application's configured ones.
    import_max_rows: Mapped[int | None] = mapped_column(Integer)
    import_max_megabytes: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


@dataclass(frozen=True)
class Settings:
    """A province's settings as plain values (the defaults when it has saved none)."""

    placement_max_years: int = DEFAULT_MAX_YEARS
    placement_max_new_per_year: int = DEFAULT_MAX_NEW_PER_YEAR
    report_due_day: int = DEFAULT_REPORT_DUE_DAY
    import_max_rows: int | None = None  # None: the configured limit
    import_max_megabytes: int | None = None

    @property
    def term_limits(self) -> TermLimits:
        return TermLimits(max_years=self.placement_max_years, max_new_per_year=self.placement_max_new_per_year)

    def import_max_bytes(self, configured: int) -> int:
        """The largest import file in bytes: the province's choice, else ``configured``."""
        return self.import_max_megabytes * MEGABYTE if self.import_max_megabytes else configured


def _values(row: ProvinceSettings) -> Settings:
    return Settings(placement_max_years=row.placement_max_years,
                    placement_max_new_per_year=row.placement_max_new_per_year,
                    report_due_day=row.report_due_day, import_max_rows=row.import_max_rows,
                    import_max_megabytes=row.import_max_megabytes)


def settings_for(province_code: int) -> Settings:
    """The province's settings, or the defaults."""
    row = db.session.get(ProvinceSettings, province_code)
    return _values(row) if row is not None else Settings()


def settings_by_province(province_codes: Iterable[int]) -> dict[int, Settings]:
    """Several provinces' settings in one query (the defaults for those with no row)."""
    codes = sorted(set(province_codes))
    rows = db.session.scalars(select(ProvinceSettings).where(ProvinceSettings.province_code.in_(codes))) if codes else []
    found = {row.province_code: _values(row) for row in rows}
    return {code: found.get(code, Settings()) for code in codes}
