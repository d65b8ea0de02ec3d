"""Fixtures shared by the web tests."""

import pytest


@pytest.fixture
def english(client):
    """The interface in English, so assertions read the source text whatever the catalogue says."""
    client.set_cookie("lang", "en")


@pytest.fixture
def cooperative(make):
    """A cooperative, with the small test questionnaire loaded."""
    make.questionnaire()
    return make.cooperative()


@pytest.fixture
def manager(make, cooperative):
    return make.user("coop_manager", cooperative=cooperative)


@pytest.fixture
def draft(make, cooperative):
    return make.assessment(cooperative, answers={}, submit=False)


class FakeSMTP:
    """A mail server that keeps what it is sent in ``sent``."""

    sent: list = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def ehlo(self):
        pass

    def has_extn(self, name):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(monkeypatch):
    """Mail goes to ``FakeSMTP.sent`` (the app still sends only when ``MAIL_SERVER`` is set)."""
    FakeSMTP.sent = []
    monkeypatch.setattr("app.mail.smtplib.SMTP", FakeSMTP)
    return FakeSMTP
