"""Numbers, money and dates as a Vietnamese reader writes them."""

from datetime import datetime

import pytest
from flask_babel import force_locale

from app import i18n


@pytest.mark.parametrize(
    ("locale", "money", "number", "date", "moment"),
    [
        ("vi", "150.000\xa0₫", "1.234.567,5", "26/11/2026", "03:30 26/11/2026"),
        ("en", "₫150,000", "1,234,567.5", "26 Nov 2026", "26 Nov 2026, 03:30"),
    ],
)
def test_formats_follow_the_language(app, locale, money, number, date, moment):
    with app.test_request_context(), force_locale(locale):
        assert i18n.money(150000) == money
        assert i18n.number(1234567.5) == number
        # 20:30 UTC is already the next morning in Ho Chi Minh City.
        assert i18n.date(datetime(2026, 11, 25, 20, 30)) == date
        assert i18n.datetime_(datetime(2026, 11, 25, 20, 30)) == moment
        assert i18n.money(None) == "—"
