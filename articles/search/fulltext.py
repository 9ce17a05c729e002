"""Full-text search over articles (title and text) and annotations (quote and note).

One contract on both databases:

    results = search("“coalition partner” coali* -drone", scope="articles", within=queryset)
    results.hits     -> [Hit(pk, rank, snippet)], best first; snippet is safe HTML, terms in <mark>
    results.total    -> matches counted, at most MAX_COUNTED (results.more says there were more)
    matches(queryset, text, scope)  -> the queryset narrowed to matches (unranked), for exports

The query language, the same on both: words (all must occur, stemmed), "a phrase",
a prefix* and -exclusion (of a word, a prefix or a "phrase"). PostgreSQL answers from
a stored tsvector with a GIN index (ts_rank, ts_headline); SQLite from FTS5 (bm25,
snippet()). See articles/search/schema.py for the columns, tables and triggers.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Annotation, Article
from articles.search.schema import INDEXED, search_config

SCOPES = {"articles": "articles_article", "annotations": "articles_annotation"}
SCOPE_MODELS = {"articles": Article, "annotations": Annotation}
MAX_TERMS = 16
MAX_QUERY_CHARS = 500
# Matches are counted up to this many; beyond it the page says "more than 1,000".
MAX_COUNTED = 1000
# Relevance ranking reads every ranked match's index entry, so a word found in half the
# archive is ranked among its newest RANKED matches only (docs/scaling.md).
RANKED = 2000
# Title matches weigh more than body matches (quote more than note).
SQLITE_WEIGHTS = (10.0, 1.0)
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # private-use characters, swapped for <mark> after escaping
SNIPPET_WORDS = 30

TOKEN_RE = re.compile(r'(-?)"([^"]*)"?(\*?)|(-?)([^\s"]+)')
WORD_RE = re.compile(r"[^\W_]+")


class SearchQueryError(ValueError):
    """A query that cannot be searched for (nothing to look for, too long)."""


@dataclass(frozen=True)
class Term:
    words: tuple
    prefix: bool = False
    exclude: bool = False


@dataclass(frozen=True)
class Hit:
    pk: int
    rank: float
    snippet: str


@dataclass(frozen=True)
class Results:
    hits: list = field(default_factory=list)
    total: int = 0
    more: bool = False


def parse(text):
    """The terms of a query as a user typed it; SearchQueryError if it looks for nothing."""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(f"The search is too long: keep it under {MAX_QUERY_CHARS} characters.")
    terms = []
    for match in TOKEN_RE.finditer(text):
        if match.group(2) is not None:  # "a phrase", maybe -"excluded" or "prefixed"*
            exclude, chunk, prefix = match.group(1) == "-", match.group(2), match.group(3) == "*"
        else:
            exclude, chunk = match.group(4) == "-", match.group(5)
            prefix = chunk.endswith("*")
        words = tuple(word.lower() for word in WORD_RE.findall(chunk))
        if words:
            terms.append(Term(words, prefix=prefix, exclude=exclude))
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(f"Use at most {MAX_TERMS} words or phrases.")
    if terms and all(term.exclude for term in terms):
        raise SearchQueryError("Add a word to look for: a search of exclusions (-word) alone finds nothing.")
    return terms


def fts5_query(terms):
    """An FTS5 MATCH expression; every word is quoted, so nothing the user types is syntax."""

    def phrase(term):
        return '"' + " ".join(term.words) + '"' + (" *" if term.prefix else "")

    wanted = " AND ".join(phrase(term) for term in terms if not term.exclude)
    excluded = "".join(f" NOT {phrase(term)}" for term in terms if term.exclude)
    return wanted + excluded


def tsquery(terms):
    """A to_tsquery() expression; words are quoted lexemes, phrases `<->`, prefixes `:*`."""

    def phrase(term):
        lexemes = [f"'{word}'" for word in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        joined = " <-> ".join(lexemes)
        return f"!({joined})" if term.exclude else f"({joined})"

    return " & ".join(phrase(term) for term in terms)


def marked(text):
    """Escape `text`, turning the database's highlight marks into <mark> elements."""
    parts = re.split(f"{MARK_OPEN}(.*?){MARK_CLOSE}", text or "", flags=re.DOTALL)
    html = []
    for i, part in enumerate(parts):
        part = escape(part.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))
        html.append(f"<mark>{part}</mark>" if i % 2 else part)
    return mark_safe("".join(html).replace("\n\n", " ¶ "))  # noqa: S308 - every part is escaped


def _within(queryset):
    """SQL for the pks of `queryset`; None when it can hold nothing."""
    if queryset is None:
        return "", []
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "", []
    return sql, list(params)


def _table(scope):
    try:
        return SCOPES[scope]
    except KeyError:
        raise SearchQueryError(f"Search “articles” or “annotations”, not “{scope}”.") from None


