"""The who-said-what endpoints of the reading page and the Sources pages, per role."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Annotation, Attribution, Source
from articles.tests.export_helpers import annotate
from articles.tests.helpers import HTMX

CLAIM = "The U.S. is saying, 'My way or the high way,'"


@pytest.fixture
def spans(sample_article, annotator_user):
    return (
        annotate(sample_article, CLAIM, annotator_user, label="factual"),
        annotate(sample_article, "the official", annotator_user, label="anonymous source"),
    )


def link(client, article, claim, source, **extra):
    return client.post(
        f"/articles/{article.pk}/attributions/",
        {"claim": claim.pk, "source": source.pk, **extra},
        headers=HTMX,
    )


def test_it_attributes_a_claim_with_the_suggested_cue_and_form(client, annotator_user, sample_article, spans):
    claim, source = spans
    client.force_login(annotator_user)
    response = link(client, sample_article, claim, source)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="said"' in html and '<option value="direct" selected>' in html
    assert 'id="attribution-data"' in html and 'hx-swap-oob="true"' in html
    assert Attribution.objects.get().cue == "said"


def test_it_sends_the_links_as_json_text_that_htmx_keeps(client, annotator_user, sample_article, spans):
    # htmx drops <script> elements from swapped-in content: the data must be plain text.
    claim, source = spans
    source.source_entity = Source.objects.create(name="<b>Ali & Co</b>")
    source.save(update_fields=["source_entity"])
    client.force_login(annotator_user)
    html = link(client, sample_article, claim, source).content.decode()
    data = html.split('<div id="attribution-data" hidden hx-swap-oob="true">')[1].split("</div>")[0]
    assert "<" not in data and "&" not in data
    parsed = json.loads(data)
    assert parsed["sources"][str(source.pk)][0] == "<b>Ali & Co</b>"
    assert parsed["links"] == [[claim.pk, source.pk, "said", "direct"]]


def test_it_refuses_a_source_from_another_article(
    client, annotator_user, sample_article, other_article, spans
):
    claim, _ = spans
    elsewhere = annotate(other_article, "Traders", annotator_user, label="anonymous source")
    client.force_login(annotator_user)
    response = link(client, sample_article, claim, elsewhere)
    assert response.status_code == 400
    assert "same article" in response.content.decode()
    assert response["HX-Retarget"] == "#who-messages"


def test_it_refuses_a_non_source_and_bad_ids(client, annotator_user, sample_article, spans):
    claim, _ = spans
    tone = annotate(sample_article, "the official", annotator_user, label="negative")
    client.force_login(annotator_user)
    assert "must be a source" in link(client, sample_article, claim, tone).content.decode()
    response = client.post(f"/articles/{sample_article.pk}/attributions/", {"claim": "x", "source": ""})
    assert response.status_code == 400


def test_a_second_annotator_cannot_attribute_someone_elses_claim(client, make_user, sample_article, spans):
    client.force_login(make_user("bob", "Annotator"))
    assert link(client, sample_article, *spans).status_code == 403
    assert not Attribution.objects.exists()


def test_a_viewer_sees_the_panel_but_cannot_attribute(client, make_user, sample_article, spans):
    client.force_login(make_user("vera", "Viewer"))
    claim, source = spans
    response = client.get(f"/articles/{sample_article.pk}/who/{claim.pk}/", headers=HTMX)
    assert response.status_code == 200 and "Attribute to…" not in response.content.decode()
    assert link(client, sample_article, claim, source).status_code == 403


def test_a_curator_attributes_anyones_claim_and_edits_the_link(client, make_user, sample_article, spans):
    client.force_login(make_user("carol", "Curator"))
    assert link(client, sample_article, *spans).status_code == 200
    attribution = Attribution.objects.get()
    response = client.post(
        f"/articles/{sample_article.pk}/attributions/{attribution.uuid}/",
        {"cue": "said, slamming his hand", "form": "paraphrase"},
        headers=HTMX,
    )
    assert response.status_code == 200
    attribution.refresh_from_db()
    assert (attribution.cue, attribution.form) == ("said, slamming his hand", "paraphrase")
    bad = client.post(f"/articles/{sample_article.pk}/attributions/{attribution.uuid}/", {"form": "rumour"})
    assert bad.status_code == 400
    client.post(f"/articles/{sample_article.pk}/attributions/{attribution.uuid}/delete/")
    assert not Attribution.objects.exists()


def test_the_claim_panel_lists_the_articles_sources(client, annotator_user, sample_article, spans):
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/who/{spans[0].pk}/").content.decode()
    assert "Attribute to…" in html and f'data-source="{spans[1].pk}"' in html
    assert "Not attributed yet." in html


def test_it_names_a_source_with_a_new_entity_and_the_suggested_anonymity(
    client, annotator_user, sample_article, spans
):
    _, source = spans
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/who/{source.pk}/").content.decode()
    assert 'value="anonymous" checked' in html
    response = client.post(
        f"/articles/{sample_article.pk}/who/{source.pk}/source/",
        {"q": "Senior Pakistani military official", "anonymity": "anonymous"},
    )
    assert response.status_code == 200
    source.refresh_from_db()
    assert (
        source.source_entity.name == "Senior Pakistani military official" and source.source_entity.anonymous
    )
    assert source.anonymity == "anonymous"


def test_typing_an_existing_name_reuses_the_entity(client, annotator_user, sample_article, spans):
    mullen = Source.objects.create(name="Michael Mullen", aliases="Adm. Michael Mullen")
    _, source = spans
    client.force_login(annotator_user)
    client.post(f"/articles/{sample_article.pk}/who/{source.pk}/source/", {"q": "adm. michael mullen"})
    source.refresh_from_db()
    assert source.source_entity == mullen and Source.objects.count() == 1


def test_suggestions_rank_by_use_and_show_the_alias(client, annotator_user, sample_article, spans):
    mullen = Source.objects.create(name="Michael Mullen", aliases="Adm. Mullen")
    Source.objects.create(name="Mullen Foundation")
    annotate(sample_article, "Mullen", annotator_user, label="named person", source_entity=mullen)
    client.force_login(annotator_user)
    html = client.get("/sources/suggest/", {"q": "adm", "article": sample_article.pk}).content.decode()
    assert "Michael Mullen" in html and "(“Adm. Mullen”)" in html and "New entity “adm”" in html
    html = client.get("/sources/suggest/", {"q": "mullen"}).content.decode()
    assert html.index("Michael Mullen") < html.index("Mullen Foundation")


def test_it_sets_tone_intensity_and_keeps_the_target(client, annotator_user, sample_article):
    tone = annotate(sample_article, "so-called coalition partner", annotator_user, label="negative")
    client.force_login(annotator_user)
    url = f"/articles/{sample_article.pk}/who/{tone.pk}/tone/"
    assert client.post(url, {"intensity": "2", "target_text": "the U.S."}).status_code == 200
    assert client.post(url, {"intensity": "3"}).status_code == 200
    tone.refresh_from_db()
    assert (tone.tone_intensity, tone.tone_target_text, tone.tone_score) == (3, "the U.S.", -3)
    assert client.post(url, {"intensity": "9"}).status_code == 400


def test_a_second_annotator_cannot_change_someone_elses_source_or_tone(
    client, make_user, sample_article, spans
):
    client.force_login(make_user("bob", "Annotator"))
    _, source = spans
    response = client.post(f"/articles/{sample_article.pk}/who/{source.pk}/source/", {"q": "X"})
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_it_refuses_other_methods(client, annotator_user, sample_article, spans):
    client.force_login(annotator_user)
    assert client.get(f"/articles/{sample_article.pk}/attributions/").status_code == 405
    assert client.post(f"/articles/{sample_article.pk}/who/{spans[0].pk}/").status_code == 405


def test_it_tells_the_reader_what_was_created(client, annotator_user, sample_article):
    from articles.tests.helpers import label, selection

    client.force_login(annotator_user)
    data = {"label": label("factual").pk, **selection(sample_article, CLAIM)}
    response = client.post(f"/articles/{sample_article.pk}/annotations/", data, headers=HTMX)
    claim = Annotation.objects.get()
    detail = {"id": claim.pk, "uuid": str(claim.uuid), "kind": "claim"}
    events = json.loads(response["HX-Trigger-After-Settle"])
    assert events == {"annotator:annotation-created": detail, "annotator:annotations-changed": {}}


def test_the_reading_page_carries_links_for_the_panel(client, annotator_user, sample_article, spans):
    claim, source = spans
    Attribution.objects.create(claim=claim, source=source, author=annotator_user, cue="said", form="direct")
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/").content.decode()
    assert 'id="attribution-data"' in html and '<script src="/static/js/attribution.js"' in html
    assert f'"links":[[{claim.pk},{source.pk},"said","direct"]]' in html


# The Sources pages.


@pytest.fixture
def cited(sample_article, other_article, annotator_user):
    mullen = Source.objects.create(name="Michael Mullen", aliases="Adm. Mullen", source_type="military")
    first = annotate(sample_article, "Mullen", annotator_user, label="named person", source_entity=mullen)
    annotate(other_article, "Traders", annotator_user, label="named person", source_entity=mullen)
    claim = annotate(sample_article, "Haqqani is supporting, funding, training fighters", annotator_user)
    Attribution.objects.create(claim=claim, source=first, author=annotator_user, cue="said", form="direct")
    return mullen


@pytest.mark.parametrize("role", ["Annotator", "Curator", "Viewer"])
def test_the_sources_page_lists_entities_with_their_use(client, make_user, cited, role):
    client.force_login(make_user("u", role))
    response = client.get("/sources/")
    assert response.status_code == 200
    (entity, use, _) = response.context["rows"][0]
    assert entity == cited
    assert (use.articles, use.citations, use.claims, use.outlets) == (2, 2, 1, ["ABC News", "Daily Ledger"])
    assert "Military" in response.content.decode()


def test_the_sources_page_searches_aliases(client, annotator_user, cited):
    client.force_login(annotator_user)
    html = client.get("/sources/", {"q": "adm."}).content.decode()
    assert "Michael Mullen" in html and "(“Adm. Mullen”)" in html
    assert "No entity matches" in client.get("/sources/", {"q": "nobody"}).content.decode()


def test_the_sources_page_pages_without_counting(client, annotator_user, db):
    Source.objects.bulk_create(Source(name=f"Entity {i:03}") for i in range(120))
    client.force_login(annotator_user)

    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/sources/", {"page": page})
        return response, [q["sql"] for q in captured.captured_queries]

    first, first_queries = queries(1)
    last, last_queries = queries(3)
    assert len(first.context["rows"]) == 50 and len(last.context["rows"]) == 20
    assert "Next →" in first.content.decode() and "Next →" not in last.content.decode()
    assert len(first_queries) == len(last_queries)
    assert not any("COUNT(*)" in sql and "articles_source" in sql for sql in first_queries)


def test_the_entity_page_links_every_passage_into_the_reader(client, annotator_user, cited, sample_article):
    client.force_login(annotator_user)
    response = client.get(f"/sources/{cited.pk}/")
    html = response.content.decode()
    first = Annotation.objects.get(article=sample_article, source_entity=cited)
    assert f"/articles/{sample_article.pk}/#item-{first.pk}" in html
    assert "Daily Ledger" in html and "→ “" in html
    assert client.get("/sources/999999/").status_code == 404


def test_users_without_a_role_cannot_see_the_registry(client, make_user, cited):
    client.force_login(make_user("nobody", None))
    assert client.get("/sources/").status_code == 403
    assert client.get(f"/sources/{cited.pk}/").status_code == 403
    assert client.get("/sources/suggest/", {"q": "m"}).status_code == 403


def test_the_sources_page_requires_login(client, db):
    assert client.get("/sources/").status_code == 302
