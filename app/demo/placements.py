"""Demo placements of young graduates, one in each state, with plans, monthly reports (confirmed,
returned, late, waiting, a draft) and one extension request waiting for the alliance.

Dates are counted from the day of seeding, so the demo always has a placement ending within 60
days and one starting next month. A placement is recognised by its graduate and host: one that
exists already is left as it is, with everything written in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.assessments import drafts
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.database import local_today
from app.extensions import db
from app.placements import reporting
from app.placements.models import (ACTIVE, COMPLETED, ENDED_EARLY, PLANNED, Extension, Goal, MonthlyReport,
                                   Placement, PlanComment, ReportEntry, ReportEvent)
from app.placements.reporting import month_start
from app.placements.terms import add_months, add_years

DUE_DAY = 5  # the default; the demo province keeps it

ACTIVITIES = (
    "Hướng dẫn kế toán đăng ký tài khoản thuế điện tử trên cổng của cơ quan thuế.\n"
    "Nhập danh sách thành viên vào bảng tính dùng chung.",
    "Cùng kế toán lập và gửi hóa đơn điện tử có mã của cơ quan thuế cho hai khách hàng đầu tiên.\n"
    "Chụp ảnh sản phẩm để đưa lên trang Zalo OA.",
    "Tập huấn cho 12 thành viên cách quét mã VietQR khi bán hàng.\n"
    "Sao lưu dữ liệu kế toán ra ổ cứng gắn ngoài.",
    "Khảo sát nhu cầu dùng phần mềm kế toán; so sánh ba phần mềm phổ biến.\n"
    "Soạn nội dung giới thiệu HTX cho trang Facebook.",
)
RESULTS = (
    "HTX đã có tài khoản thuế điện tử; tờ khai tháng được nộp qua mạng đúng hạn.",
    "Hai hóa đơn điện tử đã gửi cho khách; trang Zalo OA có 45 người quan tâm.",
    "Cửa hàng của HTX đã nhận tiền qua mã QR; bản sao lưu đầu tiên đã làm xong.",
    "Hội đồng quản trị đã chọn phần mềm kế toán để dùng thử từ tháng sau.",
)
DIFFICULTIES = (
    "Mạng ở văn phòng HTX chập chờn vào buổi chiều.",
    "Một số thành viên lớn tuổi chưa quen dùng điện thoại thông minh.",
    "",
    "Chi phí phần mềm kế toán hằng năm là gánh nặng với HTX.",
)
RETURN_COMMENT = "Ghi rõ số giờ mỗi tuần và kết quả cụ thể cho thành viên, rồi gửi lại giúp."


@dataclass(frozen=True)
class DemoGoal:
    title: str
    dimension: str | None = None
    question: str | None = None
    status: str = "planned"
    months_from_start: int | None = None  # the target month


@dataclass(frozen=True)
class DemoPlacement:
    email: str  # the graduate's log-in
    cooperative: str
    field_of_study: str
    starts_on: date
    ends_on: date
    status: str = ACTIVE
    ended_on: date | None = None
    end_reason: str | None = None
    funding_note: str = "Ngân sách tỉnh hỗ trợ 1,5 lần mức lương tối thiểu vùng; HTX đóng bảo hiểm xã hội."
    goals: tuple[DemoGoal, ...] = ()
    extension_months: int | None = None  # a request waiting for the alliance, made by the host's manager
    last_month_missing: bool = False  # so the alliance's list of missing reports has someone in it


GOALS = (
    DemoGoal("Đăng ký tài khoản thuế điện tử và hướng dẫn kế toán khai thuế qua mạng", "finance",
             "finance.etax_filing", "done", 2),
    DemoGoal("Dùng hóa đơn điện tử có mã của cơ quan thuế cho mọi khoản bán hàng", "finance",
             "finance.einvoice_use", "in_progress", 5),
    DemoGoal("Lập sổ thành viên và vốn góp trên phần mềm", "members", "members.member_register", "in_progress", 8),
    DemoGoal("Mở trang Zalo OA và đăng sản phẩm của HTX", "market", None, "planned", 10),
    DemoGoal("Tổ chức buổi giới thiệu chuyển đổi số cho thành viên"),
)


@dataclass(frozen=True)
class DemoGraduate:
    name: str
    email: str
    cooperative: str


NGOC = DemoGraduate("Nguyễn Thị Bích Ngọc", "bichngoc.tritre@htxso.vn", "Hợp tác xã Sen Tháp Mười")
PHUC = DemoGraduate("Lê Hoàng Phúc", "hoangphuc.tritre@htxso.vn", "Hợp tác xã Dịch vụ Nông nghiệp Phú Cường")
THU = DemoGraduate("Phạm Minh Thư", "minhthu.tritre@htxso.vn", "Hợp tác xã Xoài Tịnh Thới")
VINH = DemoGraduate("Đỗ Quang Vinh", "quangvinh.tritre@htxso.vn", "Hợp tác xã Lúa giống Tháp Mười")
BAO = DemoGraduate("Trương Gia Bảo", "giabao.tritre@htxso.vn", "Hợp tác xã Dừa Thạnh Phú")
# Their accounts are demo users like the others; Võ Minh Khoa (tritre@htxso.vn) is one already.
OTHER_GRADUATES = (NGOC, PHUC, THU, VINH, BAO)


def demo_placements(today: date, my_xuong: str, khoa_starts: date, khoa_ends: date) -> tuple[DemoPlacement, ...]:
    """The demo placements as seen from ``today`` (Võ Minh Khoa's, the README's graduate, has fixed dates)."""
    this_month = month_start(today)
    ngoc_start = add_months(this_month, -22)
    return (
        DemoPlacement("tritre@htxso.vn", my_xuong, "Kế toán", khoa_starts, khoa_ends, goals=GOALS),
        DemoPlacement(NGOC.email, NGOC.cooperative, "Quản trị kinh doanh",
                      ngoc_start, today + timedelta(days=40), goals=GOALS[1:3], extension_months=6,
                      last_month_missing=True),
        DemoPlacement(PHUC.email, PHUC.cooperative, "Công nghệ thông tin", add_months(this_month, 1),
                      add_years(add_months(this_month, 1), 2) - timedelta(days=1), status=PLANNED),
        DemoPlacement(THU.email, THU.cooperative, "Thương mại điện tử", add_months(this_month, -26), add_months(this_month, -2) - timedelta(days=1), status=COMPLETED,
                      ended_on=add_months(this_month, -2) - timedelta(days=1), goals=GOALS[3:]),
        DemoPlacement(VINH.email, VINH.cooperative, "Nông học", add_months(this_month, -9), add_years(add_months(this_month, -9), 3) - timedelta(days=1),
                      status=ENDED_EARLY, ended_on=add_months(this_month, -3) + timedelta(days=14),
                      end_reason="Trúng tuyển công chức xã từ tháng này; HTX đồng ý để anh nghỉ sớm."),
        DemoPlacement(BAO.email, BAO.cooperative, "Kế toán", add_months(this_month, -5), add_years(add_months(this_month, -5), 2) - timedelta(days=1),
                      goals=GOALS[:2]),
    )


def at_noon(day: date) -> datetime:
    """A UTC time on ``day`` in Vietnam (noon there is 05:00 UTC)."""
    return datetime.combine(day, time(5, 0))


def report_states(months: list[date], today: date, *, is_open: bool,
                  last_month_missing: bool = False) -> dict[date, tuple[str, date | None]]:
    """Each month's report: its status and the day it was first submitted. Months before last month
    are confirmed, the second one submitted late; while the placement runs, the latest of them is
    returned for changes, last month's waits for the host and this month's is a draft."""
    states: dict[date, tuple[str, date | None]] = {}
    this_month = month_start(today)
    past = [month for month in months if month < add_months(this_month, -1)]
    for index, month in enumerate(past):
        on_time = add_months(month, 1).replace(day=3)
        states[month] = (reporting.CONFIRMED, on_time)
        if index == 1:
            states[month] = (reporting.CONFIRMED, add_months(month, 1).replace(day=12))  # late
        elif is_open and index == len(past) - 1 and len(past) > 2:
            states[month] = (reporting.RETURNED, on_time)
    last_month = add_months(this_month, -1)
    if last_month in months and not last_month_missing:
        states[last_month] = (reporting.SUBMITTED, min(today, add_months(last_month, 1).replace(day=4)))
    if this_month in months:
        states[this_month] = (reporting.DRAFT, None)
    return states


def _add_reports(placement: Placement, demo: DemoPlacement, goals: list[Goal], graduate_id: int,
                 manager_id: int | None, today: date) -> None:
    months = reporting.report_months(placement.starts_on, placement.last_day, today)
    states = report_states(months, today, is_open=placement.is_open, last_month_missing=demo.last_month_missing)
    for index, (month, (status, submitted_on)) in enumerate(sorted(states.items())):
        report = MonthlyReport(placement_id=placement.id, month=month, status=status,
                               first_submitted_at=at_noon(submitted_on) if submitted_on else None,
                               submitted_at=at_noon(submitted_on) if submitted_on else None)
        if status in (reporting.CONFIRMED, reporting.RETURNED):
            report.reviewed_at = at_noon(submitted_on + timedelta(days=2))  # type: ignore[operator]
            report.reviewed_by_id = manager_id
            report.review_comment = RETURN_COMMENT if status == reporting.RETURNED else None
        db.session.add(report)
        db.session.flush()
        texts = {reporting.ACTIVITIES: ACTIVITIES[index % 4], reporting.RESULTS: RESULTS[index % 4],
                 reporting.HOURS: str(88 + 8 * (index % 3)), reporting.DIFFICULTIES: DIFFICULTIES[index % 4]}
        if status == reporting.DRAFT:
            texts = {reporting.ACTIVITIES: ACTIVITIES[index % 4].split("\n")[0]}
        for goal in goals[:2]:
            texts[reporting.goal_field(goal.id)] = f"Đã làm tiếp phần việc tháng {month:%m/%Y}."
        db.session.add_all(ReportEntry(report_id=report.id, field=field, value=value, revision=1)
                           for field, value in texts.items() if value)
        if submitted_on is not None:
            db.session.add(ReportEvent(report_id=report.id, action=reporting.SUBMITTED, actor_id=graduate_id,
                                       at=at_noon(submitted_on)))
        if status in (reporting.CONFIRMED, reporting.RETURNED):
            db.session.add(ReportEvent(report_id=report.id, action=status, actor_id=manager_id,
                                       at=report.reviewed_at, comment=report.review_comment))


def _add_plan(placement: Placement, demo: DemoPlacement, manager_id: int | None) -> list[Goal]:
    latest = drafts.last_submitted(placement.cooperative_id)
    goals = [Goal(placement_id=placement.id, title=goal.title, dimension_code=goal.dimension,
                  question_code=goal.question, assessment_id=latest.id if latest and goal.dimension else None,
                  status=goal.status,
                  target_month=add_months(month_start(placement.starts_on), goal.months_from_start)
                  if goal.months_from_start is not None else None)
             for goal in demo.goals]
    db.session.add_all(goals)
    if goals and manager_id is not None:
        db.session.add(PlanComment(placement_id=placement.id, author_id=manager_id,
                                   body="Kế hoạch hợp lý. Ưu tiên hóa đơn điện tử trước mùa thu hoạch."))
    db.session.flush()
    return goals


def seed_placements(cooperatives: dict[str, Cooperative], graduates: dict[str, User],
                    placements: tuple[DemoPlacement, ...], managers: dict[int, int],
                    staff_by_province: dict[int, int]) -> int:
    """Add the demo placements that are missing (``graduates`` by log-in); how many were added."""
    today = local_today()
    added = 0
    for demo in placements:
        host = cooperatives[demo.cooperative]
        graduate = graduates[demo.email]
        exists = db.session.scalar(select(Placement.id).where(Placement.graduate_id == graduate.id,
                                                              Placement.cooperative_id == host.id))
        if exists is not None:
            continue
        placement = Placement(graduate_id=graduate.id, cooperative_id=host.id, field_of_study=demo.field_of_study,
                              starts_on=demo.starts_on, ends_on=demo.ends_on, status=demo.status,
                              ended_on=demo.ended_on, end_reason=demo.end_reason, funding_note=demo.funding_note,
                              created_by_id=staff_by_province.get(host.province_code))
        db.session.add(placement)
        db.session.flush()
        manager_id = managers.get(host.id)
        goals = _add_plan(placement, demo, manager_id)
        _add_reports(placement, demo, goals, graduate.id, manager_id, today)
        if demo.extension_months and manager_id is not None:
            db.session.add(Extension(placement_id=placement.id, requested_by_id=manager_id,
                                     previous_ends_on=placement.ends_on,
                                     new_ends_on=add_months(placement.ends_on, demo.extension_months),
                                     reason="HTX đang chuyển sang phần mềm kế toán mới, cần chị Ngọc thêm 6 tháng "
                                            "để hướng dẫn kế toán dùng thành thạo."))
        added += 1
    db.session.flush()
    return added
