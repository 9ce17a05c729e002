"""Fixtures shared by the admin tests (the suite-wide ones are in articles/conftest.py)."""

import pytest

from articles.ingest import ingest, store_article

from .admin_helpers import make_curator


@pytest.fixture
def curator(make_user, client):
    """A staff Curator, logged in with the test client."""
    user = make_curator(make_user)
    client.force_login(user)
    return user


@pytest.fixture
def analyst(make_user):
    return make_user("ann", "Annotator")


@pytest.fixture
def other_article(db):
    text = "Markets rallied on Friday after the central bank held rates.\n\nTraders cheered."
    article, _ = store_article(ingest(text, title="Markets rally"), outlet="Daily Ledger")
    return article
