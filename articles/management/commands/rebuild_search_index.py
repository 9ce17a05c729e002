"""Rebuild the full-text search index, e.g. after changing ANNOTATOR_SEARCH_CONFIG."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from articles.search import schema


class Command(BaseCommand):
    help = "Rebuild the full-text search columns (PostgreSQL) or FTS5 tables (SQLite) from the stored texts."

    def handle(self, *args, **options):
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on ALTER
            for statement in schema.uninstall(connection) + schema.install(connection):
                cursor.execute(statement)
        self.stdout.write(f"Rebuilt the full-text search index ({connection.vendor}).")
