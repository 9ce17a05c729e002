"""Admin lists that stay fast at 100,000 articles and 1,000,000 annotations.

- ArchivePaginator: the admin's face of articles/paging.py: no full count of a large list
  (an estimate on PostgreSQL, a capped count on SQLite); the pagination line says
  "about" or "more than".
- IndexedSortChangeList: a list sorts only by the columns in `sortable_by` (each read
  from an index); another column's sort, even typed into the URL, would sort the table.
- Filters never list every article or user: a typed-in filter (article number, author's
  user name) and an outlet list read by hopping along the outlet index; a category or an
  outlet is listed from the newest-first index or from its own few rows, by its size.
"""

from itertools import batched

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import F, Func, IntegerField
from django.utils.functional import cached_property

from articles.guards.values import parse_id
from articles.paging import estimated_total
from articles.search.listing import outlets

ADMIN_COUNT_CAP = 10_000
# A set of labels with at least this many annotations is listed by walking the
# newest-first index; a smaller one from the label index, sorting its few rows.
WALK_FROM = 2_000
# An outlet's articles are probed for their annotations this many at a time.
OUTLET_ARTICLES = 5_000
# An admin search lists the newest this many matches, sorted as the list is.
SEARCH_NEWEST = 1_000


class ArchivePaginator(Paginator):
    @cached_property
    def total(self):
        return estimated_total(self.object_list, cap=ADMIN_COUNT_CAP)

    @cached_property
    def count(self):
        return self.total.count

    @cached_property
    def description(self):
        opts = self.object_list.model._meta
        said = self.total.describe(str(opts.verbose_name), str(opts.verbose_name_plural))
        return f"{said} (narrow the list with a filter or a search)" if self.total.more else said


class IndexedSortChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            # The filters' values are turned into the database's here, before the page is
            # drawn: a moment outside the calendar once in UTC (created_at__gte=0001-01-01
            # 00:00:00+01:00) overflows on SQLite, and the list says so instead of a 500.
            queryset.query.sql_with_params()
        except EmptyResultSet:
            pass  # a query Django knows finds nothing (a search for no id) is not an error
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from None
        return queryset

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None  # the admin then keeps the list's own, indexed order
        return super().get_ordering_field(field_name)


def with_labels(queryset, label_ids):
    """`queryset` narrowed to annotations with one of these labels, newest first either way.

    A category holds a third of the annotations: read through the label index, SQLite
    sorts all of them (478 ms at a million), while walking the newest-first index finds a
    page within a few hundred rows. For a small set that walk could cross the whole table,
    so the labels' size decides (one capped count through the label index)."""
    from articles.models import Annotation

    rows = Annotation.all_objects.filter(label_id__in=label_ids).order_by().values("pk")[:WALK_FROM]
    if rows.count() < WALK_FROM:
        return queryset.filter(label_id__in=label_ids)
    # `+label_id` is the same value, but no index serves it: the planner walks the order's index.
    unindexed = Func(F("label_id"), template="+%(expressions)s", output_field=IntegerField())
    return queryset.alias(label_walked=unindexed).filter(label_walked__in=label_ids)


def with_outlet(queryset, outlet):
    """`queryset` narrowed to annotations on this outlet's articles, newest first either way.

    Joined to each row's article, an outlet is found by walking the newest-first index,
    which is quick where the outlet's annotations are many and crosses the whole table
    where they are few or none (389 ms at a million on PostgreSQL, 1.2 s at three million
    for an outlet of 6,000 articles). So the outlet's articles are read first (the outlet
    index) and probed for their annotations (the article index), OUTLET_ARTICLES at a time,
    until WALK_FROM are found: then the outlet is dense enough to walk; otherwise its few
    annotations are listed by their keys. The work grows with the outlet, not the archive.
    The ids travel as lists because PostgreSQL's planner, given the join or a subquery and
    a LIMIT, scans every article."""
    from articles.models import Annotation, Article

    articles = Article.objects.filter(outlet=outlet).order_by().values_list("pk", flat=True)
    found = []
    for chunk in batched(articles.iterator(chunk_size=OUTLET_ARTICLES), OUTLET_ARTICLES):
        found += (
            Annotation.all_objects.filter(article_id__in=chunk)
            .order_by()
            .values_list("pk", flat=True)[: WALK_FROM - len(found)]
        )
        if len(found) >= WALK_FROM:
            return queryset.filter(article__outlet=outlet)
    return queryset.filter(pk__in=found)


class InputFilter(admin.SimpleListFilter):
    """A filter typed into a box, for sets too large to list (articles, users)."""

    template = "admin/articles/input_filter.html"
    placeholder = ""

    def lookups(self, request, model_admin):
        return []

    def has_output(self):
        return True

    def choices(self, changelist):
        # The other filters of the list travel along as hidden fields.
        kept = []
        for name, values in changelist.params.items():
            if name in (self.parameter_name, "p", "e"):
                continue
            for value in values if isinstance(values, list) else [values]:
                kept.append((name, value))
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
            "kept": kept,
            "placeholder": self.placeholder,
        }


class ArticleNumberFilter(InputFilter):
    title = "article number"
    parameter_name = "article"
    placeholder = "e.g. 1234"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if (article_id := parse_id(value)) is None:
            raise IncorrectLookupParameters(f"“{value[:40]}” is not an article number.")
        return queryset.filter(article_id=article_id)


class AuthorFilter(InputFilter):
    title = "author (user name)"
    parameter_name = "author"
    placeholder = "user name"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(author__username=value) if value else queryset


def outlet_filter(field_path, narrow=None):
    """A filter by outlet on `field_path`; `narrow(queryset, outlet)`, when given, applies it."""

    class OutletFilter(admin.SimpleListFilter):
        title = "outlet"
        parameter_name = field_path

        def lookups(self, request, model_admin):
            return [(outlet, outlet) for outlet in outlets()]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            return narrow(queryset, self.value()) if narrow else queryset.filter(**{field_path: self.value()})

    return OutletFilter
