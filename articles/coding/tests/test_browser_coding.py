"""The coding workflow in a real browser: an analyst's queue, the blind rule, and one
adjudication done with the keyboard alone."""

import pytest
from playwright.sync_api import expect

from articles.coding.models import Assignment, BatchArticle, GoldDecision
from articles.coding.tests.helpers import annotate, make_batch
from articles.tests.admin_helpers import make_curator
from articles.tests.browser import csp_errors, drag_select, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_it_takes_an_analyst_from_the_queue_to_done(page, live_server, make_user, sample_article, debug):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article], [alice, bob], name="Wave 1")
    errors = csp_errors(page)
    log_in(page, live_server, "alice")
    page.click("nav >> text=My work")
    page.wait_for_selector("table.queue")
    assert "To do" in page.inner_text("table.queue")
    page.click(f"table.queue a[href='/articles/{sample_article.pk}/']")
    page.wait_for_selector("#article-body")
    assert "Wave 1" in page.inner_text(".assignment-bar")
    drag_select(page, "coalition partner")
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl")
    assert Assignment.objects.get(analyst=alice).status == Assignment.IN_PROGRESS
    page.click(".assignment-bar button:text('Mark done')")
    page.wait_for_selector(".assignment-bar button:text('Reopen')")
    assert Assignment.objects.get(analyst=alice).status == Assignment.DONE
    page.goto(live_server.url + "/coding/mine/?status=done")
    assert sample_article.title[:20] in page.inner_text("table.queue")
    assert errors == []


def test_it_keeps_two_analysts_blind_to_each_other(browser, live_server, make_user, sample_article):
    alice, bob = make_user("alice"), make_user("bob")
    make_batch([sample_article], [alice, bob])
    theirs = annotate(sample_article, bob, "military official")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, "alice")
        page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
        page.wait_for_selector("#article-body")
        drag_select(page, "ABC News")
        page.keyboard.press("2")
        page.wait_for_selector("#article-body mark.hl")
        assert page.locator("#article-body mark.hl").count() == 1
        assert page.locator(f'[data-id="{theirs.pk}"]').count() == 0
        assert page.inner_text("#annotation-count") == "1"
        assert "military official" not in page.inner_text("#annotation-panel")
        response = page.request.get(
            f"{live_server.url}/articles/{sample_article.pk}/annotations/{theirs.pk}/edit/"
        )
        assert response.status == 404
        export = page.request.get(f"{live_server.url}/articles/{sample_article.pk}/export/?format=csv").text()
        assert ",ABC News," in export and str(theirs.uuid) not in export and export.count("\r\n") == 2
    finally:
        context.close()


def test_it_adjudicates_one_article_with_the_keyboard(page, live_server, make_user, sample_article, debug):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article], [alice, bob])
    annotate(sample_article, alice, "Pakistani")
    annotate(sample_article, bob, "Pakistani")  # agreed
    annotate(sample_article, alice, "military official")
    annotate(sample_article, bob, "military official", label="opinion")  # label disagreement
    annotate(sample_article, bob, "ABC News")  # one coder only
    curator = make_curator(make_user)
    errors = csp_errors(page)
    log_in(page, live_server, curator.username)
    page.goto(f"{live_server.url}/coding/batches/{batch.pk}/agreement/")
    page.click("#agreement-lowest a")
    page.wait_for_selector(".group")
    assert page.locator(".group.kind-label").count() == 1 and page.locator(".group.kind-single").count() == 1

    # The page opens on the first disagreement; b accepts Bob's label.
    expect(page.locator(".group.kind-label")).to_be_focused()
    page.keyboard.press("b")
    page.wait_for_selector(".group.kind-label.decided")
    # Focus comes back on the next open passage: the one-coder span. Reject it with x.
    expect(page.locator(".group.kind-single")).to_be_focused()
    page.keyboard.press("x")
    page.wait_for_selector(".group.kind-single.decided")
    # g accepts every agreed passage in one go; then finish.
    page.keyboard.press("g")
    page.wait_for_selector(".group.kind-agreed.decided")
    page.click("button:text('Finish adjudication')")
    page.wait_for_selector("text=Reopen adjudication")

    gold = sorted((d.gold.quote, d.gold.label.name) for d in GoldDecision.objects.exclude(gold=None))
    assert gold == [("Pakistani", "factual"), ("military official", "opinion")]
    assert GoldDecision.objects.filter(gold=None).count() == 1
    assert BatchArticle.objects.get().adjudicated_by == curator
    export = page.request.get(
        f"{live_server.url}/articles/{sample_article.pk}/export/?format=csv&gold=1"
    ).text()
    assert export.count("\r\n") == 3 and ",true\r\n" in export
    assert errors == []


def test_it_moves_a_boundary_with_the_keyboard(page, live_server, make_user, sample_article):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article], [alice, bob])
    a = annotate(sample_article, alice, "senior Pakistani military official")
    annotate(sample_article, bob, "Pakistani military official")
    log_in(page, live_server, make_curator(make_user).username)
    page.goto(f"{live_server.url}/coding/batches/{batch.pk}/articles/{sample_article.pk}/adjudicate/")
    expect(page.locator(".group.kind-boundary")).to_be_focused()
    page.keyboard.press("e")  # into the start field
    for _ in range(7):
        page.keyboard.press("ArrowUp")  # "senior " is 7 characters
    assert page.inner_text(".adjust-preview") == "“Pakistani military official”"
    page.keyboard.press("Enter")
    page.wait_for_selector(".group.decided")
    gold = GoldDecision.objects.get().gold
    assert (gold.start, gold.quote) == (a.start + 7, "Pakistani military official")
