import pytest

from articles.web.tests.server import FixtureServer


@pytest.fixture
def fixture_server(settings):
    """The local fixture server, allowed through the SSRF guard by its address only."""
    settings.ANNOTATOR_FETCH_ALLOW = ["127.0.0.1"]
    with FixtureServer() as server:
        yield server


@pytest.fixture
def immediate_tasks(settings):
    """Run tasks synchronously in the test: what is tested is the job, not the queue."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
