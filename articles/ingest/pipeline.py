"""Getting articles in: decode, detect the format, clean, and store without duplicates.

No HTTP here; the add-article view and the import_articles command both call this.
"""

import os
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction

from articles.guards.encoding import TextDecodeError, decode_text
from articles.history import record_history
from articles.ingest.cleaning import clean_boilerplate, split_title, text_from_html
from articles.ingest.sanitize import HtmlNestingError, check_html_nesting
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
    # Article fields found in the input (a web page's byline, outlet, date, canonical URL);
    # store_article fills them where the caller gave none.
    metadata: dict = field(default_factory=dict)

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
    suffix = os.path.splitext(filename)[1].lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'}: use .txt or .html")
    return SUPPORTED_SUFFIXES[suffix]


def looks_like_html(text):
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html", "<article", "<body", "<p>", "<div", "<h1"))


def looks_like_page(text):
    """A whole HTML document (a saved or fetched page), not a pasted fragment."""
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def ingest(raw, *, source_format="text", title=""):
    """Clean `raw` into an IngestedArticle. `title`, when given, wins over the detected one."""
    metadata = {}
    if source_format == "html":
        # Before any parser sees it: deep nesting makes nh3 and lxml take seconds to minutes.
        try:
            check_html_nesting(raw)
        except HtmlNestingError as exc:
            raise IngestError(str(exc)) from None
    page = None
    if source_format == "html" and looks_like_page(raw):
        # Imported here: trafilatura and its dependencies take a tenth of a second to load,
        # which every `manage.py` command (and plain-text imports) would otherwise pay.
        from articles.web.extract import extract_page

        page = extract_page(raw)
    if page is not None:
        # A whole web page: trafilatura finds the story and its metadata (articles/web/extract.py).
        found_title, body, metadata = page.title, page.body, page.metadata
    elif source_format == "html":
        found_title, body = text_from_html(raw)
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
    return IngestedArticle(
        title=title, body=body, source_format=source_format, original=raw, metadata=metadata
    )


def ingest_file(data, filename, *, title=""):
    return ingest(decode(data), source_format=format_for_filename(filename), title=title)


def store_article(ingested, *, added_by=None, **fields):
    """Save an ingested article; return (article, created).

    The same canonical text is never stored twice: the existing article comes back with
    created=False, also when a concurrent request stored it a moment earlier.
    """
    digest = ingested.content_hash
    fields = {**{k: v for k, v in ingested.metadata.items() if v}, **{k: v for k, v in fields.items() if v}}
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is None and fields.get("canonical_url"):
        # The same story fetched again may differ in a line or two; its canonical URL does not.
        existing = Article.objects.filter(canonical_url=fields["canonical_url"]).first()
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


class StoredArticle(NamedTuple):
    """What a batch import reports of each text: the article it is now, by id and title."""

    pk: int
    title: str


# The columns that differ between the articles of one batch; every other column (outlet,
# who added them, when) is the same for the whole batch.
PER_ARTICLE = ("title", "body", "original", "source_format", "content_hash")


def insert_articles(batch, template):
    """INSERT the articles of `batch` ((IngestedArticle, content hash) pairs, distinct new
    texts) in one statement, each column not in PER_ARTICLE as `template` (an unsaved
    Article) has it; return their ids in batch order.

    Hand-written where bulk_create would do: an Article per text, and preparing each value
    of each field through the ORM, cost more than the insert itself (the import's profile).
    Here the batch's shared values are prepared once."""
    if not batch:
        return []
    columns = [column for column in Article._meta.concrete_fields if not column.primary_key]
    shared = [column.get_db_prep_save(column.pre_save(template, True), connection) for column in columns]
    slots = [columns.index(Article._meta.get_field(name)) for name in PER_ARTICLE]
    params = []
    for ingested, digest in batch:
        row = shared.copy()
        for slot, value in zip(
            slots,
            (ingested.title, ingested.body, ingested.original, ingested.source_format, digest),
            strict=True,
        ):
            row[slot] = value
        params += row
    placeholders = f"({', '.join(['%s'] * len(columns))})"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Article._meta.db_table)} "  # noqa: S608 (names from the model)
            f"({', '.join(quote(column.column) for column in columns)}) "
            f"VALUES {', '.join([placeholders] * len(batch))} RETURNING id, content_hash",
            params,
        )
        ids = {digest: pk for pk, digest in cursor.fetchall()}
    return [ids[digest] for _, digest in batch]


def store_articles(batch, *, added_by=None, **fields):
    """Save a batch of ingested articles in one transaction; return [(StoredArticle,
    created)] in batch order.

    Bulk inserts with their history rows in bulk (one INSERT … SELECT, articles/history.py);
    texts already stored, or repeated within the batch, come
    back as the existing article with created=False, as store_article does. If another
    writer stores one of the texts meanwhile, the batch falls back to store_article.
    """
    digests = [ingested.content_hash for ingested in batch]
    existing = {
        digest: StoredArticle(pk, title)
        for digest, pk, title in Article.objects.filter(content_hash__in=digests).values_list(
            "content_hash", "id", "title"
        )
    }
    new = {}
    for ingested, digest in zip(batch, digests, strict=True):
        if digest not in existing and digest not in new:
            new[digest] = ingested
    template = Article(
        added_by=added_by, **{key: value for key, value in fields.items() if value is not None}
    )
    try:
        with transaction.atomic():
            ids = insert_articles([(ingested, digest) for digest, ingested in new.items()], template)
            record_history(
                Article, ids, history_type="+", user_id=added_by.pk if added_by is not None else None
            )
    except IntegrityError:
        one_by_one = (store_article(ingested, added_by=added_by, **fields) for ingested in batch)
        return [(StoredArticle(article.pk, article.title), created) for article, created in one_by_one]
    stored = {
        digest: StoredArticle(pk, ingested.title)
        for (digest, ingested), pk in zip(new.items(), ids, strict=True)
    }
    results, seen = [], set()
    for digest in digests:
        if digest in stored and digest not in seen:
            seen.add(digest)
            results.append((stored[digest], True))
        else:
            results.append((existing.get(digest) or stored[digest], False))
    return results
