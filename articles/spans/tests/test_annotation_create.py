import json

import pytest
from django.test import Client

from articles.ingest.pipeline import ingest, store_article
from articles.models import Annotation
from articles.tests.helpers import HTMX, label, selection

PHRASE = "our so-called coalition partner"


@pytest.fixture
def url(sample_article):
    return f"/articles/{sample_article.pk}/annotations/"


def test_it_creates_an_annotation_and_returns_the_partials(client, annotator_user, sample_article, url):
    client.force_login(annotator_user)
    data = {**selection(sample_article, PHRASE), "label": label("opinion").pk, "note": " loaded phrase "}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert (annotation.quote, annotation.note, annotation.author) == (PHRASE, "loaded phrase", annotator_user)
    assert sample_article.body[annotation.start : annotation.end] == PHRASE
    assert annotation.prefix == sample_article.body[annotation.start - 32 : annotation.start]
    assert annotation.suffix == sample_article.body[annotation.end : annotation.end + 32]
    html = response.content.decode()
    paragraph = sample_article.body[: annotation.start].count("\n\n")
    # Only the touched paragraph comes back, swapped in place by id.
    assert html.startswith(f'<p class="para" id="p{paragraph}" hx-swap-oob="true">')
    assert html.count('<p class="para"') == 1
    assert f'data-ids="{annotation.pk}">{PHRASE}</mark>' in html
    # The first annotation goes into the (empty) list like any other: the rest of the panel
    # (its filters, the empty-list message that CSS hides now) is left alone.
    assert '<div hx-swap-oob="beforeend:#annotation-list"><li class="annotation-item' in html
    assert f'id="item-{annotation.pk}"' in html
    assert '<span class="count" id="annotation-count" hx-swap-oob="true">1</span>' in html
    assert "annotation-panel" not in html
    assert '<div id="messages"' in html and "<html" not in html


def test_it_inserts_later_items_in_text_order(client, annotator_user, sample_article, url):
    client.force_login(annotator_user)
    for phrase in ["Exasperated", "pitted us"]:  # one before the phrase, one after it
        client.post(url, {**selection(sample_article, phrase), "label": label().pk})
    following = Annotation.objects.get(quote="pitted us")
    response = client.post(
        url, {**selection(sample_article, PHRASE), "label": label("opinion").pk}, headers=HTMX
    )
    html = response.content.decode()
    assert f'<div hx-swap-oob="beforebegin:#item-{following.pk}"><li class="annotation-item' in html
    assert '<span class="count" id="annotation-count" hx-swap-oob="true">3</span>' in html
    assert "annotation-panel" not in html  # the rest of the panel is left alone


def test_it_appends_an_item_after_the_last_one(client, annotator_user, sample_article, url):
    client.force_login(annotator_user)
    client.post(url, {**selection(sample_article, "For a moment"), "label": label().pk})
    response = client.post(
        url, {**selection(sample_article, "bypassing the Pakistani authorities"), "label": label().pk}
    )
    assert '<div hx-swap-oob="beforeend:#annotation-list">' in response.content.decode()


def test_it_converts_utf16_offsets_after_emoji(client, annotator_user):
    article, _ = store_article(ingest("Title\n\nFans 👍🏽👍🏽 cheered the 🇵🇰 team loudly.", title=""))
    client.force_login(annotator_user)
    data = {**selection(article, "the 🇵🇰 team"), "label": label().pk}
    assert data["start"] == article.body.index("the") + 4  # four astral characters before
    response = client.post(f"/articles/{article.pk}/annotations/", data, headers=HTMX)
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end) == (article.body.index("the"), article.body.index(" loudly"))
    assert annotation.quote == "the 🇵🇰 team"


def test_it_accepts_a_selection_across_paragraphs_and_trims_it(client, annotator_user, sample_article, url):
    client.force_login(annotator_user)
    first, second = sample_article.body.split("\n\n")[:2]
    start = len(first) - len("better of him.")
    # From the end of paragraph one into paragraph two, with a trailing space to trim.
    quote = sample_article.body[start : len(first) + 2 + len('"The U.S. ')]
    data = {"start": start, "end": start + len(quote), "quote": quote, "label": label().pk}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert annotation.quote == quote.strip()
    assert "\n\n" in annotation.quote
    assert response.content.decode().count(f'data-ids="{annotation.pk}"') == 2


@pytest.mark.parametrize(
    "change, message",
    [
        ({"quote": "our so-called coalition partnex"}, "does not match"),
        ({"start": "x"}, "whole numbers"),
        ({"end": 10**7}, "past the end"),
        ({"label": 999999}, "unknown label"),
        ({"label": ""}, "unknown label"),
        ({"label": 2**63}, "unknown label"),  # beyond any database integer
        ({"label": -1}, "unknown label"),
        ({"quote": "", "end": None}, "empty"),
    ],
)
def test_it_refuses_bad_selections_with_a_message(
    client, annotator_user, sample_article, url, change, message
):
    client.force_login(annotator_user)
    data = {**selection(sample_article, PHRASE), "label": label().pk}
    data.update(change)
    if change.get("end", 0) is None:
        data["end"] = data["start"]
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response["HX-Retarget"] == "#messages"
    assert not Annotation.all_objects.exists()


