"""Attribution columns, the sources and attributions exports, and their import."""

import json
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.exchange.export_rows import annotations_for_export, collection_iri, export_rows, export_stream
from articles.exchange.import_rows import AnnotationImportError, import_annotations
from articles.exchange.writers import CSV_COLUMNS
from articles.models import Annotation, Attribution, Source
from articles.sources.attributing import attribute, identify_source, set_own_voice, set_tone
from articles.spans.annotating import delete_annotation
from articles.tests.export_helpers import annotate, csv_records

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "jsonl", "w3c"]
CLAIM = "The U.S. is saying, 'My way or the high way,'"


def export(export_format="csv"):
    chunks = export_stream(annotations_for_export(), export_format, collection_id=collection_iri(""))
    return "".join(chunks).encode("utf-8")


@pytest.fixture
def coded(sample_article, annotator_user):
    """The sample article coded with every attribution field."""
    official = Source.objects.create(
        name="Senior Pakistani military official",
        source_type="military",
        affiliation="Pakistani military",
        anonymous=True,
    )
    mullen = Source.objects.create(name="Michael Mullen", aliases="Adm. Mullen", source_type="military")
    claim = annotate(sample_article, CLAIM, annotator_user, label="factual")
    source = annotate(sample_article, "the official", annotator_user, label="anonymous source")
    identify_source(source, entity=official)
    second = annotate(sample_article, "the official", annotator_user, label="anonymous source", occurrence=1)
    identify_source(second, entity=official, anonymity="anonymous")
    attribute(claim, source, annotator_user)
    attribute(claim, second, annotator_user, cue="told ABC News", form="paraphrase")
    named = annotate(sample_article, "Adm. Michael Mullen", annotator_user, label="named person")
    identify_source(named, entity=mullen)
    mullen_claim = annotate(
        sample_article, "accused the ISI of supporting the Haqqani network", annotator_user
    )
    attribute(mullen_claim, named, annotator_user)
    own = annotate(sample_article, "Senior military officials on both sides seem fed up", annotator_user)
    set_own_voice(own, True)
    tone = annotate(sample_article, "so-called coalition partner", annotator_user, label="negative")
    set_tone(tone, intensity=3, target_text="the U.S.")
    targeted = annotate(sample_article, "diatribe", annotator_user, label="negative")
    set_tone(targeted, intensity=2, target_entity=mullen)
    return {
        "claim": claim,
        "source": source,
        "second": second,
        "tone": tone,
        "targeted": targeted,
        "official": official,
        "mullen": mullen,
        "own": own,
    }


def by_quote(records):
    return {record["quote"]: record for record in records}


def test_it_keeps_the_first_sixteen_columns_then_offsets_review_and_attribution():
    assert CSV_COLUMNS[:16] == (
        "annotation_id",
        "article_id",
        "article_title",
        "article_url",
        "outlet",
        "category",
        "label",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "note",
        "author",
        "created_at",
        "updated_at",
    )
    assert CSV_COLUMNS[16:] == (
        "start_utf16",
        "end_utf16",
        "status",
        "reviewed_by",
        "reviewed_at",
        "kind",
        "attributed_to",
        "attribution_cue",
        "attribution_form",
        "source_entity_id",
        "source_entity_name",
        "source_type",
        "anonymity",
        "tone_intensity",
        "tone_score",
        "tone_target",
        "coder",
        "gold",
    )


def test_it_exports_links_entities_and_tone_in_csv(coded):
    rows = by_quote(csv_records(export("csv").decode()))
    claim = rows[CLAIM]
    assert claim["kind"] == "claim"
    assert claim["attributed_to"] == f"{coded['source'].uuid};{coded['second'].uuid}"
    assert (claim["attribution_cue"], claim["attribution_form"]) == (
        "said;told ABC News",
        "direct;paraphrase",
    )
    assert rows["Senior military officials on both sides seem fed up"]["attribution_form"] == "own_voice"
    source = rows["the official"]
    assert (source["kind"], source["source_entity_id"], source["source_entity_name"]) == (
        "source",
        str(coded["official"].pk),
        "Senior Pakistani military official",
    )
    assert (source["source_type"], source["anonymity"]) == ("military", "anonymous")
    tone = rows["so-called coalition partner"]
    assert (tone["tone_intensity"], tone["tone_score"], tone["tone_target"], tone["source_entity_id"]) == (
        "3",
        "-3",
        "the U.S.",
        "",
    )
    targeted = rows["diatribe"]
    assert (targeted["tone_score"], targeted["tone_target"], targeted["source_entity_id"]) == (
        "-2",
        "Michael Mullen",
        str(coded["mullen"].pk),
    )


