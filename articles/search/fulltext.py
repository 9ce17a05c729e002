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

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Annotation, Article
from articles.search.schema import INDEXED, LARGE_VECTORS, search_config

SCOPES = {"articles": "articles_article", "annotations": "articles_annotation"}
SCOPE_MODELS = {"articles": Article, "annotations": Annotation}
MAX_TERMS = 16
MAX_QUERY_CHARS = 500
# Matches are counted up to this many; beyond it the page says "more than 500".
MAX_COUNTED = 500
# Relevance ranking reads every ranked match's index entry, so a word found in half the
# archive is ranked among its newest RANKED matches only (docs/scaling.md).
RANKED = 500
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
    if not terms and text.strip():
        # Not the same as no search: the list would find nothing, and the export or a coding
        # batch built on it would take every article.
        raise SearchQueryError("The search has no word to look for: use letters or digits.")
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


def index_tsquery(terms):
    """What a GIN index answers without reading the rows: the wanted words (a phrase's
    words in any order) and prefixes; None when the query has no phrase. Word positions
    are not in the index: a phrase is checked against each row's stored vector."""
    if all(len(term.words) == 1 for term in terms):
        return None
    wanted = []
    for term in terms:
        if term.exclude:
            continue
        lexemes = [f"'{word}'" for word in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        wanted += lexemes
    return " & ".join(wanted)


def marked(text):
    """Escape `text`, turning the database's highlight marks into <mark> elements."""
    parts = re.split(f"{MARK_OPEN}(.*?){MARK_CLOSE}", text or "", flags=re.DOTALL)
    html = []
    for i, part in enumerate(parts):
        part = escape(part.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))
        html.append(f"<mark>{part}</mark>" if i % 2 else part)
    return mark_safe("".join(html).replace("\n\n", " ¶ "))  # noqa: S308 - every part is escaped


def _table(scope):
    try:
        return SCOPES[scope]
    except KeyError:
        raise SearchQueryError(f"Search “articles” or “annotations”, not “{scope}”.") from None


def _match_condition(terms, table):
    """A boolean SQL condition on `table`'s rows for the query, with its parameters."""
    if connection.vendor == "postgresql":
        return f"{table}.search_vector @@ to_tsquery(%s::regconfig, %s)", [search_config(), tsquery(terms)]
    fts_table, _ = INDEXED[table]
    return f"{table}.id IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s)", [fts5_query(terms)]


def matching_pks(text, scope="articles", newest=None):
    """SQL for the pks matching `text`, to filter a queryset with (pk__in=…); only the
    `newest` (highest pks) of them when given, so a sorted list of a common word's
    matches stays a bounded sort."""
    terms = parse(text)
    table = _table(scope)
    limit = f" ORDER BY id DESC LIMIT {int(newest)}" if newest else ""
    if not terms:
        return RawSQL(f"SELECT id FROM {table}{limit}", [])
    coarse = _coarse_tsquery(terms, table)
    if newest and coarse:
        # As in search(): the phrase is checked on the newest rows with its words only.
        candidates = (
            f"SELECT id AS pk, search_vector AS fts_vector FROM {table} "
            "WHERE search_vector @@ to_tsquery(%s::regconfig, %s) ORDER BY id DESC"
        )
        return RawSQL(*_phrase_checked(candidates, [search_config(), coarse], terms, int(newest)))
    condition, params = _match_condition(terms, table)
    return RawSQL(f"SELECT id FROM {table} WHERE {condition}{limit}", params)


def _phrase_checked(candidates, params, terms, limit):
    """SQL and parameters for the pks of the newest `limit` of `candidates` (a query of the
    rows with a phrase's words, newest first, as columns pk and fts_vector) that hold the
    whole query: the phrase is checked on those rows only, until `limit` are found."""
    # OFFSET 0 keeps the planner from folding the exact check into the index scan.
    return (
        f"SELECT candidate.pk FROM ({candidates} OFFSET 0) AS candidate "
        "WHERE candidate.fts_vector @@ to_tsquery(%s::regconfig, %s) ORDER BY candidate.pk DESC LIMIT %s",
        [*params, search_config(), tsquery(terms), limit],
    )


def _coarse_tsquery(terms, table):
    """index_tsquery() where checking a phrase row by row is what costs: PostgreSQL, whole texts."""
    if connection.vendor != "postgresql" or table not in LARGE_VECTORS:
        return None
    return index_tsquery(terms)


def matches(queryset, text, scope="articles", newest=None):
    """`queryset` narrowed to what `text` finds, unranked (exports, admin search)."""
    if not text.strip():
        return queryset
    return queryset.filter(pk__in=matching_pks(text, scope, newest))


def search(text, scope="articles", within=None, offset=0, limit=25):
    """The best matches for `text`, `limit` of them from `offset`, with highlighted passages.

    First the newest RANKED matches that `within` allows, through the table's own
    indexes (one query, which also gives the count); then only those are ranked, as
    ranking reads every ranked match's index entries; then snippets for the page.
    """
    terms = parse(text)
    table = _table(scope)
    if not terms:
        return Results()
    if within is None:
        within = SCOPE_MODELS[scope]._base_manager.all()
    newest = _newest_matches(terms, table, within, max(MAX_COUNTED, RANKED) + 1)
    total, more = min(len(newest), MAX_COUNTED), len(newest) > MAX_COUNTED
    candidates = newest[:RANKED]
    if not candidates or offset >= len(candidates):
        return Results([], total, more)
    rank = _rank_postgres if connection.vendor == "postgresql" else _rank_sqlite
    hits = rank(table, terms, candidates, offset, limit)
    return Results(hits, total, more)


