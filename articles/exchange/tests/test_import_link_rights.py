"""Who may add attribution links by import: the rules of the reader (a claim's links are
its author's or a curator's; another coder's hidden span under blind coding is not there
to link to), whatever rows of the file the links ride on."""

import json

import pytest

from articles.coding.tests.helpers import make_batch
from articles.exchange.export_rows import annotations_for_export, collection_iri, export_stream
from articles.exchange.import_rows import AnnotationImportError, import_annotations
from articles.models import Attribution
from articles.sources.attributing import attribute
from articles.tests.admin_helpers import make_curator
from articles.tests.export_helpers import annotate

CLAIM = "The U.S. is saying, 'My way or the high way,'"


def export_jsonl():
    chunks = export_stream(annotations_for_export(), "jsonl", collection_id=collection_iri(""))
    return [json.loads(line) for line in "".join(chunks).splitlines()]


def with_link(records, claim, source):
    """The exported records with a link from `claim` to `source` added to the claim's row."""
    for record in records:
        if record["annotation_id"] == str(claim.uuid):
            record["attributions"] = [
                *(record.get("attributions") or []),
                {"source": str(source.uuid), "cue": "forged", "form": "direct"},
            ]
    return "\n".join(json.dumps(record) for record in records).encode()


@pytest.fixture
def people(make_user):
    return make_user("alice"), make_user("bob"), make_curator(make_user)


def test_it_refuses_a_link_on_another_analysts_claim_riding_on_an_unchanged_row(people, sample_article):
    alice, bob, _ = people
    claim = annotate(sample_article, CLAIM, bob, label="factual")
    source = annotate(sample_article, "the official", bob, label="anonymous source")
    data = with_link(export_jsonl(), claim, source)
    with pytest.raises(AnnotationImportError, match="by bob"):
        import_annotations(data, "jsonl", user=alice)
    assert not Attribution.objects.exists()
    report = import_annotations(data, "jsonl", user=alice, skip_bad=True)
    assert report.links == 0 and not Attribution.objects.exists()
    assert "by bob" in str(report.skipped[0])


def test_it_refuses_a_link_to_another_coders_hidden_source(people, sample_article):
    alice, bob, _ = people
    make_batch([sample_article], [alice, bob], blind=True)
    mine = annotate(sample_article, CLAIM, alice, label="factual")
    hidden = annotate(sample_article, "the official", bob, label="anonymous source")
    records = [record for record in export_jsonl() if record["author"] == "alice"]
    with pytest.raises(
        AnnotationImportError, match=f"the source {hidden.uuid} is neither in the file nor here"
    ):
        import_annotations(with_link(records, mine, hidden), "jsonl", user=alice)
    assert not Attribution.objects.exists()


def test_it_refuses_a_w3c_linking_annotation_on_another_analysts_claim(people, sample_article):
    alice, bob, _ = people
    claim = annotate(sample_article, CLAIM, bob, label="factual")
    source = annotate(sample_article, "the official", bob, label="anonymous source")
    attribute(claim, source, bob)
    chunks = export_stream(annotations_for_export(), "w3c", collection_id=collection_iri(""))
    data = "".join(chunks).encode()
    Attribution.objects.all().delete()
    with pytest.raises(AnnotationImportError, match="by bob"):
        import_annotations(data, "w3c", user=alice)
    assert not Attribution.objects.exists()


def test_it_links_an_analysts_own_claim_and_source(people, sample_article):
    alice, *_ = people
    claim = annotate(sample_article, CLAIM, alice, label="factual")
    source = annotate(sample_article, "the official", alice, label="anonymous source")
    report = import_annotations(with_link(export_jsonl(), claim, source), "jsonl", user=alice)
    assert report.links == 1
    assert Attribution.objects.get().author == alice


def test_it_lets_an_analyst_reimport_a_file_with_others_links_already_here(people, sample_article):
    alice, bob, _ = people
    claim = annotate(sample_article, CLAIM, bob, label="factual")
    source = annotate(sample_article, "the official", bob, label="anonymous source")
    attribute(claim, source, bob)
    data = "\n".join(json.dumps(record) for record in export_jsonl()).encode()
    report = import_annotations(data, "jsonl", user=alice)
    assert (report.unchanged, report.links) == (2, 0)


def test_it_lets_a_curator_link_anyones_claim(people, sample_article):
    _, bob, carol = people
    claim = annotate(sample_article, CLAIM, bob, label="factual")
    source = annotate(sample_article, "the official", bob, label="anonymous source")
    report = import_annotations(with_link(export_jsonl(), claim, source), "jsonl", user=carol)
    assert report.links == 1
