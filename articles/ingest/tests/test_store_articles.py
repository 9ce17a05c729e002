"""Storing a batch of ingested articles in one transaction (import_articles)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.ingest.pipeline import ingest, store_article, store_articles
from articles.models import Article
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
    results = store_articles([ingest(f"Piece {i}\n\nText {i}.") for i in range(3)], added_by=user)
    for article, _ in results:
        row = Article.history.get(id=article.pk)
        assert (row.history_type, row.history_user_id, row.title, row.body) == (
            "+",
            user.pk,
            article.title,
            article.body,
        )
        stored = Article.objects.get(pk=article.pk)
        assert stored.added_by_id == user.pk and stored.created_at == article.created_at
        assert stored.updated_at == article.updated_at and stored.original == article.original
