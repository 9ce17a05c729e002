"""Who said what under blind coding: an analyst of a blind batch sees no other coder's
sources, links or entity citations through the reader's data, its panels or the Sources
pages (the blind rule is articles/permissions.py visible_annotations)."""

import pytest

from articles.coding.tests.helpers import annotate, make_batch
from articles.models import Annotation, Attribution, Source
from articles.tests.helpers import HTMX

CLAIM = "The U.S. is saying, 'My way or the high way,'"


@pytest.fixture
def blind(make_user, sample_article):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article], [alice, bob], blind=True)
    entity = Source.objects.create(name="Bobs Secret Source")
    claim = annotate(sample_article, bob, CLAIM, "opinion")
    source = annotate(sample_article, bob, "the official", "anonymous source")
    Annotation.objects.filter(pk=source.pk).update(source_entity=entity)
    Attribution.objects.create(claim=claim, source=source, author=bob, cue="said", form="direct")
    mine = annotate(sample_article, alice, "Exasperated", "factual")
    return alice, entity, claim, source, mine


def test_it_keeps_another_coders_sources_out_of_the_reading_page(client, sample_article, blind):
    alice, entity, *_ = blind
    client.force_login(alice)
    html = client.get(f"/articles/{sample_article.pk}/").content.decode()
    assert entity.name not in html and "the official" not in html.split("attribution-data")[-1]


def test_it_answers_404_for_another_coders_span_in_the_who_panel(client, sample_article, blind):
    alice, _, claim, source, mine = blind
    client.force_login(alice)
    for annotation in (claim, source):
        response = client.get(f"/articles/{sample_article.pk}/who/{annotation.pk}/", headers=HTMX)
        assert response.status_code == 404
    mine_panel = client.get(f"/articles/{sample_article.pk}/who/{mine.pk}/", headers=HTMX).content.decode()
    assert "Bobs Secret Source" not in mine_panel and "the official" not in mine_panel


def test_it_lists_no_hidden_citation_on_the_entity_page(client, blind, make_user):
    alice, entity, *_ = blind
    client.force_login(alice)
    html = client.get(f"/sources/{entity.pk}/").content.decode()
    assert "the official" not in html


def test_a_curator_sees_every_coders_sources(client, sample_article, blind, make_user):
    from articles.tests.admin_helpers import make_curator

    _, entity, *_ = blind
    client.force_login(make_curator(make_user))
    assert entity.name in client.get(f"/articles/{sample_article.pk}/").content.decode()
    assert "the official" in client.get(f"/sources/{entity.pk}/").content.decode()


def test_it_counts_no_hidden_citation_on_the_sources_pages(client, blind):
    # Counts leak too: a citation count rising by one tells a blind coder that someone
    # else on the same article tagged this entity.
    alice, entity, *_ = blind
    client.force_login(alice)
    detail = client.get(f"/sources/{entity.pk}/")
    assert detail.context["stats"].citations == 0 and detail.context["stats"].claims == 0
    listing = client.get("/sources/", {"q": "Bobs Secret"})
    [(_, stats, _)] = listing.context["rows"]
    assert (stats.citations, stats.articles, stats.claims, stats.outlets) == (0, 0, 0, [])


def test_a_curator_counts_every_coders_citations(client, blind, make_user):
    from articles.tests.admin_helpers import make_curator

    _, entity, *_ = blind
    client.force_login(make_curator(make_user))
    stats = client.get(f"/sources/{entity.pk}/").context["stats"]
    assert (stats.citations, stats.claims) == (1, 1)


def test_it_suggests_no_anonymous_entity_only_another_coder_named_here(client, sample_article, blind):
    alice, *_ = blind
    hidden_entity = Source.objects.create(name="Unnamed Pentagon aide ZZQ", anonymous=True)
    bob_source = Annotation.objects.exclude(author=alice).filter(label__category__kind="source").get()
    Annotation.objects.filter(pk=bob_source.pk).update(source_entity=hidden_entity)
    client.force_login(alice)
    html = client.get("/sources/suggest/", {"q": "", "article": sample_article.pk}).content.decode()
    assert "ZZQ" not in html


def test_it_offers_no_hidden_source_in_the_admins_link_menu(client, sample_article, blind, make_user):
    alice, _, _, source, _ = blind
    alice.is_staff = True
    alice.save()
    mine = annotate(sample_article, alice, CLAIM, "opinion", occurrence=0)
    client.force_login(alice)
    response = client.get(f"/admin/articles/annotation/{mine.pk}/change/")
    assert response.status_code == 200
    offered = response.context["inline_admin_formsets"][0].formset.form.base_fields["source"].queryset
    assert source not in offered
