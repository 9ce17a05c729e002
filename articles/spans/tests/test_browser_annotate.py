import pytest

from articles.ingest.pipeline import ingest, store_article
from articles.models import Annotation, Label
from articles.tests.browser import csp_errors, drag_select, log_in

pytestmark = pytest.mark.browser

PHRASE = "our so-called coalition partner"


def transparent(css_colour):
    return css_colour in ("transparent", "rgba(0, 0, 0, 0)") or css_colour.replace(" ", "").endswith("/0)")


def open_article(page, live_server, article):
    errors = csp_errors(page)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("#article-body")
    return errors


def mark_text(page, annotation):
    return "".join(page.locator(f'#article-body mark[data-ids~="{annotation.pk}"]').all_inner_texts())


def test_it_tags_edits_deletes_and_undoes(logged_in_page, live_server, sample_article):
    page = logged_in_page
    errors = open_article(page, live_server, sample_article)
    drag_select(page, PHRASE)
    assert PHRASE in page.inner_text("#toolbar .toolbar-quote")
    page.keyboard.press("1")  # the hotkey of Claim: factual
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    assert (annotation.quote, annotation.label.name) == (PHRASE, "factual")
    assert sample_article.body[annotation.start : annotation.end] == PHRASE
    assert mark_text(page, annotation) == PHRASE
    assert PHRASE in page.inner_text("#annotation-panel")
    assert page.is_hidden("#toolbar")

    page.reload()
    assert mark_text(page, annotation) == PHRASE

    # Change its label: click the highlight, pick another label in the popover.
    page.click(f'#article-body mark[data-ids~="{annotation.pk}"]')
    page.wait_for_selector("#popover:not([hidden]) select[name=label]")
    page.select_option("#popover select[name=label]", str(Label.objects.get(name="opinion").pk))
    page.fill("#popover textarea[name=note]", "Said with his hand on the desk")
    page.click("#popover button.primary")
    page.wait_for_selector("#annotation-panel >> text=Said with his hand on the desk")
    annotation.refresh_from_db()
    assert (annotation.label.name, annotation.note) == ("opinion", "Said with his hand on the desk")
    assert "Claim: opinion" in page.inner_text("#annotation-panel")

    # Delete, then undo.
    page.click(f'#article-body mark[data-ids~="{annotation.pk}"]')
    page.click("#popover button.danger")
    page.wait_for_selector("#messages >> text=Undo")
    assert page.locator("#article-body mark").count() == 0
    assert not Annotation.objects.exists()
    page.click("#messages button.undo")
    page.wait_for_selector(f'#article-body mark[data-ids~="{annotation.pk}"]')
    assert Annotation.objects.get().note == "Said with his hand on the desk"
    assert errors == []


@pytest.mark.parametrize("debug", [False, True])
def test_the_empty_list_message_follows_the_list(
    logged_in_page, live_server, sample_article, settings, debug
):
    settings.DEBUG = debug
    page = logged_in_page
    errors = open_article(page, live_server, sample_article)
    empty = page.locator("#annotation-panel .empty")
    assert empty.is_visible() and "Select a passage" in empty.inner_text()
    drag_select(page, PHRASE)
    page.keyboard.press("1")
    page.wait_for_selector("#annotation-list .annotation-item")
    assert empty.is_hidden()  # the first tag fills the list: the message goes
    annotation = Annotation.objects.get()
    page.click(f'#article-body mark[data-ids~="{annotation.pk}"]')
    page.click("#popover button.danger")
    page.wait_for_selector("#messages >> text=Undo")
    assert page.locator("#annotation-list .annotation-item").count() == 0
    assert empty.is_visible()  # the last one deleted: it is back
    assert page.inner_text("#annotation-count") == "0"
    page.click("#messages button.undo")
    page.wait_for_selector("#annotation-list .annotation-item")
    assert empty.is_hidden()
    assert errors == []


def test_it_stores_right_offsets_after_emoji(logged_in_page, live_server):
    article, _ = store_article(
        ingest("Emoji story\n\nFans 👍🏽👍🏽 waved 🇵🇰 flags as the 🏏 captain spoke to reporters.")
    )
    page = logged_in_page
    errors = open_article(page, live_server, article)
    drag_select(page, "captain spoke")
    page.keyboard.press("4")
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    assert annotation.quote == "captain spoke"
    assert (annotation.start, annotation.end) == (
        article.body.index("captain"),
        article.body.index(" to reporters"),
    )
    assert mark_text(page, annotation) == "captain spoke"
    assert errors == []


