"""Model instances from hand-written SELECTs, for the few rows every request reads.

raw() converts each column as the ORM does, but on every call it works out again the
field order, the converters and what the model needs to be built: about 0.1 ms each time,
three times in an annotation create (the session's user, the article, the label), a tenth
of the request (the create path's profile, docs/scaling.md). Here that work is done once
per connection, and a row becomes an instance with the same conversions `from_db` gets
from a queryset.
"""

from functools import cache


@cache
def model_fields(model, exclude=()):
    """The concrete fields of `model` that a SELECT of it reads, in order."""
    return tuple(field for field in model._meta.concrete_fields if field.name not in exclude)


@cache
def attnames(model, exclude=()):
    return [field.attname for field in model_fields(model, exclude)]


def select_list(model, connection, table_alias, exclude=()):
    """`alias."column", …` for model_fields(model, exclude); several models' lists can
    share a row, each read back from its slice of it."""
    quote = connection.ops.quote_name
    return ", ".join(f"{table_alias}.{quote(field.column)}" for field in model_fields(model, exclude))


def _converters(connection, model, exclude):
    """(position, converter functions, column expression) of each field whose database
    value needs converting on this connection; kept on the connection (one per thread)
    because the backend's converters are bound to it."""
    cache = connection.__dict__.setdefault("_annotator_row_converters", {})
    key = (model, exclude)
    if key not in cache:
        found = []
        for position, field in enumerate(model_fields(model, exclude)):
            column = field.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if functions:
                found.append((position, functions, column))
        cache[key] = found
    return cache[key]


def instance_from_row(model, values, connection, exclude=()):
    """An instance of `model` from `values`, the columns of select_list(model, …, exclude)
    in order, converted as a queryset would."""
    values = list(values)
    for position, functions, column in _converters(connection, model, exclude):
        value = values[position]
        for function in functions:
            value = function(value, column, connection)
        values[position] = value
    return model.from_db(connection.alias, attnames(model, exclude), values)


def fetch_instance(model, connection, sql, params, exclude=()):
    """The one instance `sql` selects (its columns select_list(model, …, exclude)), or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else instance_from_row(model, row, connection, exclude)
