"""Choosing and reading the annotations of an export (articles/annotation_export.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.exchange.export_rows import (
    ExportFilter,
    ExportFilterError,
    _Utf16Offsets,
    annotations_for_export,
    export_rows,
    parse_export_filter,
)
from articles.exchange.writers import CSV_COLUMNS, csv_chunks, unescape_cell
from articles.models import Annotation, Article, Label
from articles.spans.annotating import delete_annotation
from articles.tests.export_helpers import annotate, csv_records, make_article, many_annotations

pytestmark = pytest.mark.django_db


def export_csv(annotations=None, **options):
    rows = export_rows(annotations if annotations is not None else annotations_for_export())
    return "".join(csv_chunks(rows, **options))


@pytest.fixture
def emoji_article():
    return make_article(outlet="Wire", url="https://example.org/emoji")


def test_it_exports_one_row_per_live_annotation_with_offsets_that_slice_the_quote(
    sample_article, emoji_article, annotator_user
):
    annotate(emoji_article, "productive", annotator_user)
    annotate(emoji_article, "delegation 🎉 said", annotator_user, label="opinion")
    annotate(emoji_article, "=SUM(A1)", annotator_user, label="neutral", note="@check")
    annotate(sample_article, "Pakistani", annotator_user)
    gone = annotate(emoji_article, "resume", annotator_user)
    delete_annotation(gone)

    records = csv_records(export_csv())

    assert len(records) == 4
    assert list(records[0]) == list(CSV_COLUMNS)
    assert gone.uuid.hex not in {r["annotation_id"].replace("-", "") for r in records}
    bodies = {str(a.pk): a.body for a in Article.objects.all()}
    for record in records:
        body = bodies[record["article_id"]]
        start, end = int(record["start"]), int(record["end"])
        quote = unescape_cell(record["quote"])
        assert body[start:end] == quote
        # JavaScript slices UTF-16: the _utf16 columns must pick the same passage there.
        utf16 = body.encode("utf-16-le")
        s16, e16 = int(record["start_utf16"]), int(record["end_utf16"])
        assert utf16[s16 * 2 : e16 * 2].decode("utf-16-le") == quote
    assert "'=SUM(A1)" in {r["quote"] for r in records}, "spreadsheet escaping is on by default"
    emoji_rows = [r for r in records if r["article_id"] == str(emoji_article.pk)]
    assert any(r["start_utf16"] != r["start"] for r in emoji_rows), "the emoji should shift UTF-16 offsets"


def test_it_fills_every_column_from_the_annotation_and_its_article(emoji_article, annotator_user, make_user):
    curator = make_user("carol", "Curator")
    annotation = annotate(emoji_article, "productive", annotator_user, note="check this")
    Annotation.objects.filter(pk=annotation.pk).update(
        status="accepted", reviewed_by=curator, reviewed_at=datetime(2026, 2, 3, 4, 5, 6, 7, tzinfo=UTC)
    )
    annotation.refresh_from_db()

    (record,) = csv_records(export_csv())

    assert record["annotation_id"] == str(annotation.uuid)
    assert record["article_id"] == str(emoji_article.pk)
    assert record["article_title"] == emoji_article.title
    assert record["article_url"] == "https://example.org/emoji"
    assert record["outlet"] == "Wire"
    assert (record["category"], record["label"]) == ("Claim", "factual")
    assert (record["prefix"], record["suffix"]) == (annotation.prefix, annotation.suffix)
    assert record["note"] == "check this"
    assert (record["author"], record["status"], record["reviewed_by"]) == ("alice", "accepted", "carol")
    assert record["reviewed_at"] == "2026-02-03T04:05:06.000007Z"
    assert record["created_at"] == annotation.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert record["updated_at"] == annotation.updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_it_orders_rows_by_article_then_position(sample_article, emoji_article, annotator_user):
    annotate(emoji_article, "resume", annotator_user)
    annotate(sample_article, "military", annotator_user)
    annotate(emoji_article, "delegation", annotator_user)
    annotate(sample_article, "Pakistani", annotator_user)

    keys = [(int(r["article_id"]), int(r["start"])) for r in csv_records(export_csv())]

    assert keys == sorted(keys)
    assert len({k[0] for k in keys}) == 2


def test_it_filters_by_article_label_author_and_since(
    sample_article, emoji_article, annotator_user, make_user
):
    bob = make_user("bob", "Annotator")
    first = annotate(emoji_article, "productive", annotator_user)
    annotate(emoji_article, "delegation", bob, label="opinion")
    annotate(sample_article, "Pakistani", annotator_user, label="negative")
    Annotation.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(days=10))

    def quotes(**values):
        export_filter = parse_export_filter(**values)
        return sorted(r["quote"] for r in csv_records(export_csv(annotations_for_export(export_filter))))

    assert quotes(articles=[str(emoji_article.pk)]) == ["delegation", "productive"]
    assert quotes(labels=["opinion"]) == ["delegation"]
    assert quotes(labels=["Tone: negative"]) == ["Pakistani"]
    assert quotes(labels=[str(Label.objects.get(name="factual").pk)]) == ["productive"]
    assert quotes(authors=["bob"]) == ["delegation"]
    assert quotes(since=(timezone.now() - timedelta(days=1)).date().isoformat()) == [
        "Pakistani",
        "delegation",
    ]
    assert quotes(articles=[str(emoji_article.pk)], authors=["alice"]) == ["productive"]


def test_it_limits_to_the_given_articles_queryset(sample_article, emoji_article, annotator_user):
    annotate(emoji_article, "productive", annotator_user)
    annotate(sample_article, "Pakistani", annotator_user)

    annotations = annotations_for_export(ExportFilter(), articles=Article.objects.filter(body__contains="😀"))

    assert [r["quote"] for r in csv_records(export_csv(annotations))] == ["productive"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"labels": ["no such label"]}, "unknown label"),
        ({"authors": ["nobody"]}, "unknown author"),
        ({"articles": ["999999"]}, "no article #999999"),
        ({"articles": ["seven"]}, "not an article number"),
        ({"since": "last tuesday"}, "not a date"),
    ],
)
def test_it_refuses_filters_that_name_nothing(values, message):
    with pytest.raises(ExportFilterError, match=message):
        parse_export_filter(**values)


def test_it_reads_since_as_utc_midnight_or_a_date_time():
    assert parse_export_filter(since="2026-05-01").since == datetime(2026, 5, 1, tzinfo=UTC)
    assert parse_export_filter(since="2026-05-01T10:00:00+02:00").since == datetime(2026, 5, 1, 8, tzinfo=UTC)


def test_it_uses_the_same_queries_for_10_and_1000_rows(sample_article, emoji_article, annotator_user):
    articles = (
        sample_article,
        emoji_article,
        make_article("Third story\n\nPlain text without anything astral."),
    )

    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            rows = list(export_rows(annotations_for_export(), chunk_size=100))
        return len(rows), [q["sql"] for q in queries.captured_queries]

    for article in articles:
        many_annotations(article, annotator_user, 4)
    rows_12, queries_12 = export_queries()
    for article in articles:
        many_annotations(article, annotator_user, 329)
    rows_999, queries_999 = export_queries()

    assert (rows_12, rows_999) == (12, 999)
    assert len(queries_999) == len(queries_12)
    # The rows, plus (SQLite) the article texts from a second cursor; never one per article.
    selects = [sql for sql in queries_12 if sql.startswith("SELECT")]
    assert 1 <= len(selects) <= 2, queries_12


def abandon_an_export(articles, author):
    for article in articles:
        many_annotations(article, author, 3000)
    rows = export_rows(annotations_for_export(), chunk_size=100)
    assert len(next(rows)) == len(CSV_COLUMNS)
    rows.close()
    assert Annotation.objects.count() == 6000


def test_it_leaves_the_connection_usable_after_an_abandoned_export(
    sample_article, emoji_article, annotator_user
):
    abandon_an_export([sample_article, emoji_article], annotator_user)


@pytest.mark.django_db(transaction=True)
def test_it_leaves_the_connection_usable_after_an_abandoned_export_in_autocommit(
    sample_article, emoji_article, annotator_user
):
    abandon_an_export([sample_article, emoji_article], annotator_user)


def test_it_fetches_a_body_missing_from_the_stream_rather_than_guess(emoji_article):
    offsets = _Utf16Offsets(iter([]))
    offsets.for_article(emoji_article.pk)
    position = emoji_article.body.index("productive")
    assert offsets(position) == len(emoji_article.body[:position].encode("utf-16-le")) // 2
    assert offsets(position) > position
