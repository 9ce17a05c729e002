URL = "/analytics/time/"


def test_it_draws_one_line_per_outlet_per_month(client, viewer, cov):
    html = client.get(URL, {"measure": "claims"}).content.decode()
    assert "Claims per month" in html
    assert html.count("<polyline") == 2  # Alpha: March and April; Beta: March only (a point)
    assert 'aria-label="Alpha Post, 2026-04-01: 2 (from 1 articles (Alpha Post, 2026-04-01))"' in html
    assert '<option value="claims" selected>' in html


def test_it_switches_to_weeks_and_other_measures(client, viewer, cov):
    html = client.get(URL, {"measure": "mean_tone", "period": "week"}).content.decode()
    assert "Mean tone score per week" in html and ">2026-03-02</th>" in html


def test_it_refuses_an_unknown_measure(client, viewer):
    response = client.get(URL, {"measure": "vibes"})
    assert response.status_code == 400 and "measure “vibes”" in response.content.decode()
