"""The demo province: Đồng Tháp's cooperatives, a few in Vĩnh Long, and one log-in per role.

The cooperatives and people are written out below; the figures that vary (members,
employees, capital, revenue, tax codes, phone numbers) come from ``random.Random(2026)``
so every run produces the same data. Seeding only adds what is missing: cooperatives are
recognised by tax code (by province and name when they have none), people by email or
phone, so running it again changes nothing and never overwrites what someone edited.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.auth import passwords
from app.auth.models import User
from app.database import local_today
from app.demo.assessments import seed_assessments
from app.demo.placements import OTHER_GRADUATES, demo_placements, seed_placements
from app.demo.province_picture import seed_province_picture
from app.demo.training import seed_training
from app.auth.roles import Role
from app.cooperatives import tax_code
from app.cooperatives.models import Cooperative
from app.cooperatives.vocabulary import Kind, Sector, Status
from app.extensions import db
from app.locations import province_name, wards

DEMO_PASSWORD = "htxso-demo-2026"
RANDOM_SEED = 2026

DONG_THAP = 82
VINH_LONG = 86

# First two digits of tax codes issued by each province's tax department, and its landline prefix.
TAX_CODE_PREFIXES = {DONG_THAP: "14", VINH_LONG: "15"}
LANDLINE_PREFIXES = {DONG_THAP: "0277", VINH_LONG: "0270"}

# Revenue is the last full year's; a cooperative founded that year or later has not reported one yet.
REVENUE_YEAR = 2025
PLACEMENT_STARTS = date(2026, 3, 2)
PLACEMENT_ENDS = date(2029, 3, 1)  # placements last up to three years


@dataclass(frozen=True)
class Profile:
    """Ranges a cooperative's figures are drawn from; money in millions of VND."""

    members: tuple[int, int]
    employees: tuple[int, int]
    capital_millions: tuple[int, int]
    revenue_millions: tuple[int, int]


# An average HTX turns over about 10 billion VND a year; groups and small HTX far less.
PROFILES = {
    "htx_large": Profile((250, 600), (15, 45), (3_000, 9_000), (12_000, 35_000)),
    "htx_medium": Profile((60, 250), (6, 18), (800, 3_000), (4_000, 12_000)),
    "htx_small": Profile((7, 60), (2, 7), (100, 800), (400, 3_000)),
    "tht": Profile((5, 25), (0, 2), (10, 150), (80, 900)),
    # The members of a union are cooperatives.
    "lien_hiep": Profile((4, 12), (8, 25), (5_000, 15_000), (25_000, 80_000)),
    "qtdnd": Profile((1_200, 6_000), (8, 22), (2_000, 8_000), (8_000, 30_000)),
}


@dataclass(frozen=True)
class DemoCooperative:
    name: str
    kind: Kind
    sector: Sector
    province_code: int
    ward: str  # as named in the official list of the province's communes and wards
    address: str
    founded_year: int
    profile: str
    status: Status = Status.ACTIVE
    status_reason: str | None = None
    has_tax_code: bool = True


def _coop(name: str, kind: Kind, sector: Sector, ward: str, address: str, founded_year: int, profile: str,
          province_code: int = DONG_THAP, **extra: Any) -> DemoCooperative:
    return DemoCooperative(name, kind, sector, province_code, ward, address, founded_year, profile, **extra)


HTX, LIEN_HIEP, THT, QTDND = Kind.HTX, Kind.LIEN_HIEP, Kind.THT, Kind.QTDND
AGRICULTURE, CREDIT = Sector.AGRICULTURE, Sector.CREDIT

MY_XUONG = "Hợp tác xã Nông nghiệp Mỹ Xương"
SEN_THAP_MUOI = "Hợp tác xã Sen Tháp Mười"
SAU_RIENG_NGU_HIEP = "Hợp tác xã Sầu riêng Ngũ Hiệp"
MOI_TRUONG_NHI_QUY = "Hợp tác xã Dịch vụ Môi trường Nhị Quý"
DUA_THANH_PHU = "Hợp tác xã Dừa Thạnh Phú"

