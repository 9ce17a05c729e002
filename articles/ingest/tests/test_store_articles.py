"""Storing a batch of ingested articles in one transaction (import_articles)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.ingest.pipeline import ingest, store_article, store_articles
from articles.models import Article, content_hash
from articles.search.fulltext import search


def test_it_stores_a_batch_with_history_and_skips_duplicates(db):
    old, _ = store_article(ingest("Already here\n\nSome text that exists."))
    batch = [ingest(f"Piece {i}\n\nQuokka text number {i}.") for i in range(5)] + [
        ingest("Already here\n\nSome text that exists."),
        ingest("Piece 0\n\nQuokka text number 0."),
    ]
    with CaptureQueriesContext(connection) as queries:
        results = store_articles(batch, outlet="Dawn")
    assert [created for _, created in results] == [True] * 5 + [False, False]
    assert results[5][0].pk == old.pk and results[6][0].pk == results[0][0].pk
    assert Article.objects.filter(outlet="Dawn").count() == 5
    assert Article.history.filter(history_type="+").count() == 6
    assert len(queries) <= 8  # not per article
    assert len(search("quokka").hits) == 5  # the search index follows bulk inserts


def test_it_writes_one_history_row_per_new_article_by_the_user(make_user):
    user = make_user("alice")
    batch = [ingest(f"Piece {i}\n\nText {i}.") for i in range(3)]
    results = store_articles(batch, added_by=user)
    for ingested, (stored, created) in zip(batch, results, strict=True):
        article = Article.objects.get(pk=stored.pk)
        assert created and stored.title == article.title == ingested.title
        assert (article.body, article.original, article.source_format, article.added_by_id) == (
            ingested.body,
            ingested.original,
            "text",
            user.pk,
        )
        row = Article.history.get(id=article.pk)
        assert (row.history_type, row.history_user_id, row.title, row.body) == (
            "+",
            user.pk,
            article.title,
            article.body,
        )
        assert (row.created_at, row.updated_at) == (article.created_at, article.updated_at)


def test_it_gives_every_article_of_the_batch_the_fields_passed(db):
    batch = [ingest(f"Piece {i}\n\nText {i}.") for i in range(2)]
    before = timezone.now()
    results = store_articles(batch, outlet="Dawn", byline="Staff", published=date(2026, 3, 1))
    for stored, _ in results:
        article = Article.objects.get(pk=stored.pk)
        assert (article.outlet, article.byline, article.published) == ("Dawn", "Staff", date(2026, 3, 1))
        assert before <= article.created_at <= article.updated_at <= timezone.now()
        assert article.content_hash == content_hash(article.body)
