"""The app's base form: every field of every form refuses control characters, before any other check.

Every ``FlaskForm`` of the app derives from ``AppForm``, GET filter forms included, so no text with
NUL or another control character reaches a query, a row or a page (``app.characters`` says which
characters; multi-line fields keep tabs and line ends). The check stops the field's validation, so
a field's own ``validate_<name>`` (which may query the database) never sees such text.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, IntegerField, TextAreaField
from wtforms.validators import StopValidation

from app.characters import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from app.numbers import parse_digits


class NoControlCharacters:
    """Refuse a field whose submitted values hold control characters; stops the field's other checks."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        if any(isinstance(value, str) and has_control_characters(value, multiline=self.multiline)
               for value in field.raw_data or ()):
            raise StopValidation(str(CONTROL_CHARACTERS_MESSAGE))


class AppForm(FlaskForm):
    """A ``FlaskForm`` whose every field first refuses control characters."""

    class Meta:
        def bind_field(self, form: Form, unbound_field: Any, options: dict[str, Any]) -> Field:
            field = unbound_field.bind(form=form, **options)
            check = NoControlCharacters(multiline=isinstance(field, TextAreaField))
            field.validators = [check, *field.validators]
            return field


class DigitsField(IntegerField):
    """A whole number typed with ASCII digits only, at most ``max_digits`` of them ("١٤" and "²" are
    not numbers here, and a thousand digits are refused without trying to read them)."""

    def __init__(self, label: Any = None, validators: Any = None, *, max_digits: int = 9, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.max_digits = max_digits

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            return
        self.data = parse_digits(valuelist[0], max_digits=self.max_digits)
        if self.data is None:
            raise ValueError(str(_l("Enter a number using digits only, for example 12.")))
