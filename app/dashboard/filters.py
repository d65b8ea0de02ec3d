"""The province picture's filters, read from the URL into plain values (pure).

The dashboard and the cooperative table share one filter: ward, sector, kind and period. The table
narrows it further with what a figure of the dashboard stands for (a level, an area below target,
a weak answer, an open difficulty, a training module, a quarter), so every figure links to the
list of the cooperatives behind it. Values it does not understand fall back to "any", so an old or
hand-edited link still shows a page.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from app.characters import query_text
from app.cooperatives.vocabulary import Kind, Sector, Status
from app.folding import fold
from app.numbers import parse_digits
from app.paging import page_number

MAX_TEXT = 100
CODE = re.compile(r"^[a-z][a-z0-9_.-]{0,79}$")
QUARTER = re.compile(r"^(20\d\d)-q([1-4])$")
ANY_STATUS = "any"


class Period(StrEnum):
    """How recent a cooperative's latest submitted assessment must be to count as assessed."""

    MONTHS_6 = "6"
    MONTHS_12 = "12"
    MONTHS_24 = "24"
    ALL = "all"

    @property
    def months(self) -> int | None:
        return None if self is Period.ALL else int(self.value)

    @property
    def label(self) -> str:
        return str(PERIOD_LABELS[self])


PERIOD_LABELS = {
    Period.MONTHS_6: _l("Last 6 months"),
    Period.MONTHS_12: _l("Last 12 months"),
    Period.MONTHS_24: _l("Last 24 months"),
    Period.ALL: _l("Any time"),
}
DEFAULT_PERIOD = Period.MONTHS_12


class Assessed(StrEnum):
    """Whether the cooperative's latest submission falls in the period."""

    YES = "yes"
    NO = "no"  # not in the period, or never
    NEVER = "never"


class Direction(StrEnum):
    ASC = "asc"
    DESC = "desc"


