"""Every lookup by an annotation's foreign keys reads an index, though several lost the
single-column index of their own (migration 0025): a delete of an article, a user or a
source checks its annotations this way, and at a million rows a scan would take seconds."""

import pytest
from django.db import connection

from articles.models import Annotation

from .test_admin_plans import million_row_plan

LOOKUPS = [  # a key, and the indexes that may answer a lookup by it
    ("article_id__in", ("articles_annotation_article_id_", "annotation_article_start")),
    ("source_entity_id__in", ("annotation_entity_live",)),
    ("tone_target_entity_id__in", ("annotation_tone_target",)),
    ("reviewed_by_id__in", ("annotation_reviewed_by",)),
    ("deleted_by_id__in", ("annotation_deleted_by",)),
]


def postgres_plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # as at a million rows: a tiny table is scanned
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return " / ".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("lookup", "indexes"), LOOKUPS)
def test_it_finds_annotations_by_each_key_through_an_index(db, lookup, indexes):
    queryset = Annotation.all_objects.filter(**{lookup: [1, 2]}).order_by().values("id")
    plan = million_row_plan(queryset) if connection.vendor == "sqlite" else postgres_plan(queryset)
    assert any(index in plan for index in indexes), plan