def _newest_matches(terms, table, within, limit):
    """The pks of the newest `limit` rows of `within` that match, newest first."""
    coarse = _coarse_tsquery(terms, table)
    if coarse is None:
        condition, params = _match_condition(terms, table)
        return list(
            within.filter(RawSQL(condition, params, output_field=BooleanField()))
            .order_by(*_newest_first(table))
            .values_list("pk", flat=True)[:limit]
        )
    # A phrase in a whole text: the index narrows to rows with the words, newest first,
    # and the phrase is checked on those rows only until `limit` are found, rather than
    # on every row that has the words (each check decompresses the text's vector).
    config = search_config()
    sql, params = (
        within.filter(
            RawSQL(
                f"{table}.search_vector @@ to_tsquery(%s::regconfig, %s)",
                [config, coarse],
                output_field=BooleanField(),
            )
        )
        .annotate(fts_vector=RawSQL(f"{table}.search_vector", []))
        .order_by("-pk")
        .values_list("pk", "fts_vector")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(*_phrase_checked(sql, params, terms, limit))
        return [row[0] for row in cursor.fetchall()]


def _newest_first(table):
    """The order "newest" candidates are taken in. Articles on PostgreSQL: the list's own
    order, which each article filter's index keeps. By id, a common word in one outlet at
    300,000 articles took 619 ms (every newer article's vector checked before its outlet),
    and 38 ms walking article_outlet_newest. SQLite's planner answers by rowid: in the list's
    order a common word took 119 ms against 21."""
    if connection.vendor == "postgresql" and table == Article._meta.db_table:
        return tuple(Article._meta.ordering)
    return ("-pk",)


def _rank_sqlite(table, terms, candidates, offset, limit):
    fts_table, _ = INDEXED[table]
    query = fts5_query(terms)
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    allowed = set(candidates)
    with connection.cursor() as cursor:
        # Handed `rowid IN (…)`, FTS5 runs the MATCH once per row; a rowid range is one pass.
        cursor.execute(
            f"SELECT rowid, bm25({fts_table}, {weights}) FROM {fts_table} "
            f"WHERE {fts_table} MATCH %s AND rowid >= %s",
            [query, min(candidates)],
        )
        ordered = sorted((rank, -pk) for pk, rank in cursor.fetchall() if pk in allowed)
        page = [(-negative_pk, -rank) for rank, negative_pk in ordered[offset : offset + limit]]
        if not page:
            return []
        # Snippets for the page only: snippet() reads and tokenizes the whole text. An
        # annotation shows its quote and its note, as on PostgreSQL.
        columns = [1] if table == "articles_article" else [0, 1]
        snippet = " || ' — ' || ".join(
            f"snippet({fts_table}, {column}, %s, %s, '…', {SNIPPET_WORDS})" for column in columns
        )
        marks = ", ".join(["%s"] * len(page))
        cursor.execute(
            f"SELECT rowid, {snippet} FROM {fts_table} WHERE {fts_table} MATCH %s AND rowid IN ({marks})",
            [*[MARK_OPEN, MARK_CLOSE] * len(columns), query, *(pk for pk, _ in page)],
        )
        snippets = {pk: text.removesuffix(" — ") for pk, text in cursor.fetchall()}
    return [Hit(pk, rank, marked(snippets.get(pk, ""))) for pk, rank in page]


HEADLINE_OPTIONS = (
    f'StartSel="{MARK_OPEN}", StopSel="{MARK_CLOSE}", MaxWords={SNIPPET_WORDS}, MinWords=12, '
    'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
)


def _rank_postgres(table, terms, candidates, offset, limit):
    config = search_config()
    headline_of = "body" if table == "articles_article" else "concat_ws(' — ', quote, nullif(note, ''))"
    with connection.cursor() as cursor:
        # Ranked and highlighted in one query: ts_headline runs for the page's rows only.
        cursor.execute(
            f"WITH ranked AS (SELECT id, ts_rank(search_vector, query) AS rank FROM {table}, "
            "to_tsquery(%s::regconfig, %s) AS query WHERE id = ANY(%s) "
            "ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s) "
            f"SELECT ranked.id, ranked.rank, ts_headline(%s::regconfig, {headline_of}, query, %s) "
            f"FROM ranked JOIN {table} USING (id), to_tsquery(%s::regconfig, %s) AS query "
            "ORDER BY ranked.rank DESC, ranked.id DESC",
            [
                config,
                tsquery(terms),
                candidates,
                limit,
                offset,
                config,
                HEADLINE_OPTIONS,
                config,
                tsquery(terms),
            ],
        )
        return [Hit(pk, rank, marked(snippet)) for pk, rank, snippet in cursor.fetchall()]
