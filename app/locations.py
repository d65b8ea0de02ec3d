"""Provinces and communes/wards after the July 2025 reform (two levels, no districts).

The official list comes from the ``vietnam-provinces`` package; codes are stored as integers.
"""

from __future__ import annotations

from functools import cache

from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

from app.folding import fold


@cache
def provinces() -> tuple[tuple[int, str], ...]:
    """(code, name) of every province, sorted by name as a Vietnamese reader expects."""
    items = [(p.code.value, p.name) for p in Province.iter_all()]
    return tuple(sorted(items, key=lambda item: fold(item[1])))


@cache
def _wards_by_province() -> dict[int, tuple[tuple[int, str], ...]]:
    grouped: dict[int, list[tuple[int, str]]] = {}
    for ward in Ward.iter_all():
        grouped.setdefault(ward.province_code.value, []).append((ward.code.value, ward.name))
    return {code: tuple(sorted(items, key=lambda item: fold(item[1]))) for code, items in grouped.items()}


def wards(province_code: int | None) -> tuple[tuple[int, str], ...]:
    """(code, name) of the communes and wards of one province."""
    return _wards_by_province().get(province_code, ()) if province_code else ()


def province_name(code: int | None) -> str:
    try:
        return Province.from_code(ProvinceCode(code)).name
    except ValueError:
        return ""


def ward_name(code: int | None) -> str:
    try:
        return Ward.from_code(WardCode(code)).name
    except ValueError:
        return ""


def ward_in_province(ward_code: int | None, province_code: int | None) -> bool:
    return any(code == ward_code for code, _ in wards(province_code))


def province_title(code: int | None, locale: str) -> str:
    """The province as a sentence names it: "tỉnh Đồng Tháp", "thành phố Hà Nội" in Vietnamese,
    "Đồng Tháp", "Hà Nội" in English ("" when unknown)."""
    name = province_name(code)
    city = "Thành phố "
    if not name or locale != "vi":
        return name.removeprefix(city)
    return "thành phố " + name.removeprefix(city) if name.startswith(city) else "tỉnh " + name
