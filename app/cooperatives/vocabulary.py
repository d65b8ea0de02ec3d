"""Kinds of organisation, sectors and register statuses, with their translated labels."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Kind(StrEnum):
    HTX = "htx"
    LIEN_HIEP = "lien_hiep"
    THT = "tht"
    QTDND = "qtdnd"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


class Sector(StrEnum):
    AGRICULTURE = "agriculture"
    INDUSTRY = "industry"
    TRADE = "trade"
    CREDIT = "credit"
    TRANSPORT = "transport"
    CONSTRUCTION = "construction"
    ENVIRONMENT = "environment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(SECTOR_LABELS[self])


class Status(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    DISSOLVED = "dissolved"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


KIND_LABELS = {
    Kind.HTX: _l("Cooperative (HTX)"),
    Kind.LIEN_HIEP: _l("Union of cooperatives"),
    Kind.THT: _l("Cooperative group"),
    Kind.QTDND: _l("People's credit fund"),
}
SECTOR_LABELS = {
    Sector.AGRICULTURE: _l("Agriculture"),
    Sector.INDUSTRY: _l("Industry and handicraft"),
    Sector.TRADE: _l("Trade and services"),
    Sector.CREDIT: _l("Credit"),
    Sector.TRANSPORT: _l("Transport"),
    Sector.CONSTRUCTION: _l("Construction"),
    Sector.ENVIRONMENT: _l("Environment"),
    Sector.OTHER: _l("Other"),
}
STATUS_LABELS = {
    Status.PENDING: _l("Waiting for approval"),
    Status.ACTIVE: _l("Active"),
    Status.REJECTED: _l("Rejected"),
    Status.DISSOLVED: _l("Dissolved"),
}


def choices(enum: type[Kind] | type[Sector] | type[Status]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field, in declaration order."""
    return [(member.value, member.label) for member in enum]
