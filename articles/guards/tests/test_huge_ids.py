"""Every URL with a number in its path answers a number beyond any 64-bit id with a 404,
not a 500 (the database refuses to compare an id with it): the `id` path converter."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from articles.tests.admin_helpers import make_curator
from articles.tests.export_helpers import annotate, make_article

HUGE = "99999999999999999999999"


def numbered_routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):  # the admin's own object ids are text
                yield from numbered_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "<" in route:
            yield route


ROUTES = sorted({route for route in numbered_routes() if "<id:" in route})


def test_it_finds_the_numbered_routes():
    assert len(ROUTES) >= 20


def paths_with_one_huge_id(route):
    """`route` with each of its numbers in turn beyond 64 bits, the others 1 (an id that
    exists), and any uuid one that does not."""
    parts = re.split(r"(<[^>]+>)", "/" + route)
    numbers = [i for i, part in enumerate(parts) if part.startswith(("<int:", "<id:"))]
    for huge in numbers:
        filled = []
        for i, part in enumerate(parts):
            if i == huge:
                filled.append(HUGE)
            elif i in numbers:
                filled.append("1")
            elif part.startswith("<uuid:"):
                filled.append(str(uuid.uuid4()))
            elif part.startswith("<"):
                filled.append("x")
            else:
                filled.append(part)
        yield "".join(filled)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_for_an_id_beyond_64_bits(client, make_user, route):
    curator = make_curator(make_user)
    article = make_article()
    annotate(article, "delegation", curator)
    client.force_login(curator)
    for path in paths_with_one_huge_id(route):
        for response in (client.get(path, headers={"HX-Request": "true"}), client.post(path)):
            assert response.status_code in (404, 405), (path, response.status_code)
