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
