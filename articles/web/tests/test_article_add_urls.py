"""POST /articles/add/urls/: a URL list becomes a job; each page becomes an article."""

import datetime

import pytest
from django.urls import reverse

from articles.jobs.models import Job, JobItem
from articles.models import Article
from articles.web.models import ArticleSnapshot
from articles.web.tests.pages import PAGES
from articles.web.tests.server import Response, page

URL = reverse("article_add_urls")


@pytest.fixture
def served(fixture_server):
    for name in PAGES:
        fixture_server.routes[f"/{name}"] = page(f"{name}.html")
    return fixture_server


def test_it_imports_each_url_as_a_job(client, annotator_user, served, immediate_tasks):
    client.force_login(annotator_user)
    urls = [served.url("/harbour-council"), served.url("/drought-report")]
    response = client.post(URL, {"urls": "\n".join(urls) + "\n\n" + urls[0]})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.owner, job.status, job.done, job.total, job.failures) == (
        "url_import",
        annotator_user,
        "done",
        2,
        2,
        0,
    )
    harbour = Article.objects.get(title=PAGES["harbour-council"]["title"])
    assert harbour.added_by == annotator_user
    assert harbour.url == urls[0]
    assert harbour.outlet == "The Coastal Herald"
    assert harbour.byline == "Morag Lindsay"
    assert harbour.published == datetime.date(2026, 3, 14)
    assert harbour.canonical_url == PAGES["harbour-council"]["canonical_url"]
    assert "SeaDog77" not in harbour.body
    snapshot = harbour.snapshot
    assert snapshot.final_url == urls[0]
    assert snapshot.content == served.routes["/harbour-council"].body
    assert snapshot.size == len(snapshot.content) > len(bytes(snapshot.content_gz))
    assert [item.outcome for item in job.items.all()] == ["imported", "imported"]


def test_it_records_failures_with_their_reasons(client, annotator_user, served, immediate_tasks, settings):
    settings.ANNOTATOR_FETCH_MAX_BYTES = 2000
    served.routes["/big"] = Response(b"x" * 3000)
    served.routes["/pdf"] = Response(b"%PDF", content_type="application/pdf")
    client.force_login(annotator_user)
    urls = [served.url("/big"), "http://10.0.0.1/intranet", served.url("/pdf"), served.url("/missing")]
    client.post(URL, {"urls": "\n".join(urls)})
    job = Job.objects.get()
    assert (job.status, job.done, job.total, job.failures) == ("done", 4, 4, 4)
    assert [(i.source, i.reason) for i in job.items.all()] == [
        (urls[0], "refused: the page is larger than the 2000 bytes limit"),
        (urls[1], "refused: the address 10.0.0.1 is on a private network"),
        (urls[2], "refused: the content type is application/pdf, not HTML or plain text"),
        (urls[3], "the server answered HTTP 404 Not Found"),
    ]
    assert not Article.objects.exists()
    page_html = client.get(job.get_absolute_url()).content.decode()
    assert "refused: the address 10.0.0.1 is on a private network" in page_html


def test_a_page_already_in_the_library_is_a_duplicate(client, annotator_user, served, immediate_tasks):
    client.force_login(annotator_user)
    client.post(URL, {"urls": served.url("/minister-interview")})
    # The same story at another address (a tracking parameter): same canonical URL, not stored again.
    served.routes["/minister-interview?utm_source=x"] = served.routes["/minister-interview"]
    client.post(URL, {"urls": served.url("/minister-interview?utm_source=x")})
    assert Article.objects.count() == 1
    second = Job.objects.order_by("id").last()
    assert second.items.get().outcome == JobItem.Outcome.DUPLICATE
    assert ArticleSnapshot.objects.count() == 1


def test_a_crashing_job_is_marked_failed_and_leaves_nothing_half_imported(
    client, annotator_user, served, immediate_tasks, monkeypatch
):
    from articles.web import importing

    def broken_snapshot(article, result):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importing.ArticleSnapshot, "of_fetch", broken_snapshot)
    client.force_login(annotator_user)
    client.post(URL, {"urls": served.url("/harbour-council")})
    job = Job.objects.get()
    assert job.status == "failed"
    assert job.error == "the job stopped unexpectedly: RuntimeError: disk on fire"
    # The article was saved just before the crash, in the same transaction: rolled back.
    assert not Article.objects.exists()
    assert not job.items.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "This field is required."),
        ("   \n  ", "This field is required."),
        ("not a url", "Check the list: line 1 is not an http(s) URL: not a url."),
        ("https://ok.example/\nftp://x.example/", "Check the list: line 2 is not an http(s) URL"),
    ],
)
def test_it_explains_a_bad_list(client, annotator_user, text, message, immediate_tasks):
    client.force_login(annotator_user)
    response = client.post(URL, {"urls": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_it_caps_the_list(client, annotator_user, settings):
    client.force_login(annotator_user)
    urls = "\n".join(f"https://news.example/{n}" for n in range(1001))
    response = client.post(URL, {"urls": urls})
    assert response.status_code == 400
    assert "At most 1000 addresses" in response.content.decode()


def test_a_viewer_may_not_add(client, make_user):
    client.force_login(make_user("vera", "Viewer"))
    assert client.post(URL, {"urls": "https://news.example/a"}).status_code == 403
    assert not Job.objects.exists()


def test_it_wants_a_post(client, annotator_user):
    client.force_login(annotator_user)
    assert client.get(URL).status_code == 405


def test_the_add_page_offers_the_url_form(client, annotator_user):
    client.force_login(annotator_user)
    html = client.get(reverse("article_add")).content.decode()
    assert f'action="{URL}"' in html
    assert 'name="urls"' in html
