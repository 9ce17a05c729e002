"""Which annotations an export holds, and their rows, streamed from the database.

No HTTP here: the export view, the admin actions and the export_annotations command all
build an ExportFilter, take `annotations_for_export`, and feed `export_rows` to a writer
from articles/export_writers.py.
"""

import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, time
from itertools import chain

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Cast, Coalesce

from articles.exchange import sqlite_csv
from articles.exchange.attribution_rows import (
    ATTRIBUTED_TO,
    ATTRIBUTION_LOOKUPS,
    attribution_rows,
    fill_links,
    source_rows,
)
from articles.exchange.writers import (
    ATTRIBUTION_COLUMNS,
    COLUMN_INDEX,
    CONTENT_TYPES,
    FILE_EXTENSIONS,
    SOURCE_COLUMNS,
    WRITERS,
    iso_utc,
)
from articles.guards.values import parse_id, utc_moment
from articles.models import Annotation, Article, Label
from articles.spans.offsets import Utf16Index

FORMATS = (*WRITERS, "sources", "attributions")
# Rows per database round trip: ~3 MB of rows.
CHUNK_SIZE = 10_000
# Article texts per round trip: a long article is ~100 KB, so at most a few MB at once.
BODIES_PER_FETCH = 50

# Database lookups for the CSV columns, in CSV order. The UTF-16 offsets are fetched as
# the code point offsets and corrected in Python for the few articles where they differ.
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
    "created_at",
    "updated_at",
    "start",  # start_utf16
    "end",  # end_utf16
    "status",
    "reviewed_by__username",
    "reviewed_at",
    *ATTRIBUTION_LOOKUPS,
    # coder, gold: see articles/coding (GoldDecision keeps the coders' names as text).
    Coalesce("gold__coders", "author__username"),
    Case(When(gold__isnull=False, then=Value("true")), default=Value("false"), output_field=TextField()),
)
START, END, START_UTF16, END_UTF16 = (
    COLUMN_INDEX[name] for name in ("start", "end", "start_utf16", "end_utf16")
)
UUID, REVIEWED_AT, CREATED_AT, UPDATED_AT = (
    COLUMN_INDEX[name] for name in ("annotation_id", "reviewed_at", "created_at", "updated_at")
)
TIMESTAMP_LOOKUPS = ("reviewed_at", "created_at", "updated_at")


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
        if len(value) == 10:
            moment = datetime.combine(moment.date(), time.min)
        return utc_moment(moment)
    except ValueError:
        raise ExportFilterError(f"“{value}” is not a date like 2026-01-31 or 2026-01-31T12:00Z") from None


def _label_ids(value):
    """A label by id, by "Category: name", or by name alone (every category's label of that name)."""
    value = value.strip()
    if (label_id := parse_id(value)) is not None:
        labels = Label.objects.filter(pk=label_id)
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
        if (article_id := parse_id(value)) is None:
            if value.isascii() and value.isdigit():  # beyond any id (64-bit)
                raise ExportFilterError(f"no article #{value[:40]}")
            raise ExportFilterError(f"article “{value[:40]}” is not an article number")
        article_ids.append(article_id)
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


