"""GET /articles/<pk>/export/ — "Export this article" on the reading page."""

import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from articles.tests.export_helpers import annotate, csv_records, make_article


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def annotated(sample_article, annotator_user):
    article = make_article()
    annotate(article, "productive", annotator_user)
    annotate(article, "delegation", annotator_user, label="opinion")
    annotate(sample_article, "Pakistani", annotator_user)
    return article


def test_it_streams_only_this_articles_annotations(annotated, client, annotator_user):
    client.force_login(annotator_user)
    response = client.get(reverse("article_export", args=[annotated.pk]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="article-{annotated.pk}-annotations.csv"'
    assert [r["quote"] for r in csv_records(body(response))] == ["delegation", "productive"]


def test_it_applies_the_format_and_filters(annotated, client, make_user):
    client.force_login(make_user("vera", "Viewer"))
    url = reverse("article_export", args=[annotated.pk])
    document = json.loads(body(client.get(url, {"format": "w3c", "label": "factual"})))
    assert [item["target"]["selector"][0]["exact"] for item in document["first"]["items"]] == ["productive"]
    assert len(body(client.get(url, {"format": "jsonl"})).splitlines()) == 2


def test_it_is_linked_from_the_reading_page(annotated, client, make_user):
    client.force_login(make_user("vera", "Viewer"))
    page = client.get(annotated.get_absolute_url()).content.decode()
    url = reverse("article_export", args=[annotated.pk])
    for query in ("format=csv", "format=csv&amp;excel=1", "format=jsonl", "format=w3c"):
        assert f'href="{url}?{query}"' in page


def test_it_answers_404_for_a_missing_article(client, annotator_user):
    client.force_login(annotator_user)
    assert client.get(reverse("article_export", args=[999999])).status_code == 404


def test_it_requires_login(client, annotated):
    response = client.get(reverse("article_export", args=[annotated.pk]))
    assert response.status_code == 302


def test_it_refuses_users_without_a_role(client, annotated, make_user):
    client.force_login(make_user("nobody", role=None))
    assert client.get(reverse("article_export", args=[annotated.pk])).status_code == 403


def test_it_refuses_other_methods(client, annotated, annotator_user):
    client.force_login(annotator_user)
    assert client.delete(reverse("article_export", args=[annotated.pk])).status_code == 405


def test_it_explains_a_bad_format(client, annotated, annotator_user):
    client.force_login(annotator_user)
    response = client.get(reverse("article_export", args=[annotated.pk]), {"format": "pdf"})
    assert response.status_code == 400
    assert "Unknown export format “pdf”" in response.content.decode()
