"""Big imports are staged in short batches and swapped in at once (issue 8, item 9)."""

import datetime
import json
import uuid
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone

from articles.exchange import staging
from articles.exchange.import_rows import AnnotationImportError, import_annotations
from articles.exchange.models import StagedAnnotation
from articles.models import Annotation
from articles.tests.export_helpers import make_article


@pytest.fixture
def rows(annotator_user):
    article = make_article()
    words = [("delegation", "factual"), ("productive", "opinion"), ("critic", "factual")]
    records = []
    for number in range(7):
        word, label = words[number % 3]
        start = article.body.index(word)
        records.append(
            {
                "annotation_id": str(uuid.uuid4()),
                "article_id": article.pk,
                "category": "Claim",
                "label": label,
                "start": start,
                "end": start + len(word),
                "quote": word,
                "author": annotator_user.username,
                "note": f"row {number}",
                "updated_at": "2026-01-02T03:04:05.000006Z",
            }
        )
    return "\n".join(json.dumps(record) for record in records).encode()


def test_every_annotation_column_is_copied_or_left_to_its_default():
    """A field added to Annotation must be added to the staging table and to COPIED."""
    columns = {field.column for field in Annotation._meta.concrete_fields}
    assert columns == set(staging.COPIED) | staging.NOT_COPIED


def test_it_stages_in_batches_and_swaps_everything_in(rows, annotator_user, monkeypatch):
    monkeypatch.setattr(staging, "BATCH", 2)
    monkeypatch.setattr(staging, "PAUSE_BETWEEN_BATCHES", 0)
    batches = []
    real = StagedAnnotation.objects.bulk_create
    monkeypatch.setattr(
        StagedAnnotation.objects, "bulk_create", lambda objs: batches.append(len(objs)) or real(objs)
    )
    report = import_annotations(rows, "jsonl", user=annotator_user)
    assert report.created == 7 and batches == [2, 2, 2, 1]
    assert Annotation.objects.count() == 7 and not StagedAnnotation.objects.exists()
    first = Annotation.objects.get(note="row 0")
    assert first.updated_at == datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    record = first.history.get()
    assert (record.history_type, record.history_change_reason, record.history_user) == (
        "+",
        "import",
        annotator_user,
    )
    assert (record.note, record.quote, record.uuid) == (first.note, first.quote, first.uuid)


def test_nothing_is_visible_before_the_swap(rows, annotator_user, monkeypatch):
    seen = []
    real = staging.swap_in

    def look_then_swap(token, **kwargs):
        seen.append((Annotation.all_objects.count(), StagedAnnotation.objects.filter(token=token).count()))
        return real(token, **kwargs)

    monkeypatch.setattr("articles.exchange.import_rows.swap_in", look_then_swap)
    import_annotations(rows, "jsonl", user=annotator_user)
    assert seen == [(0, 7)]


def test_a_failed_swap_leaves_nothing(rows, annotator_user):
    with (
        mock.patch("articles.exchange.import_rows.swap_in", side_effect=DatabaseError("disk full")),
        pytest.raises(AnnotationImportError, match="nothing imported: the database refused it"),
    ):
        import_annotations(rows, "jsonl", user=annotator_user)
    assert not Annotation.all_objects.exists() and not StagedAnnotation.objects.exists()


def test_rows_left_by_a_killed_import_are_removed_by_the_next(rows, annotator_user):
    old = StagedAnnotation.objects.create(
        token=uuid.uuid4(),
        staged_at=timezone.now() - datetime.timedelta(days=1),
        uuid=uuid.uuid4(),
        article_id=1,
        label_id=1,
        start=0,
        end=1,
        quote="x",
        author_id=1,
        status="pending",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    import_annotations(rows, "jsonl", user=annotator_user)
    assert not StagedAnnotation.objects.filter(pk=old.pk).exists()
