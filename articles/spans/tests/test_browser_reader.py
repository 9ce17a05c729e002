import pytest

pytestmark = pytest.mark.browser


def test_it_logs_in_and_shows_the_sample(logged_in_page, live_server, sample_article):
    page = logged_in_page
    page.goto(live_server.url + "/")
    page.click(f"text={sample_article.title}")
    page.wait_for_selector("#article-body")
    assert page.inner_text("h1#article-title") == sample_article.title
    first = page.inner_text("#article-body .para >> nth=0")
    assert first == sample_article.body.split("\n\n")[0]
    assert "Disqus" not in page.inner_text("main")
