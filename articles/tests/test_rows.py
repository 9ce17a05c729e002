"""articles/rows.py builds the instances the ORM would from hand-written SELECTs, with the
same conversions, on either database."""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import connection

from articles.models import Annotation, Article, Category, Label
from articles.rows import fetch_instance, instance_from_row, model_fields, select_list
from articles.spans.annotating import create_annotation
from articles.tests.helpers import label, selection


def field_values(instance, model, exclude=()):
    return {field.attname: getattr(instance, field.attname) for field in model_fields(model, exclude)}


def select_one(model, pk, exclude=()):
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"SELECT {select_list(model, connection, 't', exclude)} FROM {table} t WHERE t.id = %s"  # noqa: S608
    return fetch_instance(model, connection, sql, [pk], exclude)


def test_it_reads_an_article_as_the_orm_does(sample_article):
    sample_article.published = datetime.date(2011, 9, 28)
    sample_article.save()
    found = select_one(Article, sample_article.pk, exclude=("original",))
    expected = Article.objects.defer("original").get(pk=sample_article.pk)
    assert field_values(found, Article, ("original",)) == field_values(expected, Article, ("original",))
    assert found.created_at.tzinfo is not None  # an aware datetime, as the ORM gives
    assert isinstance(found.published, datetime.date)
    assert not found._state.adding and found._state.db == "default"
    assert "original" in found.get_deferred_fields()


def test_it_reads_a_user_with_booleans_and_times(make_user):
    user = make_user("rowan", last_login=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))
    found = select_one(get_user_model(), user.pk)
    expected = get_user_model().objects.get(pk=user.pk)
    assert field_values(found, get_user_model()) == field_values(expected, get_user_model())
    assert found.is_active is True and found.is_staff is False
    assert found.last_login == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


def test_it_reads_uuids_and_empty_foreign_keys(annotator_user, sample_article):
    made = create_annotation(sample_article, annotator_user, label_id=label().pk, **phrase(sample_article))
    found = select_one(Annotation, made.pk)
    assert field_values(found, Annotation) == field_values(Annotation.objects.get(pk=made.pk), Annotation)
    assert isinstance(found.uuid, uuid.UUID) and found.reviewed_by_id is None


def test_it_reads_two_models_from_one_row(db):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select_list(Label, connection, 'l')}, {select_list(Category, connection, 'c')} "  # noqa: S608
            f"FROM {quote(Label._meta.db_table)} l JOIN {quote(Category._meta.db_table)} c "
            "ON c.id = l.category_id WHERE l.id = %s",
            [label().pk],
        )
        row = cursor.fetchone()
    width = len(model_fields(Label))
    found = instance_from_row(Label, row[:width], connection)
    category = instance_from_row(Category, row[width:], connection)
    assert field_values(found, Label) == field_values(label(), Label)
    assert field_values(category, Category) == field_values(label().category, Category)


def test_it_gives_none_when_no_row_matches(db):
    assert select_one(Article, 10**9) is None


def phrase(article):
    chosen = selection(article, "our so-called coalition partner")
    return {"start_u16": chosen["start"], "end_u16": chosen["end"], "quote": chosen["quote"]}
