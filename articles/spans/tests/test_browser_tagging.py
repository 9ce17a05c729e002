"""The reading page saves exactly what the analyst meant (issue 9 items 1–3, issue 8 items 4–5)."""

import re
import uuid
from urllib.parse import parse_qs

import pytest

from articles.models import Annotation, Label
from articles.tests.browser import PHRASE_RECTS, drag_select, wait_until

pytestmark = pytest.mark.browser

ISI = "Inter-Services Intelligence (ISI)"


def open_article(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("#article-body")


def posted(request):
    return {key: values[0] for key, values in parse_qs(request.post_data or "").items()}


def test_it_never_picks_a_label_on_enter_in_the_note(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    drag_select(page, ISI)
    # A click once the toolbar has settled (under load it may still be moving into place).
    page.locator("#toolbar input[name=note]").click()
    wait_until(page, "document.activeElement && document.activeElement.name === 'note'")
    page.keyboard.type("is this an org source?")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert not Annotation.objects.exists()
    assert page.is_visible("#toolbar")
    assert "label" in page.inner_text("#toolbar .toolbar-hint").lower()
    # One action beyond typing the note: the label's key with Alt.
    page.keyboard.press("Alt+6")
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    assert (annotation.quote, annotation.label.name, annotation.note) == (
        ISI,
        "organisation or document",
        "is this an org source?",
    )
    # A source's next step takes the focus: "who is this?" (static/js/attribution.js).
    page.wait_for_selector("#who #entity-input:focus")


def test_it_moves_the_focus_to_a_new_claim_and_keeps_it_there(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    drag_select(page, ISI)
    page.locator("#toolbar input[name=note]").click()
    wait_until(page, "document.activeElement && document.activeElement.name === 'note'")
    page.keyboard.press("Alt+1")  # Claim: factual, saved from the toolbar
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    # Focus goes from the closed toolbar to the new highlight, ready for j/k or Enter, and
    # stays there once the claim's panel and the figures strip have arrived.
    page.wait_for_selector("#who:not([hidden])")
    page.wait_for_selector("#article-figures .article-summary:not([aria-busy])")
    page.wait_for_timeout(300)
    wait_until(page, f"document.activeElement.dataset.stop === '{annotation.pk}'")


def test_it_cancels_a_pending_toolbar_when_a_new_drag_starts(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    drag_select(page, "our so-called coalition partner")
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl")
    # Right after the save, start a new drag and hold it half-way.
    rects = page.evaluate(PHRASE_RECTS, ["struggled to maintain a partnership", 0])
    page.mouse.move(rects["x1"], rects["y1"])
    page.mouse.down()
    page.mouse.move((rects["x1"] + rects["x2"]) / 2, rects["y2"], steps=3)
    page.wait_for_timeout(400)
    assert page.is_hidden("#toolbar")
    page.mouse.move(rects["x2"], rects["y2"], steps=3)
    page.mouse.up()
    page.wait_for_selector("#toolbar:not([hidden])")
    assert "struggled" in page.inner_text("#toolbar .toolbar-quote")
    assert "partnership" in page.inner_text("#toolbar .toolbar-quote")


def test_it_clips_a_drag_that_overshoots_into_the_panel(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    phrase = "For years, Pakistan and the U.S."
    rects = page.evaluate(PHRASE_RECTS, [phrase, 0])
    panel = page.locator("#annotation-panel").bounding_box()
    page.mouse.move(rects["x1"], rects["y1"])
    page.mouse.down()
    page.mouse.move(rects["x2"], rects["y2"], steps=5)
    page.mouse.move(panel["x"] + 40, rects["y2"] + 5, steps=8)
    page.mouse.up()
    page.wait_for_selector("#toolbar:not([hidden])")
    preview = page.inner_text("#toolbar .toolbar-quote")
    assert "1 paragraph" in preview
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    paragraph_end = sample_article.body.index("\n\n", annotation.start)
    assert annotation.quote.startswith(phrase)
    assert annotation.end <= paragraph_end  # never runs on to the end of the article


def test_it_previews_first_and_last_words_and_length(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    passage = 'better of him.\n\n"The U.S. is saying'
    drag_select(page, passage)
    preview = page.inner_text("#toolbar .toolbar-quote")
    assert re.search(r"better of .*….* is saying", preview)
    assert f"{len(passage)} characters, 2 paragraphs" in preview


def test_it_asks_before_saving_a_long_tag(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    page.locator("#article-body .para >> nth=2").click()
    page.keyboard.press("Control+a")  # the whole page: far past the limit
    page.wait_for_selector("#toolbar:not([hidden])")
    page.keyboard.press("1")
    page.wait_for_selector("#toolbar .toolbar-confirm:not([hidden])")
    page.wait_for_timeout(300)
    assert not Annotation.objects.exists()
    assert "paragraphs" in page.inner_text("#toolbar .toolbar-confirm")
    page.locator("#toolbar .toolbar-confirm button.primary").click()
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    assert annotation.label.name == "factual" and annotation.end - annotation.start > 600


def test_it_shows_refusals_in_the_message_area_with_debug_on(
    settings, logged_in_page, live_server, sample_article
):
    settings.DEBUG = True
    page = logged_in_page
    open_article(page, live_server, sample_article)
    assert page.locator("script[src*='django-htmx']").count() == 1  # the debug helper is there
    drag_select(page, ISI)
    Label.objects.filter(name="factual").update(active=False)
    page.keyboard.press("1")
    page.wait_for_selector("#messages .message-error")
    assert "retired" in page.inner_text("#messages")
    assert page.is_visible("#article-body")
    assert page.is_visible("#toolbar")  # the selection is still there to tag with another label
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("failure", ["abort", "500"])
def test_it_offers_a_retry_when_a_save_fails(failure, logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    sent = []

    def fail_first(route):
        sent.append(posted(route.request))
        if len(sent) == 1:
            if failure == "abort":
                route.abort()
            else:
                route.fulfill(status=500, body="<h1>Server Error (500)</h1>")
        else:
            route.continue_()

    page.route(re.compile(r"/articles/\d+/annotations/$"), fail_first)
    drag_select(page, ISI)
    page.keyboard.press("6")
    page.wait_for_selector("#messages .message-error")
    assert "Not saved — the server did not answer" in page.inner_text("#messages")
    assert page.is_visible("#toolbar")
    assert not Annotation.objects.exists()
    page.locator("#messages button.retry").click()
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    assert annotation.quote == ISI
    assert len(sent) == 2 and sent[0]["uuid"] == sent[1]["uuid"]
    assert str(uuid.UUID(sent[0]["uuid"])) == sent[0]["uuid"]
    assert page.inner_text("#messages").strip() == ""

    # The next tag is a new attempt with a new id.
    drag_select(page, "our so-called coalition partner")
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl >> text=coalition")
    assert len(sent) == 3 and sent[2]["uuid"] != sent[0]["uuid"]


def test_it_offers_a_retry_when_an_edit_gets_no_answer(
    logged_in_page, live_server, sample_article, annotator_user
):
    from articles.spans.tests.test_browser_reading import tag

    annotation = tag(sample_article, annotator_user, ISI, "factual")
    page = logged_in_page
    open_article(page, live_server, sample_article)
    calls = []

    def fail_first(route):
        calls.append(posted(route.request))
        route.abort() if len(calls) == 1 else route.continue_()

    page.route(re.compile(rf"/annotations/{annotation.pk}/$"), fail_first)
    mark = page.locator(f'#article-body mark[data-ids~="{annotation.pk}"]')
    mark.scroll_into_view_if_needed()
    box = mark.evaluate(
        "m => { const r = m.getClientRects()[0]; return {x: r.left + 4, y: r.top + r.height / 2}; }"
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_selector("#popover:not([hidden]) textarea[name=note]")
    page.locator("#popover textarea[name=note]").click()
    page.keyboard.type("an agency")
    page.locator("#popover button.primary").click()
    page.wait_for_selector("#messages .message-error")
    assert "Not saved — the server did not answer" in page.inner_text("#messages")
    assert page.is_visible("#popover")  # what was typed is still there
    annotation.refresh_from_db()
    assert annotation.note == ""
    page.locator("#messages button.retry").click()
    page.wait_for_selector("#annotation-panel >> text=an agency")
    annotation.refresh_from_db()
    assert annotation.note == "an agency" and calls[0] == calls[1]
