"""Browser: paste two URLs, watch the job's progress reach 2/2, open one of the articles."""

import pytest
from playwright.sync_api import expect

from articles.jobs.models import Job
from articles.models import Article
from articles.web.tasks import import_urls
from articles.web.tests.pages import PAGES
from articles.web.tests.server import page as fixture_page

pytestmark = pytest.mark.browser


@pytest.fixture
def queued_tasks(settings):
    """Tasks are queued and not run, as with a worker that has not picked them up yet;
    the test then does the worker's part itself (the task in this thread)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_it_adds_two_urls_and_shows_the_progress(
    logged_in_page, live_server, fixture_server, queued_tasks, settings, debug
):
    settings.DEBUG = debug
    browser_page = logged_in_page
    for name in ("harbour-council", "drought-report"):
        fixture_server.routes[f"/{name}"] = fixture_page(f"{name}.html")
    urls = [fixture_server.url("/harbour-council"), fixture_server.url("/drought-report")]

    browser_page.goto(live_server.url + "/articles/add/")
    browser_page.click("#id_urls")
    browser_page.keyboard.type(urls[0])
    browser_page.keyboard.press("Enter")
    browser_page.keyboard.type(urls[1])
    browser_page.click("text=Fetch and add")
    browser_page.wait_for_selector("#job-progress")
    assert "0 / 2" in browser_page.inner_text("#job-progress")
    assert "Queued" in browser_page.inner_text("#job-progress")

    # The worker's turn: the page keeps polling and shows what it did.
    job = Job.objects.get()
    import_urls.call(job.pk)
    # Playwright's waits poll from outside the page (CSP forbids evaluating strings in it).
    expect(browser_page.locator("#job-progress .job-count")).to_contain_text("2 / 2", timeout=5000)
    progress = browser_page.locator("#job-progress")
    assert "Done" in progress.inner_text()
    assert progress.get_attribute("hx-trigger") is None  # polling stopped
    assert browser_page.locator(".job-item-imported").count() == 2

    browser_page.click(f"text={PAGES['harbour-council']['title']}")
    browser_page.wait_for_selector("#article-body")
    article = Article.objects.get(title=PAGES["harbour-council"]["title"])
    assert browser_page.url == live_server.url + article.get_absolute_url()
    body = browser_page.inner_text("#article-body")
    assert "Councillors in Port Aldric have approved" in body
    assert "SeaDog77" not in body and "We use cookies" not in body
    assert "Morag Lindsay" in browser_page.inner_text("main")


def test_the_progress_bar_follows_the_job(logged_in_page, live_server, annotator_user):
    job = Job.objects.create(
        kind=Job.Kind.URL_IMPORT, owner=annotator_user, title="3 URLs", total=3, status=Job.Status.RUNNING
    )
    browser_page = logged_in_page
    browser_page.goto(live_server.url + job.get_absolute_url())
    assert browser_page.locator("progress").get_attribute("value") == "0"
    Job.objects.filter(pk=job.pk).update(done=1)
    expect(browser_page.locator("progress")).to_have_attribute("value", "1", timeout=5000)
    assert "1 / 3" in browser_page.inner_text("#job-progress")
    Job.objects.filter(pk=job.pk).update(done=3, status=Job.Status.DONE)
    expect(browser_page.locator("progress")).to_have_attribute("value", "3", timeout=5000)
    assert "Done" in browser_page.inner_text("#job-progress")