COOPERATIVES: tuple[DemoCooperative, ...] = (
    # Đồng Tháp: rice, fruit, lotus, fish and farm services first, as in the province's register.
    _coop(MY_XUONG, HTX, AGRICULTURE, "Xã Mỹ Thọ", "Ấp Mỹ Thị", 2000, "htx_large"),
    _coop("Hợp tác xã Dịch vụ Nông nghiệp Phú Cường", HTX, AGRICULTURE, "Xã Phú Cường", "Ấp 4", 1998,
          "htx_medium"),
    _coop("Hợp tác xã Lúa giống Tháp Mười", HTX, AGRICULTURE, "Xã Tháp Mười", "Ấp 2", 2012, "htx_medium"),
    _coop(SEN_THAP_MUOI, HTX, AGRICULTURE, "Xã Trường Xuân", "Ấp 3", 2017, "htx_medium"),
    _coop("Hợp tác xã Xoài cát Hòa Lộc", HTX, AGRICULTURE, "Xã Cái Bè", "Ấp Hòa Lộc", 2015, "htx_medium"),
    _coop("Hợp tác xã Xoài Tịnh Thới", HTX, AGRICULTURE, "Phường Mỹ Trà", "Khóm Tịnh Mỹ", 2011, "htx_large"),
    _coop("Hợp tác xã Nhãn xuồng Phú Hựu", HTX, AGRICULTURE, "Xã Phú Hựu", "Ấp Phú Hòa", 2010, "htx_small"),
    _coop("Hợp tác xã Quýt hồng Lai Vung", HTX, AGRICULTURE, "Xã Lai Vung", "Ấp Long Thắng", 2016,
          "htx_medium"),
    _coop("Hợp tác xã Vú sữa Lò Rèn Vĩnh Kim", HTX, AGRICULTURE, "Xã Vĩnh Kim", "Ấp Vĩnh Thạnh", 2008,
          "htx_medium"),
    _coop("Hợp tác xã Hoa kiểng Tân Quy Đông", HTX, AGRICULTURE, "Phường Sa Đéc", "Khóm Tân Mỹ", 2009,
          "htx_small"),
    _coop("Hợp tác xã Thủy sản Hồng Ngự", HTX, AGRICULTURE, "Phường Hồng Ngự", "Khóm An Thạnh", 2011,
          "htx_large"),
    _coop("Tổ hợp tác nuôi cá Tân Hồng", THT, AGRICULTURE, "Xã Tân Hồng", "Ấp Gò Da", 2019, "tht",
          has_tax_code=False),
    _coop("Tổ hợp tác nuôi tôm càng xanh Tam Nông", THT, AGRICULTURE, "Xã Tam Nông", "Ấp Phú Hiệp", 2021,
          "tht", has_tax_code=False),
    _coop("Hợp tác xã Dịch vụ Thủy lợi Bình Thành", HTX, AGRICULTURE, "Xã Bình Thành", "Ấp Bình Chánh", 2005,
          "htx_small"),
    _coop("Tổ hợp tác Dịch vụ cơ giới hóa Mỹ An Hưng", THT, AGRICULTURE, "Xã Mỹ An Hưng", "Ấp An Ninh", 2018,
          "tht"),
    _coop(SAU_RIENG_NGU_HIEP, HTX, AGRICULTURE, "Xã Ngũ Hiệp", "Ấp Tân Hưng", 2025, "htx_small",
          status=Status.PENDING),
    _coop("Liên hiệp Hợp tác xã Xoài Đồng Tháp", LIEN_HIEP, AGRICULTURE, "Phường Cao Lãnh", "Khóm 3", 2020,
          "lien_hiep"),
    _coop("Liên hiệp Hợp tác xã Thương mại Dịch vụ Cai Lậy", LIEN_HIEP, Sector.TRADE, "Phường Cai Lậy", "Khóm 1",
          2019, "lien_hiep"),
    _coop("Hợp tác xã Đan lát lục bình Thanh Bình", HTX, Sector.INDUSTRY, "Xã Thanh Bình", "Ấp Tân Thạnh", 2013,
          "htx_small"),
    _coop("Hợp tác xã Dệt chiếu Định Yên", HTX, Sector.INDUSTRY, "Xã Lấp Vò", "Ấp An Bình", 2006, "htx_small"),
    _coop("Hợp tác xã Thương mại Dịch vụ Chợ Gạo", HTX, Sector.TRADE, "Xã Chợ Gạo", "Ấp Long Thạnh", 2014,
          "htx_medium"),
    _coop("Hợp tác xã Du lịch cộng đồng Cù lao Thới Sơn", HTX, Sector.TRADE, "Phường Thới Sơn", "Khóm Thới Bình",
          2018, "htx_small"),
    _coop("Quỹ tín dụng nhân dân Tân Thạnh", QTDND, CREDIT, "Xã Tân Thạnh", "Ấp Tân Lập", 1997, "qtdnd"),
    _coop("Quỹ tín dụng nhân dân Mỹ Phong", QTDND, CREDIT, "Phường Mỹ Phong", "Khóm Mỹ Phú", 1996, "qtdnd"),
    _coop("Quỹ tín dụng nhân dân Long Khánh", QTDND, CREDIT, "Xã Long Khánh", "Ấp Long Thạnh", 2001, "qtdnd"),
    _coop("Hợp tác xã Vận tải thủy bộ Cao Lãnh", HTX, Sector.TRANSPORT, "Phường Cao Lãnh", "Khóm 2", 2003,
          "htx_medium"),
    _coop("Hợp tác xã Vận tải Gò Công", HTX, Sector.TRANSPORT, "Phường Gò Công", "Khóm 4", 1999, "htx_small",
          status=Status.DISSOLVED,
          status_reason="Giải thể tự nguyện theo nghị quyết Đại hội thành viên ngày 15/3/2024."),
    _coop(MOI_TRUONG_NHI_QUY, HTX, Sector.ENVIRONMENT, "Phường Nhị Quý", "Khóm Mỹ Phú", 2025, "htx_small",
          status=Status.PENDING),
    _coop("Tổ hợp tác Thu gom rác Phong Hòa", THT, Sector.ENVIRONMENT, "Xã Phong Hòa", "Ấp Phong Thạnh", 2020,
          "tht", has_tax_code=False),
    _coop("Hợp tác xã Xây dựng Sa Đéc", HTX, Sector.CONSTRUCTION, "Phường Sa Đéc", "Khóm 1", 2007, "htx_medium"),
    # Vĩnh Long: a second tenant, invisible to Đồng Tháp's staff.
    _coop(DUA_THANH_PHU, HTX, AGRICULTURE, "Xã Thạnh Phú", "Ấp Thạnh Hòa", 2014, "htx_medium",
          province_code=VINH_LONG),
    _coop("Hợp tác xã Bưởi da xanh Chợ Lách", HTX, AGRICULTURE, "Xã Chợ Lách", "Ấp Phú Hòa", 2012, "htx_medium",
          province_code=VINH_LONG),
    _coop("Quỹ tín dụng nhân dân Long Hồ", QTDND, CREDIT, "Xã Long Hồ", "Ấp Phước Hanh", 1998, "qtdnd",
          province_code=VINH_LONG),
    _coop("Hợp tác xã Gốm đỏ Nhơn Phú", HTX, Sector.INDUSTRY, "Xã Nhơn Phú", "Ấp Phú Thạnh", 2016, "htx_small",
          province_code=VINH_LONG),
)


