"""What forms say: WTForms' own messages in the visitor's language, and limits written with the
locale's numbers ("Tối đa 4.000 ký tự").

WTForms ships no Vietnamese catalogue, and Flask-WTF looks for WTForms' messages only in WTForms'
own folder. The app keeps a ``wtforms`` catalogue beside its own (``app/translations/<language>/
LC_MESSAGES/wtforms.po``, compiled by ``make translations``) and hands it to Flask-WTF on every
request, so every form of the app speaks the page's language without each form opting in.
"""

from __future__ import annotations

from flask import request
from flask_babel import Domain, LazyString, format_decimal
from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

# The app's translation folders, domain "wtforms".
CATALOGUE = Domain(domain="wtforms")


class WTFormsTranslations:
    """The object Flask-WTF asks for WTForms' messages, answering from the app's catalogue."""

    def ugettext(self, string: str) -> str:
        return CATALOGUE.get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return CATALOGUE.get_translations().ungettext(singular, plural, n)


TRANSLATIONS = WTFormsTranslations()


def use_app_catalogue() -> None:
    """Before each request: Flask-WTF reads a request's WTForms translations from this attribute
    (and loads WTForms' own catalogue only when it is missing). Nothing is read until a form needs it."""
    request.wtforms_translations = TRANSLATIONS  # type: ignore[attr-defined]


def localised_number(value: int | float) -> LazyString:
    """``value`` as the page's language writes it (4.000 / 4,000), decided when the text is shown."""
    return LazyString(format_decimal, value)


def at_most(characters: int) -> Length:
    """A length limit whose message writes the number the locale's way."""
    return Length(max=characters, message=_l("Use at most %(max)s characters.", max=localised_number(characters)))