def test_it_answers_how_many_claims_come_from_anonymous_officials(coded):
    # The docs' pandas line, step by step: claims exploded by source, joined to the source rows.
    rows = csv_records(export("csv").decode())
    sources = {row["annotation_id"]: row for row in rows if row["kind"] == "source"}
    claims = {
        row["annotation_id"]
        for row in rows
        if row["kind"] == "claim"
        for source_id in filter(None, row["attributed_to"].split(";"))
        if sources[source_id]["anonymity"] == "anonymous"
    }
    assert claims == {str(coded["claim"].uuid)}


def test_it_nests_the_attribution_fields_in_jsonl(coded):
    records = by_quote(json.loads(line) for line in export("jsonl").decode().splitlines())
    claim = records[CLAIM]
    assert claim["attributions"] == [
        {"source": str(coded["source"].uuid), "cue": "said", "form": "direct"},
        {"source": str(coded["second"].uuid), "cue": "told ABC News", "form": "paraphrase"},
    ]
    assert records["the official"]["source_entity"] == {
        "id": coded["official"].pk,
        "name": "Senior Pakistani military official",
        "type": "military",
    }
    assert records["so-called coalition partner"]["tone_score"] == -3


def test_it_writes_each_link_as_a_linking_w3c_annotation(coded):
    items = json.loads(export("w3c"))["first"]["items"]
    links = [item for item in items if item["motivation"] == "linking"]
    link = Attribution.objects.get(claim=coded["claim"], source=coded["source"])
    (written,) = [item for item in links if item["id"] == f"urn:uuid:{link.uuid}"]
    assert [target["id"] for target in written["target"]] == [
        f"urn:uuid:{coded['claim'].uuid}",
        f"urn:uuid:{coded['source'].uuid}",
    ]
    assert [body["value"] for body in written["body"]] == ["said", "form: direct"]
    (source,) = [item for item in items if item["id"] == f"urn:uuid:{coded['source'].uuid}"]
    identifying = [body for body in source["body"] if body["purpose"] == "identifying"]
    assert identifying == [
        {
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": {
                "id": f"urn:annotator:source:{coded['official'].pk}",
                "label": "Senior Pakistani military official",
                "type": "military",
            },
        }
    ]


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize("deletion", ["hard", "soft"])
def test_it_round_trips_everything_byte_for_byte(coded, export_format, deletion):
    before = export(export_format)
    links = Attribution.objects.count()
    if deletion == "hard":
        Annotation.all_objects.all().delete()
        assert not Attribution.objects.exists()
    else:
        for annotation in Annotation.objects.all():
            delete_annotation(annotation)

    report = import_annotations(before, export_format)

    assert export(export_format) == before
    assert Attribution.objects.live().count() == links
    assert report.links == (links if deletion == "hard" else 0)


def test_it_round_trips_onto_an_instance_without_the_entities(coded):
    before = export("csv")
    Annotation.all_objects.all().delete()
    Source.objects.all().delete()

    import_annotations(before, "csv")

    assert sorted(Source.objects.values_list("name", "source_type")) == [
        ("Michael Mullen", "military"),
        ("Senior Pakistani military official", "military"),
    ]
    rows = by_quote(csv_records(export("csv").decode()))
    assert rows["diatribe"]["tone_target"] == "Michael Mullen"
    assert rows["the official"]["source_entity_name"] == "Senior Pakistani military official"


@pytest.mark.parametrize("export_format", FORMATS)
def test_it_adds_no_link_when_importing_twice(coded, export_format):
    data = export(export_format)
    links = Attribution.objects.count()
    report = import_annotations(data, export_format)
    assert (report.created, report.links) == (0, 0)
    assert Attribution.objects.count() == links


def replace_cells(data, quote, **changes):
    records = csv_records(data.decode())
    for record in records:
        if record["quote"] == quote:
            record.update(changes)
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode()


@pytest.mark.parametrize(
    ("quote", "changes", "message"),
    [
        (
            CLAIM,
            {
                "attributed_to": "8c9a0a3e-0000-4000-8000-000000000000",
                "attribution_cue": "said",
                "attribution_form": "direct",
            },
            "is neither in the file nor here",
        ),
        (CLAIM, {"attribution_form": "direct;rumour"}, "form “rumour”"),
        (CLAIM, {"attribution_cue": "said"}, "as many links"),
        ("so-called coalition partner", {"attributed_to": "x"}, "only claims are attributed"),
        ("the official", {"anonymity": "secret"}, "anonymity “secret”"),
        ("so-called coalition partner", {"tone_intensity": "5"}, "tone_intensity “5”"),
        ("the official", {"source_type": "alien"}, "source_type “alien”"),
    ],
)
def test_it_refuses_bad_attribution_cells_and_imports_nothing(coded, quote, changes, message):
    data = replace_cells(export("csv"), quote, **changes)
    Annotation.all_objects.all().delete()
    with pytest.raises(AnnotationImportError) as failure:
        import_annotations(data, "csv")
    assert any(message in str(error) for error in failure.value.errors), failure.value.errors
    assert not Annotation.all_objects.exists()


