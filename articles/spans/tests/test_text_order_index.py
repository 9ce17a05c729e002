"""The live text-order index serves the create's paragraph query and the export's order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.exchange.export_rows import _export_columns, annotations_for_export
from articles.spans.views import changed_paragraphs
from articles.tests.admin_helpers import many_annotations

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")


def plan(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def test_it_finds_a_paragraphs_spans_in_the_index(annotator_user, sample_article):
    many_annotations(sample_article, annotator_user, 200)
    annotation = sample_article.annotations.first()
    with CaptureQueriesContext(connection) as queries:
        changed_paragraphs(sample_article, annotation, annotator_user)
    # The user's permissions come first (the blind rule asks whether they curate).
    spans_query = queries.captured_queries[-1]["sql"]
    assert "l.category_id" in spans_query
    assert any("annotation_live_text_order" in step for step in plan(spans_query, []))


def test_it_streams_the_export_in_text_order_without_sorting(annotator_user, sample_article):
    many_annotations(sample_article, annotator_user, 200)
    rows = annotations_for_export().values_list(*_export_columns(on_postgresql=False, on_sqlite=True))
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    steps = plan(sql, params)
    assert any("annotation_live_text_order" in step for step in steps)
    # The attribution links' own little sort is a subquery's; the rows themselves are not sorted.
    assert steps.count("USE TEMP B-TREE FOR ORDER BY") == 1
