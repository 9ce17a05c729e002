"""Extraction from real-looking news pages: the whole story, its metadata, and nothing else."""

import datetime

import pytest

from articles.ingest.pipeline import ingest_file, store_article
from articles.web.extract import extract_page
from articles.web.tests.pages import FIXTURES, PAGES, story_paragraphs


@pytest.mark.parametrize("name", sorted(PAGES))
def test_it_keeps_every_story_paragraph_and_drops_the_rest(name):
    expected = PAGES[name]
    page = extract_page((FIXTURES / f"{name}.html").read_text(encoding="utf-8"))
    paragraphs = page.body.split("\n\n")
    story = story_paragraphs(name)
    assert len(story) >= 6
    for paragraph in story:
        assert paragraph in paragraphs
    for junk in expected["not_in_body"]:
        assert junk not in page.body, junk
    # In story order, with nothing but the story's own subheads and standfirst between.
    positions = [paragraphs.index(p) for p in story]
    assert positions == sorted(positions)
    assert len(paragraphs) - len(story) <= 1


@pytest.mark.parametrize("name", sorted(PAGES))
def test_it_fills_the_metadata(name):
    expected = PAGES[name]
    page = extract_page((FIXTURES / f"{name}.html").read_text(encoding="utf-8"))
    assert page.title == expected["title"]
    assert page.metadata == {
        "byline": expected["byline"],
        "outlet": expected["outlet"],
        "published": datetime.date.fromisoformat(expected["published"]),
        "canonical_url": expected["canonical_url"],
    }


def test_it_finds_nothing_on_a_page_without_a_story():
    html = "<html><head><title>Loading…</title></head><body><div id='app'></div><script>boot()</script></body></html>"
    assert extract_page(html) is None


def test_it_applies_the_boilerplate_rules_as_a_second_pass():
    story = "".join(
        f"<p>Paragraph {n} of a long enough story about the council budget and its many critics in town.</p>"
        for n in range(6)
    )
    html = f"<html><body><article><h1>Budget</h1>{story}<p>Follow BrianRoss on Twitter</p></article></body></html>"
    page = extract_page(html)
    assert "Paragraph 5" in page.body
    assert "Follow BrianRoss" not in page.body


def test_an_uploaded_html_page_is_extracted_the_same_way(db):
    data = (FIXTURES / "drought-report.html").read_bytes()
    ingested = ingest_file(data, "saved-page.html")
    article, created = store_article(ingested)
    assert created
    assert article.title == PAGES["drought-report"]["title"]
    assert article.byline == "Priya Raman, Tom Elwood"
    assert article.outlet == "Valley Tribune"
    assert article.published == datetime.date(2026, 8, 2)
    assert article.canonical_url == PAGES["drought-report"]["canonical_url"]
    assert "Join the Discussion" not in article.body
    assert article.body.startswith("Reservoirs across the east of England")


def test_fields_given_by_the_user_win_over_the_page_metadata(db):
    ingested = ingest_file((FIXTURES / "harbour-council.html").read_bytes(), "page.html")
    article, _ = store_article(ingested, outlet="Herald (print)", byline="")
    assert article.outlet == "Herald (print)"
    assert article.byline == "Morag Lindsay"


def test_a_pasted_html_fragment_still_uses_the_simple_reader(db):
    from articles.ingest.pipeline import ingest

    ingested = ingest("<h1>Short</h1><p>One line.</p>", source_format="html")
    assert (ingested.title, ingested.body, ingested.metadata) == ("Short", "One line.", {})
