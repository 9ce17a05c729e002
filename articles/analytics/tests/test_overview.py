import re

import pytest

from articles.analytics.tests.fixtures import make_article, tag

URL = "/analytics/"


def row_of(html, outlet):
    """The cells' texts of `outlet`'s row in the first table."""
    match = re.search(
        rf"<tr><th scope=\"row\">(?:<a [^>]*>)?{re.escape(outlet)}(?:</a>)?</th>(.*?)</tr>", html
    )
    assert match, f"no row for {outlet}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))
    ]


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ["Annotator", "Curator", "Viewer"])
def test_it_shows_every_role_the_figures(client, make_user, cov, role):
    client.force_login(make_user("someone", role))
    html = client.get(URL).content.decode()
    # Alpha Post: 2 articles, 6 claims, 3.00 per article, 3 of 6 attributed, 2 of 6 own voice,
    # 1 of 3 attributions anonymous (an official), 4 tone annotations, mean −2/3.
    assert row_of(html, "Alpha Post") == [
        "2", "6", "3.00 n=2", "50.0% n=6", "33.3% n=6", "33.3% n=3", "33.3% n=3", "4", "−0.67 n=3",
    ]  # fmt: skip
    assert row_of(html, "All outlets")[:3] == ["3", "7", "2.33 n=3"]


def test_it_refuses_a_user_without_a_role(client, make_user, cov):
    client.force_login(make_user("nobody", role=None))
    assert client.get(URL).status_code == 403


def test_it_narrows_to_outlets_and_a_month_and_keeps_the_filters_in_its_links(client, viewer, cov):
    make_article("Gamma Daily")  # no counted annotations: not a row
    response = client.get(
        URL, {"outlet": ["Alpha Post", "Beta Times"], "from": "2026-03-01", "to": "2026-03-31"}
    )
    html = response.content.decode()
    assert row_of(html, "Alpha Post")[:2] == ["1", "4"]  # A1 only: A2 was added in April
    assert "Gamma Daily</th>" not in html
    query = "from=2026-03-01&amp;to=2026-03-31&amp;outlet=Alpha+Post&amp;outlet=Beta+Times"
    assert f'href="/analytics/tone/?{query}"' in html
    assert f'href="/analytics/overview/outlets.csv?{query}"' in html
    assert 'value="Alpha Post" checked' in html and 'value="2026-03-01"' in html


def test_it_counts_accepted_annotations_only_when_asked(client, viewer, cov):
    html = client.get(URL, {"status": "accepted"}).content.decode()
    assert row_of(html, "Alpha Post")[:2] == ["2", "1"]  # t1 in A1; c7 in A2


def test_it_answers_bad_filters_with_400_and_the_reason(client, viewer, cov, settings):
    for debug in (False, True):
        settings.DEBUG = debug
        response = client.get(URL, {"from": "2026-13-01"})
        assert response.status_code == 400
        assert "Cannot filter: from “2026-13-01” is not a date" in response.content.decode()


def test_it_refuses_other_methods(client, viewer):
    assert client.post(URL).status_code == 405


def test_it_stays_within_the_csp(client, viewer, cov):
    response = client.get(URL)
    html = response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert " style=" not in html and "<script" not in html.split("</head>")[1]
    assert "<title id=" in html and "<desc id=" in html


def test_it_greys_small_counts_and_says_what_each_share_is_out_of(client, viewer, cov, annotator_user):
    html = client.get(URL).content.decode()
    assert 'class="num small-n" title="1 of 3 attributions to anonymous officials"' in html
    # Ten claims in one article: no longer small.
    article = make_article("Delta Wire")
    for _ in range(10):
        tag(article, "factual", annotator_user)
    html = client.get(URL, {"outlet": "Delta Wire"}).content.decode()
    assert 'class="num" title="10 claims in 1 articles"' not in html  # per article: n is the articles
    assert 'title="0 of 10 claims attributed to a source"' in html
    assert 'class="num" title="0 of 10 claims attributed to a source"' in html
