"""The batch Agreement page, its CSV and the `agreement` command with claim → source link
F1 and α ordinal on tone intensity, from the attribution schema; figures by hand."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.coding.batch_agreement import batch_documents, batch_report
from articles.coding.tests.helpers import annotate, make_batch
from articles.models import Annotation, Attribution
from articles.tests.admin_helpers import make_curator


def link(claim, source):
    return Attribution.objects.create(claim=claim, source=source, author=claim.author, cue="said")


def tone(article, author, phrase, label, intensity):
    annotation = annotate(article, author, phrase, label=label)
    if intensity is not None:
        Annotation.objects.filter(pk=annotation.pk).update(tone_intensity=intensity)
    return annotation


@pytest.fixture
def coded(make_user, sample_article, other_article):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article, other_article], [alice, bob], name="Wave 2")
    # The sample article: both link the same claim to the same source; bob links one more.
    for user in (alice, bob):
        link(
            annotate(sample_article, user, "My way or the high way"),
            annotate(sample_article, user, "the official", label="named person"),
        )
    bob_source = Annotation.objects.get(author=bob, label__name="named person")
    link(annotate(sample_article, bob, "They're going solo"), bob_source)
    # The other article: the same claim, attributed to different sources (no match).
    alice_claim = annotate(other_article, alice, "Markets rallied")
    link(alice_claim, annotate(other_article, alice, "Traders", label="named person"))
    bob_claim = annotate(other_article, bob, "Markets rallied")
    bob_bank = annotate(other_article, bob, "the central bank", label="organisation or document")
    link(bob_claim, bob_bank)
    # Not anyone's coding: a link from alice's claim to bob's source, and one whose source
    # was deleted.
    link(alice_claim, bob_bank)
    gone = annotate(other_article, alice, "Friday", label="named person")
    link(alice_claim, gone)
    Annotation.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    # Tone: "fed up" 3 vs 2, "powerful intelligence" 1 vs 1; "the detention" has no
    # intensity from alice, so only one value there (left out).
    for user, strength in ((alice, 3), (bob, 2)):
        tone(sample_article, user, "fed up", "negative", strength)
        tone(sample_article, user, "powerful intelligence", "positive", 1)
    tone(sample_article, alice, "the detention", "negative", None)
    tone(sample_article, bob, "the detention", "negative", 2)
    return batch


# Hand-computed: links 2·1 / (1 + 2) on the sample article and 0 / (1 + 1) on the other,
# pooled 2/5. α ordinal over (3,2), (3,2), (1,1), (1,1): values 1 ×4, 2 ×2, 3 ×2;
# δ²(2,3) = 4, δ²(1,2) = 9, δ²(1,3) = 25; D_o = 16/8, D_e = 576/56, α = 29/36 = 0.8056.
# negative alone: (3,2), (3,2): D_o = 4, D_e = 32/12, α = −0.5.
LINK_F1, TONE_ALPHA, NEGATIVE_ALPHA = 2 / 5, 29 / 36, -0.5


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_it_reads_links_and_intensity_from_the_attribution_schema(coded, sample_article):
    documents = {d.key: d for d in batch_documents(coded)}
    assert len(documents[sample_article.pk].links) == 3
    assert sorted(s.intensity for s in documents[sample_article.pk].spans if s.intensity) == [1, 1, 2, 2, 3]
    assert sum(len(d.links) for d in documents.values()) == 5


def test_it_shows_link_f1_and_alpha_ordinal_on_the_page(client, coded, make_user):
    client.force_login(make_curator(make_user))
    html = client.get(f"/coding/batches/{coded.pk}/agreement/").content.decode()
    table = html.split('id="agreement-labels"')[1].split("</table>")[0]
    claim_row = table.split("<strong>Claim</strong>")[1].split("</tr>")[0]
    tone_row = table.split("<strong>Tone</strong>")[1].split("</tr>")[0]
    negative_row = table.split("<td>negative</td>")[1].split("</tr>")[0]
    assert claim_row.rstrip().endswith('<td class="num">—</td>\n    <td class="num">0.400</td>')
    assert '<td class="num">0.806</td>' in tone_row and '<td class="num">-0.500</td>' in negative_row
    assert "links F1 0.40" in html.split('id="agreement-pairs"')[1]
    lowest = html.split('id="agreement-lowest"')[1]
    assert "links F1 0.00" in lowest and "links F1 0.67" in lowest


def test_it_puts_link_f1_and_alpha_ordinal_in_the_csv(client, coded, make_user, sample_article):
    client.force_login(make_curator(make_user))
    url = f"/coding/batches/{coded.pk}/agreement/?download="
    labels = {(r["category"], r["label"]): r for r in rows_of(client.get(url + "labels").content.decode())}
    assert labels[("Claim", "")]["link_f1"] == "0.4000" and labels[("Claim", "")]["alpha_ordinal"] == ""
    assert labels[("Tone", "")]["alpha_ordinal"] == "0.8056"
    assert labels[("Tone", "negative")]["alpha_ordinal"] == "-0.5000"
    assert labels[("Tone", "positive")]["alpha_ordinal"] == ""
    assert labels[("Source", "")]["link_f1"] == "" and labels[("Tone", "")]["link_f1"] == ""
    (pair,) = rows_of(client.get(url + "pairs").content.decode())
    assert pair["link_f1"] == "0.4000"
    articles = {
        int(r["article_id"]): r["link_f1"] for r in rows_of(client.get(url + "articles").content.decode())
    }
    assert articles[sample_article.pk] == "0.6667" and set(articles.values()) == {"0.6667", "0.0000"}


def test_the_command_prints_link_f1_and_alpha_ordinal(coded, capsys):
    call_command("agreement", "Wave 2", "--format", "csv")
    labels = {(r["category"], r["label"]): r for r in rows_of(capsys.readouterr().out)}
    assert labels[("Claim", "")]["link_f1"] == "0.4000" and labels[("Tone", "")]["alpha_ordinal"] == "0.8056"
    call_command("agreement", str(coded.pk), "--format", "json")
    report = json.loads(capsys.readouterr().out)
    figures = {(r["category"], r["label"]): r for r in report["labels"]}
    assert figures[("Claim", "")]["link_f1"] == pytest.approx(LINK_F1)
    assert figures[("Tone", "")]["alpha_ordinal"] == pytest.approx(TONE_ALPHA)
    assert figures[("Tone", "negative")]["alpha_ordinal"] == pytest.approx(NEGATIVE_ALPHA)
    assert report["pairs"][0]["link_f1"] == pytest.approx(LINK_F1)
    call_command("agreement", "Wave 2", "--table", "pairs")
    assert capsys.readouterr().out.splitlines()[0].endswith(",link_f1")


def test_it_leaves_out_the_links_of_someone_not_coding_the_batch(coded, sample_article, make_user):
    curator = make_curator(make_user)
    claim = annotate(sample_article, curator, "My way or the high way")
    link(claim, annotate(sample_article, curator, "the official", label="named person"))
    assert {d.key: len(d.links) for d in batch_documents(coded)}[sample_article.pk] == 3
    assert batch_report(coded)["pairs"][0]["link_f1"] == pytest.approx(LINK_F1)


def test_its_query_count_stays_flat_as_articles_grow(make_user, sample_article):
    from articles.ingest.pipeline import ingest, store_article

    alice, bob = make_user("alice"), make_user("bob")

    def batch_of(size, name):
        articles = [
            store_article(
                ingest(f"Article {name} {i}: the minister said taxes would fall.", title=f"{name} {i}")
            )[0]
            for i in range(size)
        ]
        for article in articles:
            for user in (alice, bob):
                link(
                    annotate(article, user, "taxes would fall"),
                    annotate(article, user, "the minister", label="named person"),
                )
                tone(article, user, "taxes", "negative", 2 if user == alice else 3)
        return make_batch(articles, [alice, bob], name=name)

    counts = []
    for size, name in ((1, "small"), (6, "large")):
        batch = batch_of(size, name)
        with CaptureQueriesContext(connection) as queries:
            report = batch_report(batch)
        counts.append(len(queries))
        assert report["pairs"][0]["link_f1"] == 1.0 and report["pairs"][0]["articles"] == size
    assert counts[0] == counts[1]
