"""The SQLite CSV export (lines written by the query) against the general one, byte for byte."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db import connection

from articles.coding.models import CodingBatch, GoldDecision
from articles.exchange.export_rows import annotations_for_export, export_chunks, export_rows, export_stream
from articles.exchange.tests.test_attribution_exchange import coded  # noqa: F401 (a fixture)
from articles.models import Annotation, Article, Category, Label, content_hash
from articles.tests.export_helpers import annotate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite export's own path"),
]

AWKWARD = [
    "plain",
    "a, comma",
    'a "quote"',
    "two\nlines",
    "carriage\rreturn",
    "=SUM(A1)",
    "+1",
    "-1",
    "@cmd",
    "\tTab",
    "'=already",
    "''+twice",
    "'just a quote",
    "'",
    "",
    "emoji 😀, and more",
]


def general(annotations, **options):
    return "".join(export_chunks(export_rows(annotations), "csv", **options))


def on_sqlite(annotations, **options):
    return "".join(export_stream(annotations, "csv", **options))


@pytest.fixture
def awkward(coded, sample_article, annotator_user, make_user):  # noqa: F811
    """Every column with text a spreadsheet or the CSV quoting must treat with care."""
    body = 'Intro 😀 then 🇵🇰 a claim, with "quotes" and\nlines. ' * 3
    article = Article.objects.create(
        title='A "title", with =signs',
        url="https://x.test/?a=1,b=2",
        outlet="=Outlet",
        body=body,
        content_hash=content_hash(body),
    )
    category = Category.objects.create(name="+Odd, category", kind="claim")
    label = Label.objects.create(name='-odd "label"', category=category)
    reviewer = make_user("-reviewer", "Curator")
    for number, text in enumerate(AWKWARD):
        annotation = annotate(
            article,
            'a claim, with "quotes" and\nlines',
            make_user(f"@coder{number}", "Annotator"),
            occurrence=number % 3,
            label="factual",
            note=text,
        )
        annotation.label = label
        annotation.prefix, annotation.suffix = text, text[::-1]
        annotation.status = Annotation.ACCEPTED
        annotation.reviewed_by = reviewer
        # A time on the second: SQLite stores it without the fraction.
        annotation.reviewed_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        annotation.save()
    batch = CodingBatch.objects.create(name="batch", seed=1, created_by=reviewer)
    gold = annotate(sample_article, "the official", annotator_user, label="anonymous source")
    GoldDecision.objects.create(batch=batch, article=sample_article, group_key="1", gold=gold, coders="=a, b")
    return article


@pytest.mark.parametrize("options", [{}, {"raw": True}, {"excel": True}])
def test_it_writes_the_same_bytes_as_the_general_export(awkward, options):
    annotations = annotations_for_export()
    expected = general(annotations, **options)
    assert expected.count("\r\n") > 20
    # The emoji article's UTF-16 offsets differ from its code point offsets somewhere.
    assert any(row[7:9] != row[16:18] for row in csv.reader(io.StringIO(expected)))
    assert on_sqlite(annotations, **options) == expected


def test_it_writes_the_same_bytes_for_a_filtered_export_and_for_none(awkward):
    only_awkward = annotations_for_export().filter(article=awkward)
    assert on_sqlite(only_awkward) == general(only_awkward)
    nothing = annotations_for_export().filter(pk__in=[])
    assert on_sqlite(nothing) == general(nothing)


def test_it_reads_plain_labels_and_usernames_as_they_are_and_still_writes_the_same_bytes(coded):  # noqa: F811
    from articles.exchange.sqlite_csv import _plain_lookups

    assert {"label__name", "author__username"} <= _plain_lookups(escape=True)
    annotations = annotations_for_export()
    assert on_sqlite(annotations) == general(annotations)


def test_it_checks_labels_and_usernames_one_by_one(coded, make_user):  # noqa: F811
    from articles.exchange.sqlite_csv import _plain_lookups

    make_user("+plus", "Annotator")
    Label.objects.filter(name="factual").update(name="factual, checked")
    plain = _plain_lookups(escape=True)
    assert "label__name" not in plain and "author__username" not in plain
    assert "author__username" in _plain_lookups(escape=False)
    annotations = annotations_for_export()
    assert on_sqlite(annotations) == general(annotations)
