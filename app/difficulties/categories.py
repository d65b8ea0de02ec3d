"""Difficulty categories: data in ``app/content/difficulty_categories.yaml``, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from app.content_files import LANGUAGES, ContentError, Text
from app.content_versions import CONTENT_DIR

CATEGORIES_FILE = CONTENT_DIR / "difficulty_categories.yaml"


@dataclass(frozen=True)
class Category:
    code: str
    label: Text


def parse(data: object, source: str) -> tuple[Category, ...]:
    """Validate the file's data: a list of unique codes, each with Vietnamese and English labels."""
    problems = []
    categories = []
    if not isinstance(data, list) or not data:
        raise ContentError([f"{source}: the file must hold a non-empty list"])
    for index, item in enumerate(data):
        label = item.get("label") if isinstance(item, dict) else None
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not code.isascii() or not code.isidentifier():
            problems.append(f"{source}: [{index}]: 'code' must be a plain lower-case code")
            continue
        if not isinstance(label, dict) or not all(isinstance(label.get(lang), str) and label[lang].strip()
                                                  for lang in LANGUAGES):
            problems.append(f"{source}: {code}: 'label' needs non-empty 'vi' and 'en' texts")
            continue
        if any(category.code == code for category in categories):
            problems.append(f"{source}: {code}: code used twice")
        categories.append(Category(code, Text(label["vi"].strip(), label["en"].strip())))
    if problems:
        raise ContentError(problems)
    return tuple(categories)


@cache
def categories(path: Path = CATEGORIES_FILE) -> tuple[Category, ...]:
    """The categories, in the file's order (read once)."""
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def codes() -> tuple[str, ...]:
    return tuple(category.code for category in categories())


def label(code: str, locale: str) -> str:
    """A category's label; an unknown code (from content removed since) shows as itself."""
    return next((category.label(locale) for category in categories() if category.code == code), code)
