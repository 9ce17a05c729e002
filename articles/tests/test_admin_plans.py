"""The admin annotation list reads the newest-first index at a million rows, which the
planner decides from its statistics: these are those of the 1,000,000-annotation bench
(scripts/bench_scale.py), written into a small table."""

import pytest
from django.db import connection

from articles.models import Annotation

from .admin_helpers import many_annotations

MILLION_ROW_STATS = [  # sqlite_stat1 rows: table, index, statistics
    ("articles_annotation", "annotation_entity_live", "1000000 9901 1"),
    ("articles_annotation", "annotation_deleted_newest", "9944 1 1"),
    ("articles_annotation", "annotation_live_status", "990056 330019 14"),
    ("articles_annotation", "annotation_newest", "1000000 40 1"),
    ("articles_annotation", "annotation_live_newest", "990056 40 1"),
    ("articles_annotation", "annotation_live_label", "990056 110007 5 3"),
    ("articles_annotation", "annotation_live_label_newest", "990056 110007 1 1"),
    ("articles_annotation", "annotation_live_author_newest", "990056 49503 1 1"),
    ("articles_annotation", "annotation_live_author", "990056 49503 3"),
    ("articles_annotation", "annotation_live_article", "990056 40"),
    ("articles_annotation", "annotation_article_start", "1000000 40 1"),
    ("articles_annotation", "articles_annotation_label_id_3261cf07", "1000000 111112"),
    ("articles_annotation", "articles_annotation_article_id_9a46ccbe", "1000000 40"),
    ("articles_annotation", "articles_annotation_author_id_0b580e8f", "1000000 50000"),
    ("articles_annotation", "articles_annotation_status_3e601b19", "1000000 333334"),
    ("articles_annotation", "sqlite_autoindex_articles_annotation_1", "1000000 1"),
    ("articles_article", "article_newest", "100000 1 1"),
    ("articles_article", "sqlite_autoindex_articles_article_1", "100000 1"),
    ("articles_label", "articles_label_category_id_f45a98ac", "9 3"),
    ("articles_label", "sqlite_autoindex_articles_label_1", "9 3 1"),
    ("auth_user", "sqlite_autoindex_auth_user_1", "21 1"),
    ("articles_category", "sqlite_autoindex_articles_category_1", "3 1"),
]


def million_row_plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", MILLION_ROW_STATS)
        cursor.execute("ANALYZE sqlite_schema")  # reload the statistics
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " / ".join(row[-1] for row in cursor.fetchall())


def admin_list():
    return (
        Annotation.all_objects.filter(deleted_at__isnull=True)
        .select_related("label__category", "author", "reviewed_by", "article")
        .order_by("-created_at", "-id")
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_it_lists_live_annotations_from_the_newest_first_index(sample_article, curator):
    many_annotations(sample_article, curator, 30)
    plan = million_row_plan(admin_list()[:51])
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_it_lists_one_labels_annotations_newest_first_from_an_index(sample_article, curator):
    [annotation] = many_annotations(sample_article, curator, 1)
    plan = million_row_plan(admin_list().filter(label_id=annotation.label_id)[:51])
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_it_lists_one_authors_annotations_newest_first_from_an_index(sample_article, curator):
    many_annotations(sample_article, curator, 1)
    plan = million_row_plan(admin_list().filter(author__username=curator.username)[:51])
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_it_walks_the_newest_first_index_for_a_large_category(sample_article, curator, monkeypatch):
    from articles.admin import scale
    from articles.models import Label

    [annotation] = many_annotations(sample_article, curator, 1)
    labels = list(Label.objects.filter(category=annotation.label.category_id).values_list("pk", flat=True))
    monkeypatch.setattr(scale, "WALK_FROM", 1)  # as large as a category at a million annotations
    plan = million_row_plan(scale.with_labels(admin_list(), labels)[:51])
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_it_lists_deleted_annotations_newest_first_from_an_index(sample_article, curator):
    # The "Deleted" filter read every deleted row with its joins, then sorted them all
    # (120 ms at a million annotations, 10,000 of them deleted).
    from django.utils import timezone

    annotations = many_annotations(sample_article, curator, 3)
    Annotation.all_objects.filter(pk=annotations[0].pk).update(deleted_at=timezone.now())
    deleted = (
        Annotation.all_objects.filter(deleted_at__isnull=False)
        .select_related("label__category", "author", "reviewed_by", "article")
        .order_by("-created_at", "-id")
    )
    plan = million_row_plan(deleted[:51])
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
