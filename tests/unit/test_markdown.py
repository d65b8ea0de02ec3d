"""Lesson Markdown is rendered, then sanitised: what a lesson needs survives, nothing that runs does."""

import pytest

from app.training.markdown import render, sanitise


def test_headings_lists_emphasis_and_tables_survive():
    html = render("## Các bước\n\n1. **Đăng ký** tài khoản\n2. *Nộp* tờ khai\n\n- một\n- hai\n\n"
                  "### Lưu ý\n\n> Giữ chữ ký số an toàn.\n\n`mã`\n\n---\n\n"
                  "| Việc | Hạn |\n|---|---|\n| Nộp | Ngày 20 |\n")
    for fragment in ("<h2>Các bước</h2>", "<ol>", "<li><strong>Đăng ký</strong> tài khoản</li>",
                     "<em>Nộp</em>", "<ul>", "<li>hai</li>", "<h3>Lưu ý</h3>", "<blockquote>",
                     "<code>mã</code>", "<hr>", "<table>", "<th>Việc</th>", "<td>Ngày 20</td>"):
        assert fragment in html


def test_checklist_items_get_a_box_to_tick():
    html = render("- [ ] Có người thứ hai biết làm\n- [x] Đã nộp\n")
    assert "<li>☐ Có người thứ hai biết làm</li>" in html
    assert "<li>☑ Đã nộp</li>" in html


def test_a_script_in_the_content_never_becomes_a_tag():
    html = render("Trước\n\n<script>alert('x')</script>\n\nSau <script src=https://evil.example/x.js></script>")
    assert "<script" not in html
    assert "Trước" in html and "Sau" in html


def test_a_javascript_link_is_neutralised():
    html = render("[Bấm vào đây](javascript:alert(1)) và [đây](JaVaScRiPt:alert(2)) <javascript:alert(3)>")
    assert "href" not in html


def test_web_and_mail_links_stay_and_open_without_referrer():
    html = render("[Cổng thuế](https://thuedientu.gdt.gov.vn) · [thư](mailto:lienminh@example.vn)")
    assert '<a href="https://thuedientu.gdt.gov.vn" rel="noopener noreferrer">Cổng thuế</a>' in html
    assert 'href="mailto:lienminh@example.vn"' in html


def test_raw_html_is_shown_as_text_not_markup():
    html = render('<img src="x" onerror="alert(1)"> <b onclick="x()">đậm</b>')
    assert "<img" not in html and "<b" not in html
    assert "&lt;img" in html


@pytest.mark.parametrize(("dirty", "absent", "kept"), [
    ("<p>a</p><script>alert(1)</script>", ["<script", "alert(1)"], "<p>a</p>"),
    ('<p onerror="alert(1)" onclick="x()">a</p>', ["onerror", "onclick"], "<p>a</p>"),
    ('<img src="x" onerror="alert(1)">', ["<img", "onerror"], ""),
    ('<a href="javascript:alert(1)">l</a>', ["javascript", "href"], "<a rel=\"noopener noreferrer\">l</a>"),
    ('<a href="data:text/html,x">l</a>', ["data:", "href"], ">l</a>"),
    ('<a href="https://a.vn" rel="opener" target="_blank">l</a>', ["opener\"", "target"],
     '<a href="https://a.vn" rel="noopener noreferrer">l</a>'),
    ('<h1>T</h1><iframe src="https://a.vn"></iframe><style>p{}</style>', ["<h1", "<iframe", "<style"], "T"),
    ('<td style="text-align:right">1</td>', ["style"], ""),
])
def test_sanitiser(dirty, absent, kept):
    clean = sanitise(dirty)
    for text in absent:
        assert text not in clean
    assert kept in clean
