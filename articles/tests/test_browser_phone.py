"""Phones (issue 9 item 10): no page is wider than the screen, the article list reads as a
list, and the reader's annotation panel is one tap away."""

import pytest

from articles.jobs.models import Job
from articles.tests.browser import drag_select, log_in

pytestmark = pytest.mark.browser

# On a phone the browser widens the layout viewport to fit wide content, so innerWidth
# must also still be the screen's width.
FITS = "([w]) => document.documentElement.scrollWidth <= innerWidth && innerWidth === w"


@pytest.fixture
def phone(browser, transactional_db):
    from articles.conftest import ensure_reference_data

    ensure_reference_data()
    contexts = []

    def open_phone(width, height):
        context = browser.new_context(
            viewport={"width": width, "height": height}, has_touch=True, is_mobile=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_phone
    for context in contexts:
        context.close()


@pytest.mark.parametrize("size", [(360, 740), (390, 844)])
def test_it_fits_every_page_on_a_phone(size, phone, live_server, sample_article, make_user):
    from articles.tests.admin_helpers import make_curator

    curator = make_curator(make_user)
    long_job = Job.objects.create(
        kind=Job.Kind.URL_IMPORT, owner=curator, title="https://example.com/" + "a-long-slug-" * 12
    )
    page = phone(*size)
    page.goto(f"{live_server.url}/login/")
    assert page.evaluate(FITS, [size[0]]), "login"
    log_in(page, live_server, curator.username)
    for path in [
        "/",
        "/?q=Pakistan",
        "/articles/add/",
        "/annotations/import/",
        f"/articles/{sample_article.pk}/",
        "/admin/",
        "/admin/articles/annotation/",
        "/admin/articles/article/",
        "/jobs/",
        f"/jobs/{long_job.pk}/",
        "/sources/",
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate(FITS, [size[0]]), path
        logout = page.locator(".site-header .logout button, #logout-form button")
        if logout.count():
            box = logout.first.bounding_box()
            assert box["x"] + box["width"] <= size[0], f"log out is off-screen on {path}"


def test_it_lists_articles_readably_on_a_phone(phone, live_server, sample_article, annotator_user):
    page = phone(360, 740)
    log_in(page, live_server, annotator_user.username)
    title = page.locator(f"text={sample_article.title}")
    box = title.bounding_box()
    assert box["width"] >= 250  # a line of words, not one word per line
    line_height = float(title.evaluate("e => getComputedStyle(e).lineHeight").rstrip("px"))
    assert box["height"] <= 4 * line_height


def test_it_opens_the_panel_with_one_tap_on_a_phone(phone, live_server, sample_article, annotator_user):
    page = phone(390, 844)
    log_in(page, live_server, annotator_user.username)
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    panel = page.locator("#annotation-panel")
    assert panel.is_hidden()
    button = page.locator(".panel-toggle")
    box = button.bounding_box()
    assert box["y"] + box["height"] <= 844  # on screen without scrolling
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert panel.is_visible()
    panel_box = panel.bounding_box()
    assert panel_box["y"] >= 0 and panel_box["y"] + panel_box["height"] <= 844 + 1
    assert "Annotations" in panel.inner_text()


CELL_WORDS = """(selector) => [...document.querySelectorAll(selector)].map((cell) =>
  [getComputedStyle(cell, "::before").content, cell.textContent.trim(), getComputedStyle(cell, "::after").content])"""


def test_each_list_cell_says_what_it_is_on_a_phone(phone, live_server, sample_article, annotator_user):
    Job.objects.create(
        kind=Job.Kind.URL_IMPORT,
        owner=annotator_user,
        title="2 URLs",
        total=2,
        done=2,
        failures=1,
        status="done",
    )
    page = phone(390, 844)
    log_in(page, live_server, annotator_user.username)
    assert page.evaluate(CELL_WORDS, "table.articles td.num") == [["none", "0", '" annotations"']]
    page.goto(f"{live_server.url}/jobs/")
    # The jobs list shares the article list's phone layout, but its numbers are no annotations.
    assert page.evaluate(CELL_WORDS, "table.jobs td.num") == [
        ['"Done "', "2 / 2", "none"],
        ['"Failed "', "1", "none"],
    ]
    assert page.locator("table.jobs td.wide-only").first.is_hidden()


def test_the_hint_after_tagging_names_no_key_on_a_phone(phone, live_server, sample_article, annotator_user):
    page = phone(390, 844)
    log_in(page, live_server, annotator_user.username)
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    assert page.evaluate("matchMedia('(hover: none) and (pointer: coarse)').matches")
    drag_select(page, "so-called coalition partner")
    button = page.locator("#toolbar .label-button", has_text="negative")
    box = button.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#who-bar:not([hidden])")
    assert page.locator("#who-bar").inner_text() == "Tone saved. Choose its intensity in the panel."
