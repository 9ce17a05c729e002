from articles.analytics.tests.test_overview import row_of

URL = "/analytics/voices/"


def test_it_ranks_entities_with_claims_articles_and_outlets(client, viewer, cov):
    html = client.get(URL).content.decode()
    assert row_of(html, "Barack Obama") == [
        "Government official",
        "US government",
        "United States",
        "3",
        "2",
        "3",
        "2",
    ]
    assert html.index("Barack Obama</a></th>") < html.index("Bruce Riedel</a></th>")


def test_it_filters_by_type_affiliation_and_country(client, viewer, cov):
    html = client.get(URL, {"type": "military"}).content.decode()
    assert "a senior military official</a></th>" in html and "Barack Obama</a></th>" not in html
    assert "Bruce Riedel</a></th>" in client.get(URL, {"affiliation": "brook"}).content.decode()
    assert client.get(URL, {"type": "wizard"}).status_code == 400


def test_it_links_each_entity_to_its_page_once_there_is_one(client, viewer, cov):
    html = client.get(URL).content.decode()
    assert f'<a href="/sources/{cov.obama.pk}/">Barack Obama</a>' in html
