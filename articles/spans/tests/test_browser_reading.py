"""Reading and editing on the reading page (issue 9 items 4–7): legend, overlaps,
toolbar placement, panel filters."""

import pytest

from articles.models import Label
from articles.spans.annotating import create_annotation
from articles.tests.browser import PHRASE_RECTS, drag_select, log_in

pytestmark = pytest.mark.browser

CLAIM = "Mullen said to Pakistani reporters during a visit to the region"


def tag(article, author, phrase, label_name, occurrence=0):
    from articles.tests.helpers import selection

    data = selection(article, phrase, occurrence)
    return create_annotation(
        article,
        author,
        label_id=Label.objects.get(name=label_name).pk,
        start_u16=data["start"],
        end_u16=data["end"],
        quote=phrase,
    )


def open_article(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("#article-body")


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def rgb_of(css):
    return [int(float(part)) for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]


def test_it_shows_a_legend_with_guidance(logged_in_page, live_server, sample_article, annotator_user):
    tag(sample_article, annotator_user, "Exasperated", "negative")
    page = logged_in_page
    open_article(page, live_server, sample_article)
    legend = page.locator("#annotation-panel .legend-item")
    assert legend.count() == 9
    names = page.inner_text("#annotation-panel .filters")
    for label in Label.objects.all():
        assert label.name in names
    # Each sample is drawn the way its category draws in the text.
    sample = page.locator(".legend-sample.l{}".format(Label.objects.get(name="named person").pk))
    assert "underline" in sample.evaluate("e => getComputedStyle(e).textDecorationLine")
    # Guidance on hover.
    tip = page.locator("#tip-{}".format(Label.objects.get(name="negative").pk))
    assert tip.is_hidden()
    box = page.locator(".legend-item", has_text="negative").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert tip.is_visible() and "Loaded, hostile" in tip.inner_text()
    # The dotted Tone line is thick and dark enough to see on white.
    mark = page.locator("#article-body mark.hl")
    width, style, colour = mark.evaluate(
        "m => { const s = getComputedStyle(m); return [s.borderBottomWidth, s.borderBottomStyle, s.borderBottomColor]; }"
    )
    assert style == "dotted" and float(width.rstrip("px")) >= 3
    assert (1.05) / (luminance(rgb_of(colour)) + 0.05) >= 3


def test_it_offers_a_chooser_where_annotations_overlap(
    logged_in_page, live_server, sample_article, annotator_user
):
    claim = tag(sample_article, annotator_user, CLAIM, "factual")
    tone = tag(sample_article, annotator_user, "Pakistani reporters", "negative")
    page = logged_in_page
    open_article(page, live_server, sample_article)
    stacked = page.locator(f'#article-body mark[data-ids="{tone.pk} {claim.pk}"]')
    stacked.scroll_into_view_if_needed()
    box = stacked.evaluate(
        "m => { const r = m.getClientRects()[0]; return {x: r.left, y: r.top, w: r.width, h: r.height}; }"
    )
    page.mouse.click(box["x"] + box["w"] / 2, box["y"] + box["h"] / 2)
    page.wait_for_selector("#chooser:not([hidden])")
    entries = page.locator("#chooser button")
    assert entries.count() == 2
    assert "Tone: negative" in entries.nth(0).inner_text() and "Claim: factual" in entries.nth(1).inner_text()
    # The outer claim opens from a place only the inner tone starts at.
    entry = entries.nth(1).bounding_box()
    page.mouse.click(entry["x"] + 20, entry["y"] + entry["height"] / 2)
    page.wait_for_selector("#popover:not([hidden]) >> text=Claim: factual")
    assert page.is_hidden("#chooser")
    page.keyboard.press("Escape")

    # Closing the editor returns focus to the claim's highlight; j moves on to the tone's.
    assert page.evaluate("document.activeElement.dataset.stop") == str(claim.pk)
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.ids") == f"{tone.pk} {claim.pk}"
    page.keyboard.press("Enter")
    page.wait_for_selector("#chooser:not([hidden])")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#popover:not([hidden]) >> text=Claim: factual")


def test_it_places_the_toolbar_above_the_selection(logged_in_page, live_server, sample_article):
    page = logged_in_page
    open_article(page, live_server, sample_article)
    phrase = "struggled to maintain a partnership"
    drag_select(page, phrase)  # the phrase is scrolled to the middle of the screen
    rects = page.evaluate(PHRASE_RECTS, [phrase, 0])
    toolbar = page.locator("#toolbar").bounding_box()
    line_top = rects["y1"] - 8
    assert toolbar["y"] + toolbar["height"] <= line_top  # the lines below stay readable


def test_it_shows_the_toolbar_as_a_bottom_sheet_on_a_phone(
    browser, live_server, sample_article, annotator_user
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=False)
    page = context.new_page()
    try:
        log_in(page, live_server, annotator_user.username)
        open_article(page, live_server, sample_article)
        drag_select(page, "struggled to maintain")
        toolbar = page.locator("#toolbar").bounding_box()
        assert toolbar["x"] == 0 and toolbar["width"] == 390
        assert abs(toolbar["y"] + toolbar["height"] - 844) < 1
    finally:
        context.close()


def test_it_filters_the_panel_by_label_and_author(
    logged_in_page, live_server, sample_article, annotator_user, make_user
):
    bob = make_user("bob", "Annotator")
    words = sample_article.body.split()
    phrases = []
    for word in words:
        if len(word) > 6 and word.isalpha() and sample_article.body.count(word) == 1 and word not in phrases:
            phrases.append(word)
        if len(phrases) == 30:
            break
    for index, phrase in enumerate(phrases):
        label = "factual" if index % 3 else "opinion"
        tag(sample_article, bob if index % 5 == 0 else annotator_user, phrase, label)
    page = logged_in_page
    open_article(page, live_server, sample_article)
    count = page.locator("#annotation-count")
    assert count.inner_text() == "30"
    opinion = Label.objects.get(name="opinion")
    checkbox = page.locator(f"[data-toggle-label='{opinion.pk}']").bounding_box()
    page.mouse.click(checkbox["x"] + checkbox["width"] / 2, checkbox["y"] + checkbox["height"] / 2)
    assert count.inner_text() == "20 of 30"
    assert page.locator(".annotation-item:visible").count() == 20
    opinion_marks = page.locator(f"#article-body mark.l{opinion.pk}")
    assert opinion_marks.count() == 0

    # j skips what is hidden, and brings the panel item into view.
    visited = []
    for _ in range(20):
        page.keyboard.press("j")
        focused = page.evaluate("document.activeElement.dataset.stop")
        visited.append(focused)
        item = page.locator(f"#item-{focused}")
        assert item.is_visible()
        assert item.evaluate(
            "i => { const r = i.getBoundingClientRect(), p = i.closest('.panel').getBoundingClientRect();"
            " return r.top >= p.top - 1 && r.bottom <= p.bottom + 1; }"
        )
    labels = {a.label.name for a in sample_article.annotations.filter(pk__in=visited)}
    assert labels == {"factual"} and len(set(visited)) == 20

    page.select_option("[data-filter-author]", str(bob.pk))
    bobs_factual = sample_article.annotations.filter(author=bob, label__name="factual").count()
    assert count.inner_text() == f"{bobs_factual} of 30"


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_it_applies_the_inlined_stylesheets_under_the_csp(
    settings, logged_in_page, live_server, sample_article, debug
):
    from articles.tests.browser import csp_errors

    settings.DEBUG = debug
    page = logged_in_page
    errors = csp_errors(page)
    open_article(page, live_server, sample_article)
    styles = page.evaluate(
        """() => [getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector('#who-bar')).position]"""
    )
    assert styles == ["rgb(251, 250, 247)", "fixed"]  # css/app.css and css/attribution.css
    assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == 0
    assert errors == []
