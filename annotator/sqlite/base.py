"""Django's SQLite backend, with table rebuilds that keep the database's triggers.

Django alters most things on a SQLite table by building a new table, copying the rows,
dropping the old one and renaming the new one into place. The old table's triggers go
with it (the full-text index and the analytics summaries would silently stop following
it), and SQLite refuses the rename while a trigger on another table names the table
(Django keeps legacy_alter_table off): a migration that added a column to
articles_annotation would fail on the analytics triggers of articles_attribution.
So every trigger is lifted for the rebuild and put back, as it was, after it. The
rebuild copies rows as they are, so nothing a trigger maintains goes stale meanwhile.
"""

from django.db.backends.sqlite3 import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _remake_table(self, model, create_field=None, delete_field=None, alter_fields=None):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f"DROP TRIGGER {self.quote_name(name)}")
        super()._remake_table(model, create_field, delete_field, alter_fields)
        with self.connection.cursor() as cursor:
            for _, sql in triggers:
                cursor.execute(sql)


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
