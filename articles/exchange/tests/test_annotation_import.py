"""Importing exported annotations (articles/annotation_import.py): round trips, re-anchoring,
all-or-nothing and --skip-bad."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.exchange.export_rows import annotations_for_export, collection_iri, export_chunks, export_rows
from articles.exchange.import_rows import AnnotationImportError, format_for_filename, import_annotations
from articles.exchange.writers import CSV_COLUMNS
from articles.models import Annotation, Article, Label
from articles.spans.annotating import delete_annotation
from articles.tests.export_helpers import annotate, csv_records, make_article

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "jsonl", "w3c"]


def export(export_format="csv", **options):
    chunks = export_chunks(
        export_rows(annotations_for_export()), export_format, collection_id=collection_iri(""), **options
    )
    return "".join(chunks).encode("utf-8")


@pytest.fixture
def annotated(sample_article, annotator_user, make_user):
    """Two articles with annotations that exercise every column and the escaping."""
    curator = make_user("carol", "Curator")
    article = make_article(outlet="Wire", url="https://example.org/emoji")
    annotate(article, "productive", annotator_user, note="=1+1\nsecond line, with “quotes”")
    annotate(article, "delegation 🎉 said", annotator_user, label="opinion", note="'-already quoted")
    annotate(article, "-40% said another", annotator_user, label="negative")
    reviewed = annotate(sample_article, "Pakistani", annotator_user, label="named person")
    Annotation.objects.filter(pk=reviewed.pk).update(
        status="rejected", reviewed_by=curator, reviewed_at=datetime(2026, 2, 3, 4, 5, 6, 7, tzinfo=UTC)
    )
    retired = annotate(sample_article, "military", annotator_user, label="prediction")
    Label.objects.filter(pk=retired.label_id).update(active=False)
    return article


PRODUCTIVE_LINE = 5  # header, the sample article's two rows, "delegation 🎉 said", then "productive"


def csv_line(text, **changes):
    """A CSV export with cells of the "productive" row changed."""
    records = csv_records(text.decode("utf-8"))
    (record,) = [record for record in records if record["quote"] == "productive"]
    record.update(changes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize("deletion", ["hard", "soft"])
def test_it_round_trips_byte_for_byte(annotated, export_format, deletion):
    before = export(export_format)
    count = Annotation.objects.count()
    if deletion == "hard":
        Annotation.all_objects.all().delete()
    else:
        for annotation in Annotation.objects.all():
            delete_annotation(annotation)
    assert Annotation.objects.count() == 0

    report = import_annotations(before, export_format)

    assert (report.created, report.restored) == ((count, 0) if deletion == "hard" else (0, count))
    assert export(export_format) == before


def test_it_round_trips_the_excel_and_raw_csv_variants(annotated):
    for options in ({"excel": True}, {"raw": True}):
        before = export("csv", **options)
        Annotation.all_objects.all().delete()
        import_annotations(before, "csv", raw=options.get("raw", False))
        assert export("csv", **options) == before


def test_it_adds_nothing_when_importing_twice(annotated):
    data = export("jsonl")
    history = Annotation.history.count()

    report = import_annotations(data, "jsonl")

    assert (report.created, report.restored, report.unchanged) == (0, 0, 5)
    assert Annotation.all_objects.count() == 5
    assert Annotation.history.count() == history
    assert export("jsonl") == data


def test_it_records_history_for_imported_annotations(annotated):
    curator = User.objects.get(username="carol")
    data = export("csv")
    Annotation.all_objects.all().delete()
    import_annotations(data, "csv", user=curator)  # the file has reviews: a curator's import
    latest = Annotation.history.latest("history_date")
    assert latest.history_change_reason == "import"
    assert latest.history_user == curator


def test_it_aborts_everything_on_one_bad_row_and_names_its_line(annotated):
    data = export("csv")
    Annotation.all_objects.all().delete()
    # Only the "delegation" row (line 4) has the label "opinion"; it gets one that does not exist.
    bad = data.replace(b",opinion,", b",no-such-label,")
    assert bad.count(b"no-such-label") == 1

    with pytest.raises(AnnotationImportError) as failure:
        import_annotations(bad, "csv")

    assert Annotation.all_objects.count() == 0
    assert str(failure.value) == "nothing imported: line 4: unknown label “Claim: no-such-label”"
    assert [error.number for error in failure.value.errors] == [4]


def test_it_skips_bad_rows_when_asked_and_lists_them(annotated):
    data = export("jsonl")
    Annotation.all_objects.all().delete()
    lines = data.decode("utf-8").splitlines()
    lines[1] = lines[1].replace('"author": "alice"', '"author": "mallory"')
    lines[3] = "{not json"

    report = import_annotations("\n".join(lines).encode(), "jsonl", skip_bad=True)

    assert report.created == 3
    assert [str(error) for error in report.skipped] == [
        "line 2: author “mallory” is not a user here",
        "line 4: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
    ]
    assert Annotation.objects.count() == 3


def test_it_places_a_quote_that_moved_by_its_context(annotated):
    data = export("csv")
    Annotation.all_objects.all().delete()
    # An edit before the passages shifts them; the import finds them by quote and context.
    Article.objects.filter(pk=annotated.pk).update(body="Update: a new first line.\n\n" + annotated.body)

    report = import_annotations(data, "csv")

    assert report.created == 5 and report.moved == 3
    body = Article.objects.get(pk=annotated.pk).body
    for annotation in Annotation.objects.filter(article=annotated):
        assert body[annotation.start : annotation.end] == annotation.quote
        assert annotation.prefix == body[max(0, annotation.start - 32) : annotation.start]


def test_it_reports_a_quote_it_cannot_place(annotated):
    data = export("csv")
    Annotation.all_objects.all().delete()
    Article.objects.filter(pk=annotated.pk).update(body=annotated.body.replace("productive", "useful"))

    # Line 5: header, the sample article's two rows, "delegation 🎉 said", then this one.
    with pytest.raises(AnnotationImportError, match=r"line 5: cannot place “productive” in article #\d+"):
        import_annotations(data, "csv")
    assert Annotation.all_objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"article_id": "999999", "article_title": "Nowhere", "article_url": ""},
            "unknown article #999999 “Nowhere”",
        ),
        ({"category": "Tone"}, "unknown label “Tone: factual”"),
        ({"start": "x"}, "start “x” is not a whole number"),
        ({"start": "'-3"}, "start “-3” is not a whole number"),
        ({"end": "1"}, "is not before end 1"),
        ({"quote": "productiv"}, "spans 10 characters but the quote has 9"),
        ({"quote": ""}, "quote is empty"),
        ({"annotation_id": "not-a-uuid"}, "annotation_id “not-a-uuid” is not a UUID"),
        ({"status": "maybe"}, "status “maybe” is not one of pending, accepted, rejected"),
        ({"created_at": "yesterday"}, "created_at “yesterday” is not an ISO 8601 date-time"),
        ({"reviewed_by": "nobody"}, "reviewed_by “nobody” is not a user here"),
    ],
)
def test_it_explains_each_kind_of_bad_row(annotated, changes, message):
    data = csv_line(export("csv"), **changes)
    Annotation.all_objects.all().delete()
    with pytest.raises(AnnotationImportError) as failure:
        import_annotations(data, "csv")
    assert str(failure.value.errors[0]).startswith(f"line {PRODUCTIVE_LINE}: ")
    assert message in str(failure.value)
    assert Annotation.all_objects.count() == 0


def test_it_refuses_a_uuid_that_appears_twice(annotated):
    data = export("csv")
    first_row = data.split(b"\r\n")[1]
    Annotation.all_objects.all().delete()
    with pytest.raises(AnnotationImportError, match="appears twice .first at line 2."):
        import_annotations(data + first_row + b"\r\n", "csv")


def test_it_refuses_a_uuid_that_belongs_to_another_article_here(annotated, sample_article):
    data = export("jsonl")
    Annotation.all_objects.filter(article=annotated).update(article=sample_article)
    with pytest.raises(AnnotationImportError, match=r"exists here on article #\d+"):
        import_annotations(data, "jsonl")


def test_it_finds_the_article_by_title_when_ids_differ_between_instances(annotated):
    data = export("csv")
    Annotation.all_objects.all().delete()
    # Another instance: same article text and title, other id.
    copy = Article.objects.get(pk=annotated.pk)
    Article.objects.filter(pk=annotated.pk).delete()
    copy.pk = None
    copy.save()

    report = import_annotations(data, "csv")

    assert report.created == 5
    assert Annotation.objects.filter(article=copy).count() == 3


def test_it_refuses_text_that_is_not_utf8(annotated):
    data = export("csv").replace(b"=1+1", b"=1\xff+1")
    # The note comes after the row's suffix, which holds a paragraph break: two lines on.
    with pytest.raises(AnnotationImportError, match=rf"line {PRODUCTIVE_LINE + 2}: not UTF-8 text"):
        import_annotations(data, "csv")


def test_it_refuses_malformed_csv_with_the_line(annotated):
    data = export("csv", raw=True)
    Annotation.all_objects.all().delete()
    broken = data.replace(b",productive,", b',"productive"x,')
    with pytest.raises(AnnotationImportError, match=rf"line {PRODUCTIVE_LINE}: malformed CSV") as failure:
        import_annotations(broken, "csv", raw=True)
    assert str(failure.value).startswith("nothing imported: ")
    assert Annotation.all_objects.count() == 0


def test_it_refuses_a_csv_without_the_needed_columns():
    with pytest.raises(AnnotationImportError, match="line 1: the header lacks the column.s. quote"):
        import_annotations(b"annotation_id,article_id,category,label,start,end,author\r\n", "csv")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'{"type": "AnnotationCollection", "first": {"items": [', "line 1: not valid JSON"),
        (b'{"type": "Something"}', "not a W3C annotation"),
        (b'{"type": "AnnotationCollection", "first": "https://elsewhere/page1"}', "must be embedded"),
    ],
)
def test_it_refuses_w3c_documents_it_cannot_read(document, message):
    with pytest.raises(AnnotationImportError, match=message):
        import_annotations(document, "w3c")


def test_it_reports_w3c_annotations_by_their_number(annotated):
    document = json.loads(export("w3c"))
    del document["first"]["items"][1]["target"]["selector"][0]
    Annotation.all_objects.all().delete()

    report = import_annotations(json.dumps(document).encode(), "w3c", skip_bad=True)

    assert [str(error) for error in report.skipped] == ["annotation 2: has no TextQuoteSelector"]
    assert report.created == 4


def test_it_keeps_cells_that_look_escaped_in_raw_files(annotated):
    data = export("csv", raw=True)
    Annotation.all_objects.all().delete()
    import_annotations(data, "csv", raw=True)
    assert Annotation.objects.filter(note="'-already quoted").exists()


def test_it_tells_the_format_from_the_file_name():
    assert format_for_filename("x.CSV") == "csv"
    assert format_for_filename("x.jsonl") == "jsonl"
    assert format_for_filename("x.jsonld") == "w3c"
    with pytest.raises(AnnotationImportError, match="cannot tell the format"):
        format_for_filename("x.xlsx")


notes = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=notes, export_format=st.sampled_from(FORMATS), raw=st.booleans())
def test_it_round_trips_any_note(sample_article, annotator_user, note, export_format, raw):
    annotation = annotate(sample_article, "Pakistani", annotator_user, note=note)
    try:
        data = export(export_format, raw=raw)
        Annotation.all_objects.all().delete()
        import_annotations(data, export_format, raw=raw)
        assert Annotation.objects.get(uuid=annotation.uuid).note == note
        assert export(export_format, raw=raw) == data
    finally:
        Annotation.all_objects.all().delete()
