"""The reader works with its scripts as production serves them: collected, hashed and
stripped of comments (articles/assets.py), not the source files the other browser tests
load. Every /static/ request is answered from the collected folder."""

import mimetypes

import pytest

from articles.models import Annotation
from articles.tests.browser import drag_select, log_in
from articles.tests.helpers import collect_static

pytestmark = pytest.mark.browser

ISI = "Inter-Services Intelligence (ISI)"


def test_it_tags_a_passage_with_the_collected_scripts(
    page, live_server, annotator_user, sample_article, tmp_path, settings
):
    collect_static(tmp_path, settings)
    served = []

    def from_collected(route):
        name = route.request.url.split("/static/", 1)[1].split("?")[0]
        path = tmp_path / name
        if not path.is_file():
            route.fulfill(status=404, body="not collected")
            return
        served.append(name)
        route.fulfill(status=200, body=path.read_bytes(), content_type=mimetypes.guess_type(name)[0])

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(f"{live_server.url}/static/**", from_collected)
    log_in(page, live_server, annotator_user.username)
    page.goto(f"{live_server.url}/articles/{sample_article.pk}/")
    page.wait_for_selector("#article-body")

    reader = next(name for name in served if name.startswith("js/reader.") and name != "js/reader.js")
    assert "// " not in (tmp_path / reader).read_text().split("\n", 1)[0]  # the file's header comment went
    drag_select(page, ISI)
    page.keyboard.press("1")
    page.wait_for_selector("#article-body mark.hl")
    assert Annotation.objects.get().quote == ISI
    assert errors == []
