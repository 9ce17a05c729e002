# ruff: noqa: S608 (table and column names from the models; values are parameters)
"""History rows written in SQL: one INSERT … SELECT copies the rows as they are now.

simple-history's post_save handler builds a historical instance per saved row and saves
it through the ORM, which is most of the Python cost of a create request and of a bulk
import. These rows are the same ones it would write (same columns, type, user, date);
the paths that call this skip its handler (`skip_history_when_saving`) or bulk insert.
"""

from functools import cache

from django.db import connections
from django.utils import timezone

HISTORY_FIELDS = frozenset(
    {
        "history_id",
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user",
        "history_relation",
    }
)
# Ids per statement: far below SQLite's and PostgreSQL's limits on parameters.
CHUNK = 500


@cache
def insert_sql(model, join, where):
    """INSERT … SELECT into `model`'s history table of the rows of `model` (as `row`, with
    the `join`ed tables) that `where` picks. Parameters: date, type, user id, change reason,
    then those of `join` and `where`."""
    quote = connections["default"].ops.quote_name
    history = model.history.model
    tracked = [field for field in history._meta.concrete_fields if field.name not in HISTORY_FIELDS]
    targets = [quote(field.column) for field in tracked] + [
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_type", "history_user", "history_change_reason")
    ]
    sources = [f"row.{quote(model._meta.get_field(field.name).column)}" for field in tracked]
    return (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(sources)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} row "
        f"{join} WHERE {where}"
    )


def record_history(model, ids, *, history_type, user_id=None, change_reason=None, date=None, using="default"):
    """One history row of `model` per id in `ids` ("+" created, "~" changed, "-" deleted)."""
    ids = list(ids)
    quote = connections[using].ops.quote_name
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        where = f"row.{quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})"
        record_history_where(
            model,
            where=where,
            params=chunk,
            history_type=history_type,
            user_id=user_id,
            change_reason=change_reason,
            date=date,
            using=using,
        )


def record_history_where(
    model,
    *,
    where,
    params,
    join="",
    history_type,
    user_id=None,
    change_reason=None,
    date=None,
    using="default",
):
    """One history row of `model` per row that `where` (SQL over `row` and `join`) picks:
    for a set too large to list by id, such as a 50,000-row import staged in a table."""
    connection = connections[using]
    when = connection.ops.adapt_datetimefield_value(date or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(insert_sql(model, join, where), [when, history_type, user_id, change_reason, *params])
