"""A search with no word in it (`"`, `!!!`) looks for nothing: the list said so by finding
nothing, while the export and a coding batch's "articles matching" took it as no search
at all and chose every article. Each path now refuses it with the same message."""

import pytest

from articles.search.fulltext import SearchQueryError, parse
from articles.tests.admin_helpers import make_curator
from articles.tests.export_helpers import annotate

WORDLESS = ['"', "!!!", "* - *", '""']


@pytest.mark.parametrize("text", WORDLESS)
def test_it_refuses_a_search_without_a_word(text):
    with pytest.raises(SearchQueryError, match="no word to look for"):
        parse(text)


def test_an_empty_search_is_no_search():
    assert parse("") == [] and parse("   ") == []


@pytest.mark.parametrize("text", WORDLESS)
def test_the_export_refuses_it(client, annotator_user, sample_article, text):
    annotate(sample_article, "Exasperated", annotator_user)
    client.force_login(annotator_user)
    response = client.get("/annotations/export/", {"q": text})
    assert response.status_code == 400
    assert "no word to look for" in response.content.decode()


@pytest.mark.parametrize("text", WORDLESS)
def test_the_list_says_so(client, annotator_user, sample_article, text):
    client.force_login(annotator_user)
    response = client.get("/", {"q": text})
    assert "no word to look for" in response.content.decode()


def test_a_coding_batch_refuses_it(client, make_user, sample_article):
    client.force_login(make_curator(make_user))
    analyst = make_user("alice")
    data = {"name": "B", "query": '"', "analysts": [analyst.pk], "coders_per_article": 1, "seed": 1}
    response = client.post("/coding/batches/new/", data)
    assert "no word to look for" in response.content.decode()
    assert response.context["form"].errors["query"]


def test_the_exports_refusal_ends_with_one_full_stop(client, annotator_user):
    client.force_login(annotator_user)
    text = client.get("/annotations/export/", {"q": "word " * 120}).content.decode()
    assert text.startswith("Cannot export: The search is too long") and text.endswith("characters.")
