"""HTML and exports are gzipped for clients that accept it (GZipMiddleware), without
breaking the CSP nonces or streaming."""

import gzip
import re
from pathlib import Path

from django.http import StreamingHttpResponse

from articles.tests.helpers import collect_static

GZIP = {"accept-encoding": "gzip, deflate, br"}


def test_it_gzips_the_reading_page_with_its_nonce_intact(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    response = client.get(sample_article.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in html and 'id="article-body"' in html


def test_it_sends_plain_html_to_clients_without_gzip(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    response = client.get(sample_article.get_absolute_url())
    assert "Content-Encoding" not in response and b'id="article-body"' in response.content


def test_it_still_streams_a_gzipped_export(client, make_user, sample_article):
    client.force_login(make_user("vera", "Viewer"))
    response = client.get("/annotations/export/?format=csv", headers=GZIP)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).decode().startswith("annotation_id,")


def test_it_serves_static_files_brotli_compressed_to_browsers_that_accept_it(tmp_path, settings):
    from django.templatetags.static import static

    client = collect_static(tmp_path, settings)
    url = static("django_htmx/htmx-2.min.js")
    original = (tmp_path / url.removeprefix(settings.STATIC_URL).lstrip("/")).read_bytes()

    response = client.get(url, headers=GZIP)
    body = b"".join(response.streaming_content)
    assert response["Content-Encoding"] == "br"
    import brotli

    assert brotli.decompress(body) == original
    # Brotli at its best setting: an eighth smaller than the gzip it replaces.
    assert len(body) < 0.92 * len(gzip.compress(original, 9))

    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == original


def test_it_serves_our_scripts_without_their_comments_and_vendored_ones_as_they_are(tmp_path, settings):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    client = collect_static(tmp_path, settings)

    def served(path):
        response = client.get(static(path))
        return b"".join(response.streaming_content).decode()

    def source(path):
        return Path(finders.find(path)).read_text(encoding="utf-8")

    reader = served("js/reader.js")
    assert "annotator:annotation-created" in reader
    assert not any(line.lstrip().startswith("//") for line in reader.splitlines())
    assert len(reader) < 0.9 * len(source("js/reader.js"))
    assert "/*" not in served("css/attribution.css")
    assert served("django_htmx/htmx-2.min.js") == source("django_htmx/htmx-2.min.js")