def test_it_refuses_a_link_to_a_span_that_is_not_a_source(coded):
    data = replace_cells(
        export("csv"),
        CLAIM,
        attributed_to=str(coded["tone"].uuid),
        attribution_cue="said",
        attribution_form="direct",
    )
    Annotation.all_objects.all().delete()
    with pytest.raises(AnnotationImportError, match="does not link a claim to a source"):
        import_annotations(data, "csv")


def test_it_skips_the_claim_with_a_bad_link_when_asked(coded):
    data = replace_cells(
        export("csv"),
        CLAIM,
        attributed_to="8c9a0a3e-0000-4000-8000-000000000000",
        attribution_cue="said",
        attribution_form="direct",
    )
    Annotation.all_objects.all().delete()
    report = import_annotations(data, "csv", skip_bad=True)
    assert len(report.skipped) == 1
    assert not Annotation.objects.filter(quote=CLAIM).exists()
    assert Annotation.objects.filter(quote="the official").count() == 2


def test_it_exports_the_registry_with_counts(coded, other_article, annotator_user):
    mullen_elsewhere = annotate(other_article, "Traders", annotator_user, label="named person")
    identify_source(mullen_elsewhere, entity=coded["mullen"])
    rows = {
        row["name"]: row for row in csv_records("".join(export_stream(annotations_for_export(), "sources")))
    }
    official = rows["Senior Pakistani military official"]
    assert (official["articles"], official["citations"], official["claims_attributed"]) == ("1", "2", "1")
    assert official["outlets"] == "ABC News" and official["anonymous"] == "yes"
    mullen = rows["Michael Mullen"]
    assert (mullen["articles"], mullen["citations"], mullen["outlets"]) == (
        "2",
        "2",
        "ABC News; Daily Ledger",
    )
    assert mullen["aliases"] == "Adm. Mullen"


def test_it_exports_one_row_per_link(coded):
    rows = csv_records("".join(export_stream(annotations_for_export(), "attributions")))
    assert [(row["claim_quote"], row["source_quote"], row["cue"], row["form"]) for row in rows] == [
        (CLAIM, "the official", "said", "direct"),
        (CLAIM, "the official", "told ABC News", "paraphrase"),
        ("accused the ISI of supporting the Haqqani network", "Adm. Michael Mullen", "accused", "indirect"),
    ]
    assert rows[0]["source_entity_name"] == "Senior Pakistani military official"
    assert rows[0]["anonymity"] == "anonymous" and rows[0]["outlet"] == "ABC News"


def test_it_keeps_the_export_query_count_flat_with_links(sample_article, annotator_user):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = list(export_rows(annotations_for_export()))
        return len(rows), len(captured.captured_queries)

    def add_links(count):
        source = annotate(sample_article, "the official", annotator_user, label="anonymous source")
        for _ in range(count):
            claim = annotate(sample_article, CLAIM, annotator_user)
            Attribution.objects.create(claim=claim, source=source, author=annotator_user, cue="said")

    add_links(2)
    few = queries()
    add_links(60)
    many = queries()
    assert (few[0], many[0]) == (3, 64)
    assert few[1] == many[1]


def test_it_keeps_links_in_the_sources_text_order(coded, sample_article, annotator_user):
    later = annotate(sample_article, "he said", annotator_user, label="anonymous source")
    attribute(coded["claim"], later, annotator_user, cue="said", form="direct")
    rows = by_quote(csv_records(export("csv").decode()))
    assert rows[CLAIM]["attributed_to"].split(";")[-1] == str(later.uuid)
    grouped = defaultdict(list)
    for row in csv_records(export("csv").decode()):
        grouped[row["kind"]].append(row)
    assert len(grouped["claim"]) == 3


def test_a_web_import_by_an_annotator_makes_the_new_links_theirs(coded, make_user):
    # Bob's own annotations (an Annotator imports nothing else), linked by someone else.
    bob = make_user("bob", "Annotator")
    Annotation.all_objects.update(author=bob)
    assert "bob" not in set(Attribution.objects.values_list("author__username", flat=True))
    data = export("w3c")
    Annotation.all_objects.all().delete()
    import_annotations(data, "w3c", user=bob)
    assert set(Attribution.objects.values_list("author__username", flat=True)) == {"bob"}
