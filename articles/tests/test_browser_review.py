"""A curator's review pass in a real browser, and the curation admin under the CSP."""

import pytest

from articles.models import Annotation, Label
from articles.spans.annotating import delete_annotation

from .admin_helpers import ANNOTATIONS_URL, ARTICLES_URL, LABELS_URL, make_curator, many_annotations
from .browser import csp_errors, log_in
from .export_helpers import annotate

pytestmark = pytest.mark.browser


@pytest.fixture
def curator_page(page, live_server, make_user):
    log_in(page, live_server, make_curator(make_user).username, admin=True)
    return page


def run_bulk_action(page, annotations, action):
    for annotation in annotations:
        page.check(f'input.action-select[value="{annotation.pk}"]')
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector("ul.messagelist li.success")


def test_it_reviews_a_days_annotations_and_the_reader_reflects_it(
    curator_page, live_server, sample_article, annotator_user
):
    page = curator_page
    errors = csp_errors(page)
    phrases = ["Pakistani military official", "coalition partner", "ABC News", "military"]
    first, second, third, already = (annotate(sample_article, p, annotator_user) for p in phrases)
    already.status = Annotation.ACCEPTED
    already.save()

    page.goto(live_server.url + ANNOTATIONS_URL)
    page.click('#changelist-filter details:has(summary:text-is("By status")) a:text-is("Pending")')
    page.wait_for_url("**status__exact=pending**")
    listed = page.locator("input.action-select").evaluate_all("(boxes) => boxes.map((b) => +b.value)")
    assert sorted(listed) == sorted([first.pk, second.pk, third.pk])

    run_bulk_action(page, [first, second], "accept")
    assert "Accepted: 2 annotations." in page.inner_text("ul.messagelist")
    assert page.url.endswith("status__exact=pending")  # the filter stays on
    assert page.locator("input.action-select").count() == 1
    run_bulk_action(page, [third], "reject")
    assert "Rejected: 1 annotation." in page.inner_text("ul.messagelist")

    page.goto(live_server.url + sample_article.get_absolute_url())
    page.wait_for_selector("#annotation-panel")
    expected = {first: "Accepted", second: "Accepted", third: "Rejected", already: "Accepted"}
    for annotation, shown in expected.items():
        item = page.locator(f'li.annotation-item[data-id="{annotation.pk}"]')
        assert item.get_attribute("data-status") == shown.lower()
        assert item.locator(".status").inner_text() == shown
    assert errors == []


def test_it_draws_the_curation_admin_under_the_csp(
    curator_page, live_server, sample_article, annotator_user, tmp_path
):
    """Every page a curator uses loads its styles and scripts without a CSP violation.

    Screenshots land in tmp_path (run with --basetemp to keep them) for a look by eye.
    """
    page = curator_page
    errors = csp_errors(page)
    annotate(sample_article, "coalition partner", annotator_user, label="opinion", note="loaded")
    deleted = annotate(sample_article, "ABC News", annotator_user, label="named person")
    delete_annotation(deleted)
    many_annotations(sample_article, annotator_user, 30)
    opinion = Label.objects.get(name="opinion")
    pages = {
        "annotations": ANNOTATIONS_URL,
        "annotation": f"{ANNOTATIONS_URL}{deleted.pk}/change/",
        "annotation-history": f"{ANNOTATIONS_URL}{deleted.pk}/history/",
        "articles": ARTICLES_URL,
        "article": f"{ARTICLES_URL}{sample_article.pk}/change/",
        "labels": LABELS_URL,
        "label": f"{LABELS_URL}{opinion.pk}/change/",
        "label-delete": f"{LABELS_URL}{opinion.pk}/delete/",
    }
    for name, url in pages.items():
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        page.screenshot(path=tmp_path / f"{name}.png")
    page.goto(live_server.url + pages["article"])
    page.locator("#annotations-group").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "article-inline.png")
    page.goto(live_server.url + pages["annotation-history"])
    page.screenshot(path=tmp_path / "annotation-history.png", full_page=True)
    # The admin's stylesheets and ours applied (they would be blocked without 'self').
    page.goto(live_server.url + ANNOTATIONS_URL)
    mark_colour = page.eval_on_selector(".in-context mark", "(m) => getComputedStyle(m).backgroundColor")
    assert mark_colour == "rgb(255, 243, 176)"
    # The admin's own scripts run: "select all" ticks every row.
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() == page.locator("input.action-select").count()
    page.goto(live_server.url + pages["label"])
    assert page.get_attribute("input[name=colour]", "type") == "color"
    assert page.input_value("input[name=colour]") == opinion.colour
    assert errors == []
