"""The source registry and who-said-what in the admin (articles/admin/sources.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Annotation, Attribution, Source
from articles.tests.admin_helpers import ANNOTATIONS_URL, NO_LINKS, make_curator, messages_of, run_action
from articles.tests.export_helpers import annotate

SOURCES_URL = "/admin/articles/source/"
CLAIM = "The U.S. is saying, 'My way or the high way,'"


@pytest.fixture
def registry(db):
    return [
        Source.objects.create(
            name="Michael Mullen",
            aliases="Adm. Mullen",
            source_type="military",
            affiliation="U.S. military",
            country="USA",
        ),
        Source.objects.create(name="Mike Mullen", affiliation="U.S. military"),
        Source.objects.create(
            name="Ashfaq Parvez Kayani",
            source_type="military",
            affiliation="Pakistani military",
            country="Pakistan",
        ),
    ]


def listed(response):
    return {source.name for source in response.context["cl"].result_list}


def test_it_lists_and_searches_names_and_aliases(client, curator, registry):
    response = client.get(SOURCES_URL, {"q": "adm. mullen"})
    assert response.status_code == 200
    assert listed(response) == {"Michael Mullen"}


def test_it_filters_by_type_affiliation_and_country(client, curator, registry):
    assert listed(client.get(SOURCES_URL, {"affiliation": "U.S. military"})) == {
        "Michael Mullen",
        "Mike Mullen",
    }
    assert listed(client.get(SOURCES_URL, {"country": "Pakistan", "source_type__exact": "military"})) == {
        "Ashfaq Parvez Kayani"
    }


def test_its_affiliation_filter_lists_only_the_most_common_values(client, curator, db):
    Source.objects.bulk_create(Source(name=f"S{i}", affiliation=f"Body {i % 40}") for i in range(200))
    response = client.get(SOURCES_URL)
    (spec,) = [spec for spec in response.context["cl"].filter_specs if spec.title == "affiliation"]
    assert len(spec.lookup_choices) == 15


def test_its_list_queries_do_not_grow_with_the_registry(client, curator, db):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SOURCES_URL).status_code == 200
        return len(queries)

    Source.objects.bulk_create(Source(name=f"S{i}") for i in range(10))
    few = count()
    Source.objects.bulk_create(Source(name=f"T{i}") for i in range(300))
    assert count() == few


def test_it_merges_into_the_chosen_survivor(client, curator, registry, sample_article, analyst):
    mullen, mike, _ = registry
    cited = annotate(sample_article, "Mullen", analyst, label="named person", source_entity=mike)
    page = run_action(client, SOURCES_URL, "merge", [mullen, mike])
    assert "Which entity stays?" in page.content.decode()
    response = run_action(client, SOURCES_URL, "merge", [mullen, mike], apply="yes", survivor=mullen.pk)
    assert any("into “Michael Mullen”; 1 annotations" in message for message in messages_of(response))
    cited.refresh_from_db()
    assert cited.source_entity == mullen
    assert not Source.objects.filter(pk=mike.pk).exists()
    mullen.refresh_from_db()
    assert "Mike Mullen" in mullen.alias_list


def test_it_offers_merge_to_curators_only(client, make_user, registry):
    annotator = make_user("ann2", "Annotator", is_staff=True)
    client.force_login(annotator)
    response = client.get(SOURCES_URL)
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action at all for an annotator
    run_action(client, SOURCES_URL, "merge", registry[:2], apply="yes", survivor=registry[0].pk)
    assert Source.objects.count() == 3


def test_viewers_see_the_registry_but_cannot_change_it(client, make_user, registry):
    viewer = make_user("vera", "Viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get(SOURCES_URL).status_code == 200
    assert client.post(f"{SOURCES_URL}{registry[0].pk}/change/", {"name": "x"}).status_code == 403


@pytest.fixture
def claim_and_source(sample_article, analyst):
    return (
        annotate(sample_article, CLAIM, analyst, label="factual"),
        annotate(sample_article, "the official", analyst, label="anonymous source"),
    )


def link_data(claim, **form):
    return {
        "label": claim.label_id,
        "note": "",
        "status": "pending",
        "attributions-TOTAL_FORMS": "1",
        "attributions-INITIAL_FORMS": "0",
        **{f"attributions-0-{k}": v for k, v in form.items()},
    }


def test_it_adds_a_link_inline_on_the_claim_page(client, curator, claim_and_source):
    claim, source = claim_and_source
    page = client.get(f"{ANNOTATIONS_URL}{claim.pk}/change/").content.decode()
    assert "Who said what" in page and "attributions-TOTAL_FORMS" in page
    response = client.post(
        f"{ANNOTATIONS_URL}{claim.pk}/change/", link_data(claim, source=source.pk, cue="said", form="direct")
    )
    assert response.status_code == 302
    link = Attribution.objects.get()
    assert (link.claim, link.source, link.cue, link.form, link.author) == (
        claim,
        source,
        "said",
        "direct",
        curator,
    )


def test_it_refuses_a_link_to_a_span_that_is_not_a_source_of_the_article(
    client, curator, claim_and_source, sample_article, analyst
):
    claim, _ = claim_and_source
    tone = annotate(sample_article, "the official", analyst, label="negative")
    response = client.post(
        f"{ANNOTATIONS_URL}{claim.pk}/change/", link_data(claim, source=tone.pk, form="direct")
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Attribution.objects.exists()


def test_it_checks_source_and_tone_fields_against_the_kind(client, curator, claim_and_source, registry):
    claim, source = claim_and_source
    data = {
        "label": claim.label_id,
        "status": "pending",
        "source_entity": registry[0].pk,
        "tone_intensity": 2,
        **NO_LINKS,
    }
    response = client.post(f"{ANNOTATIONS_URL}{claim.pk}/change/", data)
    html = response.content.decode()
    assert "Only source annotations name an entity" in html and "Only tone annotations" in html
    data = {
        "label": source.label_id,
        "status": "pending",
        "source_entity": registry[0].pk,
        "anonymity": "named",
    }
    assert client.post(f"{ANNOTATIONS_URL}{source.pk}/change/", data).status_code == 302
    assert Annotation.objects.get(pk=source.pk).source_entity == registry[0]


def test_an_annotator_cannot_link_someone_elses_claim_in_the_admin(client, make_user, claim_and_source):
    claim, source = claim_and_source
    other = make_user("bob", "Annotator", is_staff=True)
    client.force_login(other)
    client.post(f"{ANNOTATIONS_URL}{claim.pk}/change/", link_data(claim, source=source.pk, form="direct"))
    assert not Attribution.objects.exists()


def test_curator_fixture_is_a_curator(make_user):
    assert make_curator(make_user, "cara").has_perm("articles.delete_source")


def test_it_shows_kinds_and_polarities_in_the_codebook_admin(client, curator):
    assert ">Claim<" in client.get("/admin/articles/category/").content.decode()
    html = client.get("/admin/articles/label/").content.decode()
    assert "Negative (−1)" in html


def test_it_refuses_a_polarity_on_a_label_that_is_not_tone(client, curator):
    from articles.models import Label

    label = Label.objects.get(name="factual")
    data = {
        "category": label.category_id,
        "name": "factual",
        "colour": "#f2c94c",
        "hotkey": "1",
        "order": 0,
        "active": "on",
        "polarity": "1",
    }
    response = client.post(f"/admin/articles/label/{label.pk}/change/", data)
    assert "Only labels of a tone category have a polarity." in response.content.decode()


def test_the_article_page_shows_who_said_what_per_annotation(
    client, curator, claim_and_source, sample_article
):
    claim, source = claim_and_source
    entity = Source.objects.create(name="Senior Pakistani military official")
    Annotation.objects.filter(pk=source.pk).update(source_entity=entity, anonymity="anonymous")
    Attribution.objects.create(claim=claim, source=source, author=curator, cue="said", form="direct")
    html = client.get(f"/admin/articles/article/{sample_article.pk}/change/").content.decode()
    assert "← Senior Pakistani military official (said, direct)" in html
    assert "= Senior Pakistani military official (anonymous)" in html


def test_the_article_page_queries_do_not_grow_with_links(client, curator, sample_article, analyst):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/admin/articles/article/{sample_article.pk}/change/")
        return len(queries)

    def add(n):
        for _ in range(n):
            claim = annotate(sample_article, CLAIM, analyst)
            source = annotate(sample_article, "the official", analyst, label="anonymous source")
            Attribution.objects.create(claim=claim, source=source, author=analyst)

    add(1)
    few = count()
    add(10)
    assert count() == few
