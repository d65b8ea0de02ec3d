"""Certificates: issued once when a module becomes complete, verifiable by an unguessable code.

A certificate keeps what was true on the day it was issued: the holder's name, their cooperative
and the module version they completed, so later content or profile changes never rewrite it.
"""

from __future__ import annotations

import segno
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType

from app.auth.models import User
from app.auth.roles import Role
from app.extensions import db
from app.placements.models import Placement
from app.tenancy import Scope, active_placements
from app.training import certificate_codes, progress, store
from app.training.grading import is_complete
from app.training.models import Certificate, ModuleVersion


def by_code(typed: str) -> Certificate | None:
    """The certificate a typed or linked code names (see ``certificate_codes``), or None."""
    candidates = certificate_codes.candidates(typed)
    if not candidates:
        return None
    found = {certificate.verification_code: certificate for certificate in db.session.scalars(
        select(Certificate).where(Certificate.verification_code.in_(candidates)))}
    return next((found[code] for code in candidates if code in found), None)


def issuing_province(certificate: Certificate) -> int | None:
    """The province whose Cooperative Alliance stands behind the certificate: that of the cooperative
    on it (a graduate's host), else the province the holder works for (alliance staff)."""
    if certificate.cooperative is not None:
        return certificate.cooperative.province_code
    return db.session.scalar(select(User.province_code).where(User.id == certificate.user_id))


def alliance_name(province_code: int | None) -> str | None:
    """"Liên minh Hợp tác xã tỉnh Đồng Tháp", "Liên minh Hợp tác xã Thành phố Hà Nội"; None without a province."""
    try:
        province = Province.from_code(ProvinceCode(province_code))
    except ValueError:
        return None
    if province.division_type is VietNamDivisionType.TINH:
        return _("Cooperative Alliance of %(province)s province", province=province.name)
    return _("Cooperative Alliance of %(city)s", city=province.name)


def qr_code(url: str) -> Markup:
    """``url`` as a QR code in inline SVG, drawn on the server: no image request, no script and no
    inline style (the CSP forbids it; SVG attributes are allowed)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, svgclass="certificate__qr",
                                                title=_("QR code of the verification address"))
    return Markup(svg)  # noqa: S704 - segno's own markup, the title escaped by segno


def certificate_of(user_id: int, module_code: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.user_id == user_id,
                                                       Certificate.module_code == module_code))


def cooperative_of(user: User) -> int | None:
    """The cooperative printed on the certificate: the user's own, or the graduate's current host."""
    if user.cooperative_id is not None or user.role_enum is not Role.GRADUATE:
        return user.cooperative_id
    placed = active_placements(user.id)
    if not placed:
        return None
    return db.session.scalar(select(Placement.cooperative_id).where(
        Placement.graduate_id == user.id, Placement.cooperative_id.in_(sorted(placed)))
        .order_by(Placement.starts_on.desc(), Placement.id.desc()).limit(1))


def issue_when_complete(user: User, version: ModuleVersion) -> Certificate | None:
    """Issue the certificate if the module is complete now; the certificate issued by this call,
    or None (not complete yet, or issued before: one certificate per person and module)."""
    if certificate_of(user.id, version.code) is not None:
        return None
    record = progress.progress_of(user.id, version.code).get(version.code, progress.NO_PROGRESS)
    if not is_complete(store.module_of(version), record.lessons_done, record.passed):
        return None
    certificate = Certificate(verification_code=certificate_codes.new_code(), user_id=user.id, module_code=version.code,
                              module_version_id=version.id, cooperative_id=cooperative_of(user),
                              holder_name=user.name)
    db.session.add(certificate)
    db.session.flush()
    return certificate


def may_view(role: Role, scope: Scope, *, is_holder: bool, cooperative_id: int | None,
             province_code: int | None) -> bool:
    """Who may open a certificate page: its holder, the administrator, the manager of the holder's
    cooperative and the alliance staff of its province (everyone else gets 404)."""
    if is_holder or role is Role.ADMIN:
        return True
    if role not in (Role.COOP_MANAGER, Role.ALLIANCE) or cooperative_id is None or province_code is None:
        return False
    return scope.allows(cooperative_id, province_code)