def _article_bodies(annotations):
    """(article id, body) for the annotations' articles, by ascending id, streamed."""
    article_ids = annotations.order_by().values("article_id")
    return (
        Article.objects.filter(pk__in=article_ids)
        .order_by("pk")
        .values_list("pk", "body")
        .iterator(chunk_size=BODIES_PER_FETCH)
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
        self.index = Utf16Index(body)
        # Without characters outside the Basic Multilingual Plane the two counts agree,
        # which spares a conversion per row for almost every article.
        self.same_as_codepoints = not self.index.astral

    def __call__(self, offset):
        return self.index(offset)


def _export_columns(on_postgresql, on_sqlite=False):
    """values_list() arguments for EXPORT_LOOKUPS.

    The UUID and timestamps come out as their export text (PostgreSQL: ::text and
    to_char; SQLite: string functions): building a UUID and a datetime per value only to
    format them again took more than half the export's time.
    """
    iso = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    columns = []
    for index, lookup in enumerate(EXPORT_LOOKUPS):
        if on_postgresql and lookup == "uuid":
            columns.append(Cast(lookup, TextField()))
        elif on_postgresql and lookup in TIMESTAMP_LOOKUPS:
            columns.append(Func(F(lookup), template=iso, output_field=TextField()))
        elif on_sqlite and lookup == "uuid":
            columns.append(Func(F(lookup), template=sqlite_csv.SQLITE_UUID, output_field=TextField()))
        elif on_sqlite and lookup in TIMESTAMP_LOOKUPS:
            columns.append(Func(F(lookup), template=sqlite_csv.SQLITE_ISO, output_field=TextField()))
        elif index in (START_UTF16, END_UTF16):
            columns.append(F(lookup))  # a second copy of the column, under its own alias
        else:
            columns.append(lookup)
    return columns


# Any character outside the Basic Multilingual Plane (emoji, flags, some CJK): where a text
# has one, UTF-16 offsets differ from code point offsets.
ASTRAL = "[\U00010000-\U0010ffff]"


class _BodyWhereOffsetsDiffer(Func):
    """The article text, on the first row of each article whose text has astral characters;
    NULL on every other row.

    So one streamed query carries every text the UTF-16 offsets need, each once, and the
    regular expression runs once per article (CASE evaluates lazily).
    """

    output_field = TextField()

    def __init__(self):
        super().__init__(F("article_id"), F("start"), F("end"), F("id"), F("article__body"))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        article, start, end, pk, body = parts
        first_row = f"row_number() OVER (PARTITION BY {article} ORDER BY {start}, {end}, {pk}) = 1"
        return f"CASE WHEN {first_row} AND {body} ~ %s THEN {body} END", (*params, ASTRAL)


def export_rows(annotations, *, chunk_size=CHUNK_SIZE):
    """Rows in articles.export_writers.CSV_COLUMNS order, with a flat query count."""
    annotations = annotations.in_text_order()
    if connection.vendor == "postgresql":
        return _postgresql_rows(annotations, chunk_size)
    if connection.vendor == "sqlite":
        return _sqlite_rows(annotations, chunk_size)
    return _iterated_rows(annotations, chunk_size)


def _postgresql_rows(annotations, chunk_size):
    """One query, streamed by psycopg (Cursor.stream, rows sent in chunks as the server
    makes them) rather than a server-side cursor's FETCH after FETCH: the database then
    works on the next rows while Python writes the CSV, which made the export ~1.5x faster.
    The connection is busy until the stream ends, so the article texts come in the
    same query (_BodyWhereOffsetsDiffer) instead of from a second cursor.
    """
    rows = annotations.values_list(*_export_columns(on_postgresql=True), _BodyWhereOffsetsDiffer())
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return
    body, same_as_codepoints, article_id = None, True, None
    # Inside a transaction, a savepoint: cancelling a stream abandoned half way would
    # otherwise leave the whole transaction aborted.
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        logged = cursor.debug_sql(sql, params) if connection.queries_logged else nullcontext()
        stream = cursor.cursor.stream(sql, params, size=min(chunk_size, 1000))
        try:
            with logged:
                first = next(stream, None)
            for row in chain([first], stream) if first is not None else ():
                if row[1] != article_id:
                    # The text is on the article's first row, or it has no astral characters.
                    article_id, body = row[1], row[-1]
                    same_as_codepoints = body is None
                    index = None if same_as_codepoints else Utf16Index(body)
                if row[ATTRIBUTED_TO] is not None:
                    row = fill_links(row)
                if same_as_codepoints:
                    yield row[:-1]
                else:
                    row = list(row[:-1])
                    row[START_UTF16] = index(row[START])
                    row[END_UTF16] = index(row[END])
                    yield tuple(row)
        finally:
            # A download stopped half way: psycopg cancels the query and drains what
            # already arrived, so the connection is usable again.
            stream.close()


def _sqlite_rows(annotations, chunk_size):
    """The rows straight from SQLite's cursor, already formatted by the query: no per-value
    converters (about twice the rate of Django's iterator), the texts from a second cursor."""
    rows = annotations.values_list(*_export_columns(on_postgresql=False, on_sqlite=True))
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return
    utf16 = _Utf16Offsets(_article_bodies(annotations))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            for row in chunk:
                if row[1] != utf16.article_id:
                    utf16.for_article(row[1])
                if row[ATTRIBUTED_TO] is not None:
                    row = fill_links(row)
                if utf16.same_as_codepoints:
                    yield row
                else:
                    row = list(row)
                    row[START_UTF16], row[END_UTF16] = utf16(row[START]), utf16(row[END])
                    yield tuple(row)


def _iterated_rows(annotations, chunk_size):
    """Django's chunked iterator, with the article texts from a second cursor in step."""
    rows = annotations.values_list(*_export_columns(on_postgresql=False))
    utf16 = _Utf16Offsets(_article_bodies(annotations))
    for row in rows.iterator(chunk_size=chunk_size):
        if row[1] != utf16.article_id:
            utf16.for_article(row[1])
        row = list(row)
        if not utf16.same_as_codepoints:
            row[START_UTF16], row[END_UTF16] = utf16(row[START]), utf16(row[END])
        row[UUID] = str(row[UUID])
        for index in (REVIEWED_AT, CREATED_AT, UPDATED_AT):
            row[index] = iso_utc(row[index])
        yield fill_links(row) if row[ATTRIBUTED_TO] is not None else tuple(row)


def export_chunks(rows, export_format, *, raw=False, excel=False, collection_id=None):
    """Text chunks of `rows` in one of FORMATS. raw and excel apply to CSV only."""
    if export_format == "csv":
        return WRITERS["csv"](rows, escape=not raw, bom=excel)
    if export_format == "w3c":
        return WRITERS["w3c"](rows, collection_id=collection_id or collection_iri(""))
    return WRITERS[export_format](rows)


def export_stream(annotations, export_format, *, raw=False, excel=False, collection_id=None):
    """Text chunks of an export of `annotations` in any of FORMATS: the annotation rows, the
    W3C document with its attribution links, or the `sources` / `attributions` tables."""
    if export_format == "sources":
        return WRITERS["csv"](source_rows(annotations), escape=not raw, bom=excel, columns=SOURCE_COLUMNS)
    if export_format == "attributions":
        return WRITERS["csv"](
            attribution_rows(annotations), escape=not raw, bom=excel, columns=ATTRIBUTION_COLUMNS
        )
    if export_format == "w3c":
        return WRITERS["w3c"](
            export_rows(annotations),
            collection_id=collection_id or collection_iri(""),
            links=attribution_rows(annotations),
        )
    if export_format == "csv" and connection.vendor == "sqlite":
        # The same bytes, with the lines written by SQLite (articles/exchange/sqlite_csv.py).
        return sqlite_csv.csv_chunks(annotations, escape=not raw, bom=excel)
    return export_chunks(export_rows(annotations), export_format, raw=raw, excel=excel)


def collection_iri(description):
    """A stable IRI for an export made outside the web (where its URL would serve)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'annotator-export?' + description)}"


def content_type(export_format):
    return CONTENT_TYPES[export_format]


def filename(export_format, stem="annotations"):
    return f"{stem}.{FILE_EXTENSIONS[export_format]}"