@dataclass(frozen=True)
class DemoUser:
    role: Role
    name: str
    email: str | None = None
    phone: str | None = None
    cooperative: str | None = None  # a demo cooperative's name; a graduate is placed there
    province_code: int | None = None
    active: bool = True

    @property
    def login(self) -> str:
        return self.email or self.phone or ""


USERS: tuple[DemoUser, ...] = (
    DemoUser(Role.ADMIN, "Nguyễn Quốc Bảo", email="admin@htxso.vn"),
    DemoUser(Role.ALLIANCE, "Nguyễn Thị Thu Hà", email="canbo@lienminhhtx-dongthap.vn", province_code=DONG_THAP),
    DemoUser(Role.ALLIANCE, "Trần Minh Phúc", email="canbo@lienminhhtx-vinhlong.vn", province_code=VINH_LONG),
    DemoUser(Role.COOP_MANAGER, "Lê Văn Tám", phone="0912345678", cooperative=MY_XUONG),
    DemoUser(Role.COOP_MEMBER, "Phạm Thị Ngọc Lan", email="thanhvien@htxmyxuong.vn", cooperative=MY_XUONG),
    DemoUser(Role.GRADUATE, "Võ Minh Khoa", email="tritre@htxso.vn", cooperative=MY_XUONG),
    DemoUser(Role.COOP_MANAGER, "Huỳnh Văn Sang", email="quanly@htxsenthapmuoi.vn", cooperative=SEN_THAP_MUOI),
    DemoUser(Role.COOP_MANAGER, "Trương Văn Lợi", phone="0907222333", cooperative=DUA_THANH_PHU),
    # Graduates of the other demo placements, one in each state (see app/demo/placements.py).
    *(DemoUser(Role.GRADUATE, placement.name, email=placement.email, cooperative=placement.cooperative)
      for placement in OTHER_GRADUATES),
    # Self-registered: they may log in once the alliance approves their cooperative.
    DemoUser(Role.COOP_MANAGER, "Đặng Văn Hùng", phone="0918765432", cooperative=SAU_RIENG_NGU_HIEP, active=False),
    DemoUser(Role.COOP_MANAGER, "Ngô Thị Mai", email="mai.ngo@htxmoitruongnhiquy.vn",
             cooperative=MOI_TRUONG_NHI_QUY, active=False),
)


