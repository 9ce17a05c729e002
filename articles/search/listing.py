"""The article list's filters, pages and totals, built so a page's cost does not grow
with the archive (docs/scaling.md).

- Filters are each one indexed predicate (see the indexes in articles/models.py).
- A page is found by its ids first (an index-only walk of `article_newest`), then only
  those 25 rows are read, and only their annotations are counted.
- Totals are estimated or capped, never a full count of a large table.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, OuterRef

from articles.coding.filters import filter_by_assignment
from articles.models import Annotation, Article
from articles.permissions import visible_annotations

PAGE_SIZE = 25
# Filtered lists are counted up to this many rows ("more than 1,000 articles").
COUNT_CAP = 1000
# Beyond this many rows PostgreSQL's planner estimate stands in for an exact count.
EXACT_COUNT_BELOW = 10_000
MAX_PAGE = 100_000
MAX_OUTLETS = 500
LIST_FIELDS = ("id", "title", "outlet", "published", "created_at")


@dataclass(frozen=True)
class ArticleFilters:
    outlet: str = ""
    published_from: object = None
    published_to: object = None
    annotated: str = ""  # "yes", "no" or "" for either
    mine: bool = False
    label: object = None  # a Label
    # Team coding (articles/coding): assigned to the user, in a batch, in an assignment status.
    assigned: bool = False
    batch: object = None  # a CodingBatch
    status: str = ""

    @property
    def active(self):
        return any(
            [self.outlet, self.published_from, self.published_to, self.annotated, self.mine, self.label]
            + [self.assigned, self.batch, self.status]
        )


def filter_articles(articles, filters, user):
    """`articles` narrowed by `filters`; "annotated by me" means by `user`, and the
    annotation filters see only the annotations `user` may see (blind coding)."""
    if filters.outlet:
        articles = articles.filter(outlet=filters.outlet)
    if filters.published_from:
        articles = articles.filter(published__gte=filters.published_from)
    if filters.published_to:
        articles = articles.filter(published__lte=filters.published_to)
    live = visible_annotations(user, Annotation.objects.filter(article=OuterRef("pk")))
    if filters.annotated == "yes":
        articles = articles.filter(Exists(live))
    elif filters.annotated == "no":
        articles = articles.filter(~Exists(live))
    if filters.mine:
        articles = articles.filter(Exists(live.filter(author=user)))
    if filters.label is not None:
        articles = articles.filter(Exists(live.filter(label=filters.label)))
    return filter_by_assignment(
        articles, user, assigned=filters.assigned, batch=filters.batch, status=filters.status
    )


def filter_annotations(annotations, filters, user):
    """The same filters for the annotation search: the annotation's article, label, author,
    among the annotations `user` may see."""
    annotations = visible_annotations(user, annotations)
    if filters.outlet:
        annotations = annotations.filter(article__outlet=filters.outlet)
    if filters.published_from:
        annotations = annotations.filter(article__published__gte=filters.published_from)
    if filters.published_to:
        annotations = annotations.filter(article__published__lte=filters.published_to)
    if filters.mine:
        annotations = annotations.filter(author=user)
    if filters.label is not None:
        annotations = annotations.filter(label=filters.label)
    return annotations


@dataclass
class Total:
    count: int
    exact: bool = True  # False: an estimate ("about")
    more: bool = False  # True: counting stopped at `count` ("more than")

    def describe(self, noun):
        plural = noun if self.count == 1 else noun + ("es" if noun.endswith("ch") else "s")
        if self.more:
            return f"more than {self.count:,} {plural}"
        if not self.exact:
            return f"about {round_estimate(self.count):,} {plural}"
        return f"{self.count:,} {plural}"


def round_estimate(n):
    digits = len(str(n))
    step = 10 ** max(0, digits - 2)
    return round(n / step) * step


def capped_count(queryset, cap=None):
    cap = cap or COUNT_CAP
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return Total(min(n, cap), more=n > cap)


def table_total(model):
    """All rows of `model`'s table: PostgreSQL's statistics when the table is large."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
            )
            row = cursor.fetchone()
        if row and row[0] >= EXACT_COUNT_BELOW:
            return Total(row[0], exact=False)
    # SQLite counts a whole table from its smallest index without reading rows.
    return Total(model._default_manager.order_by().count())


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    total: Total = field(default=None)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def start_index(self):
        return (self.number - 1) * PAGE_SIZE + 1


def page_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def with_annotation_counts(articles, user):
    """Set `annotation_count` on each article, counting what `user` may see: one query
    over these articles only."""
    counts = dict(
        visible_annotations(user, Annotation.objects.filter(article__in=[article.pk for article in articles]))
        .order_by()
        .values_list("article")
        .annotate(n=Count("pk"))
    )
    for article in articles:
        article.annotation_count = counts.get(article.pk, 0)
    return articles


def newest_page(articles, number, user):
    """Page `number` of `articles`, newest first: ids from the index, then 25 rows."""
    offset = (number - 1) * PAGE_SIZE
    ids = list(
        articles.order_by("-created_at", "-id").values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1]
    )
    rows = Article.objects.only(*LIST_FIELDS).in_bulk(ids[:PAGE_SIZE])
    page_rows = [rows[pk] for pk in ids[:PAGE_SIZE]]
    return Page(with_annotation_counts(page_rows, user), number, len(ids) > PAGE_SIZE)


def outlets():
    """The distinct outlets, in order, by hopping along the outlet index (one probe per outlet)."""
    table = Article._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE hop(outlet, n) AS (
                SELECT min(outlet), 1 FROM {table} WHERE outlet > ''
                UNION ALL
                SELECT (SELECT min(outlet) FROM {table} WHERE outlet > hop.outlet), n + 1
                FROM hop WHERE hop.outlet IS NOT NULL AND n < %s
            )
            SELECT outlet FROM hop WHERE outlet IS NOT NULL
            """,
            [MAX_OUTLETS],
        )
        return [row[0] for row in cursor.fetchall()]


def estimated_total(queryset, cap=None):
    """How many rows `queryset` holds, without counting a large result.

    PostgreSQL: the planner's estimate when it is large (EXPLAIN, about a millisecond),
    an exact count when small. SQLite: a count that stops at `cap`.
    """
    cap = cap or EXACT_COUNT_BELOW
    if connection.vendor == "postgresql":
        try:
            sql, params = queryset.order_by().query.sql_with_params()
        except EmptyResultSet:
            return Total(0)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate >= EXACT_COUNT_BELOW:
            return Total(estimate, exact=False)
    return capped_count(queryset, cap)
