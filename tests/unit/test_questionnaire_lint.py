"""Content lint: rules about the questionnaire's wording and option sets that the parser cannot judge.

The parser (``app.assessments.questionnaire.parse``) checks that a file is well formed, and it must keep
reading every stored version. These rules judge the *content* of the file shipped now; each is a pure
function returning its problems, and each is shown to catch a bad example:

1. Shares. An option whose label states a percentage declares ``share: [min, max]``. A question's shares
   tile 0–100 % in order without gaps or overlaps (each ``min`` is the previous ``max``), and every label
   says exactly its range: vi "Dưới N %", "Từ A % đến dưới B %", "Từ N % trở lên"; en "Under N%",
   "A% to under B%", "N% or more".
2. Bundled options. A reviewer who finds an option joining two conditions marks it ``bundles: [...]``
   (what it joins); a marked option fails until it is split. And in a scored one-answer question the
   top-scoring options state a single condition: their label has no " và " / " kèm " (vi) and no
   " and " / " with " / " plus " (en).
3. Critical checklist items (see ``app.assessments.scoring``). In a scored checklist with critical items,
   ticking every other item never reaches full marks, and ticking everything does; a checklist's cap can
   be reached at all.
4. The wording floor of CONTENT.md ("Wording"): phrases that must not appear, replaced legal texts named
   only as replaced, Decision 1970 only as the basis ("dựa trên") of the levels, Decisions 1804 and 1813
   only as 2021–2025 programmes, and the member-agreement question asked the Vietnamese way.
5. Completeness and the law in force: every question has help in both languages and links modules that
   exist; every kind of cooperative is asked something scored in every dimension; the questionnaire
   says which rules it is updated to and lists the legal texts it cites; the
   difficulty checklist has exactly the codes the alliance's tracker shares; no "no employees" way out
   of social insurance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import yaml

from app.assessments.questionnaire import PROFILE_FACTS, Questionnaire, parse
from app.assessments.scoring import fits_profile, question_score
from app.content_versions import CONTENT_DIR

SHIPPED = CONTENT_DIR / "questionnaire" / "digital_readiness.yaml"
MODULES = {path.name for path in (CONTENT_DIR / "modules").iterdir() if path.is_dir()}
DIFFICULTY_CODES = ["etax", "einvoice", "esignature", "capital", "market", "people", "infrastructure", "legal", "other"]

Data = Mapping[str, Any]


def raw_questions(data: Data) -> Iterator[Data]:
    for dimension in data.get("dimensions", []):
        yield from dimension.get("questions", [])


def texts(node: Any, lang: str) -> Iterator[str]:
    """Every text in ``lang`` anywhere in the content (titles, help, labels, advice, notes)."""
    if isinstance(node, Mapping):
        if set(node) >= {"vi", "en"} and isinstance(node.get(lang), str):
            yield node[lang]
            return
        for value in node.values():
            yield from texts(value, lang)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value, lang)


# ---------------------------------------------------------------------------------------------------
# 1. Shares

def share_labels(low: int, high: int) -> tuple[str, str]:
    if low == 0:
        return f"Dưới {high} %", f"Under {high}%"
    if high == 100:
        return f"Từ {low} % trở lên", f"{low}% or more"
    return f"Từ {low} % đến dưới {high} %", f"{low}% to under {high}%"


def share_problems(data: Data) -> list[str]:
    problems = []
    for question in raw_questions(data):
        code = question["code"]
        shared = []
        for option in question.get("options", []):
            label = option.get("label", {})
            states_share = "%" in label.get("vi", "") or "%" in label.get("en", "")
            share = option.get("share")
            if states_share and share is None:
                problems.append(f"{code}, option {option['code']}: a percentage label without 'share'")
            if share is not None:
                shared.append((option, share))
        if not shared:
            continue
        expected_low = 0
        for option, (low, high) in shared:
            if low != expected_low or high <= low:
                problems.append(f"{code}, option {option['code']}: shares overlap or leave a gap at {low}–{high} %")
            if share_labels(low, high) != (option["label"]["vi"], option["label"]["en"]):
                problems.append(f"{code}, option {option['code']}: the label does not say {share_labels(low, high)}")
            expected_low = high
        if expected_low != 100:
            problems.append(f"{code}: shares stop at {expected_low} %, not 100 %")
    return problems


# ---------------------------------------------------------------------------------------------------
# 2. Bundled options

JOINS = {"vi": (" và ", " kèm "), "en": (" and ", " with ", " plus ")}


def bundle_problems(data: Data) -> list[str]:
    problems = []
    for question in raw_questions(data):
        options = question.get("options", [])
        for option in options:
            if "bundles" in option:
                problems.append(f"{question['code']}, option {option['code']}: marked as bundling {option['bundles']}")
        if question.get("kind") not in ("scale", "single") or question.get("unscored"):
            continue
        top = max((option.get("points", 0) for option in options), default=0)
        for option in options:
            if option.get("points", 0) != top or option.get("not_applicable"):
                continue
            for lang, joins in JOINS.items():
                if any(join in option["label"][lang] for join in joins):
                    problems.append(f"{question['code']}, option {option['code']}: the top answer joins conditions "
                                    f"({lang}: {option['label'][lang]!r})")
    return problems


# ---------------------------------------------------------------------------------------------------
# 3. Critical checklist items

def critical_problems(questionnaire: Questionnaire) -> list[str]:
    problems = []
    for question in questionnaire.questions:
        if question.kind != "multi" or not question.scored:
            continue
        items = [o for o in question.options if not o.exclusive and not o.not_applicable]
        if sum(o.points for o in items) < (question.cap or 0):
            problems.append(f"{question.code}: the cap {question.cap} cannot be reached")
        if question_score(question, [o.code for o in items]) != 1:
            problems.append(f"{question.code}: ticking everything does not reach full marks")
        for critical in (o for o in items if o.critical):
            others = [o.code for o in items if o.code != critical.code]
            if question_score(question, others) == 1:
                problems.append(f"{question.code}: full marks without the critical item {critical.code}")
    return problems


# ---------------------------------------------------------------------------------------------------
# 4. Wording floor

FORBIDDEN_VI = {
    r"Ban quản trị": "write “Hội đồng quản trị hoặc Giám đốc”",
    r"khoản chi số": "write “khoản chi cho chuyển đổi số”",
    r"\bviệc số\b": "write “việc chuyển đổi số”",
    r"thủ tục số": "write “thủ tục điện tử”",
    r"kế hoạch viết ra": "write “kế hoạch bằng văn bản”",
    r"đến mức nào|đến đâu\?": "ask “… như thế nào?”",
    r"\bmua\b[^.;]{0,20}hóa đơn": "HTX “dùng hóa đơn điện tử có mã của cơ quan thuế”, never buy it",
    r"chứng thư số": "write “chứng thư chữ ký số”",
    r"nguy cơ cao": "write “hàng hóa có mức độ rủi ro cao”",
    r"một phần tư|một nửa": "give shares as percentages",
    r"ổ cứng (ngoài|rời)": "write “ổ cứng gắn ngoài”",
    r"Khoảng cách": "write “Còn thiếu so với mục tiêu”",
    r"(?i:\bbạn\b)": "address the reader as “anh/chị”",
    r"(?i:\banh chị\b)": "write “anh/chị”",
    r"\bbài “": "modules are “học phần”",
    r"[Mm]ức (Chưa chuyển đổi số|Khởi động|Bắt đầu|Hình thành|Nâng cao|Dẫn dắt)": "name a level “Mức N — …”",
    r"\d\.\d{1,2}\b(?![\d/])": "decimals take a comma in Vietnamese",
    r"\d,\d{3}\b": "thousands take a dot in Vietnamese",
    r"Voso|1489/QĐ-TTg|166/2016|(?<!\d)5 ?% trở lên": "unverified in CONTENT.md: not stated as fact",
}
FORBIDDEN_EN = {
    r"\b(buy|bought|buying)\b.{0,30}invoice": "e-invoices are used, never bought",
    r"digital certificate\)": "a digital signature is not its certificate",
    r"Voso|1489/QĐ-TTg|166/2016": "unverified in CONTENT.md: not stated as fact",
}
REPLACED = ("13/2023", "78/2021")


def wording_problems(data: Data) -> list[str]:
    problems = []
    for lang, forbidden in (("vi", FORBIDDEN_VI), ("en", FORBIDDEN_EN)):
        for text in texts(data, lang):
            for pattern, why in forbidden.items():
                if match := re.search(pattern, text):
                    problems.append(f"{lang}: {match.group(0)!r} ({why}) in {text[:60]!r}")
            for old in REPLACED:
                for found in re.finditer(re.escape(old), text):
                    before = text[max(0, found.start() - 40):found.start()]
                    if not re.search(r"thay thế|thay |replac", before, re.IGNORECASE):
                        problems.append(f"{lang}: {old} named but not as replaced in {text[:60]!r}")
    for legal in [*raw_questions(data), *data.get("legal_basis", []), data]:
        for lang, basis, period in (("vi", "dựa trên", "2021–2025"), ("en", "based on", "2021–2025")):
            joined = " ".join(texts({k: v for k, v in legal.items() if k in ("help", "note", "name", "description")},
                                    lang))
            if "1970/QĐ-BTTTT" in joined and basis not in joined:
                problems.append(f"{lang}: Decision 1970 named without “{basis}”: {joined[:60]!r}")
            if re.search(r"18(04|13)/QĐ-TTg", joined) and period not in joined:
                problems.append(f"{lang}: Decision 1804/1813 named without its period {period}: {joined[:60]!r}")
    for question in raw_questions(data):
        if question["code"] == "strategy.member_agreement":
            asked = question["text"]["vi"]
            if not (asked.startswith("HTX đã bàn với thành viên và được thành viên đồng thuận") and asked.endswith("chưa?")):
                problems.append(f"strategy.member_agreement: ask “HTX đã bàn với thành viên và được thành viên "
                                f"đồng thuận … chưa?”, not {asked!r}")
    return problems


# ---------------------------------------------------------------------------------------------------
# 5. Completeness and the law in force

def completeness_problems(data: Data, questionnaire: Questionnaire) -> list[str]:
    problems = []
    for question in questionnaire.questions:
        if question.help is None:
            problems.append(f"{question.code}: no help text")
        missing = [code for code in question.modules if code not in MODULES]
        if missing:
            problems.append(f"{question.code}: links modules that do not exist: {missing}")
        if question.kind != "text" and not question.modules:
            problems.append(f"{question.code}: links no module")
        if any(option.code.startswith("na_no_employees") for option in question.options):
            problems.append(f"{question.code}: a cooperative without employees still has social-insurance duties")
    if questionnaire.rules_as_of is None or "11/2026" not in questionnaire.rules_as_of.vi:
        problems.append("the questionnaire does not say it is updated to the rules of 11/2026")
    if len(questionnaire.legal_basis) < 10:
        problems.append("the questionnaire does not list the legal texts it relies on")
    listed = " ".join(text.name.vi for text in questionnaire.legal_basis)
    cited = set(re.findall(r"\d+/\d{4}/(?:QH15|NĐ-CP|TT-BTC|TT-NHNN)|\d+/QĐ-(?:TTg|BTTTT)",
                           " ".join(texts([q for q in raw_questions(data)], "vi"))))
    problems += [f"{reference} is cited but not in the list of legal texts" for reference in sorted(cited)
                 if reference not in listed and not reference.startswith(REPLACED)]
    for kind in PROFILE_FACTS["kind"]:
        for dimension in questionnaire.dimensions:
            if not any(q.scored and fits_profile(questionnaire, q, {"kind": kind}) for q in dimension.questions):
                problems.append(f"{dimension.code}: nothing scored is asked of kind {kind}")
    difficulties = questionnaire.question("strategy.difficulty_categories")
    if difficulties is None or [o.code for o in difficulties.options] != DIFFICULTY_CODES or difficulties.scored:
        problems.append(f"strategy.difficulty_categories must be an unscored checklist of {DIFFICULTY_CODES}")
    return problems


# ---------------------------------------------------------------------------------------------------
# The shipped questionnaire passes every rule

def shipped() -> tuple[dict, Questionnaire]:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return data, parse(data, source=SHIPPED.name)


@pytest.mark.parametrize("rule", ["shares", "bundles", "critical", "wording", "completeness"])
def test_the_shipped_questionnaire_passes(rule):
    data, questionnaire = shipped()
    problems = {
        "shares": lambda: share_problems(data),
        "bundles": lambda: bundle_problems(data),
        "critical": lambda: critical_problems(questionnaire),
        "wording": lambda: wording_problems(data),
        "completeness": lambda: completeness_problems(data, questionnaire),
    }[rule]()
    assert problems == []


# ---------------------------------------------------------------------------------------------------
# Each rule catches what it is for

def words(vi: str, en: str | None = None) -> dict:
    return {"vi": vi, "en": en if en is not None else vi}


def choice(code: str, points: int = 0, vi: str | None = None, en: str | None = None, **extra: Any) -> dict:
    label = words(vi or code, en or vi or code)
    return {"code": code, "label": label, "points": points, "advice": words(f"Làm {code}", f"Do {code}"), **extra}


def small(*questions: dict, **top: Any) -> dict:
    return {"code": "q", "title": words("Thử", "Test"),
            "levels": [{"level": 0, "min": 0, "name": words("Mức 0", "Level 0")}],
            "dimensions": [{"code": "d", "title": words("Nhóm", "Group"), "questions": list(questions)}], **top}


def scale(*options: dict, code: str = "d.q", **extra: Any) -> dict:
    return {"code": code, "kind": "scale", "text": words("HTX đang làm như thế nào?", "How?"),
            "help": words("Giải thích.", "Explained."), "modules": ["etax"], "options": list(options), **extra}


def shares(*bands: tuple[int, int]) -> dict:
    return scale(*(choice(f"s{index}", index, *share_labels(low, high), share=[low, high])
                   for index, (low, high) in enumerate(bands)))


@pytest.mark.parametrize(("question", "found"), [
    pytest.param(shares((0, 25), (25, 50), (50, 75), (75, 100)), [], id="tiled"),
    pytest.param(shares((0, 25), (20, 50), (50, 100)), ["overlap or leave a gap at 20–50"], id="overlapping"),
    pytest.param(shares((0, 25), (30, 100)), ["overlap or leave a gap at 30–100"], id="gap"),
    pytest.param(shares((0, 25), (25, 75)), ["shares stop at 75 %"], id="short-of-100"),
    pytest.param(scale(choice("few", 0, "Dưới 25 %", "Under 25%"), choice("many", 1, "Trên 25 %", "Over 25%")),
                 ["option few: a percentage label without 'share'", "option many: a percentage label"],
                 id="percent-without-share"),
    pytest.param(scale(choice("a", 0, "Dưới 25 %", "Under 25%", share=[0, 25]),
                       choice("b", 1, "25–50 %", "25–50%", share=[25, 100])), ["the label does not say"],
                 id="label-disagrees-with-share"),
    pytest.param(scale(choice("few", 0, "Một phần tư", "A quarter"), choice("all", 1, "Tất cả", "All")), [],
                 id="no-percentages-no-shares"),  # the wording floor catches "một phần tư"
])
def test_share_rule(question, found):
    problems = share_problems(small(question))
    assert len(problems) == len(found) and all(f in p for f, p in zip(found, problems)), problems


@pytest.mark.parametrize(("question", "found"), [
    pytest.param(scale(choice("no"), choice("yes", 2, "Có, còn hạn", "Yes, valid")), [], id="single-condition"),
    pytest.param(scale(choice("no"), choice("yes", 2, "Có, còn hạn và dùng thường xuyên", "Valid, used often")),
                 ["top answer joins conditions (vi"], id="top-joins-in-vi"),
    pytest.param(scale(choice("no"), choice("yes", 2, "Có", "Online banking with two approvers")),
                 ["top answer joins conditions (en"], id="top-joins-in-en"),
    pytest.param(scale(choice("no", 0, "Chưa và không định làm", "No and not planned"), choice("yes", 2)), [],
                 id="a-lower-answer-may-join"),
    pytest.param(scale(choice("no"), choice("yes", 2, bundles=["account", "online banking"])),
                 ["marked as bundling"], id="marked-bundle"),
    pytest.param(scale(choice("no"), choice("yes", 2, "A và B", "A and B"), unscored=True), [],
                 id="unscored-not-judged"),
])
def test_bundle_rule(question, found):
    problems = bundle_problems(small(question))
    assert len(problems) == len(found) and all(f in p for f, p in zip(found, problems)), problems


def checklist(*options: dict, cap: int = 3) -> dict:
    return {"code": "d.list", "kind": "multi", "cap": cap, "text": words("Việc nào?", "Which?"),
            "help": words("Giải thích.", "Explained."), "modules": ["cybersecurity"], "options": list(options)}


@pytest.mark.parametrize(("question", "found"), [
    pytest.param(checklist(choice("otp", 1, critical=True), choice("a", 1), choice("b", 1), choice("c", 1)), [],
                 id="critical-enforced"),
    pytest.param(checklist(choice("a", 1), choice("b", 1), cap=3), ["cap 3 cannot be reached",
                                                                     "ticking everything does not reach"],
                 id="cap-out-of-reach"),
])
def test_critical_rule(question, found):
    problems = critical_problems(parse(small(question)))
    assert len(problems) == len(found) and all(f in p for f, p in zip(found, problems)), problems


def test_critical_rule_catches_a_scoring_that_lets_the_critical_item_be_skipped(monkeypatch):
    # The rule checks the scoring itself: were the critical mark ignored, three other items would reach the cap.
    questionnaire = parse(small(checklist(choice("otp", 1, critical=True), choice("a", 1), choice("b", 1),
                                          choice("c", 1))))
    monkeypatch.setattr("tests.unit.test_questionnaire_lint.question_score",
                        lambda question, value: min(len(value), question.cap) / question.cap)
    assert critical_problems(questionnaire) == ["d.list: full marks without the critical item otp"]


@pytest.mark.parametrize(("vi", "found"), [
    ("Hội đồng quản trị hoặc Giám đốc xem lại tiến độ như thế nào?", None),
    ("Ban quản trị đã tìm hiểu chưa?", "Ban quản trị"),
    ("HTX có khoản chi số không?", "khoản chi số"),
    ("Giao người lo việc số.", "việc số"),
    ("Làm thủ tục số qua mạng.", "thủ tục số"),
    ("HTX có kế hoạch viết ra chưa?", "kế hoạch viết ra"),
    ("HTX nộp thuế qua mạng đến mức nào?", "đến mức nào"),
    ("HTX nhỏ mua hóa đơn điện tử của cơ quan thuế.", "mua hóa đơn"),
    ("Chữ ký số (còn gọi là chứng thư số).", "chứng thư số"),
    ("Bắt buộc với hàng có nguy cơ cao.", "nguy cơ cao"),
    ("Khoảng một nửa thành viên.", "một nửa"),
    ("Sao lưu ra ổ cứng ngoài.", "ổ cứng ngoài"),
    ("Khoảng cách với mục tiêu.", "Khoảng cách"),
    ("Nếu bạn chưa rõ, hãy hỏi.", "bạn"),
    ("Anh chị viết ngắn gọn.", "Anh chị"),
    ("Học bài “Thuế điện tử”.", "bài “"),
    ("Để lên mức Khởi động, hãy học.", "mức Khởi động"),
    ("Hỗ trợ 1.5 lần lương.", "1.5"),
    ("Tối đa 4,000 ký tự.", "4,000"),
    ("Bán trên Voso.vn.", "Voso"),
    ("Theo Nghị định 13/2023/NĐ-CP.", "13/2023"),
    ("Thay thế Nghị định 13/2023/NĐ-CP.", None),
    ("Theo Quyết định 1970/QĐ-BTTTT.", "1970"),
    ("Sáu mức dựa trên Quyết định 1970/QĐ-BTTTT.", None),
    ("Theo Quyết định 1813/QĐ-TTg.", "1804/1813"),
    ("Đề án giai đoạn 2021–2025 (Quyết định 1813/QĐ-TTg).", None),
])
def test_wording_rule(vi, found):
    question = scale(choice("no"), choice("yes", 1))
    question["help"] = words(vi, "Explained.")
    problems = wording_problems(small(question))
    if found is None:
        assert problems == []
    else:
        assert any(found in problem for problem in problems), problems


def test_wording_rule_on_the_member_agreement_question():
    question = scale(choice("no"), choice("yes", 1), code="d.q")
    question["code"] = "strategy.member_agreement"
    question["text"] = words("Thành viên đã được bàn bạc và đồng thuận chưa?", "Agreed?")
    data = small()
    data["dimensions"][0]["questions"] = [question]
    assert any("member_agreement" in problem for problem in wording_problems(data))
    question["text"] = words("HTX đã bàn với thành viên và được thành viên đồng thuận với kế hoạch chưa?", "Agreed?")
    assert wording_problems(data) == []


def test_completeness_rule_finds_what_is_missing():
    no_help = scale(choice("no"), choice("yes", 1), code="d.bare")
    del no_help["help"]
    unknown_module = scale(choice("no"), choice("yes", 1), code="d.linked", modules=["no-such-module"])
    escape = scale(choice("no"), choice("yes", 1), {"code": "na_no_employees", "label": words("Không áp dụng"),
                                                    "not_applicable": True}, code="d.insurance")
    data = small(no_help, unknown_module, escape)
    found = completeness_problems(data, parse(data))
    assert [problem.split(":")[0] for problem in found] == [
        "d.bare", "d.linked", "d.insurance", "the questionnaire does not say it is updated to the rules of 11/2026",
        "the questionnaire does not list the legal texts it relies on",
        "strategy.difficulty_categories must be an unscored checklist of " + str(DIFFICULTY_CODES)]


def test_completeness_rule_wants_every_cited_text_listed():
    question = scale(choice("no"), choice("yes", 1))
    question["help"] = words("Theo Luật 41/2024/QH15 và Nghị định 69/2024/NĐ-CP.", "Under the laws.")
    data = small(question, legal_basis=[{"name": words("Luật Bảo hiểm xã hội số 41/2024/QH15", "Law 41/2024/QH15")}])
    found = completeness_problems(data, parse(data))
    assert "69/2024/NĐ-CP is cited but not in the list of legal texts" in found
    assert not any("41/2024" in problem for problem in found)
