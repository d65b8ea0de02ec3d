"""Accent folding makes Vietnamese names searchable without diacritics."""

import pytest

from app.folding import fold


@pytest.mark.parametrize(("text", "folded"), [
    ("Hợp tác xã", "hop tac xa"),
    ("HỢP TÁC XÃ", "hop tac xa"),
    ("Đồng Tháp", "dong thap"),
    ("đường", "duong"),
    ("Nông nghiệp Ưu Việt", "nong nghiep uu viet"),
    ("  Tân   Hòa  ", "tan hoa"),
    ("Hoà", "hoa"),
    ("Hòa", "hoa"),
    ("HTX 19/5", "htx 19/5"),
    ("", ""),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_precomposed_and_decomposed_forms_fold_alike():
    precomposed = "Hợp"
    decomposed = "Ho\u031b\u0323p"
    assert precomposed != decomposed
    assert fold(precomposed) == fold(decomposed) == "hop"
