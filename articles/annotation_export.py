"""Which annotations an export holds, and their rows, streamed from the database.

No HTTP here: the export view, the admin actions and the export_annotations command all
build an ExportFilter, take `annotations_for_export`, and feed `export_rows` to a writer
from articles/export_writers.py.
"""

import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from articles.export_writers import CONTENT_TYPES, FILE_EXTENSIONS, WRITERS, iso_utc
from articles.models import Annotation, Article, Label
from articles.offsets import codepoint_to_utf16, utf16_length

FORMATS = tuple(WRITERS)
CHUNK_SIZE = 2000

# Database lookups for the CSV columns, in CSV order, without the two UTF-16 offsets
# (computed from the article text, see export_rows).
EXPORT_LOOKUPS = (
    "uuid",
    "article_id",
    "article__title",
    "article__url",
    "article__outlet",
    "label__category__name",
    "label__name",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "note",
    "author__username",
    "status",
    "reviewed_by__username",
    "reviewed_at",
    "created_at",
    "updated_at",
)


class ExportFilterError(ValueError):
    """A filter value that names nothing (unknown label, author, article, bad date)."""


@dataclass(frozen=True)
class ExportFilter:
    article_ids: tuple = ()
    label_ids: tuple = ()
    author_ids: tuple = ()
    since: datetime | None = None

    def apply(self, annotations):
        if self.article_ids:
            annotations = annotations.filter(article_id__in=self.article_ids)
        if self.label_ids:
            annotations = annotations.filter(label_id__in=self.label_ids)
        if self.author_ids:
            annotations = annotations.filter(author_id__in=self.author_ids)
        if self.since is not None:
            # updated_at >= created_at, so this is "created or changed since".
            annotations = annotations.filter(updated_at__gte=self.since)
        return annotations


