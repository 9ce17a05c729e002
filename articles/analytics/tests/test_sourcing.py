from articles.analytics.tests.test_overview import row_of

URL = "/analytics/sourcing/"


def test_it_shows_attribution_anonymity_types_and_forms(client, viewer, cov):
    html = client.get(URL).content.decode()
    sections = html.split('<section class="figure-panel"')[1:]
    assert [s.split('id="panel-')[1].split('"')[0] for s in sections] == [
        "claims", "attribution", "anonymity", "types", "forms",
    ]  # fmt: skip
    anonymity = sections[2]
    # Beta Times: c9 → s5 (anonymous), c9 → s6 (named): 2 attributions.
    assert row_of(anonymity, "Beta Times") == ["2", "50.0% n=2", "50.0% n=2"]
    assert 'aria-label="Beta Times, Anonymous: 50.0% (1 of 2 attributions: anonymous)"' in anonymity
    forms = sections[4]
    assert row_of(forms, "Alpha Post") == ["3", "66.7% n=3", "33.3% n=3", "0.0% n=3"]  # 2 direct, 1 indirect


def test_it_requires_a_role(client, make_user):
    client.force_login(make_user("nobody", role=None))
    assert client.get(URL).status_code == 403


def test_it_refuses_an_unknown_label(client, viewer, cov):
    response = client.get(URL, {"label": "sarcasm"})
    assert response.status_code == 400 and "unknown label “sarcasm”" in response.content.decode()
