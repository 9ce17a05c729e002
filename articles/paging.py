"""Pages and totals that never count a whole large table (docs/scaling.md).

One way to do each thing, for every list of the app:

- `peek_page(rows, number, per_page)`: page `number` of a sliceable list, read with one
  row more than a page, which tells whether there is a next page. No COUNT(*).
- `Total`: how many rows a list holds, said honestly: exact, "about" (an estimate) or
  "more than" (counting stopped at a cap). Made by `capped_count`, `table_total` and
  `estimated_total`.
- The admin's changelists need a Django Paginator (they show page numbers):
  articles/admin/scale.py's ArchivePaginator gives its `count` from `estimated_total`.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection

PAGE_SIZE = 25
MAX_PAGE = 100_000
# Filtered lists are counted up to this many rows ("more than 1,000 articles").
COUNT_CAP = 1000
# Beyond this many rows PostgreSQL's planner estimate stands in for an exact count.
EXACT_COUNT_BELOW = 10_000


@dataclass
class Total:
    count: int
    exact: bool = True  # False: an estimate ("about")
    more: bool = False  # True: counting stopped at `count` ("more than")

    def describe(self, noun, plural=None):
        if plural is None:
            plural = noun + ("es" if noun.endswith("ch") else "s")
        name = noun if self.count == 1 else plural
        if self.more:
            return f"more than {self.count:,} {name}"
        if not self.exact:
            return f"about {round_estimate(self.count):,} {name}"
        return f"{self.count:,} {name}"


def round_estimate(n):
    digits = len(str(n))
    step = 10 ** max(0, digits - 2)
    return round(n / step) * step


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    total: Total = field(default=None)
    per_page: int = PAGE_SIZE

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
        return (self.number - 1) * self.per_page + 1


def page_number(value):
    """The page a query string asks for: 1 for anything that is not a page number."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def peek_page(rows, number, per_page=PAGE_SIZE):
    """Page `number` of `rows` (a queryset or a list), one row more read to know of a next."""
    offset = (number - 1) * per_page
    found = list(rows[offset : offset + per_page + 1])
    return Page(found[:per_page], number, len(found) > per_page, per_page=per_page)


def capped_count(queryset, cap=None, *, ordered=False):
    """Count `queryset` up to `cap`. `ordered` counts in the queryset's own order: the
    order its pages are read in, so the count walks the index the page walked and stops
    after `cap` rows. Unordered, PostgreSQL may pick a plan its estimates favour that
    reads far more (a merge join that walks every row before the first match)."""
    cap = cap or COUNT_CAP
    rows = queryset if ordered else queryset.order_by()
    n = rows.values("pk")[: cap + 1].count()
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
