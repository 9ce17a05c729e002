"""Getting articles in: decode, detect the format, clean, and store without duplicates.

No HTTP here; the add-article view and the import_articles command both call this.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction

from articles.guards.encoding import TextDecodeError, decode_text
from articles.ingest.cleaning import clean_boilerplate, split_title, text_from_html
from articles.ingest.sanitize import HtmlNestingError
from articles.models import Article, content_hash

SUPPORTED_SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html"}
MAX_TITLE = Article._meta.get_field("title").max_length


class IngestError(ValueError):
    """Input that cannot become an article; str() is a one-line reason for the user."""


@dataclass(frozen=True)
class IngestedArticle:
    title: str
    body: str
    source_format: str
    original: str

    @property
    def content_hash(self):
        return content_hash(self.body)


def decode(data):
    """Decode uploaded bytes (UTF-8, or UTF-16/32 with a BOM), or explain why not."""
    try:
        text = decode_text(data)
    except TextDecodeError as exc:
        raise IngestError(str(exc)) from None
    if "\x00" in text:
        raise IngestError(f"not a text file: a NUL character at position {text.index(chr(0))}")
    return text


def format_for_filename(filename):
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'}: use .txt or .html")
    return SUPPORTED_SUFFIXES[suffix]


def looks_like_html(text):
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html", "<article", "<body", "<p>", "<div", "<h1"))


def ingest(raw, *, source_format="text", title=""):
    """Clean `raw` into an IngestedArticle. `title`, when given, wins over the detected one."""
    if source_format == "html":
        try:
            found_title, body = text_from_html(raw)
        except HtmlNestingError as exc:
            raise IngestError(str(exc)) from None
        body = clean_boilerplate(body)
    else:
        cleaned = clean_boilerplate(raw)
        if title.strip():
            found_title, body = "", cleaned
        else:
            found_title, body = split_title(cleaned)
    title = (title.strip() or found_title).strip()
    if not body.strip():
        raise IngestError("no article text left after cleaning" if raw.strip() else "empty input")
    if not title:
        raise IngestError("no title: give one, or put it on the first line")
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1] + "…"
    return IngestedArticle(title=title, body=body, source_format=source_format, original=raw)


def ingest_file(data, filename, *, title=""):
    return ingest(decode(data), source_format=format_for_filename(filename), title=title)


def store_article(ingested, *, added_by=None, **fields):
    """Save an ingested article; return (article, created).

    The same canonical text is never stored twice: the existing article comes back with
    created=False, also when a concurrent request stored it a moment earlier.
    """
    digest = ingested.content_hash
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return existing, False
    article = Article(
        title=ingested.title,
        body=ingested.body,
        original=ingested.original,
        source_format=ingested.source_format,
        added_by=added_by,
        **{key: value for key, value in fields.items() if value is not None},
    )
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        existing = Article.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return existing, False
    return article, True
