"""Deeply nested HTML is refused by a linear scan before nh3 sees it (issue 8, item 2)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.ingest.pipeline import ingest
from articles.ingest.sanitize import MAX_HTML_DEPTH, HtmlNestingError, check_html_nesting
from articles.models import Article

BOMB = "<h1>x</h1>" + "<div>" * 100_000 + "text" + "</div>" * 100_000


def test_it_refuses_a_hostile_upload_with_a_400_in_well_under_a_second(client, annotator_user):
    client.force_login(annotator_user)
    started = time.perf_counter()
    response = client.post("/articles/add/", {"file": SimpleUploadedFile("bomb.html", BOMB.encode())})
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "too deeply nested" in response.content.decode()
    assert elapsed < 0.5, f"took {elapsed:.2f} s"
    assert not Article.objects.exists()


def test_it_refuses_a_whole_page_before_the_page_extractor_sees_it(client, annotator_user):
    client.force_login(annotator_user)
    page = "<!doctype html><html><body>" + BOMB + "</body></html>"
    started = time.perf_counter()
    response = client.post("/articles/add/", {"file": SimpleUploadedFile("page.html", page.encode())})
    assert time.perf_counter() - started < 0.5
    assert response.status_code == 400
    assert "too deeply nested" in response.content.decode()


def test_it_refuses_pasted_html_too(client, annotator_user):
    client.force_login(annotator_user)
    response = client.post("/articles/add/", {"text": "<div>" * 1000 + "x"})
    assert response.status_code == 400
    assert "too deeply nested" in response.content.decode()


def test_it_keeps_ordinary_nesting():
    html = "<h1>Title</h1>" + "<div><section>" * 40 + "<p>Body text here.</p>" + "</section></div>" * 40
    assert ingest(html, source_format="html").body == "Body text here."


def test_it_does_not_count_void_elements_or_tags_closed_implicitly():
    check_html_nesting("<p>one<br><p>two<img src=x><li>a<li>b" * 5000 + "<hr/>")


def test_it_counts_unclosed_containers():
    with pytest.raises(HtmlNestingError, match=f"too deeply nested \\(more than {MAX_HTML_DEPTH} levels"):
        check_html_nesting("<span>" * (MAX_HTML_DEPTH + 1))


def test_it_scans_in_linear_time():
    started = time.perf_counter()
    check_html_nesting("<p>word</p>" * 400_000)  # 4.4 MB of flat, legitimate HTML
    assert time.perf_counter() - started < 1.0


def test_it_scans_unterminated_tags_in_linear_time():
    started = time.perf_counter()
    with pytest.raises(HtmlNestingError):
        check_html_nesting("<a" * 1_000_000 + "<b>" * 300)
    assert time.perf_counter() - started < 1.0
