"""End to end through the real worker process: queue a URL import, `db_worker` runs it.

The worker is a separate process, so it cannot see the test's own (in-memory or
transaction-wrapped) database: this test gives it a migrated SQLite file of its own.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from articles.web.tests.pages import PAGES
from articles.web.tests.server import FixtureServer, page

ROOT = Path(__file__).resolve().parents[3]


def manage(env, *args):
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def worker_env(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}", "DEBUG": "0"}
    env["ANNOTATOR_FETCH_ALLOW"] = "127.0.0.1"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage(env, "migrate", "--noinput", "-v", "0")
    return env, tmp_path / "worker.sqlite3"


def test_it_runs_a_queued_url_import_in_the_db_worker(worker_env):
    env, database = worker_env
    with FixtureServer() as server:
        for name in PAGES:
            server.routes[f"/{name}"] = page(f"{name}.html")
        urls = [server.url(f"/{name}") for name in sorted(PAGES)] + ["http://10.0.0.1/inside"]
        out = manage(env, "import_articles", "--enqueue", "--url", *urls)
        assert "queued job #1 with 4 URLs" in out
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT status FROM articles_job").fetchone() == ("queued",)
            assert db.execute("SELECT count(*) FROM articles_article").fetchone() == (0,)
        manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status, done, total, failures FROM articles_job").fetchone() == (
            "done",
            4,
            4,
            1,
        )
        titles = {row[0] for row in db.execute("SELECT title FROM articles_article")}
        assert titles == {PAGES[name]["title"] for name in PAGES}
        assert db.execute("SELECT count(*) FROM articles_articlesnapshot").fetchone() == (3,)
        reason = db.execute("SELECT reason FROM articles_jobitem WHERE outcome = 'failed'").fetchone()
        assert reason == ("refused: the address 10.0.0.1 is on a private network",)
        assert db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone() == (
            "SUCCESSFUL",
        )


QUEUE_FILES = """
from django.contrib.auth.models import User
from articles.ingest.tasks import start_file_import
owner = User.objects.create_user("alice")
uploads = [("a.txt", b"A story\\n\\nIts body."), ("b.html", b"<h1>B story</h1><p>Para.</p>"), ("c.pdf", b"%PDF")]
print("queued job", start_file_import(uploads, owner, {"outlet": "Herald"}).pk)
"""


def test_it_runs_a_queued_file_import_from_the_database_in_the_db_worker(worker_env):
    env, database = worker_env
    assert "queued job 1" in manage(env, "shell", "-c", QUEUE_FILES)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM articles_jobupload").fetchone() == (3,)
    manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status, done, total, failures FROM articles_job").fetchone() == (
            "done",
            3,
            3,
            1,
        )
        titles = {row[0] for row in db.execute("SELECT title FROM articles_article WHERE outlet = 'Herald'")}
        assert titles == {"A story", "B story"}
        assert db.execute("SELECT count(*) FROM articles_jobupload").fetchone() == (0,)
