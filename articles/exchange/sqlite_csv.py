"""The CSV export on SQLite, with each line written by the query itself.

Same bytes as writers.csv_chunks(export_rows(...)) (a test compares the two on awkward
data): the same columns, spreadsheet escaping, RFC 4180 quoting and CRLF line ends. Why:
on SQLite, Python's csv writer (about 14 ns per character written) and handing 34 values
per row from SQLite to Python took two thirds of the export's time; SQLite's printf()
builds the line from the columns where they already are, and Python gets two strings
(and the article id) per row. Only the UTF-16 offsets of articles with characters outside the Basic
Multilingual Plane are still set in Python (see _Utf16Offsets).
"""

import csv
import io
from contextlib import closing
from itertools import chain
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F, Func, TextField

from articles.exchange.writers import CSV_COLUMNS, UTF8_BOM, needs_escape
from articles.models import Label

# A cell a spreadsheet could read as a formula (writers.FORMULA_STARTS), as a GLOB
# character class: '-' first, so it is itself and not a range.
_FORMULA_CLASS = "[-=+@\t\r]"
# A cell the csv module quotes (QUOTE_MINIMAL with "\r\n" line ends).
_NEEDS_QUOTES = "'*[,\"\n\r]*'"


def _escaped(x):
    """writers.escape_cell in SQL."""
    return (
        f"CASE WHEN {x} GLOB '{_FORMULA_CLASS}*' OR ({x} GLOB '''*' AND ltrim({x}, '''') "
        f"GLOB '{_FORMULA_CLASS}*') THEN '''' || {x} ELSE {x} END"
    )


def _quoted(x):
    """x as the csv module writes it: in double quotes, its quotes doubled, when it holds
    a comma, a quote or a line break."""
    return f"""CASE WHEN {x} GLOB {_NEEDS_QUOTES} THEN '"' || replace({x}, '"', '""') || '"' ELSE {x} END"""


def _text_cell(x, escape):
    if not escape:
        return _quoted(x)
    # Nearly every cell starts with a letter and holds no comma or quote: two GLOBs, and
    # the full treatment only for the others.
    common = f"{x} GLOB '[-=+@\t\r'']*' OR {x} GLOB {_NEEDS_QUOTES}"
    full = (
        f"CASE WHEN {x} GLOB {_NEEDS_QUOTES} THEN '\"' || replace({_escaped(x)}, '\"', '\"\"') || '\"' "
        f"ELSE {_escaped(x)} END"
    )
    return f"CASE WHEN {common} THEN {full} ELSE {x} END"


# Live links of the row's claim, in the sources' text order (as attribution_rows.LinksOfClaim).
_LINKS_FROM = (
    "FROM articles_attribution t JOIN articles_annotation s ON s.id = t.source_id "
    'WHERE t.claim_id = "articles_annotation"."id" AND s.deleted_at IS NULL'
)
_LINKS_ORDER = 's.start, s."end", s.id'
_HAS_LINKS = f"EXISTS (SELECT 1 {_LINKS_FROM})"  # noqa: S608 (constant SQL)


def _joined_links(field):
    # group_concat follows its input's order (no ORDER BY inside it before SQLite 3.44).
    return f"(SELECT group_concat(x, ';') FROM (SELECT {field} AS x {_LINKS_FROM} ORDER BY {_LINKS_ORDER}))"  # noqa: S608


# SQLite stores a UUID as 32 hex digits and a time as naive UTC text, "YYYY-MM-DD
# HH:MM:SS" with ".ffffff" unless the microseconds are 0: both become their export text.
# Func templates (export_rows uses them too).
SQLITE_UUID = (
    "lower(substr(%(expressions)s, 1, 8) || '-' || substr(%(expressions)s, 9, 4) || '-' || "
    "substr(%(expressions)s, 13, 4) || '-' || substr(%(expressions)s, 17, 4) || '-' || "
    "substr(%(expressions)s, 21))"
)
SQLITE_ISO = "replace(substr(%(expressions)s || '.000000', 1, 26), ' ', 'T') || 'Z'"

