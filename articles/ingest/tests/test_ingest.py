import pytest

from articles.ingest.pipeline import IngestError, decode, ingest, ingest_file, store_article
from articles.models import Article

SAMPLE_TITLE = "Senior Pakistani Military Official on 'So-Called Coalition Partner' U.S."


def story_paragraphs(sample_text):
    """Every paragraph of the sample that is story, not boilerplate or title."""
    boilerplate = ("VIDEO:", "Follow BrianRoss", "•", "Join the Discussion", "blog comments", "You Might")
    paragraphs = [p.strip() for p in sample_text.split("\n\n") if p.strip()]
    story = [p for p in paragraphs[1:] if not p.lstrip().startswith(boilerplate)]
    return story


def test_it_reads_the_sample_article(sample_text):
    article = ingest(sample_text)
    assert article.title == SAMPLE_TITLE
    for line in [
        "VIDEO:",
        "Follow BrianRoss on Twitter",
        "•",
        "Join the Discussion",
        "Disqus",
        "You Might Also Like",
    ]:
        assert line not in article.body
    paragraphs = article.body.split("\n\n")
    expected = story_paragraphs(sample_text)
    assert len(expected) == 12
    assert paragraphs == expected
    assert paragraphs[0].startswith("For a moment as a senior Pakistani military official")


def test_it_stores_the_sample_once(db, sample_text):
    first, created = store_article(ingest(sample_text))
    again, created_again = store_article(ingest(sample_text.replace("\n", "\r\n")))
    assert created and not created_again
    assert again.pk == first.pk
    assert Article.objects.count() == 1


def test_it_keeps_the_original_input(db, sample_text):
    article, _ = store_article(ingest(sample_text))
    assert article.original == sample_text


def test_it_keeps_emoji_and_rtl_text_exactly():
    text = "Title\r\n\r\nStart 👍🏽 then عربي and עברית — “done”.\r\n"
    article = ingest(text)
    assert article.body == "Start 👍🏽 then عربي and עברית — “done”."


def test_it_prefers_a_given_title_and_keeps_the_first_line():
    article = ingest("First line\n\nSecond", title="Given")
    assert article.title == "Given"
    assert article.body == "First line\n\nSecond"


def test_it_refuses_empty_input():
    with pytest.raises(IngestError, match="empty"):
        ingest("   \n  ")


def test_it_refuses_input_that_is_only_boilerplate():
    with pytest.raises(IngestError, match="no article text"):
        ingest("A title\n\nAdvertisement\nJoin the Discussion")


def test_it_refuses_non_utf8_bytes():
    with pytest.raises(IngestError, match="not UTF-8"):
        decode("café".encode("latin-1"))


def test_it_accepts_a_utf8_bom():
    assert decode("\ufeffhello".encode()) == "hello"


def test_it_refuses_unknown_file_types():
    with pytest.raises(IngestError, match="unsupported file type .pdf"):
        ingest_file(b"%PDF", "report.pdf")


def test_it_reads_html_files():
    article = ingest_file(b"<h1>Head</h1><p>Body <b>bold</b>.</p><p>Advertisement</p>", "a.html")
    assert (article.title, article.body, article.source_format) == ("Head", "Body bold.", "html")
