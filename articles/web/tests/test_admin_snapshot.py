"""The admin shows an article's fetched page as escaped source, never rendered."""

from django.urls import reverse

from articles.web.importing import import_url
from articles.web.tests.server import Response


def test_the_article_admin_shows_the_snapshot(client, make_user, fixture_server):
    from articles.tests.admin_helpers import make_curator

    html = (
        b"<html><head><title>Pier</title></head><body><article><h1>Pier reopens</h1>"
        + b"".join(
            b"<p>Paragraph %d about the pier reopening after repairs to its decking.</p>" % n
            for n in range(6)
        )
        + b"<script>alert('x')</script></article></body></html>"
    )
    fixture_server.routes["/pier"] = Response(html)
    _, article = import_url(fixture_server.url("/pier"))
    client.force_login(make_curator(make_user))
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Fetched page" in page
    assert fixture_server.url("/pier") in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert('x')</script>" not in page