def matching_pks(text, scope="articles", newest=None):
    """SQL for the pks matching `text`, to filter a queryset with (pk__in=…); only the
    `newest` (highest pks) of them when given, so a sorted list of a common word's
    matches stays a bounded sort."""
    terms = parse(text)
    table = _table(scope)
    fts_table, _ = INDEXED[table]
    limit = f" ORDER BY 1 DESC LIMIT {int(newest)}" if newest else ""
    if not terms:
        return RawSQL(f"SELECT id FROM {table}{limit}", [])
    if connection.vendor == "postgresql":
        return RawSQL(
            f"SELECT id FROM {table} WHERE search_vector @@ to_tsquery(%s::regconfig, %s){limit}",
            [search_config(), tsquery(terms)],
        )
    return RawSQL(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s{limit}", [fts5_query(terms)])


def matches(queryset, text, scope="articles", newest=None):
    """`queryset` narrowed to what `text` finds, unranked (exports, admin search)."""
    if not text.strip():
        return queryset
    return queryset.filter(pk__in=matching_pks(text, scope, newest))


def search(text, scope="articles", within=None, offset=0, limit=25):
    """The best matches for `text`, `limit` of them from `offset`, with highlighted passages."""
    terms = parse(text)
    table = _table(scope)
    if not terms:
        return Results()
    if connection.vendor == "postgresql":
        within_sql = _within(within)
        if within_sql is None:
            return Results()
        return _search_postgres(table, tsquery(terms), *within_sql, offset, limit)
    if within is None:
        within = SCOPE_MODELS[scope]._base_manager.all()
    return _search_sqlite(table, fts5_query(terms), within, offset, limit)


def _count(cursor, sql, params):
    cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {MAX_COUNTED + 1}) AS counted", params)
    total = cursor.fetchone()[0]
    return min(total, MAX_COUNTED), total > MAX_COUNTED


def _search_sqlite(table, query, within, offset, limit):
    fts_table, columns = INDEXED[table]
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    # The newest matches the restriction allows, through the table's own indexes; handed
    # `rowid IN (…)` instead, FTS5 would run the MATCH once per allowed row.
    matched = RawSQL(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s", [query])
    newest = list(
        within.filter(pk__in=matched)
        .order_by("-pk")
        .values_list("pk", flat=True)[: max(MAX_COUNTED, RANKED) + 1]
    )
    total, more = min(len(newest), MAX_COUNTED), len(newest) > MAX_COUNTED
    allowed = set(newest[:RANKED])
    oldest = newest[RANKED - 1] if len(newest) > RANKED else 0
    if not allowed:
        return Results()
    with connection.cursor() as cursor:
        # Ranking (bm25) reads each match's index entries: only the newest RANKED are ranked.
        cursor.execute(
            f"SELECT rowid, bm25({fts_table}, {weights}) FROM {fts_table} "
            f"WHERE {fts_table} MATCH %s AND rowid >= %s",
            [query, oldest],
        )
        ranked = sorted(((rank, -pk) for pk, rank in cursor.fetchall() if pk in allowed))[
            offset : offset + limit
        ]
        ranked = [(-negative_pk, rank) for rank, negative_pk in ranked]
        snippets = {}
        if ranked:
            # Snippets for the page only: snippet() reads and tokenizes the whole text.
            column = 1 if table == "articles_article" else -1
            marks = ", ".join(["%s"] * len(ranked))
            cursor.execute(
                f"SELECT rowid, snippet({fts_table}, {column}, %s, %s, '…', {SNIPPET_WORDS}) "
                f"FROM {fts_table} WHERE {fts_table} MATCH %s AND rowid IN ({marks})",
                [MARK_OPEN, MARK_CLOSE, query, *(pk for pk, _ in ranked)],
            )
            snippets = dict(cursor.fetchall())
    hits = [Hit(pk, -rank, marked(snippets.get(pk, ""))) for pk, rank in ranked]
    return Results(hits, total, more)


HEADLINE_OPTIONS = (
    f'StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}", MaxWords={SNIPPET_WORDS}, MinWords=12, '
    'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
)


def _search_postgres(table, query, within_sql, within_params, offset, limit):
    source = f"{table}, to_tsquery(%s::regconfig, %s) AS query"
    where = "search_vector @@ query" + (f" AND id IN ({within_sql})" if within_sql else "")
    params = [search_config(), query, *within_params]
    headline_of = "body" if table == "articles_article" else "concat_ws(' — ', quote, nullif(note, ''))"
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH candidates AS MATERIALIZED (SELECT id, ts_rank(search_vector, query) AS rank "
            f"FROM {source} WHERE {where} ORDER BY id DESC LIMIT {RANKED}) "
            "SELECT id, rank FROM candidates ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        ranked = cursor.fetchall()
        total, more = _count(cursor, f"SELECT 1 FROM {source} WHERE {where}", params)
        snippets = {}
        if ranked:
            cursor.execute(
                f"SELECT id, ts_headline(%s::regconfig, {headline_of}, query, %s) "
                f"FROM {table}, to_tsquery(%s::regconfig, %s) AS query WHERE id = ANY(%s)",
                [search_config(), HEADLINE_OPTIONS, search_config(), query, [pk for pk, _ in ranked]],
            )
            snippets = dict(cursor.fetchall())
    hits = [Hit(pk, rank, marked(snippets.get(pk, ""))) for pk, rank in ranked]
    return Results(hits, total, more)
