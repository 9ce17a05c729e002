from articles.analytics.tests.test_overview import row_of

URL = "/analytics/tone/"


def test_it_shows_the_distribution_scores_and_the_outlet_by_target_table(client, viewer, cov):
    html = client.get(URL).content.decode()
    distribution, scores, targets = html.split('<section class="figure-panel"')[1:]
    # Alpha Post: negative 2, neutral 1, positive 1 of 4.
    assert row_of(distribution, "Alpha Post") == ["4", "50.0% n=4", "25.0% n=4", "25.0% n=4"]
    assert row_of(scores, "Beta Times") == ["1", "+1.00 n=1"]
    assert '<th scope="col" class="num">the U.S.</th>' in targets
    # Toward the U.S.: Alpha −3 and −1 (mean −2), Beta +1.
    assert row_of(targets, "Alpha Post") == ["−2.00 n=2", "+2.00 n=1"]
    assert row_of(targets, "Beta Times") == ["+1.00 n=1", "–"]


def test_it_keeps_the_accepted_only_filter(client, viewer, cov):
    html = client.get(URL, {"status": "accepted"}).content.decode()
    scores = html.split('<section class="figure-panel"')[2]
    assert row_of(scores, "Alpha Post") == ["1", "−3.00 n=1"]
