"""Full-text search: stored tsvector columns with GIN indexes on PostgreSQL, FTS5 tables
kept in step by triggers on SQLite (see articles/search/schema.py)."""

from django.db import migrations

from articles.search import schema

# Schema, not reference data: a test database's flush keeps it, so articles/conftest.py
# does not replay it.
REPLAY_AFTER_FLUSH = False


def run(statements):
    def operation(apps, schema_editor):
        for statement in statements(schema_editor.connection):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_scale_indexes")]

    operations = [migrations.RunPython(run(schema.install), run(schema.uninstall))]