def parse_since(value):
    """A date (midnight UTC) or an ISO 8601 date-time (UTC when no offset is given)."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ExportFilterError(f"“{value}” is not a date like 2026-01-31 or 2026-01-31T12:00Z") from None
    if len(value) == 10:
        moment = datetime.combine(moment.date(), time.min)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _label_ids(value):
    """A label by id, by "Category: name", or by name alone (every category's label of that name)."""
    value = value.strip()
    if value.isdigit():
        labels = Label.objects.filter(pk=int(value))
    elif ": " in value and Label.objects.filter(category__name__iexact=value.split(": ", 1)[0]).exists():
        category, name = value.split(": ", 1)
        labels = Label.objects.filter(category__name__iexact=category, name__iexact=name)
    else:
        labels = Label.objects.filter(name__iexact=value)
    ids = list(labels.values_list("pk", flat=True))
    if not ids:
        raise ExportFilterError(f"unknown label “{value}”")
    return ids


def parse_export_filter(*, articles=(), labels=(), authors=(), since=None):
    """Check filter values as a user typed them and turn them into an ExportFilter."""
    article_ids = []
    for value in articles:
        value = str(value).strip()
        if not value.isdigit():
            raise ExportFilterError(f"article “{value}” is not an article number")
        article_ids.append(int(value))
    missing = set(article_ids) - set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
    if missing:
        raise ExportFilterError(f"no article #{min(missing)}")
    label_ids = [pk for value in labels if value.strip() for pk in _label_ids(value)]
    author_ids = []
    users = get_user_model().objects
    for value in authors:
        value = value.strip()
        if not value:
            continue
        user = users.filter(username=value).values_list("pk", flat=True).first()
        if user is None:
            raise ExportFilterError(f"unknown author “{value}”")
        author_ids.append(user)
    return ExportFilter(
        article_ids=tuple(article_ids),
        label_ids=tuple(dict.fromkeys(label_ids)),
        author_ids=tuple(author_ids),
        since=parse_since(since),
    )


def annotations_for_export(export_filter=None, *, articles=None):
    """Live annotations matching the filter, in text order (article, start, end).

    `articles`, when given, is an Article queryset (e.g. the article list's search
    results) the annotations must belong to.
    """
    annotations = Annotation.objects.all()
    if export_filter is not None:
        annotations = export_filter.apply(annotations)
    if articles is not None:
        annotations = annotations.filter(article__in=articles.order_by().values("pk"))
    return annotations.in_text_order()


def _article_bodies(annotations, chunk_size):
    """(article id, body) for the annotations' articles, by ascending id, streamed."""
    article_ids = annotations.order_by().values("article_id")
    return (
        Article.objects.filter(pk__in=article_ids)
        .order_by("pk")
        .values_list("pk", "body")
        .iterator(chunk_size=max(1, chunk_size // 20))
    )


class _Utf16Offsets:
    """UTF-16 offsets of the annotations of one article at a time.

    Rows come in article order, so the bodies are read by a second cursor walking the
    same articles in step: two queries in all, and one article's text in memory.
    """

    def __init__(self, bodies):
        self.bodies = iter(bodies)
        self.next_body = None  # (id, body) read from the stream but not yet reached
        self.started = False
        self.article_id = None
        self.body = ""
        self.same_as_codepoints = True

    def for_article(self, article_id):
        if article_id == self.article_id:
            return
        if not self.started:
            self.started, self.next_body = True, next(self.bodies, None)
        while self.next_body is not None and self.next_body[0] < article_id:
            self.next_body = next(self.bodies, None)
        if self.next_body is not None and self.next_body[0] == article_id:
            body = self.next_body[1]
        else:
            # Not in the stream (an article annotated after the body query started):
            # one extra query, rather than a wrong offset.
            body = Article.objects.values_list("body", flat=True).get(pk=article_id)
        self.article_id, self.body = article_id, body
        # Without characters outside the Basic Multilingual Plane the two counts agree,
        # which spares a conversion per row for almost every article.
        self.same_as_codepoints = utf16_length(body) == len(body)

    def __call__(self, offset):
        return offset if self.same_as_codepoints else codepoint_to_utf16(self.body, offset)


def export_rows(annotations, *, chunk_size=CHUNK_SIZE):
    """Rows in articles.export_writers.CSV_COLUMNS order, with a flat query count.

    On PostgreSQL the read runs in one transaction: Django's server-side cursors need
    WITH HOLD in autocommit mode, and PostgreSQL materialises such a cursor's whole result
    before the first row. (SQLite is left in autocommit: its transactions here take the
    write lock at BEGIN, which would stall every writer for the length of a download.)
    """
    annotations = annotations.in_text_order()
    in_transaction = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with in_transaction:
        utf16 = _Utf16Offsets(_article_bodies(annotations, chunk_size))
        for (
            annotation_uuid,
            article_id,
            title,
            url,
            outlet,
            category,
            label,
            start,
            end,
            quote,
            prefix,
            suffix,
            note,
            author,
            status,
            reviewed_by,
            reviewed_at,
            created_at,
            updated_at,
        ) in annotations.values_list(*EXPORT_LOOKUPS).iterator(chunk_size=chunk_size):
            utf16.for_article(article_id)
            yield (
                str(annotation_uuid),
                article_id,
                title,
                url,
                outlet,
                category,
                label,
                start,
                end,
                utf16(start),
                utf16(end),
                quote,
                prefix,
                suffix,
                note,
                author,
                status,
                reviewed_by,
                iso_utc(reviewed_at),
                iso_utc(created_at),
                iso_utc(updated_at),
            )


def export_chunks(rows, export_format, *, raw=False, excel=False, collection_id=None):
    """Text chunks of `rows` in one of FORMATS. raw and excel apply to CSV only."""
    if export_format == "csv":
        return WRITERS["csv"](rows, escape=not raw, bom=excel)
    if export_format == "w3c":
        return WRITERS["w3c"](rows, collection_id=collection_id or collection_iri(""))
    return WRITERS[export_format](rows)


def collection_iri(description):
    """A stable IRI for an export made outside the web (where its URL would serve)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'annotator-export?' + description)}"


def content_type(export_format):
    return CONTENT_TYPES[export_format]


def filename(export_format, stem="annotations"):
    return f"{stem}.{FILE_EXTENSIONS[export_format]}"