# (lookup, how its cell is written), in CSV order. "plain": a number, a UUID or a time,
# which never needs quotes; "choice": quoted when needed, never escaped (as writers'
# _spreadsheet_safe, which escapes only its _TEXT_COLUMNS); "text": escaped and quoted.
# Lookups in capitals are written here as SQL over the other columns.
HEAD_CELLS = (
    ("uuid", "uuid"),
    ("article_id", "plain"),
    ("article__title", "text"),
    ("article__url", "text"),
    ("article__outlet", "text"),
    ("label__category__name", "text"),
    ("label__name", "text"),
    ("start", "plain"),
    ("end", "plain"),
    ("quote", "text"),
    ("prefix", "text"),
    ("suffix", "text"),
    ("note", "text"),
    ("author__username", "text"),
    ("created_at", "time"),
    ("updated_at", "time"),
    ("start", "plain"),  # start_utf16: set in Python where it differs
    ("end", "plain"),  # end_utf16
)
TAIL_CELLS = (
    ("status", "text"),
    ("reviewed_by__username", "text"),
    ("reviewed_at", "time"),
    ("label__category__kind", "choice"),
    ("LINKS", "cells"),  # attributed_to, attribution_cue, attribution_form
    ("ENTITY", "cells"),  # source_entity_id, source_entity_name, source_type
    ("TONE", "cells"),  # anonymity, tone_intensity, tone_score, tone_target
    ("CODER", "text"),
    ("GOLD", "plain"),
)
assert len(HEAD_CELLS) + len(TAIL_CELLS) + 7 == len(CSV_COLUMNS)


