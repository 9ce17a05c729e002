"""Articles' search vectors compressed with lz4 on PostgreSQL (where the server has it).

Only the column's setting changes here, which is instant: vectors are compressed so as
they are written, and `manage.py rebuild_search_index` rewrites those already stored (on
a large archive, at a quiet time: it recomputes every vector). New databases get lz4
from 0012, which installs the columns through articles/search/schema.py.
"""

from django.db import migrations

from articles.search import schema

REPLAY_AFTER_FLUSH = False


def compress(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in schema.postgres_compress(schema_editor.connection):
            schema_editor.execute(statement, params=None)


def decompress(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in schema.LARGE_VECTORS:
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN search_vector SET COMPRESSION default", params=None
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0025_write_fewer_index_pages")]

    operations = [migrations.RunPython(compress, decompress)]
