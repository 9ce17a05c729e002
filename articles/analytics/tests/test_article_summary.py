from articles.analytics.tests.fixtures import make_article


def figures(client, article):
    response = client.get(f"/articles/{article.pk}/figures/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_fetches_the_figures_once_the_reading_page_is_shown(client, viewer, cov):
    html = client.get(f"/articles/{cov.a1.pk}/").content.decode()
    assert f'hx-get="/articles/{cov.a1.pk}/figures/" hx-trigger="load, ' in html
    # Not computed for the page itself: the same strip, with a dash for every figure.
    assert "Claim <strong>–</strong>" in html and "<strong>–</strong> not coded" in html
    assert "Claim <strong>4</strong>" not in html


def test_it_shows_the_articles_figures_above_the_text(client, viewer, cov):
    html = figures(client, cov.a1)
    summary = html.split('<div class="article-summary"')[1].split("</div>")[0]
    assert "Claim <strong>4</strong>" in summary and "Source <strong>2</strong>" in summary
    assert (
        "<strong>2</strong> attributed, <strong>1</strong> own voice, <strong>1</strong> not coded" in summary
    )
    assert "<strong>1</strong> named, <strong>1</strong> anonymous" in summary
    # Tone: negative 2, neutral 1, positive 1 of 4; mean (−3 −1 +2) / 3.
    assert 'aria-label="negative 2, neutral 1, positive 1"' in summary
    assert 'width="50.0"' in summary and "-0.67" in summary


def test_it_shows_zeros_for_an_uncoded_article(client, viewer, db):
    article = make_article("Gamma Daily")
    html = figures(client, article)
    assert "Claim <strong>0</strong>" in html
    # Every part is there with zeros, so the first tag adds none and moves no text.
    assert "<strong>0</strong> attributed, <strong>0</strong> own voice, <strong>0</strong> not coded" in html
    assert "Cited: none yet" in html and 'aria-label="no tone yet"' in html


def test_it_is_left_out_for_a_user_who_may_not_see_analytics(client, make_user, cov):
    client.force_login(make_user("nobody", role=None))
    response = client.get(f"/articles/{cov.a1.pk}/")
    assert response.status_code == 200 and 'id="article-figures"' not in response.content.decode()
    assert client.get(f"/articles/{cov.a1.pk}/figures/").status_code == 403


def test_it_answers_404_for_the_figures_of_no_article(client, viewer, db):
    assert client.get("/articles/999999/figures/").status_code == 404