@dataclass(frozen=True)
class LoginRow:
    role: str
    name: str
    login: str
    password: str
    place: str


@dataclass(frozen=True)
class SeedReport:
    cooperatives_added: int
    cooperatives_kept: int
    users_added: int
    users_kept: int
    logins: tuple[LoginRow, ...]
    assessments_added: int = 0
    certificates_added: int = 0
    placements_added: int = 0
    difficulties_added: int = 0
    model_added: bool = False


def ward_code(province_code: int, ward: str) -> int:
    """The official code of a commune or ward named in the demo data."""
    for code, name in wards(province_code):
        if name == ward:
            return code
    raise LookupError(f"{ward} is not a commune or ward of province {province_code}")


def _new_tax_code(rng: random.Random, province_code: int) -> str:
    while True:
        code = tax_code.with_check_digit(f"{TAX_CODE_PREFIXES[province_code]}{rng.randrange(10**7):07d}")
        if code:
            return code


def cooperative_values() -> list[dict[str, Any]]:
    """Column values of every demo cooperative, the same on every call."""
    rng = random.Random(RANDOM_SEED)
    rows = []
    for demo in COOPERATIVES:
        profile = PROFILES[demo.profile]
        code = _new_tax_code(rng, demo.province_code) if demo.has_tax_code else None
        members = rng.randint(*profile.members)
        employees = rng.randint(*profile.employees)
        capital = rng.randint(*profile.capital_millions) // 10 * 10_000_000
        revenue = rng.randint(*profile.revenue_millions) * 1_000_000
        # Groups (tổ hợp tác) rarely keep an office line.
        phone = (None if demo.kind is Kind.THT
                 else f"{LANDLINE_PREFIXES[demo.province_code]}{rng.randint(3_810_000, 3_899_999)}")
        rows.append({
            "name": demo.name,
            "kind": demo.kind.value,
            "sector": demo.sector.value,
            "tax_code": code,
            "founded_year": demo.founded_year,
            "members": members,
            "employees": employees,
            "charter_capital": capital,
            "revenue_last_year": revenue if demo.founded_year < REVENUE_YEAR else None,
            "province_code": demo.province_code,
            "ward_code": ward_code(demo.province_code, demo.ward),
            "address": demo.address,
            "phone": phone,
            "status": demo.status.value,
            "status_reason": demo.status_reason,
        })
    return rows


