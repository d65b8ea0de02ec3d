"""The five roles and what each one is tied to."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    ADMIN = "admin"
    ALLIANCE = "alliance"
    COOP_MANAGER = "coop_manager"
    COOP_MEMBER = "coop_member"
    GRADUATE = "graduate"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def belongs_to_cooperative(self) -> bool:
        """Managers and members belong to one cooperative; graduates are placed in one."""
        return self in COOPERATIVE_ROLES

    @property
    def belongs_to_province(self) -> bool:
        return self is Role.ALLIANCE


COOPERATIVE_ROLES = frozenset({Role.COOP_MANAGER, Role.COOP_MEMBER, Role.GRADUATE})

ROLE_LABELS = {
    Role.ADMIN: _l("System administrator"),
    Role.ALLIANCE: _l("Alliance staff"),
    Role.COOP_MANAGER: _l("Cooperative manager"),
    Role.COOP_MEMBER: _l("Cooperative member"),
    Role.GRADUATE: _l("Young graduate"),
}

# Who may invite whom: alliance staff invite anyone into a cooperative of their province,
# a manager invites colleagues and a graduate into their own cooperative.
INVITABLE_ROLES = {
    Role.ALLIANCE: (Role.COOP_MANAGER, Role.COOP_MEMBER, Role.GRADUATE),
    Role.COOP_MANAGER: (Role.COOP_MEMBER, Role.GRADUATE, Role.COOP_MANAGER),
}
