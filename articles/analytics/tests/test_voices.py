import re

import pytest
from django.urls import path

import articles.urls
from articles.analytics.tests.test_overview import row_of

URL = "/analytics/voices/"


def unlinked(html):
    """The page with each entity's link to its page (the registry's, issue 10) reduced to its name."""
    return re.sub(r'<a href="/sources/\d+/">(.*?)</a>', r"\1", html)


def test_it_ranks_entities_with_claims_articles_and_outlets(client, viewer, cov):
    html = unlinked(client.get(URL).content.decode())
    assert row_of(html, "Barack Obama") == [
        "Government official",
        "US government",
        "United States",
        "3",
        "2",
        "3",
        "2",
    ]
    assert html.index("Barack Obama</th>") < html.index("Bruce Riedel</th>")


def test_it_filters_by_type_affiliation_and_country(client, viewer, cov):
    html = unlinked(client.get(URL, {"type": "military"}).content.decode())
    assert "a senior military official</th>" in html and "Barack Obama</th>" not in html
    assert "Bruce Riedel</th>" in unlinked(client.get(URL, {"affiliation": "brook"}).content.decode())
    assert client.get(URL, {"type": "wizard"}).status_code == 400


urlpatterns = [
    *articles.urls.urlpatterns,
    path("sources/<int:pk>/", lambda request, pk: None, name="source_detail"),
]


@pytest.mark.urls(__name__)
def test_it_links_each_entity_to_its_page_once_there_is_one(client, viewer, cov):
    html = client.get(URL).content.decode()
    assert f'<a href="/sources/{cov.obama.pk}/">Barack Obama</a>' in html
