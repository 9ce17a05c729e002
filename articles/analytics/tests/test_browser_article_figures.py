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
    page.wait_for_selector("#article-figures:not([aria-busy])")
    strip = page.locator(".article-summary[aria-label='This article in figures']")
    assert "Source 1" in strip.inner_text()
    assert page.locator("#article-figures").count() == 1  # replaced, not added beside
    assert page.locator("#article-figures[aria-busy]").count() == 0
    assert errors == []


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_it_keeps_the_figures_strip_in_step_with_the_tags(
    settings, logged_in_page, live_server, sample_article, debug
):
    """The strip counts again after every change made on the page: it must never show
    figures the analyst has just made wrong."""
    from articles.tests.browser import drag_select, wait_until

    settings.DEBUG = debug
    page = logged_in_page
    errors = csp_errors(page)
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    page.wait_for_selector("#article-body")
    strip = "document.querySelector('#article-figures')?.innerText || ''"

    drag_select(page, "My way or the high way")
    page.keyboard.press("1")  # Claim: factual, the first annotation of the article
    page.wait_for_selector("#article-body mark.hl")
    wait_until(page, f"({strip}).includes('Claim 1')")

    drag_select(page, "the official")
    page.click("#toolbar .label-button >> text=anonymous source")
    wait_until(page, f"({strip}).includes('Source 1')")
    assert "Claim 1" in page.evaluate(strip)

    mark = page.locator("#article-body mark.hl", has_text="My way").first
    mark.click()
    page.click("#popover button.danger")
    page.wait_for_selector("#messages >> text=Undo")
    wait_until(page, f"!({strip}).includes('Claim 1')")
    assert "Source 1" in page.evaluate(strip)
    assert errors == []