class _CsvCells(Func):
    """Some of a row's cells as CSV text, joined by commas, between `start` and `end`; the
    lookups in `plain` (every value known to be written unchanged) go in without checks."""

    output_field = TextField()

    def __init__(self, cells, *, escape, start="", end="", plain=frozenset()):
        self.cells, self.escape, self.start, self.end = cells, escape, start, end
        self.plain = plain
        lookups = []
        for lookup, _ in cells:
            if lookup.isupper():
                continue
            if lookup not in lookups:
                lookups.append(lookup)
        # The columns the computed cells are made of.
        for lookup in (
            "id",
            "own_voice",
            "source_entity_id",
            "tone_target_entity_id",
            "source_entity__name",
            "tone_target_entity__name",
            "source_entity__source_type",
            "tone_target_entity__source_type",
            "anonymity",
            "tone_intensity",
            "label__polarity",
            "tone_target_text",
            "gold__coders",
            "gold__id",
            "author__username",
        ):
            if lookup not in lookups:
                lookups.append(lookup)
        self.lookups = lookups
        super().__init__(*(F(lookup) for lookup in lookups))

    def as_sql(self, compiler, connection, **extra_context):
        columns = {}
        for lookup, expression in zip(self.lookups, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            columns[lookup] = sql
            # Plain columns: a parameter here would go out of step with the cells' SQL.
            assert not expression_params, lookup
        escape = self.escape

        def text(x):
            return _text_cell(x, escape)

        source_id, target_id = columns["source_entity_id"], columns["tone_target_entity_id"]
        entity_name = f"coalesce({columns['source_entity__name']}, {columns['tone_target_entity__name']})"
        entity_type = (
            f"coalesce({columns['source_entity__source_type']}, {columns['tone_target_entity__source_type']})"
        )
        tone_target = (
            f"coalesce({columns['tone_target_entity__name']}, nullif({columns['tone_target_text']}, ''))"
        )
        link_uuids = _joined_links(SQLITE_UUID % {"expressions": "s.uuid"})
        computed = {
            # One probe for the three cells; the links' columns only for a claim that has links.
            "LINKS": (
                f"CASE WHEN {_HAS_LINKS} THEN {link_uuids} || ',' || "
                f"{text(_joined_links('t.cue'))} || ',' || {_quoted(_joined_links('t.form'))} "
                f"WHEN {columns['own_voice']} THEN ',,own_voice' ELSE ',,' END"
            ),
            # A source's entity, or a tone's target entity; most rows have neither.
            "ENTITY": (
                f"CASE WHEN {source_id} IS NULL AND {target_id} IS NULL THEN ',,' ELSE "
                f"coalesce({source_id}, {target_id}) || ',' || "
                f"{text(entity_name)}"
                " || ',' || "
                f"{_quoted(entity_type)}"
                " END"
            ),
            # Empty on every row that is neither anonymous nor a tone (the ELSE is the
            # general case, so a NULL where '' is expected only takes the longer way).
            "TONE": (
                f"CASE WHEN {columns['anonymity']} = '' AND {columns['tone_intensity']} IS NULL "
                f"AND {target_id} IS NULL AND {columns['tone_target_text']} = '' THEN ',,,' ELSE "
                f"coalesce({_quoted(f"nullif({columns['anonymity']}, '')")}, '') || ',' || "
                f"coalesce({columns['tone_intensity']}, '') || ',' || "
                f"coalesce({columns['label__polarity']} * {columns['tone_intensity']}, '') || ',' || "
                f"coalesce({text(tone_target)}, '')"
                " END"
            ),
            "CODER": f"coalesce({columns['gold__coders']}, {columns['author__username']})",
            "GOLD": f"CASE WHEN {columns['gold__id']} IS NOT NULL THEN 'true' ELSE 'false' END",
        }
        cells = []
        for lookup, kind in self.cells:
            value = computed[lookup] if lookup.isupper() else columns[lookup]
            if lookup in self.plain or kind in ("plain", "cells"):
                cells.append(value)
            elif kind == "uuid":
                cells.append(SQLITE_UUID % {"expressions": value})
            elif kind == "time":
                cells.append(SQLITE_ISO % {"expressions": value})
            elif kind == "text":
                cells.append(text(value))
            else:  # "choice"
                cells.append(_quoted(value))
        # printf's %s writes NULL as nothing, as the csv module writes None.
        line_format = self.start + ",".join(["%s"] * len(cells)) + self.end
        return f"printf(%s, {', '.join(cells)})", (line_format,)


def _written_as_is(value, escape):
    """True when the csv module (and, with `escape`, escape_cell) writes the value unchanged."""
    if escape and needs_escape(value):
        return False
    return not any(character in value for character in ',"\r\n')


def _plain_lookups(escape):
    """Lookups into the small tables (labels, categories, users) whose every value is written
    as it is: the query then reads them without the per-row checks."""
    plain = set()
    codebook = Label.objects.values_list("name", "category__name", "category__kind")
    if all(_written_as_is(value, escape) for row in codebook for value in row):
        plain.update(("label__name", "label__category__name", "label__category__kind"))
    usernames = get_user_model().objects.values_list("username", flat=True)
    if all(_written_as_is(name, escape) for name in usernames.iterator(chunk_size=2000)):
        plain.update(("author__username", "reviewed_by__username"))
    return frozenset(plain)


def csv_chunks(annotations, *, escape=True, bom=False, rows_per_chunk=500):
    """writers.csv_chunks(export_rows(annotations), escape=..., bom=...), on SQLite."""
    buffer = io.StringIO()
    if bom:
        buffer.write(UTF8_BOM)
    csv.writer(buffer, lineterminator="\r\n").writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    # One read transaction: the labels and users checked by _plain_lookups are the ones the
    # export reads (a label renamed to "=cmd" in between cannot slip through unescaped).
    with transaction.atomic(using=annotations.db):
        yield from _lines(annotations, escape, rows_per_chunk)


def _lines(annotations, escape, rows_per_chunk):
    from articles.exchange.export_rows import _article_bodies, _Utf16Offsets

    plain = _plain_lookups(escape)
    # head: the cells up to end_utf16; tail: the rest, with a comma before and CRLF after.
    rows = annotations.in_text_order().values_list(
        "article_id",
        _CsvCells(HEAD_CELLS, escape=escape, plain=plain),
        _CsvCells(TAIL_CELLS, escape=escape, start=",", end="\r\n", plain=plain),
    )
    try:
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:
        return
    utf16 = _Utf16Offsets(_article_bodies(annotations))
    article_ids = itemgetter(0)
    lines = itemgetter(1, 2)
    with closing(connection.cursor()) as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(rows_per_chunk):
            astral = {}
            for article_id in sorted(set(map(article_ids, chunk))):
                utf16.for_article(article_id)
                if not utf16.same_as_codepoints:
                    astral[article_id] = utf16.index
            if not astral:
                yield "".join(chain.from_iterable(map(lines, chunk)))
                continue
            parts = []
            for article_id, head, tail in chunk:
                index = astral.get(article_id)
                if index is not None:
                    # The head ends in the code point offsets again, which are plain numbers.
                    before, start, end = head.rsplit(",", 2)
                    head = f"{before},{index(int(start))},{index(int(end))}"
                parts.append(head)
                parts.append(tail)
            yield "".join(parts)
