import pytest

from articles.analytics.tests.fixtures import coverage


@pytest.fixture
def cov(annotator_user):
    """Two outlets coded by hand (see fixtures.coverage)."""
    return coverage(annotator_user)


@pytest.fixture
def viewer(make_user, client):
    user = make_user("vera", "Viewer")
    client.force_login(user)
    return user
