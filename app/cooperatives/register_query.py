"""The register list: search, filters, sort and page, read from the URL into plain values.

``parse_filter`` turns query-string values into a ``RegisterFilter`` and silently drops
what it does not understand (an unknown kind, ``page=abc``), so a hand-edited or stale
link still shows a list. ``register_select`` applies the filter to a scoped ``select``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app import locations
from app.characters import query_text
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Kind, Sector, Status
from app.folding import fold
from app.numbers import parse_digits
from app.paging import page_number

MAX_TEXT = 100
_TAX_CODE_PREFIX = re.compile(r"[0-9][0-9-]*")


class Sort(StrEnum):
    """Orders of the list; the first is the default."""

    NAME = "name"
    NEWEST = "newest"
    FOUNDED = "founded"
    MEMBERS = "members"

    @property
    def label(self) -> str:
        return str(SORT_LABELS[self])


SORT_LABELS = {
    Sort.NAME: _l("Name, A to Z"),
    Sort.NEWEST: _l("Newest in the register"),
    Sort.FOUNDED: _l("Founding year, oldest first"),
    Sort.MEMBERS: _l("Most members"),
}


Member = TypeVar("Member", Kind, Sector, Status, Sort)


@dataclass(frozen=True)
class RegisterFilter:
    """What the register list shows; every field comes from the URL."""

    text: str = ""
    kind: Kind | None = None
    sector: Sector | None = None
    status: Status | None = None
    province_code: int | None = None
    ward_code: int | None = None
    sort: Sort = Sort.NAME
    page: int = 1

    @property
    def folded_text(self) -> str:
        return fold(self.text)

    @property
    def tax_code_prefix(self) -> str | None:
        """The search text as the start of a tax code, when it can be one (dots and spaces ignored)."""
        compact = re.sub(r"[\s.]", "", self.text)
        return compact if _TAX_CODE_PREFIX.fullmatch(compact) else None

    def query_args(self, *, include_province: bool = True) -> dict[str, str | int]:
        """The filter as query-string arguments, without defaults and without the page."""
        args: dict[str, str | int] = {}
        if self.text:
            args["q"] = self.text
        for key, value in (("kind", self.kind), ("sector", self.sector), ("status", self.status)):
            if value is not None:
                args[key] = value.value
        if include_province and self.province_code is not None:
            args["province_code"] = self.province_code
        if self.ward_code is not None:
            args["ward_code"] = self.ward_code
        if self.sort is not Sort.NAME:
            args["sort"] = self.sort.value
        return args


def _member(enum: type[Member], raw: str | None) -> Member | None:
    try:
        return enum(raw) if raw else None
    except ValueError:
        return None


def _positive_int(raw: str | None) -> int | None:
    value = parse_digits(raw)
    return value if value is not None and value >= 1 else None


def parse_filter(args: Mapping[str, str], *, fixed_province: int | None = None) -> RegisterFilter:
    """Read the list's state from query-string ``args``; bad values fall back to "any".

    ``fixed_province`` is the province of alliance staff: they cannot pick another one.
    A ward counts only when it belongs to the province in effect.
    """
    if fixed_province is not None:
        province = fixed_province
    else:
        chosen = _positive_int(args.get("province_code"))
        province = chosen if chosen is not None and locations.province_name(chosen) else None
    ward = _positive_int(args.get("ward_code"))
    if ward is not None and (province is None or not locations.ward_in_province(ward, province)):
        ward = None
    return RegisterFilter(
        text=query_text(args, "q", max_length=MAX_TEXT),
        kind=_member(Kind, args.get("kind")),
        sector=_member(Sector, args.get("sector")),
        status=_member(Status, args.get("status")),
        province_code=province,
        ward_code=ward,
        sort=_member(Sort, args.get("sort")) or Sort.NAME,
        page=page_number(args),
    )


ORDERS = {
    # search_name is the folded name, so "Đông" sorts with "Dong" on every database.
    Sort.NAME: (Cooperative.search_name, Cooperative.id),
    Sort.NEWEST: (Cooperative.created_at.desc(), Cooperative.id.desc()),
    Sort.FOUNDED: (Cooperative.founded_year.is_(None), Cooperative.founded_year, Cooperative.search_name,
                   Cooperative.id),
    Sort.MEMBERS: (Cooperative.members.desc(), Cooperative.search_name, Cooperative.id),
}


def register_select(scoped: Select[tuple[Cooperative]],
                    register_filter: RegisterFilter) -> Select[tuple[Cooperative]]:
    """``scoped`` (already limited to what the user may see) narrowed and ordered by the filter."""
    query = scoped
    if register_filter.text:
        matches = Cooperative.search_name.contains(register_filter.folded_text, autoescape=True)
        prefix = register_filter.tax_code_prefix
        if prefix:
            matches = matches | Cooperative.tax_code.startswith(prefix, autoescape=True)
        query = query.where(matches)
    if register_filter.kind is not None:
        query = query.where(Cooperative.kind == register_filter.kind.value)
    if register_filter.sector is not None:
        query = query.where(Cooperative.sector == register_filter.sector.value)
    if register_filter.status is not None:
        query = query.where(Cooperative.status == register_filter.status.value)
    if register_filter.province_code is not None:
        query = query.where(Cooperative.province_code == register_filter.province_code)
    if register_filter.ward_code is not None:
        query = query.where(Cooperative.ward_code == register_filter.ward_code)
    return query.order_by(*ORDERS[register_filter.sort])
