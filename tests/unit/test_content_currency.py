"""Everything a reader sees follows the law in force and the wording floor of CONTENT.md.

Scans every text under app/content/ (the training modules and the questionnaire, in both languages)
and the Vietnamese msgstr texts of the catalogue for superseded citations stated as current and for
wording the content must not use. A superseded text may still be named in the sentence that says
it was replaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "app" / "content"
CATALOGUE = ROOT / "app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"

# Texts replaced in 2025–2026: named only where the sentence says so.
SUPERSEDED = {
    "Circular 78/2021 stated as current": re.compile(r"78/2021"),
    "Decree 13/2023 stated as current": re.compile(r"13/2023"),
}
SAYS_REPLACED = re.compile(r"thay thế|thay cho|được thay|đã thay|hết hiệu lực|replaced|replaces|replacing|superseded")
BANNED = {
    "Ban quản trị": re.compile(r"\bban quản trị\b"),
    "mua hóa đơn": re.compile(r"\bmua hóa đơn\b"),
    "khoản chi số": re.compile(r"\bkhoản chi số\b(?! hóa)"),
    "việc số": re.compile(r"\bviệc số\b(?! hóa)"),
    "thủ tục số": re.compile(r"\bthủ tục số\b(?! hóa)"),
    "kế hoạch viết ra": re.compile(r"\bkế hoạch viết ra\b"),
    "còn gọi là chứng thư số": re.compile(r"còn gọi là chứng thư số"),
    "hàng có nguy cơ cao": re.compile(r"\bhàng có nguy cơ cao\b"),
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def problems(text: str) -> list[str]:
    """Each superseded citation stated as current and each banned wording in ``text``."""
    text = unicodedata.normalize("NFC", text).casefold()
    found = [name for name, pattern in BANNED.items() if pattern.search(text)]
    for sentence in SENTENCE_END.split(text):
        found += [name for name, pattern in SUPERSEDED.items()
                  if pattern.search(sentence) and not SAYS_REPLACED.search(sentence)]
    return found


def strings(data: Any) -> Iterator[str]:
    """Every string in parsed YAML, however deeply nested."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


def texts_of(path: Path) -> Iterator[str]:
    if path.suffix == ".md":
        yield path.read_text(encoding="utf-8")
    else:
        yield from strings(yaml.safe_load(path.read_text(encoding="utf-8")))


def content_file(path: Path) -> Any:
    return pytest.param(path, id=str(path.relative_to(CONTENT_DIR)))


CONTENT_FILES = [content_file(path) for path in sorted(CONTENT_DIR.rglob("*"))
                 if path.suffix in {".md", ".yaml", ".yml"}]


@pytest.mark.parametrize(("text", "expected"), [
    ("Theo Nghị định 123/2020/NĐ-CP và Thông tư 78/2021/TT-BTC, HTX phải dùng hóa đơn điện tử.",
     ["Circular 78/2021 stated as current"]),
    ("Thông tư 32/2025/TT-BTC thay thế toàn bộ Thông tư 78/2021/TT-BTC từ 1/6/2025.", []),
    ("Decree 356/2025/NĐ-CP (which replaced Decree 13/2023/NĐ-CP) applies. Decree 13/2023 says so.",
     ["Decree 13/2023 stated as current"]),
    ("Ban Quản Trị họp mỗi quý.", ["Ban quản trị"]),
    ("Hội đồng quản trị họp mỗi quý; Ban kiểm soát dự họp.", []),
    ("HTX nhỏ có thể mua hóa đơn điện tử của cơ quan thuế.", ["mua hóa đơn"]),
    ("Một số việc số là pháp luật yêu cầu; số hóa công việc số hóa giấy tờ.", ["việc số"]),
    ("Chữ ký số (còn gọi là chứng thư số) của HTX.", ["còn gọi là chứng thư số"]),
    ("Bắt buộc chỉ với hàng có nguy cơ cao.", ["hàng có nguy cơ cao"]),
    ("Bắt buộc với hàng hóa có mức độ rủi ro cao; kế hoạch bằng văn bản; thủ tục điện tử.", []),
])
def test_the_checker_finds_superseded_citations_and_banned_wording(text, expected):
    assert problems(text) == expected


def test_every_content_file_is_scanned():
    scanned = {param.values[0].relative_to(CONTENT_DIR).parts[0] for param in CONTENT_FILES}
    assert scanned == {"modules", "questionnaire", "difficulty_categories.yaml"}
    assert sum(1 for param in CONTENT_FILES if param.values[0].name == "module.yaml") == 12


@pytest.mark.parametrize("path", CONTENT_FILES)
def test_content_follows_the_law_in_force_and_the_wording_floor(path):
    found = [(problem, text[:120]) for text in texts_of(path) for problem in problems(text)]
    assert not found, f"{path.relative_to(CONTENT_DIR)}: {found}"


def test_the_vietnamese_catalogue_follows_the_wording_floor():
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file, locale="vi")
    found = []
    for message in catalogue:
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(problem, message.id) for text in translations if text for problem in problems(text)]
    assert not found
