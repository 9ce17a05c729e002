"""Export rows carry UUIDs and times as the export's text, formatted by the database."""

from datetime import UTC, datetime

from articles.exchange.export_rows import annotations_for_export, export_rows
from articles.exchange.writers import COLUMN_INDEX
from articles.models import Annotation, Label
from articles.spans.annotating import create_annotation


def test_it_formats_uuids_and_times_like_python_would(sample_article, annotator_user):
    label = Label.objects.get(name="factual")
    annotation = create_annotation(
        sample_article, annotator_user, label_id=label.pk, start_u16=0, end_u16=5, quote="For a"
    )
    Annotation.objects.filter(pk=annotation.pk).update(
        created_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),  # no microseconds
        reviewed_at=datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    )
    [row] = list(export_rows(annotations_for_export()))
    assert row[COLUMN_INDEX["annotation_id"]] == str(annotation.uuid)
    assert row[COLUMN_INDEX["created_at"]] == "2024-01-02T03:04:05.000000Z"
    assert row[COLUMN_INDEX["reviewed_at"]] == "2024-01-02T03:04:05.123456Z"
    assert isinstance(row, tuple) and row[COLUMN_INDEX["start"]] == 0


def test_it_exports_nothing_for_an_empty_selection(db):
    assert list(export_rows(annotations_for_export().none())) == []
