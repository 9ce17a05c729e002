"""Keyboard-only use of the reading page (issue 9 item 8)."""

import pytest

from articles.models import RESERVED_HOTKEYS, Annotation
from articles.tests.browser import wait_until

pytestmark = pytest.mark.browser


def tab_to(page, predicate, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_it_selects_and_tags_with_the_keyboard_alone(logged_in_page, live_server, sample_article):
    page = logged_in_page
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    page.wait_for_selector("#article-body")
    tab_to(page, "document.activeElement.id === 'article-body'")
    assert page.is_visible("#caret")
    page.keyboard.press("Control+ArrowRight")  # past the first word
    for _ in range(3):
        page.keyboard.press("Control+Shift+ArrowRight")
    page.wait_for_selector("#toolbar:not([hidden])")
    # The caret starts in the first paragraph on screen.
    paragraph = int(page.evaluate("getSelection().anchorNode.parentElement.closest('.para').id.slice(1)"))
    page.keyboard.press("3")  # Claim: prediction
    page.wait_for_selector("#article-body mark.hl")
    annotation = Annotation.objects.get()
    words = sample_article.body.split("\n\n")[paragraph].split()
    assert annotation.quote.split() == words[1:4]
    assert annotation.label.name == "prediction"

    # The highlight is the next Tab stop, named after its annotation.
    wait_until(page, "document.querySelector('#article-body mark[data-stop]') !== null")
    page.keyboard.press("Tab")
    name = f"Claim: prediction — '{annotation.quote}'"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == name
    assert page.get_by_role("button", name=name).count() == 1

    # Open it with Enter, save a note with the keyboard: focus comes back to it.
    page.keyboard.press("Enter")
    page.wait_for_selector("#popover:not([hidden]) select[name=label]")
    page.keyboard.press("Tab")  # to the note
    page.keyboard.type("checked")
    page.keyboard.press("Tab")  # to Save
    page.keyboard.press("Enter")
    page.wait_for_selector("#annotation-panel >> text=checked")
    wait_until(page, "document.activeElement.getAttribute('aria-label')?.startsWith('Claim: prediction')")

    # e opens it too; delete it, and u brings it back.
    page.keyboard.press("e")
    page.wait_for_selector("#popover:not([hidden]) button.danger")
    for _ in range(3):  # label, note, Save, then Delete
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#messages button.undo")
    wait_until(page, "document.activeElement.id === 'article-body'")  # the highlight is gone
    assert not Annotation.objects.exists()
    page.keyboard.press("u")
    page.wait_for_selector("#article-body mark.hl")
    assert Annotation.objects.get().note == "checked"


def test_it_reserves_only_keys_the_reader_uses():
    # Each reserved key has a documented job in the reader (help, j/k, e/Enter/Space, u).
    assert frozenset({"?", "j", "k", "e", "u", " "}) == RESERVED_HOTKEYS