def test_it_refuses_an_offset_inside_a_surrogate_pair(client, annotator_user):
    article, _ = store_article(ingest("T\n\nA 👍 b", title=""))
    client.force_login(annotator_user)
    response = client.post(
        f"/articles/{article.pk}/annotations/", {"start": 3, "end": 6, "quote": "x", "label": label().pk}
    )
    assert response.status_code == 400
    assert "surrogate pair" in response.content.decode()


def test_it_refuses_a_retired_label(client, annotator_user, sample_article, url):
    retired = label("prediction")
    retired.active = False
    retired.save()
    client.force_login(annotator_user)
    response = client.post(url, {**selection(sample_article, PHRASE), "label": retired.pk})
    assert response.status_code == 400
    assert "retired" in response.content.decode()
    assert not Annotation.objects.exists()


def test_it_forbids_viewers(client, make_user, sample_article, url):
    client.force_login(make_user("vera", "Viewer"))
    response = client.post(url, {**selection(sample_article, PHRASE), "label": label().pk})
    assert response.status_code == 403
    assert "cannot" in response.content.decode() or "not add" in response.content.decode()
    assert not Annotation.objects.exists()


def test_it_is_404_for_a_missing_article(client, annotator_user):
    client.force_login(annotator_user)
    assert client.post("/articles/424242/annotations/", {"label": 1}).status_code == 404


def test_it_requires_login(client, sample_article, url):
    response = client.post(url, {**selection(sample_article, PHRASE), "label": label().pk})
    assert response.status_code == 302
    assert not Annotation.objects.exists()


def test_it_enforces_csrf(annotator_user, sample_article, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator_user)
    response = client.post(url, {**selection(sample_article, PHRASE), "label": label().pk})
    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_it_rejects_get(client, annotator_user, url):
    client.force_login(annotator_user)
    assert client.get(url).status_code == 405


def long_passage(article, paragraphs):
    """POST data selecting the first `paragraphs` paragraphs of `article`."""
    quote = "\n\n".join(article.body.split("\n\n")[:paragraphs])
    return {**selection(article, quote), "label": label().pk}


def test_it_refuses_a_long_tag_unless_confirmed(client, annotator_user, sample_article, url):
    client.force_login(annotator_user)
    data = long_passage(sample_article, 4)
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 400
    assert "4 paragraphs" in response.content.decode() and "confirming" in response.content.decode()
    assert not Annotation.objects.exists()
    response = client.post(url, {**data, "confirmed": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert Annotation.objects.get().quote == data["quote"]


def test_it_refuses_a_tag_over_the_character_limit(client, annotator_user, sample_article, url, settings):
    settings.ANNOTATOR_LONG_TAG_CHARS = 20
    client.force_login(annotator_user)
    response = client.post(url, {**selection(sample_article, PHRASE), "label": label().pk}, headers=HTMX)
    assert response.status_code == 400 and "31 characters across 1 paragraph;" in response.content.decode()
    settings.ANNOTATOR_LONG_TAG_CHARS = 31
    response = client.post(url, {**selection(sample_article, PHRASE), "label": label().pk}, headers=HTMX)
    assert response.status_code == 200


def test_it_announces_the_created_annotation_to_the_page(client, annotator_user, sample_article, url):
    client.force_login(annotator_user)
    response = client.post(url, {**selection(sample_article, PHRASE), "label": label().pk}, headers=HTMX)
    annotation = Annotation.objects.get()
    events = json.loads(response.headers["HX-Trigger-After-Settle"])
    detail = {"id": annotation.pk, "uuid": str(annotation.uuid), "kind": "claim"}
    assert events["annotator:annotation-created"] == detail


def test_it_refuses_the_same_tag_twice_from_one_author(
    client, annotator_user, make_user, sample_article, url
):
    # A second identical tag would count the passage twice in every figure and agreement.
    data = {**selection(sample_article, PHRASE), "label": label("opinion").pk}
    client.force_login(annotator_user)
    assert client.post(url, data, headers=HTMX).status_code == 200
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 409
    assert "tagged this passage as" in response.content.decode()
    assert Annotation.objects.count() == 1
    # Another label on the same passage, or another coder's identical tag, is a tag of its own.
    assert client.post(url, {**data, "label": label("factual").pk}, headers=HTMX).status_code == 200
    client.force_login(make_user("bob"))
    assert client.post(url, data, headers=HTMX).status_code == 200
    assert Annotation.objects.count() == 3
