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
    page.wait_for_selector("#article-figures .article-summary:not([aria-busy])")
    strip = page.locator(".article-summary[aria-label='This article in figures']")
    assert "Source 1" in strip.inner_text()
    assert page.locator(".article-summary").count() == 1  # replaced, not added beside
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


def test_it_counts_a_change_made_while_the_figures_are_on_their_way(
    logged_in_page, live_server, sample_article, monkeypatch
):
    import time

    from articles.analytics import views
    from articles.tests.browser import drag_select, wait_until

    page = logged_in_page
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    page.wait_for_selector("#article-figures .article-summary:not([aria-busy])")
    counted = views.agg.article_summary

    def slow_summary(*args, **kwargs):
        summary = counted(*args, **kwargs)
        time.sleep(1)  # the figures as they were, arriving late (a loaded server)
        return summary

    monkeypatch.setattr(views.agg, "article_summary", slow_summary)
    strip = "document.querySelector('#article-figures').innerText"
    drag_select(page, "My way or the high way")
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl")
    drag_select(page, "the official")  # a second change while the first figures are on their way
    page.keyboard.press("1")
    wait_until(page, "document.querySelectorAll('#article-body mark.hl[data-stop]').length === 2")
    wait_until(page, f"({strip}).includes('Claim 2')", timeout_ms=8000)
