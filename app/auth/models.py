"""People who sign in, and where they belong (a graduate's placements live in ``app.placements``)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.roles import Role
from app.database import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.placements.models import Placement


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_login"),
        CheckConstraint(
            "role IN ('admin', 'alliance', 'coop_manager', 'coop_member', 'graduate')", name="role_known"
        ),
        # The user list's order, read from the index rather than sorted on every page.
        Index("ix_users_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(15), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    province_code: Mapped[int | None] = mapped_column(Integer, index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    # Stored in the signed session cookie; replacing it ends every session of this user.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    cooperative = relationship("Cooperative", foreign_keys=[cooperative_id])
    placements: Mapped[list[Placement]] = relationship(back_populates="graduate",
                                                       foreign_keys="Placement.graduate_id")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def get_id(self) -> str:
        return self.session_token

    def end_sessions(self) -> None:
        """Make every session cookie issued so far useless."""
        self.session_token = new_session_token()

    @property
    def login(self) -> str:
        return self.email or self.phone or ""


class PasswordReset(db.Model):
    """A one-time link an administrator issues so a person can set a new password."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
