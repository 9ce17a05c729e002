"""Turn DATABASE_URL into a Django DATABASES entry.

Kept here rather than pulling in dj-database-url: the project supports exactly two
backends, and the SQLite defaults (WAL, IMMEDIATE, busy timeout) are ours to choose.
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# WAL lets readers run beside the one writer. synchronous=FULL syncs the WAL at every
# commit: an acknowledged annotation survives a power cut or OS crash, not only a crash of
# the app (NORMAL would lose the last commits then, though never corrupt the file). The
# price is one fsync per commit, which is why a create is one transaction.
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON"


def sqlite_database(path):
    return {
        # Django's, with table rebuilds that keep the triggers (annotator/sqlite/base.py).
        "ENGINE": "annotator.sqlite",
        "NAME": str(path),
        # A connection per worker kept between requests: opening one (Django registers its
        # SQL functions, runs the PRAGMAs) cost about 1 ms of CPU on every request.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
            # timeout instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": SQLITE_INIT,
        },
    }


def database_from_url(url, base_dir):
    if not url:
        return sqlite_database(Path(base_dir) / "db.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not path:
            raise ImproperlyConfigured("DATABASE_URL sqlite:// needs a file path")
        return sqlite_database(Path(base_dir) / path)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL needs a database name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")
