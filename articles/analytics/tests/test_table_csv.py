import csv
import io

from django.core.management import call_command

NARROW = {"outlet": ["Alpha Post", "Beta Times"], "from": "2026-03-01", "to": "2026-03-31"}


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_it_downloads_exactly_the_numbers_shown_with_their_n(client, viewer, cov):
    response = client.get("/analytics/sourcing/anonymity.csv", NARROW)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert rows(response.content.decode()) == [
        ["Outlet", "Attributions", "Named %", "Named % n", "Anonymous %", "Anonymous % n"],
        ["All outlets", "4", "50.0", "4", "50.0", "4"],
        ["Alpha Post", "2", "50.0", "2", "50.0", "2"],  # March: c1 → s1 named, c2 → s2 anonymous
        ["Beta Times", "2", "50.0", "2", "50.0", "2"],
    ]


def test_it_gives_the_same_numbers_as_the_command(client, viewer, cov):
    web = client.get("/analytics/tone/targets.csv", NARROW).content.decode()
    out = io.StringIO()
    call_command(
        "analytics", "tone", "--table", "targets", "--outlet", "Alpha Post", "--outlet", "Beta Times",
        "--from", "2026-03-01", "--to", "2026-03-31", stdout=out,
    )  # fmt: skip
    assert out.getvalue() == web
    assert rows(web)[1] == ["Alpha Post", "-2.0", "2", "2.0", "1"]


def test_it_escapes_outlet_names_that_look_like_formulas(client, viewer, cov, annotator_user):
    from articles.analytics.tests.fixtures import make_article, tag

    tag(make_article("=HYPERLINK(1)"), "factual", annotator_user)
    text = client.get("/analytics/overview/outlets.csv").content.decode()
    assert "'=HYPERLINK(1)" in text


def test_it_answers_unknown_views_tables_and_bad_filters(client, viewer, cov):
    assert client.get("/analytics/nope/outlets.csv").status_code == 404
    assert client.get("/analytics/overview/nope.csv").status_code == 404
    response = client.get("/analytics/overview/outlets.csv", {"status": "golden"})
    assert response.status_code == 400 and "status “golden”" in response.content.decode()


def test_it_requires_a_role(client, make_user):
    client.force_login(make_user("nobody", role=None))
    assert client.get("/analytics/overview/outlets.csv").status_code == 403
