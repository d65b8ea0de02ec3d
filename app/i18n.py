"""Language choice and Vietnamese-first formatting of numbers, money and dates."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel import numbers
from flask import Flask, current_app, has_request_context, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The signed-in user's language, else the visitor's cookie, else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def money(value: int | None) -> str:
    """VND as the locale writes it: ``150.000 ₫``."""
    return "—" if value is None else format_currency(value, "VND")


def number(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        # Whole numbers fill the province's tables by the hundred: format each once per language.
        return _whole_number(value, current_locale())
    return format_decimal(value)


@lru_cache(maxsize=4096)
def _whole_number(value: int, locale: str) -> str:
    return numbers.format_decimal(value, locale=locale)


# Vietnamese readers write 26/11/2026 and 14:30 26/11/2026; English gets an unambiguous month name.
DATE_PATTERNS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
DATETIME_PATTERNS = {"vi": "HH:mm dd/MM/yyyy", "en": "d MMM yyyy, HH:mm"}


def date(value: datetime | None) -> str:
    """A date (a UTC time is first moved to Asia/Ho_Chi_Minh)."""
    return "—" if value is None else format_date(value, DATE_PATTERNS.get(current_locale(), "medium"))


def datetime_(value: datetime | None) -> str:
    return "—" if value is None else format_datetime(value, DATETIME_PATTERNS.get(current_locale(), "medium"))


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(money=money, number=number, date=date, datetime=datetime_)
    app.jinja_env.globals.update(current_locale=current_locale)