# Columns of the cooperative table besides one per area (sorted by the area's code).
COLUMNS = ("name", "overall", "level", "date", "change", "difficulties", "review")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def starts(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def ends(self) -> date:
        """The first day after the quarter."""
        return date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_quarters(today: date, count: int) -> tuple[Quarter, ...]:
    """The ``count`` quarters up to and including today's, oldest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return tuple(reversed(quarters))


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` earlier (the last day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - date.resolution).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


@dataclass(frozen=True)
class ProvinceFilter:
    """What the dashboard and the cooperative table show; every field comes from the URL."""

    province_code: int | None = None
    ward_code: int | None = None
    sector: Sector | None = None
    kind: Kind | None = None
    period: Period = DEFAULT_PERIOD
    # The table's narrowing, each the meaning of one figure of the dashboard.
    text: str = ""
    status: Status | None = Status.ACTIVE
    level: int | None = None
    assessed: Assessed | None = None
    below: str | None = None  # an area code: latest score below the province's target
    weak: str | None = None  # a question code: a weak answer in the latest submission
    difficulty: str | None = None  # a category code: an open difficulty of that category
    trained: str | None = None  # a module code: a certificate of that module in the period
    quarter: Quarter | None = None  # submitted an assessment in that quarter
    sort: str = "name"
    direction: Direction = Direction.ASC
    page: int = 1
    fixed_province: bool = field(default=True, compare=False)

    @property
    def folded_text(self) -> str:
        return fold(self.text)

    def since(self, now: datetime) -> datetime | None:
        """The earliest submission that counts in the period (``None``: any time)."""
        months = self.period.months
        return None if months is None else months_before(now, months)

    def base_args(self) -> dict[str, Any]:
        """The dashboard's own filters as query-string arguments, without defaults."""
        args: dict[str, Any] = {}
        if not self.fixed_province and self.province_code is not None:
            args["province_code"] = self.province_code
        if self.ward_code is not None:
            args["ward_code"] = self.ward_code
        if self.sector is not None:
            args["sector"] = self.sector.value
        if self.kind is not None:
            args["kind"] = self.kind.value
        if self.period is not DEFAULT_PERIOD:
            args["period"] = self.period.value
        return args

    def query_args(self) -> dict[str, Any]:
        """Every filter as query-string arguments, without defaults and without the page."""
        args = self.base_args()
        if self.text:
            args["q"] = self.text
        if self.status is not Status.ACTIVE:
            args["status"] = self.status.value if self.status else ANY_STATUS
        for key in ("level", "assessed", "below", "weak", "difficulty", "trained"):
            value = getattr(self, key)
            if value is not None:
                args[key] = value.value if isinstance(value, StrEnum) else value
        if self.quarter is not None:
            args["quarter"] = self.quarter.code
        if self.sort != "name":
            args["sort"] = self.sort
        if self.direction is not Direction.ASC:
            args["dir"] = self.direction.value
        return args

    def link(self, **narrowing: Any) -> dict[str, Any]:
        """Query arguments of the cooperative table behind a figure: the dashboard's filters
        and the figure's meaning (``status=any`` for every status)."""
        args = self.base_args()
        args.update({key: value for key, value in narrowing.items() if value is not None})
        return args

    def sorted_by(self, column: str) -> dict[str, Any]:
        """Query arguments of the same list sorted by ``column``: the other way round when it is
        sorted by it already; names A to Z, everything else highest first."""
        if column == self.sort:
            direction = Direction.DESC if self.direction is Direction.ASC else Direction.ASC
        else:
            direction = Direction.ASC if column == "name" else Direction.DESC
        return replace(self, sort=column, direction=direction).query_args()


def _enum(enum: type[StrEnum], raw: str | None) -> Any:
    try:
        return enum(raw) if raw else None
    except ValueError:
        return None


def _positive(raw: str | None, *, maximum: int = 10**9) -> int | None:
    value = parse_digits(raw, max_digits=10)
    return value if value is not None and value <= maximum else None


def _code(raw: str | None, known: Collection[str] | None = None) -> str | None:
    raw = (raw or "").strip()
    if not CODE.match(raw):
        return None
    return raw if known is None or raw in known else None


def parse_filter(args: Mapping[str, str], *, fixed_province: int | None, provinces: Collection[int],
                 wards: Collection[int], areas: Collection[str], categories: Collection[str],
                 levels: Collection[int]) -> ProvinceFilter:
    """Read the filter from query-string ``args``.

    ``fixed_province`` is the province of alliance staff (an administrator's comes from the URL and
    must be one of ``provinces``); ``wards`` are that province's; ``areas``, ``categories`` and
    ``levels`` the known area codes, difficulty categories and levels.
    """
    if fixed_province is not None:
        province = fixed_province
    else:
        chosen = _positive(args.get("province_code"))
        province = chosen if chosen in provinces else None
    ward = _positive(args.get("ward_code"))
    raw_status = args.get("status")
    status = None if raw_status == ANY_STATUS else (_enum(Status, raw_status) or Status.ACTIVE)
    level = _positive(args.get("level"), maximum=99)
    quarter = QUARTER.match(args.get("quarter") or "")
    sort = args.get("sort") or "name"
    return ProvinceFilter(
        province_code=province,
        ward_code=ward if ward in wards else None,
        sector=_enum(Sector, args.get("sector")),
        kind=_enum(Kind, args.get("kind")),
        period=_enum(Period, args.get("period")) or DEFAULT_PERIOD,
        text=query_text(args, "q", max_length=MAX_TEXT),
        status=status,
        level=level if level in levels else None,
        assessed=_enum(Assessed, args.get("assessed")),
        below=_code(args.get("below"), areas),
        weak=_code(args.get("weak")),
        difficulty=_code(args.get("difficulty"), categories),
        trained=_code(args.get("trained")),
        quarter=Quarter(int(quarter.group(1)), int(quarter.group(2))) if quarter else None,
        sort=sort if sort in COLUMNS or sort in areas else "name",
        direction=_enum(Direction, args.get("dir")) or Direction.ASC,
        page=page_number(args),
        fixed_province=fixed_province is not None,
    )
