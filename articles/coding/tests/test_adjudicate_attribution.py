"""Adjudication carries the accepted coder's attribution links, tone intensity and target,
and source entity into gold."""

import pytest

from articles.coding import adjudication
from articles.coding.tests.helpers import annotate, make_batch
from articles.models import Annotation, Attribution, Source
from articles.tests.admin_helpers import make_curator


def key(*annotations):
    return "-".join(str(a.pk) for a in sorted(annotations, key=lambda a: a.pk))


@pytest.fixture
def coded(make_user, sample_article, client):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article], [alice, bob])
    claims = [annotate(sample_article, user, "My way or the high way") for user in (alice, bob)]
    # The source: alice marks "the official", bob "the official said" (a boundary disagreement).
    official = Source.objects.create(name="Pakistani military official", anonymous=True)
    source_a = annotate(sample_article, alice, "the official", label="anonymous source")
    source_b = annotate(sample_article, bob, "the official said", label="anonymous source")
    Annotation.objects.filter(pk=source_a.pk).update(source_entity=official, anonymity=Annotation.ANONYMOUS)
    Attribution.objects.create(claim=claims[0], source=source_a, author=alice, cue="said", form="direct")
    Attribution.objects.create(claim=claims[1], source=source_b, author=bob, cue="said", form="direct")
    tones = []
    for user, intensity in ((alice, 3), (bob, 2)):
        tone = annotate(sample_article, user, "fed up", label="negative")
        Annotation.objects.filter(pk=tone.pk).update(
            tone_intensity=intensity, tone_target_text=f"the U.S. ({user})"
        )
        tones.append(tone)
    curator = make_curator(make_user)
    client.force_login(curator)
    url = f"/coding/batches/{batch.pk}/articles/{sample_article.pk}/adjudicate/"
    return {
        "batch": batch, "alice": alice, "bob": bob, "curator": curator, "url": url,
        "claims": claims, "sources": (source_a, source_b), "tones": tones, "official": official,
    }  # fmt: skip


def gold_links():
    return list(
        Attribution.objects.live()
        .filter(claim__gold__isnull=False)
        .values_list("claim__quote", "source__quote", "cue", "form", "author__username")
    )


def accept(client, coded, group, coder):
    response = client.post(coded["url"], {"action": "accept", "group": key(*group), "coder": coder.pk})
    assert response.status_code == 302


def test_it_links_the_gold_claim_to_the_gold_source_its_coder_linked(client, coded):
    accept(client, coded, coded["sources"], coded["bob"])  # the source first: no gold claim yet
    assert gold_links() == []
    client.post(coded["url"], {"action": "agreed"})  # the claims
    # bob's claim (a twin of the gold claim) is linked to bob's source, now gold; alice's
    # source is not in gold, so her link is not carried.
    assert gold_links() == [("My way or the high way", "the official said", "said", "direct", "carol")]


def test_it_links_them_whichever_is_accepted_first(client, coded):
    client.post(coded["url"], {"action": "agreed"})
    assert gold_links() == []
    accept(client, coded, coded["sources"], coded["alice"])
    assert gold_links() == [("My way or the high way", "the official", "said", "direct", "carol")]


def test_a_source_left_out_of_gold_takes_its_link_along(client, coded):
    client.post(coded["url"], {"action": "agreed"})
    client.post(coded["url"], {"action": "reject", "group": key(*coded["sources"])})
    assert gold_links() == []


def test_an_adjusted_source_is_the_gold_version_of_every_coders_source(client, coded, sample_article):
    client.post(coded["url"], {"action": "agreed"})
    source_a, _ = coded["sources"]
    from articles.tests.helpers import label

    client.post(
        coded["url"],
        {
            "action": "adjust",
            "group": key(*coded["sources"]),
            "start": source_a.start + 4,
            "end": source_a.end,
            "label": label("anonymous source").pk,
        },
    )
    assert gold_links() == [("My way or the high way", "official", "said", "direct", "carol")]
    gold = Annotation.objects.get(gold__isnull=False, quote="official")
    assert gold.source_entity is None  # the curator's own span: nothing of one coder's is copied


def test_undoing_the_source_hides_the_gold_link(client, coded):
    accept(client, coded, coded["sources"], coded["bob"])
    client.post(coded["url"], {"action": "agreed"})
    client.post(coded["url"], {"action": "undo", "group": key(*coded["sources"])})
    assert gold_links() == []
    accept(client, coded, coded["sources"], coded["bob"])
    assert len(gold_links()) == 1


def test_it_carries_the_accepted_coders_intensity_target_and_source_entity(client, coded):
    accept(client, coded, coded["tones"], coded["bob"])
    gold = Annotation.objects.get(gold__isnull=False, label__name="negative")
    assert (gold.tone_intensity, gold.tone_target_text, gold.tone_score) == (2, "the U.S. (bob)", -2)
    client.post(coded["url"], {"action": "undo", "group": key(*coded["tones"])})
    accept(client, coded, coded["tones"], coded["alice"])
    gold = Annotation.objects.get(gold__isnull=False, label__name="negative")
    assert (gold.tone_intensity, gold.tone_target_text) == (3, "the U.S. (alice)")
    accept(client, coded, coded["sources"], coded["alice"])
    gold = Annotation.objects.get(gold__isnull=False, label__name="anonymous source")
    assert (gold.source_entity, gold.anonymity) == (coded["official"], Annotation.ANONYMOUS)


def test_the_domain_carries_links_without_the_view(coded, sample_article):
    batch, curator = coded["batch"], coded["curator"]
    coders = [pk for pk, _ in adjudication.coders_of(batch, sample_article)]
    groups = adjudication.article_groups(
        batch, sample_article, adjudication.coder_annotations(batch, sample_article, coders)
    )
    source_group = next(g for g in groups if g.key == key(*coded["sources"]))
    adjudication.accept_agreed(batch, sample_article, groups, curator)
    adjudication.accept_version(batch, sample_article, source_group, coded["bob"].pk, curator)
    assert gold_links() == [("My way or the high way", "the official said", "said", "direct", "carol")]


def test_the_page_shows_each_coders_intensity_target_entity_and_links(client, coded):
    html = client.get(coded["url"]).content.decode()
    assert "Intensity or target disagreement" in html  # same span and label, 3 against 2
    assert "intensity 3 · toward the U.S. (alice)" in html and "intensity 2 · toward the U.S. (bob)" in html
    assert "· Pakistani military official" in html  # alice's source entity
    assert html.count("· source <q>the official</q>") == 1 and "· source <q>the official said</q>" in html
    # Accepting all agreed leaves the tone passage to the curator.
    client.post(coded["url"], {"action": "agreed"})
    assert not Annotation.objects.filter(gold__isnull=False, label__name="negative").exists()
