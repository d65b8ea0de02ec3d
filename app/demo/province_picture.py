"""Demo of the province picture: the alliance's reviews of Đồng Tháp's latest rounds, difficulties in
every state with their replies, and one model cooperative, so the dashboard tells a story.

Only what is missing is added: a difficulty is recognised by its demo token, a review is written only
on a latest round nobody reviewed, and no model is marked in a province that ever had one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, select

from app.assessments.models import Assessment
from app.auth.models import User
from app.cooperatives.models import Cooperative
from app.database import local_today, utcnow
from app.difficulties.models import FORWARDED, IN_PROGRESS, NEW, RESOLVED, Difficulty, DifficultyReply
from app.exemplars.models import Exemplar
from app.extensions import db
from app.folding import fold
from app.standings.models import LatestAssessment

ALLIANCE_LOGIN = "canbo@lienminhhtx-dongthap.vn"


@dataclass(frozen=True)
class DemoDifficulty:
    token: str
    cooperative: str
    raised_by: str  # a demo login
    category: str
    description: str
    status: str
    days_ago: int
    replies: tuple[tuple[str, str], ...] = ()  # (login, text), oldest first
    forwarded_to: str | None = None


DIFFICULTIES: tuple[DemoDifficulty, ...] = (
    DemoDifficulty(
        "demo-difficulty-1", "Hợp tác xã Nông nghiệp Mỹ Xương", "0912345678", "etax",
        "Kế toán của HTX mới, chưa biết kê khai thuế giá trị gia tăng theo quý trên cổng thuế điện tử; tháng "
        "trước nộp chậm nên bị nhắc nhở. Đề nghị Liên minh cử cán bộ hướng dẫn trực tiếp tại HTX.",
        IN_PROGRESS, 20,
        ((ALLIANCE_LOGIN, "Liên minh sẽ cử cán bộ đến HTX sáng thứ Ba tuần sau để hướng dẫn kê khai trên cổng "
                          "thuế điện tử. Anh/chị chuẩn bị chữ ký số và tờ khai quý trước."),)),
    DemoDifficulty(
        "demo-difficulty-2", "Hợp tác xã Nông nghiệp Mỹ Xương", "thanhvien@htxmyxuong.vn", "market",
        "Lúa chất lượng cao của HTX chưa có doanh nghiệp bao tiêu ổn định; mong Liên minh kết nối với doanh "
        "nghiệp xuất khẩu gạo trong tỉnh.", NEW, 5),
    DemoDifficulty(
        "demo-difficulty-3", "Hợp tác xã Sen Tháp Mười", "quanly@htxsenthapmuoi.vn", "capital",
        "HTX cần vay khoảng 500 triệu đồng để mua máy sấy hạt sen nhưng chưa có tài sản bảo đảm. Đề nghị hỗ trợ "
        "tiếp cận vốn vay ưu đãi.", FORWARDED, 60,
        ((ALLIANCE_LOGIN, "Liên minh đã chuyển hồ sơ đề nghị vay vốn của HTX đến Quỹ hỗ trợ phát triển hợp tác xã "
                          "tỉnh và sẽ báo lại kết quả."),),
        forwarded_to="Quỹ hỗ trợ phát triển hợp tác xã tỉnh Đồng Tháp"),
    DemoDifficulty(
        "demo-difficulty-4", "Hợp tác xã Sen Tháp Mười", "quanly@htxsenthapmuoi.vn", "esignature",
        "Chứng thư chữ ký số của HTX sắp hết hạn, không biết gia hạn ở đâu và chi phí bao nhiêu.", RESOLVED, 120,
        ((ALLIANCE_LOGIN, "Anh/chị liên hệ tổ chức cung cấp dịch vụ chứng thực chữ ký số đã cấp chứng thư để gia "
                          "hạn trước ngày hết hạn; học phần “Chữ ký số và giao dịch điện tử” có hướng dẫn từng "
                          "bước."),
         ("quanly@htxsenthapmuoi.vn", "HTX đã gia hạn xong, cảm ơn Liên minh."))),
    DemoDifficulty(
        "demo-difficulty-5", "Hợp tác xã Sen Tháp Mười", "quanly@htxsenthapmuoi.vn", "people",
        "HTX muốn tiếp nhận một trí thức trẻ biết bán hàng trên sàn thương mại điện tử.", NEW, 3),
    DemoDifficulty(
        "demo-difficulty-6", "Hợp tác xã Dừa Thạnh Phú", "0907222333", "infrastructure",
        "Internet tại xưởng sơ chế dừa chập chờn, không dùng được phần mềm quản lý kho.", NEW, 8),
)

FEEDBACK = (
    "HTX đã làm tốt các thủ tục điện tử bắt buộc. Bước tiếp theo: đưa sổ thành viên lên phần mềm và sao lưu "
    "dữ liệu hằng tháng.",
    "Điểm về thị trường còn thấp: Liên minh đề nghị HTX học học phần bán hàng trên sàn thương mại điện tử và "
    "đăng ký mã QR truy xuất nguồn gốc cho sản phẩm chủ lực.",
    "HTX cần có kế hoạch chuyển đổi số bằng văn bản và giao người phụ trách; Liên minh sẵn sàng hỗ trợ xây dựng "
    "kế hoạch.",
)
MODEL_NAME = "Hợp tác xã Sen Tháp Mười"
MODEL_REASON = ("Bán sen và sản phẩm từ sen trên sàn thương mại điện tử, gắn mã QR truy xuất nguồn gốc; sổ thành "
                "viên và sổ sách kế toán trên phần mềm, thu chi qua tài khoản ngân hàng.")


def seed_reviews(cooperatives: Mapping[str, Cooperative], alliance: User) -> None:
    """Review every other Đồng Tháp cooperative's latest round (by name), and the model's."""
    in_province = sorted((c for c in cooperatives.values() if c.province_code == alliance.province_code),
                         key=lambda c: fold(c.name))
    chosen = {c.id for index, c in enumerate(in_province) if index % 2 == 0 or c.name == MODEL_NAME}
    latest = db.session.scalars(select(Assessment).join(LatestAssessment, LatestAssessment.assessment_id ==
                                                        Assessment.id)
                                .where(LatestAssessment.cooperative_id.in_(chosen), Assessment.feedback.is_(None)))
    for index, assessment in enumerate(sorted(latest, key=lambda a: a.id)):
        assessment.feedback = FEEDBACK[index % len(FEEDBACK)]
        assessment.reviewed_at = (assessment.submitted_at or utcnow()) + timedelta(days=3)
        assessment.reviewed_by_id = alliance.id


def seed_difficulties(cooperatives: Mapping[str, Cooperative], users: Mapping[str, User]) -> int:
    """The demo difficulties that are missing, with their replies; how many were added."""
    known = set(db.session.scalars(select(Difficulty.token).where(
        Difficulty.token.in_([d.token for d in DIFFICULTIES]))))
    now = utcnow()
    added = 0
    for demo in DIFFICULTIES:
        cooperative = cooperatives.get(demo.cooperative)
        if demo.token in known or cooperative is None:
            continue
        created = now - timedelta(days=demo.days_ago)
        difficulty = Difficulty(cooperative_id=cooperative.id, category=demo.category, description=demo.description,
                                search_text=fold(demo.description), status=demo.status,
                                raised_by_id=users[demo.raised_by].id, token=demo.token, created_at=created,
                                updated_at=created, forwarded_to=demo.forwarded_to,
                                forwarded_on=local_today() - timedelta(days=demo.days_ago - 2)
                                if demo.status == FORWARDED else None)
        db.session.add(difficulty)
        db.session.flush()
        for index, (login, text) in enumerate(demo.replies):
            # The alliance's first reply is the one that moved the difficulty to where it stands.
            moved = demo.status if index == 0 and demo.status != NEW else None
            db.session.add(DifficultyReply(difficulty_id=difficulty.id, author_id=users[login].id, body=text,
                                           status=moved, token=f"{demo.token}-reply-{index}",
                                           created_at=created + timedelta(days=index + 1)))
        added += 1
    return added


def seed_model(cooperatives: Mapping[str, Cooperative], alliance: User) -> bool:
    """Mark the demo's model cooperative, unless its province has ever had one; True when marked."""
    model = cooperatives.get(MODEL_NAME)
    if model is None or db.session.scalar(select(exists().where(
            Exemplar.cooperative_id == Cooperative.id, Cooperative.province_code == model.province_code))):
        return False
    reviewed = db.session.scalar(select(Assessment.reviewed_at).join(
        LatestAssessment, LatestAssessment.assessment_id == Assessment.id)
        .where(LatestAssessment.cooperative_id == model.id))
    if reviewed is None:
        return False
    db.session.add(Exemplar(cooperative_id=model.id, reason=MODEL_REASON, marked_by_id=alliance.id,
                            marked_at=reviewed + timedelta(days=1)))
    return True


def seed_province_picture(cooperatives: Mapping[str, Cooperative], users: Mapping[str, User]) -> tuple[int, bool]:
    """Reviews, difficulties and the model; how many difficulties were added and whether the model was."""
    alliance = users[ALLIANCE_LOGIN]
    seed_reviews(cooperatives, alliance)
    db.session.flush()
    return seed_difficulties(cooperatives, users), seed_model(cooperatives, alliance)