def _ensure_cooperatives(values: Sequence[dict[str, Any]]) -> tuple[dict[str, Cooperative], int]:
    """The demo cooperatives by demo name, adding the missing ones; also how many were added."""
    codes = [row["tax_code"] for row in values if row["tax_code"]]
    by_code = {c.tax_code: c for c in db.session.scalars(select(Cooperative).where(Cooperative.tax_code.in_(codes)))}
    names = [row["name"] for row in values if not row["tax_code"]]
    by_name = {
        (c.province_code, c.name): c
        for c in db.session.scalars(
            select(Cooperative).where(Cooperative.tax_code.is_(None), Cooperative.name.in_(names))
        )
    }
    found: dict[str, Cooperative] = {}
    added = 0
    for row in values:
        existing = by_code.get(row["tax_code"]) if row["tax_code"] else by_name.get((row["province_code"], row["name"]))
        if existing is None:
            existing = Cooperative(**row)
            db.session.add(existing)
            added += 1
        found[row["name"]] = existing
    db.session.flush()
    return found, added


def _ensure_users(cooperatives: dict[str, Cooperative]) -> tuple[dict[DemoUser, User], int]:
    """The demo users, adding the missing ones with the demo password; also how many were added."""
    emails = [u.email for u in USERS if u.email]
    phones = [u.phone for u in USERS if u.phone]
    existing = db.session.scalars(select(User).where(or_(User.email.in_(emails), User.phone.in_(phones)))).all()
    by_login = {login: user for user in existing for login in (user.email, user.phone) if login}
    password_hash: str | None = None
    found: dict[DemoUser, User] = {}
    added = 0
    for demo in USERS:
        user = by_login.get(demo.login)
        if user is None:
            # One Argon2 hash serves every demo account: they share the published demo password.
            password_hash = password_hash or passwords.hash_password(DEMO_PASSWORD)
            home = cooperatives[demo.cooperative] if demo.cooperative and demo.role is not Role.GRADUATE else None
            user = User(name=demo.name, email=demo.email, phone=demo.phone, password_hash=password_hash,
                        role=demo.role.value, cooperative_id=home.id if home else None,
                        province_code=demo.province_code, active=demo.active)
            db.session.add(user)
            added += 1
        found[demo] = user
    db.session.flush()
    return found, added


def _place(demo: DemoUser, cooperatives: dict[str, Cooperative]) -> str:
    if demo.cooperative:
        cooperative = cooperatives[demo.cooperative]
        if cooperative.status == Status.PENDING:
            return f"{cooperative.name} ({Status.PENDING.label})"
        return cooperative.name
    if demo.province_code:
        return province_name(demo.province_code)
    return _("Every province")


def seed_demo() -> SeedReport:
    """Add whatever demo rows are missing (the caller commits) and list the demo log-ins."""
    values = cooperative_values()
    cooperatives, cooperatives_added = _ensure_cooperatives(values)
    users, users_added = _ensure_users(cooperatives)
    managers = {user.cooperative_id: user.id for user in users.values()
                if user.role == Role.COOP_MANAGER and user.cooperative_id}
    assessments_added = seed_assessments(list(cooperatives.values()), managers)
    staff = {user.province_code: user.id for user in users.values() if user.role == Role.ALLIANCE}
    # After the assessments (goals are tied to them), before training (a certificate names the host).
    placements_added = seed_placements(
        cooperatives, {user.email: user for user in users.values() if user.email},
        demo_placements(local_today(), MY_XUONG, PLACEMENT_STARTS, PLACEMENT_ENDS), managers, staff)
    by_login = {demo.login: user for demo, user in users.items()}
    certificates_added = seed_training(by_login)
    difficulties_added, model_added = seed_province_picture(cooperatives, by_login)
    logins = tuple(
        LoginRow(demo.role.label, demo.name, demo.login, DEMO_PASSWORD, _place(demo, cooperatives)) for demo in USERS
    )
    return SeedReport(cooperatives_added, len(values) - cooperatives_added, users_added, len(USERS) - users_added,
                      logins, assessments_added, certificates_added, placements_added, difficulties_added,
                      model_added)


def login_table(rows: Sequence[LoginRow]) -> str:
    """The log-ins as a Markdown table, readable in a terminal and quotable in the README."""
    header = (_("Role"), _("Name"), _("Log-in"), _("Password"), _("Cooperative / province"))
    body = [(r.role, r.name, r.login, r.password, r.place) for r in rows]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]

    def render(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([render(header), rule, *(render(cells) for cells in body)])
