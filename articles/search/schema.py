"""The database objects behind full-text search, one set per database.

PostgreSQL: a stored generated `search_vector` column (tsvector) on articles and on
annotations, each with a GIN index. The database keeps it current on every insert and
update, whichever path writes the row (reader, import, admin, bulk_create, raw SQL).

SQLite: FTS5 tables with external content (the text is stored once, in the real table)
kept in step by triggers. Django rebuilds a SQLite table to alter it, which would drop
its triggers; the project's SQLite backend keeps them through a rebuild
(annotator/sqlite/base.py), and `ensure_sqlite_triggers` (run after every migrate) puts
back, and reindexes for, any that went missing some other way.

Neither column nor table is a Django field: the models stay the same on both databases.
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# table -> (FTS table, indexed columns in weight order)
INDEXED = {
    "articles_article": ("articles_article_fts", ("title", "body")),
    "articles_annotation": ("articles_annotation_fts", ("quote", "note")),
}
WEIGHTS = "AB"
# Tables whose search vectors are whole texts (~4 KB), stored compressed out of line:
# reading one costs about as much as a small row's whole page, so a phrase is checked on
# few (fulltext.py). PostgreSQL decompresses a vector to check a row, and lz4 does it
# faster than the default pglz: a common word searched with the label filter at a million
# annotations 81 → 50 ms of SQL, with a published range 49 → 29 ms (docs/scaling.md).
LARGE_VECTORS = {"articles_article"}


def search_config():
    config = settings.ANNOTATOR_SEARCH_CONFIG
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", config):
        raise ImproperlyConfigured(
            f"ANNOTATOR_SEARCH_CONFIG “{config}” is not a text search configuration name"
        )
    return config


# --- PostgreSQL ---


def postgres_add(table, config, compression=""):
    fts_table, columns = INDEXED[table]
    vector = " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, weight in zip(columns, WEIGHTS, strict=False)
    )
    compressed = f" COMPRESSION {compression}" if compression else ""
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector{compressed} "
        f"GENERATED ALWAYS AS ({vector}) STORED",
        f"CREATE INDEX {table.removeprefix('articles_')}_search ON {table} USING gin (search_vector)",
    ]


def vector_compression(connection, table):
    """ "lz4" for a table of large vectors where the server was built with it, else ""."""
    if table not in LARGE_VECTORS:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return "lz4" if row and row[0] else ""


def postgres_compress(connection):
    """Large vectors written from now on are compressed with lz4 (where the server has it);
    `manage.py rebuild_search_index` rewrites those already stored."""
    statements = []
    for table in LARGE_VECTORS:
        if compression := vector_compression(connection, table):
            statements.append(f"ALTER TABLE {table} ALTER COLUMN search_vector SET COMPRESSION {compression}")
    return statements


def postgres_drop(table):
    return [f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector"]  # drops its index too


# --- SQLite ---


def sqlite_create(table):
    fts_table, columns = INDEXED[table]
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts_table} USING fts5({', '.join(columns)}, "
        f"content='{table}', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')",
        *sqlite_triggers(table),
        f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')",
    ]


def sqlite_triggers(table):
    fts_table, columns = INDEXED[table]
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {fts_table}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts_table}({fts_table}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts_table}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts_table}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts_table}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def sqlite_drop(table):
    fts_table, _ = INDEXED[table]
    return [
        *(f"DROP TRIGGER IF EXISTS {fts_table}_{event}" for event in ("insert", "delete", "update")),
        f"DROP TABLE IF EXISTS {fts_table}",
    ]


def ensure_sqlite_triggers(connection):
    """Recreate triggers a table rebuild dropped, and reindex what they missed."""
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        for table, (fts_table, _) in INDEXED.items():
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [fts_table])
            if cursor.fetchone() is None:
                continue  # the search migration has not run yet
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                [f"{fts_table}_{event}" for event in ("insert", "delete", "update")],
            )
            if cursor.fetchone()[0] == 3:
                continue
            for statement in sqlite_triggers(table):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')")
            repaired.append(table)
    return repaired


def install(connection):
    statements = []
    for table in INDEXED:
        if connection.vendor == "postgresql":
            statements += postgres_add(table, search_config(), vector_compression(connection, table))
        elif connection.vendor == "sqlite":
            statements += sqlite_create(table)
    return statements


def uninstall(connection):
    statements = []
    for table in INDEXED:
        if connection.vendor == "postgresql":
            statements += postgres_drop(table)
        elif connection.vendor == "sqlite":
            statements += sqlite_drop(table)
    return statements
