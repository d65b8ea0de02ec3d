"""Text people type at length: refuse control characters (DESIGN §8), keep line breaks and tabs."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form
from wtforms.validators import ValidationError

ALLOWED = frozenset("\n\r\t")


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a control character other than a line break or a tab (pure)."""
    return any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED for ch in text)


def no_control_characters(_form: Form, field: Field) -> None:
    """WTForms validator: a field error instead of storing invisible characters (PostgreSQL refuses NUL)."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(_l("This text holds invisible control characters. Type it again or paste it as "
                                 "plain text."))


def stripped(value: str | None) -> str | None:
    """WTForms filter: surrounding spaces dropped."""
    return value.strip() if isinstance(value, str) else value
