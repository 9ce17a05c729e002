"""Fixtures shared by the whole suite."""

import os
import shutil
import threading
import time

import pytest

# SECRET_KEY, HTTPS=0 and the rest of the test environment are set by articles/testenv.py,
# which pytest loads before Django reads its settings.

# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests
# make from that thread are safe because nothing else runs there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, a test database in a file, as in production: Django's live server shares
    an in-memory database's one connection among its request threads, and a page's
    concurrent requests (the figures strip, the who panel) then used it at the same time
    ("bad parameter or other API misuse"). With a file each thread has its own."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "annotator.sqlite" and not database.get("TEST", {}).get("NAME"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow by design; tests log in a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ensure_reference_data():
    """Re-seed the codebook, roles and other reference rows that data migrations create.

    Transactional tests (live_server) flush the database afterwards, data migrations
    included, so the browser tests replay every data migration of the app, in order, when
    the roles are missing. Data migrations are written to be idempotent for this.
    """
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    if Group.objects.exists():
        return
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = loader.graph.forwards_plan(max(key for key in loader.graph.leaf_nodes() if key[0] == "articles"))
    for key in plan:
        migration = loader.graph.nodes[key]
        if key[0] != "articles":
            continue
        if not getattr(import_module(migration.__module__), "REPLAY_AFTER_FLUSH", True):
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


@pytest.fixture
def make_user(db):
    from django.contrib.auth.models import Group, User

    ensure_reference_data()

    def make(username="alice", role="Annotator", password="pw-for-tests-1", **extra):
        user = User.objects.create_user(username=username, password=password, **extra)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def annotator_user(make_user):
    return make_user("alice", "Annotator")


@pytest.fixture
def sample_text():
    from pathlib import Path

    return (Path(__file__).parent / "samples" / "pakistan-us-rift.txt").read_text(encoding="utf-8")


@pytest.fixture
def sample_article(db, sample_text):
    from articles.ingest.pipeline import ingest, store_article

    article, _ = store_article(ingest(sample_text), outlet="ABC News")
    return article


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: apt-get install chromium (.ci/run does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, transactional_db):
    ensure_reference_data()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    wait_for_requests_in_flight()


def wait_for_requests_in_flight(timeout=10):
    """Let the live server finish what the closed page had asked for before the database is
    emptied: on PostgreSQL a request still writing (a who-panel fetched after a tag, say)
    and the flush's TRUNCATE can deadlock. The server answers each request in a thread of
    its own, named after socketserver's process_request_thread."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(
            thread.name.endswith("(process_request_thread)") and thread.is_alive()
            for thread in threading.enumerate()
        ):
            return
        time.sleep(0.02)


@pytest.fixture
def logged_in_page(page, live_server, annotator_user):
    from articles.tests.browser import log_in

    log_in(page, live_server, annotator_user.username)
    return page


# Admin and curation fixtures.
@pytest.fixture
def curator(make_user, client):
    """A staff Curator, logged in with the test client."""
    from articles.tests.admin_helpers import make_curator

    user = make_curator(make_user)
    client.force_login(user)
    return user


@pytest.fixture
def analyst(make_user):
    return make_user("ann", "Annotator")


@pytest.fixture
def other_article(db):
    from articles.ingest.pipeline import ingest, store_article

    text = "Markets rallied on Friday after the central bank held rates.\n\nTraders cheered."
    article, _ = store_article(ingest(text, title="Markets rally"), outlet="Daily Ledger")
    return article
