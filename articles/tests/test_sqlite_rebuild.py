"""A migration that rebuilds a table on SQLite keeps every trigger (annotator/sqlite/base.py):
the full-text index and the analytics summaries follow their tables through it."""

import pytest
from django.db import connection, models

from articles.analytics.models import DirtyArticle
from articles.analytics.tests.fixtures import make_article
from articles.models import Annotation, Category, Label
from articles.search.fulltext import search
from articles.tests.export_helpers import annotate

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL alters tables in place"),
    # The schema editor cannot run inside the test's transaction on SQLite.
    pytest.mark.django_db(transaction=True),
]


def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return dict(cursor.fetchall())


def test_it_rebuilds_a_table_that_triggers_on_other_tables_name():
    before = triggers()
    with connection.schema_editor() as editor:
        editor._remake_table(Label)  # what Django does to alter a SQLite table
    assert triggers() == before


def test_a_rebuilt_table_still_feeds_the_analytics_and_the_search(annotator_user):
    article = make_article("Alpha Post")
    field = models.CharField("scratch", max_length=10, db_default="x")
    field.set_attributes_from_name("scratch")
    with connection.schema_editor() as editor:
        editor.add_field(Annotation, field)  # NOT NULL with a database default: a rebuild on SQLite
    try:
        DirtyArticle.objects.all().delete()
        annotate(article, article.body.split(".")[0], annotator_user, note="quokka sighting")
        assert DirtyArticle.objects.filter(article_id=article.pk).exists()
        assert search("quokka", scope="annotations").total == 1
        DirtyArticle.objects.all().delete()
        label = Label.objects.get(name="factual")
        label.category = Category.objects.get(name="Tone")
        label.save()  # a trigger on articles_label that reads the rebuilt articles_annotation
        assert DirtyArticle.objects.filter(article_id=article.pk).exists()
    finally:
        with connection.schema_editor() as editor:
            editor.remove_field(Annotation, field)
