"""visible_annotations_sql is the blind rule of visible_annotations, in SQL: both must agree."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from articles.coding.models import BatchArticle
from articles.coding.tests.helpers import annotate, make_batch
from articles.models import Annotation
from articles.permissions import visible_annotations, visible_annotations_sql
from articles.tests.admin_helpers import make_curator


def ids_by_sql(user):
    condition, params = visible_annotations_sql(user, "a")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id FROM {Annotation._meta.db_table} a WHERE a.deleted_at IS NULL AND {condition}",  # noqa: S608
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def ids_by_orm(user):
    return set(visible_annotations(user, Annotation.objects.all()).values_list("id", flat=True))


@pytest.fixture
def coded(make_user, sample_article, other_article):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article], [alice, bob], blind=True)
    for author in (alice, bob):
        annotate(sample_article, author, "Exasperated")
        annotate(other_article, author, "Markets")
    return alice, bob


@pytest.mark.parametrize("adjudicated", [False, True])
def test_it_shows_each_user_what_visible_annotations_shows(coded, make_user, sample_article, adjudicated):
    alice, bob = coded
    if adjudicated:
        BatchArticle.objects.filter(article=sample_article).update(adjudicated_at="2026-01-01T00:00Z")
    viewers = [alice, bob, make_user("dave"), make_curator(make_user), AnonymousUser()]
    for viewer in viewers:
        assert ids_by_sql(viewer) == ids_by_orm(viewer), viewer
    # The rule is not vacuous: before adjudication an analyst misses the other's blind work.
    assert (len(ids_by_sql(alice)) < Annotation.objects.count()) != adjudicated
