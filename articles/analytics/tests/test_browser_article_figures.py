"""The reading page's figures strip arrives after the page, in a real browser."""

import pytest

from articles.tests.browser import csp_errors
from articles.tests.export_helpers import annotate

pytestmark = pytest.mark.browser


def test_it_shows_the_figures_strip_once_the_page_is_there(
    logged_in_page, live_server, sample_article, annotator_user
):
    annotate(sample_article, "the official", annotator_user, label="anonymous source")
    page = logged_in_page
    errors = csp_errors(page)
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    strip = page.locator(".article-summary[aria-label='This article in figures']")
    strip.wait_for()
    assert "Source 1" in strip.inner_text()
    assert page.locator(".article-summary-slot").count() == 0  # replaced, not added beside
    assert errors == []
