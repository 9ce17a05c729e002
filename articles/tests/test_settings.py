"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from annotator.dburl import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    ours = ("DEBUG", "SECRET_KEY", "HTTPS", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    clean.update(env)
    return subprocess.run(  # noqa: S603 -- fixed argv: our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_it_passes_the_deploy_check_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "-production-secret-" + "y" * 30,
        ALLOWED_HOSTS="annotator.example.org",
        CSRF_TRUSTED_ORIGINS="https://annotator.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_runs_with_a_development_key_in_debug():
    assert manage("check", DEBUG="1", SECRET_KEY="").returncode == 0


def test_it_parses_database_urls(tmp_path):
    sqlite = database_from_url("", tmp_path)
    assert sqlite["ENGINE"] == "annotator.sqlite"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    assert "synchronous=FULL" in sqlite["OPTIONS"]["init_command"]  # acknowledged means on disk
    assert sqlite["OPTIONS"]["timeout"] > 0
    # Kept open between requests: opening one costs about 1 ms of CPU per request.
    assert sqlite["CONN_MAX_AGE"] > 0
    pg = database_from_url("postgres://ann:p%40ss@db.internal:6432/annotator?sslmode=require", tmp_path)
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql",
        "annotator",
        "ann",
        "p@ss",
        "db.internal",
        "6432",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        database_from_url("mysql://x/y", tmp_path)


def test_it_opens_sqlite_files_in_wal_mode_with_immediate_transactions(tmp_path, django_db_blocker):
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": database_from_url("sqlite:///annotator.db", tmp_path)})
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL: every commit is synced to disk
        assert connection.transaction_mode == "IMMEDIATE"
    finally:
        connection.close()
    assert (tmp_path / "annotator.db").exists()
