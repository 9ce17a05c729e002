"""record_history writes the history row simple-history would have written."""

from django.utils import timezone

from articles.history import record_history, record_history_where
from articles.models import Annotation, Article, Label

BOOKKEEPING = {"history_id", "history_date"}


def history_values(row):
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.name not in BOOKKEEPING
    }


def test_it_copies_every_tracked_column_as_simple_history_does(annotator_user, sample_article):
    fields = {
        "article": sample_article,
        "label": Label.objects.get(name="factual"),
        "author": annotator_user,
        "start": 0,
        "end": 5,
        "quote": sample_article.body[:5],
        "note": "a note",
    }
    by_signal = Annotation(**fields)
    by_signal._history_user = annotator_user
    by_signal.save()
    by_sql = Annotation(**fields)
    by_sql.skip_history_when_saving = True
    by_sql.save()
    del by_sql.skip_history_when_saving
    when = timezone.now()
    record_history(Annotation, [by_sql.pk], history_type="+", user_id=annotator_user.pk, date=when)

    expected = history_values(by_signal.history.get())
    written = by_sql.history.get()
    assert written.history_date == when
    actual = history_values(written)
    for differing in ("id", "uuid", "created_at", "updated_at"):
        expected.pop(differing), actual.pop(differing)
    assert actual == expected
    assert written.uuid == by_sql.uuid and written.created_at == by_sql.created_at


def test_it_writes_one_row_per_id_in_chunks(sample_article, other_article, monkeypatch):
    monkeypatch.setattr("articles.history.CHUNK", 1)
    Article.history.all().delete()
    record_history(Article, [sample_article.pk, other_article.pk], history_type="~", change_reason="why")
    rows = Article.history.order_by("id")
    assert [(row.id, row.history_type, row.history_change_reason) for row in rows] == [
        (sample_article.pk, "~", "why"),
        (other_article.pk, "~", "why"),
    ]
    assert rows[0].body == sample_article.body


def test_it_writes_the_rows_a_join_picks(sample_article, other_article, annotator_user):
    from articles.tests.export_helpers import annotate

    def record_the_picked():
        record_history_where(
            Article,
            join="JOIN articles_annotation a ON a.article_id = row.id",
            where="a.note = %s",
            params=["picked"],
            history_type="~",
            user_id=annotator_user.pk,
        )

    Article.history.all().delete()
    record_the_picked()
    assert not Article.history.exists()  # nothing matched yet
    annotate(other_article, other_article.body[:5], annotator_user, note="picked")
    annotate(sample_article, sample_article.body[:5], annotator_user, note="left")
    record_the_picked()
    row = Article.history.get()
    assert (row.id, row.history_type, row.history_user_id) == (other_article.pk, "~", annotator_user.pk)
    assert row.title == other_article.title
