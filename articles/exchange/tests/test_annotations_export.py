"""GET /annotations/export/ — everything matching the article list's search and filters."""

import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.exchange.writers import CSV_COLUMNS
from articles.tests.export_helpers import annotate, csv_records, make_article, many_annotations

URL = reverse("annotations_export")


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def annotated(sample_article, annotator_user, make_user):
    article = make_article()
    annotate(article, "productive", annotator_user, note="+1 agreed")
    annotate(article, "delegation", make_user("bob", "Annotator"), label="opinion")
    annotate(sample_article, "Pakistani", annotator_user, label="negative")
    return article


@pytest.fixture
def viewer_client(client, make_user):
    client.force_login(make_user("vera", "Viewer"))
    return client


def test_it_streams_a_spreadsheet_safe_csv_of_everything(annotated, viewer_client):
    response = viewer_client.get(URL)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="annotations-')
    records = csv_records(body(response))
    assert list(records[0]) == list(CSV_COLUMNS)
    assert len(records) == 3
    assert "'+1 agreed" in {r["note"] for r in records}


def test_it_exports_raw_excel_jsonl_and_w3c(annotated, viewer_client):
    assert "+1 agreed" in {r["note"] for r in csv_records(body(viewer_client.get(URL, {"raw": "1"})))}
    assert body(viewer_client.get(URL, {"excel": "1"})).startswith("\ufeffannotation_id,")
    jsonl = viewer_client.get(URL, {"format": "jsonl"})
    assert jsonl["Content-Disposition"].endswith('.jsonl"')
    assert len(body(jsonl).splitlines()) == 3
    w3c = viewer_client.get(URL, {"format": "w3c", "label": "opinion"})
    assert w3c["Content-Type"].startswith("application/ld+json")
    document = json.loads(body(w3c))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["id"] == "http://testserver/annotations/export/?format=w3c&label=opinion"
    assert [item["body"][1]["value"] for item in document["first"]["items"]] == ["opinion"]


def test_it_exports_only_what_the_search_and_filters_match(annotated, viewer_client, sample_article):
    def quotes(**params):
        return sorted(r["quote"] for r in csv_records(body(viewer_client.get(URL, params))))

    assert quotes(q="delegation") == ["delegation", "productive"]  # articles whose text matches
    assert quotes(q="Pakistani Military") == ["Pakistani"]
    assert quotes(q="no article says this") == []
    assert quotes(label="opinion") == ["delegation"]
    assert quotes(author="bob") == ["delegation"]
    assert quotes(article=str(sample_article.pk)) == ["Pakistani"]
    assert quotes(since="2999-01-01") == []
    assert quotes(q="delegation", author="alice") == ["productive"]


def test_it_is_linked_from_the_article_list_with_the_search(annotated, viewer_client):
    page = viewer_client.get(reverse("article_list"), {"q": "rift & co"}).content.decode()
    assert f'href="{URL}?format=csv&amp;q=rift%20%26%20co"' in page
    assert f'href="{URL}?format=w3c&amp;q=rift%20%26%20co"' in page


def test_it_keeps_the_query_count_flat_from_10_to_1000_rows(sample_article, annotator_user, viewer_client):
    other = make_article()

    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            rows = csv_records(body(viewer_client.get(URL)))
        return len(rows), len(queries)

    many_annotations(sample_article, annotator_user, 5)
    many_annotations(other, annotator_user, 5)
    rows_10, queries_10 = export_queries()
    many_annotations(sample_article, annotator_user, 495)
    many_annotations(other, annotator_user, 495)
    rows_1000, queries_1000 = export_queries()

    assert (rows_10, rows_1000) == (10, 1000)
    assert queries_1000 == queries_10


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_users_without_a_role(client, make_user):
    client.force_login(make_user("nobody", role=None))
    assert client.get(URL).status_code == 403


def test_it_refuses_other_methods(viewer_client):
    assert viewer_client.post(URL).status_code == 405


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "xlsx"}, "Unknown export format “xlsx”"),
        ({"label": "gossip"}, "Cannot export: unknown label “gossip”."),
        ({"since": "yesterday"}, "is not a date"),
        ({"article": "abc"}, "not an article number"),
    ],
)
def test_it_explains_bad_parameters(viewer_client, params, message):
    response = viewer_client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
