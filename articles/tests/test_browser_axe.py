"""axe-core (bundled by axe-playwright-python) finds no critical or serious violations on
the reader with its toolbar, chooser and editor open, the article list, and the admin
changelists (issue 9 item 9)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.tests.browser import drag_select, log_in

pytestmark = pytest.mark.browser

AXE = Axe()


def serious_violations(page):
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:5]
        )
        for violation in results.response["violations"]
        if violation["impact"] in ("critical", "serious")
    ]


@pytest.fixture
def curator_page(page, live_server, make_user):
    from articles.tests.admin_helpers import make_curator

    log_in(page, live_server, make_curator(make_user).username)
    return page


def test_it_passes_axe_on_the_reader(curator_page, live_server, sample_article):
    from django.contrib.auth.models import User

    from articles.spans.tests.test_browser_reading import CLAIM, tag

    carol = User.objects.get(username="carol")
    claim = tag(sample_article, carol, CLAIM, "factual")
    tone = tag(sample_article, carol, "Pakistani reporters", "negative")
    tag(sample_article, carol, "Exasperated", "positive")
    page = curator_page
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    assert serious_violations(page) == []
    drag_select(page, "struggled to maintain a partnership")
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    stacked = page.locator(f'#article-body mark[data-ids="{tone.pk} {claim.pk}"]')
    stacked.scroll_into_view_if_needed()
    box = stacked.evaluate(
        "m => { const r = m.getClientRects()[0]; return {x: r.left, y: r.top, w: r.width, h: r.height}; }"
    )
    page.mouse.click(box["x"] + box["w"] / 2, box["y"] + box["h"] / 2)
    page.wait_for_selector("#chooser:not([hidden])")
    assert serious_violations(page) == []
    page.keyboard.press("Enter")
    page.wait_for_selector("#popover:not([hidden]) select[name=label]")
    assert serious_violations(page) == []


def test_it_passes_axe_on_the_article_list(curator_page, live_server, sample_article):
    page = curator_page
    page.goto(f"{live_server.url}/")
    assert serious_violations(page) == []


@pytest.mark.parametrize("model", ["annotation", "article", "label", "category"])
def test_it_passes_axe_on_the_admin_changelists(model, curator_page, live_server, sample_article):
    from django.contrib.auth.models import User

    from articles.spans.tests.test_browser_reading import tag

    carol = User.objects.get(username="carol")
    tag(sample_article, carol, "Exasperated", "negative")
    page = curator_page
    page.goto(f"{live_server.url}/admin/articles/{model}/")
    assert serious_violations(page) == []


def test_it_passes_axe_on_an_articles_review_page(curator_page, live_server, sample_article):
    from django.contrib.auth.models import User

    from articles.spans.tests.test_browser_reading import tag

    carol = User.objects.get(username="carol")
    for phrase in ["Exasperated", "our so-called coalition partner", "Inter-Services Intelligence"]:
        tag(sample_article, carol, phrase, "negative")
    page = curator_page
    page.goto(f"{live_server.url}/admin/articles/article/{sample_article.pk}/change/")
    assert serious_violations(page) == []
