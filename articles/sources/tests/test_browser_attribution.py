"""Who said what in the reader, by keyboard and mouse, on the sample article."""

import pytest

from articles.ingest.pipeline import ingest, store_article
from articles.models import Annotation, Attribution, Source
from articles.tests.browser import csp_errors, drag_select, wait_until

pytestmark = pytest.mark.browser

CLAIM = "The U.S. is saying, 'My way or the high way,'"


def open_article(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("#article-body")


def tag(page, phrase, key, occurrence=0):
    before = page.locator("#annotation-list .annotation-item").count()
    drag_select(page, phrase, occurrence)
    page.keyboard.press(key)
    page.wait_for_function(
        "n => document.querySelectorAll('#annotation-list .annotation-item').length === n", arg=before + 1
    )
    return Annotation.objects.latest("id")


@pytest.mark.parametrize("debug", [False, True])
def test_it_attributes_a_claim_with_the_a_key_and_reuses_an_entity(
    logged_in_page, live_server, sample_article, settings, debug
):
    settings.DEBUG = debug
    page = logged_in_page
    errors = csp_errors(page)
    open_article(page, live_server, sample_article)

    claim = tag(page, CLAIM, "1")  # Claim: factual
    page.wait_for_selector("#who-bar >> text=Attribute it")
    source = tag(page, "the official", "5")  # Source: anonymous source, in "the official said"
    page.wait_for_selector("#who-bar >> text=Press a")
    page.keyboard.press("a")

    cue = page.wait_for_selector("#who .link-form input[name=cue]")
    assert cue.input_value() == "said"
    assert page.input_value("#who .link-form select[name=form]") == "direct"
    link = Attribution.objects.get()
    assert (link.claim, link.source, link.cue, link.form) == (claim, source, "said", "direct")

    # Who is the anonymous official? Anonymity comes pre-selected.
    page.click(f'#article-body mark[data-ids~="{source.pk}"]')
    page.click("#popover [data-action=open-who]")
    page.wait_for_selector("#who #entity-input:focus")  # focused once htmx has bound it
    assert page.is_checked("#who input[name=anonymity][value=anonymous]")
    page.fill("#who #entity-input", "Senior Pakistani military official")
    page.wait_for_selector("#who li[data-new-name='Senior Pakistani military official']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#who >> text=Entity: ")
    source.refresh_from_db()
    assert (source.source_entity.name, source.anonymity) == (
        "Senior Pakistani military official",
        "anonymous",
    )

    # A named source, then a new entity for it.
    named = tag(page, "Adm. Michael Mullen", "4")  # Source: named person
    page.wait_for_selector("#who #entity-input:focus")
    page.keyboard.type("Michael Mullen")
    page.wait_for_selector("#who li[data-new-name='Michael Mullen']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#who >> text=Entity: ")
    named.refresh_from_db()
    mullen = named.source_entity
    assert mullen.name == "Michael Mullen"

    # After a reload the panel shows the link; hovering the claim outlines its source.
    page.reload()
    item = page.locator(f"#item-{claim.pk} .who-line")
    assert item.inner_text() == "← Senior Pakistani military official (said, direct)"
    page.hover(f"#item-{claim.pk}")
    assert "is-linked" in page.get_attribute(f'#article-body mark[data-ids~="{source.pk}"]', "class")
    assert page.locator(f"#item-{named.pk}.is-unattributed").count() == 0

    # In a second article, the same admiral comes from the registry's autocomplete.
    second, _ = store_article(
        ingest("Admiral in Kabul\n\nAdm. Michael Mullen told reporters the talks went well."), outlet="Wire"
    )
    open_article(page, live_server, second)
    again = tag(page, "Adm. Michael Mullen", "4")
    page.wait_for_selector("#who #entity-input:focus")
    page.keyboard.type("Mullen")
    page.wait_for_selector("#who li[data-new-name='Mullen']")  # the answer to what was typed
    option = page.wait_for_selector(f"#who li[data-entity='{mullen.pk}']")
    assert "Michael Mullen" in option.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#who >> text=Entity: ")
    again.refresh_from_db()
    assert again.source_entity == mullen
    assert Source.objects.filter(name="Michael Mullen").count() == 1
    assert errors == []


def test_it_attributes_by_picking_from_the_list_and_sets_tone_intensity(
    logged_in_page, live_server, sample_article
):
    page = logged_in_page
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    open_article(page, live_server, sample_article)
    source = tag(page, "the official", "5")
    page.wait_for_selector("#who #entity-input:focus")  # who is this? (answered later)
    page.keyboard.press("Escape")
    page.wait_for_selector("#who", state="hidden")
    claim = tag(page, CLAIM, "1")
    page.wait_for_selector("#who #source-filter")
    page.keyboard.press("a")  # "Attribute to…" by keyboard: into the list
    page.wait_for_selector("#who #source-filter:focus")
    page.keyboard.type("official")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#who .link-form")
    assert Attribution.objects.get().source == source and Attribution.objects.get().claim == claim
    # The keyboard stays in the panel (to link another source), not on the page's body.
    wait_until(page, "document.activeElement.closest('#who') !== null")
    # The options' trigger needs no code evaluated: the CSP forbids that, and htmx said so.
    assert not [error for error in errors if "evalDisallowed" in error]

    tone = tag(page, "so-called coalition partner", "7")  # Tone: negative
    page.wait_for_selector("#who-bar >> text=intensity")
    # Each intensity sits on one line with its button (the inputs' full width centred them).
    page.wait_for_selector("#who fieldset.intensity label")
    choices = page.locator("#who fieldset.intensity label").all()
    assert len(choices) == 3
    for choice in choices:
        radio, box = choice.locator("input").bounding_box(), choice.bounding_box()
        assert radio["width"] < 30 and box["height"] < 2 * radio["height"] + 12
    page.keyboard.press("3")
    page.wait_for_selector("#who >> text=Tone saved.")
    tone.refresh_from_db()
    assert (tone.tone_intensity, tone.tone_score) == (3, -3)


def test_keys_pressed_while_a_tag_is_saving_wait_for_it(logged_in_page, live_server, sample_article):
    # The reader announces a new annotation only once its response has settled: `a` and
    # 1–3 typed straight after the label key belong to that tag, not the one before.
    page = logged_in_page
    open_article(page, live_server, sample_article)
    claim = tag(page, CLAIM, "1")
    page.wait_for_selector("#who-bar >> text=Attribute it")
    drag_select(page, "the official")
    page.keyboard.press("5")  # Source: anonymous source
    page.keyboard.press("a")  # at once, before the source is saved
    page.wait_for_selector("#who .link-form input[name=cue]")
    link = Attribution.objects.get()
    assert (link.claim, link.source.quote) == (claim, "the official")

    drag_select(page, "so-called coalition partner")
    page.keyboard.press("7")  # Tone: negative
    page.keyboard.press("3")  # its intensity, not Claim: prediction
    page.wait_for_selector("#who >> text=Tone saved.")
    tone = Annotation.objects.latest("id")
    assert (tone.label.name, tone.tone_intensity, tone.tone_score) == ("negative", 3, -3)
    assert Annotation.objects.count() == 3


def test_who_is_this_does_not_take_a_new_selection_away(logged_in_page, live_server, sample_article):
    # A drag begun before the "who is this?" panel arrives keeps its selection and toolbar.
    page = logged_in_page
    open_article(page, live_server, sample_article)
    page.route("**/who/*/", lambda route: (page.wait_for_timeout(600), route.continue_()))
    tag(page, "the official", "5")
    drag_select(page, "our so-called coalition partner")
    page.wait_for_selector("#who:not([hidden]) #entity-input")
    page.wait_for_timeout(200)
    assert page.is_visible("#toolbar")
    assert page.evaluate("getSelection().toString()") == "our so-called coalition partner"
    assert page.evaluate("document.activeElement.id") != "entity-input"


def test_the_panel_shows_a_link_made_with_the_a_key_once_the_editor_is_closed(
    logged_in_page, live_server, sample_article
):
    # The claim's "← source (cue, form)" line appears in the live panel, without a reload.
    page = logged_in_page
    errors = csp_errors(page)
    open_article(page, live_server, sample_article)
    claim = tag(page, CLAIM, "1")
    page.wait_for_selector("#who-bar >> text=Attribute it")
    tag(page, "the official", "5")
    page.wait_for_selector("#who-bar >> text=Press a")
    page.keyboard.press("a")
    page.wait_for_selector("#who .link-form input[name=cue]")
    page.keyboard.press("Escape")
    page.wait_for_selector("#who", state="hidden")
    line = page.locator(f"#item-{claim.pk} .who-line")
    line.wait_for(timeout=3000)
    assert line.inner_text() == "← “the official” (said, direct)"
    assert page.locator(f"#item-{claim.pk}.is-unattributed").count() == 0
    assert errors == []


def test_an_intensity_key_pressed_before_the_panel_has_settled_waits_for_it(
    logged_in_page, live_server, sample_article
):
    """Its form is on the page before htmx has wired it: submitted then, the browser would
    send it as a plain GET and leave the page."""
    page = logged_in_page
    open_article(page, live_server, sample_article)
    page.evaluate("htmx.config.defaultSettleDelay = 1500")  # a wide window between swap and settle
    tone = tag(page, "so-called coalition partner", "7")  # Tone: negative
    # Swapped in, not yet settled (htmx marks new content until it settles).
    wait_until(page, "document.querySelector(\"#who .htmx-added input[name='intensity']\") !== null", 10_000)
    page.keyboard.press("3")
    page.wait_for_selector("#who >> text=Tone saved.")
    assert page.url == f"{live_server.url}/articles/{sample_article.pk}/"
    tone.refresh_from_db()
    assert tone.tone_intensity == 3