def test_it_tags_across_two_paragraphs(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    drag_select(page, 'better of him.\n\n"The U.S. is saying')
    page.click("#toolbar .label-button >> text=prediction")
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    assert annotation.quote == 'better of him.\n\n"The U.S. is saying'
    assert page.locator(f'#article-body mark[data-ids~="{annotation.pk}"]').count() == 2


def test_it_shows_a_source_inside_a_claim(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    sentence = "Mullen said to Pakistani reporters during a visit to the region"
    drag_select(page, sentence)
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl")
    drag_select(page, "Mullen", occurrence=1)  # the one inside the claim
    page.keyboard.press("4")  # Source: named person
    page.wait_for_selector("#article-body mark.depth-2")
    claim = Annotation.objects.get(label__category__slug="claim")
    source = Annotation.objects.get(label__category__slug="source")
    assert source.quote == "Mullen" and claim.start <= source.start < source.end <= claim.end
    stacked = page.locator("#article-body mark.depth-2")
    assert stacked.inner_text() == "Mullen"
    assert stacked.get_attribute("data-ids") == f"{source.pk} {claim.pk}"
    style = stacked.evaluate(
        "m => { const s = getComputedStyle(m); return [s.backgroundColor, s.textDecorationColor, s.textDecorationLine]; }"
    )
    assert not transparent(style[0])  # the claim's tint
    assert not transparent(style[1]) and "underline" in style[2]  # the source's line
    assert page.locator(".annotation-item").count() == 2


def test_it_moves_with_j_and_k_and_opens_with_enter(
    logged_in_page, live_server, sample_article, annotator_user
):
    from articles.spans.annotating import create_annotation
    from articles.tests.helpers import selection

    for phrase, name in [("Exasperated", "negative"), ("Pakistan Asks CIA", "factual")]:
        data = selection(sample_article, phrase)
        create_annotation(
            sample_article,
            annotator_user,
            label_id=Label.objects.get(name=name).pk,
            start_u16=data["start"],
            end_u16=data["end"],
            quote=phrase,
        )
    page = logged_in_page
    open_article(page, live_server, sample_article)
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent") == "Exasperated"
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent") == "Pakistan Asks CIA"
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.textContent") == "Exasperated"
    page.keyboard.press("Enter")
    page.wait_for_selector("#popover:not([hidden]) >> text=Tone: negative")
    page.keyboard.press("Escape")
    assert page.is_hidden("#popover")
    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    assert page.is_hidden("#help")


def test_it_shows_a_refusal_in_the_page(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    drag_select(page, PHRASE)
    # The article's text changes (a curator's edit) while the page is open: the passage
    # the page sends no longer matches, and the server must refuse it.
    sample_article.body = sample_article.body.replace("our so-called", "our self-styled")
    sample_article.save()
    page.keyboard.press("1")
    page.wait_for_selector("#messages .message-error")
    assert "does not match" in page.inner_text("#messages")
    assert not Annotation.objects.exists()


def test_it_hides_a_category_with_its_toggle(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    drag_select(page, PHRASE)
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl")
    colour = "m => getComputedStyle(m).backgroundColor"
    assert not transparent(page.locator("#article-body mark.hl").evaluate(colour))
    page.uncheck("[data-toggle-category] >> nth=0")
    assert transparent(page.locator("#article-body mark.hl").evaluate(colour))
    assert page.is_hidden(".annotation-item")


def test_it_offers_no_toolbar_to_viewers(page, live_server, sample_article, make_user):
    log_in(page, live_server, make_user("vera", "Viewer").username)
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    assert page.locator("#toolbar").count() == 0


def test_it_waits_for_the_mouse_before_offering_the_toolbar(logged_in_page, live_server, sample_article):
    from articles.tests.browser import PHRASE_RECTS

    page = logged_in_page
    open_article(page, live_server, sample_article)
    rects = page.evaluate(PHRASE_RECTS, [PHRASE, 0])
    page.mouse.move(rects["x1"], rects["y1"])
    page.mouse.down()
    page.mouse.move((rects["x1"] + rects["x2"]) / 2, rects["y2"], steps=3)
    page.wait_for_timeout(400)  # longer than the selection debounce
    assert page.is_hidden("#toolbar")
    page.mouse.move(rects["x2"], rects["y2"], steps=3)
    page.mouse.up()
    page.wait_for_selector("#toolbar:not([hidden])")
    assert page.inner_text("#toolbar .toolbar-quote") == f"“{PHRASE}” — 31 characters, 1 paragraph"


def test_it_links_panel_items_and_highlights(logged_in_page, live_server, sample_article, annotator_user):
    from articles.spans.annotating import create_annotation
    from articles.tests.helpers import selection

    phrase = "bypassing the Pakistani authorities"  # the last paragraph, below the fold
    data = selection(sample_article, phrase)
    annotation = create_annotation(
        sample_article,
        annotator_user,
        label_id=Label.objects.get(name="factual").pk,
        start_u16=data["start"],
        end_u16=data["end"],
        quote=phrase,
    )
    page = logged_in_page
    open_article(page, live_server, sample_article)
    mark = page.locator(f'#article-body mark[data-ids~="{annotation.pk}"]')
    item = page.locator(f"#item-{annotation.pk}")
    in_view = "m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    assert not mark.evaluate(in_view)

    item.hover()  # hovering the item marks its span
    assert "is-active" in mark.get_attribute("class")
    page.mouse.move(5, 5)

    item.locator("button").click()  # clicking it brings the span into view and opens the editor
    page.wait_for_selector("#popover:not([hidden]) >> text=Claim: factual")
    for _ in range(40):  # the scroll is smooth: give it up to two seconds
        if mark.evaluate(in_view):
            break
        page.wait_for_timeout(50)
    assert mark.evaluate(in_view)
    page.keyboard.press("Escape")

    page.mouse.move(5, 5)
    page.evaluate("document.querySelectorAll('.is-active').forEach(e => e.classList.remove('is-active'))")
    mark.click()  # clicking the highlight selects its item
    assert "is-active" in item.get_attribute("class")
