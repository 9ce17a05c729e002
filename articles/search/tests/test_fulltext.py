"""The full-text search module on whichever database the suite runs on."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from articles.ingest.pipeline import ingest, store_article
from articles.models import Annotation, Article, Label
from articles.search import fulltext
from articles.search.fulltext import SearchQueryError, Term, fts5_query, parse, search, tsquery
from articles.search.schema import ensure_sqlite_triggers
from articles.spans.annotating import create_annotation


def add(title, body, **fields):
    article, _ = store_article(ingest(body, title=title), **fields)
    return article


@pytest.fixture
def corpus(db):
    return {
        "partner": add(
            "Talks resume", "Pakistan is a coalition partner of the United States, officials said."
        ),
        "drone": add("Strike reported", "A drone strike hit a coalition compound near the border."),
        "budget": add("Budget day", "The finance minister spoke about taxes and coalitions."),
    }


def pks(results):
    return {hit.pk for hit in results.hits}


def test_it_parses_words_phrases_prefixes_and_exclusions():
    assert parse('"Coalition partner" coali* -drone -"air strike"') == [
        Term(("coalition", "partner")),
        Term(("coali",), prefix=True),
        Term(("drone",), exclude=True),
        Term(("air", "strike"), exclude=True),
    ]
    assert parse("U.S.") == [Term(("u", "s"))]
    assert parse("") == []


def test_it_refuses_queries_that_look_for_nothing_or_too_much():
    with pytest.raises(SearchQueryError, match="Add a word"):
        parse("-drone")
    with pytest.raises(SearchQueryError, match="at most"):
        parse(" ".join(f"w{i}" for i in range(40)))
    with pytest.raises(SearchQueryError, match="too long"):
        parse("x" * 600)


@given(st.text(max_size=200))
def test_it_quotes_every_word_so_nothing_typed_is_syntax(text):
    try:
        terms = parse(text)
    except SearchQueryError:
        return
    if not terms:
        return
    fts5 = fts5_query(terms)
    # Outside the quoted words only the operators we write remain.
    outside = "".join(fts5.split('"')[::2])
    assert set(outside.replace("AND", "").replace("NOT", "").replace("*", "")) <= {" "}
    outside_ts = "".join(tsquery(terms).split("'")[::2])
    assert set(outside_ts) <= set(" &!()<->:*")


def test_it_finds_words_in_title_and_text(corpus):
    assert pks(search("strike")) == {corpus["drone"].pk}
    assert pks(search("budget")) == {corpus["budget"].pk}
    assert pks(search("coalition")) == {a.pk for a in corpus.values()}  # stemmed: coalitions


def test_it_finds_phrases_prefixes_and_exclusions(corpus):
    assert pks(search('"coalition partner"')) == {corpus["partner"].pk}
    assert pks(search('"partner coalition"')) == set()
    assert pks(search("coali*")) == {a.pk for a in corpus.values()}
    assert pks(search("coali* -drone")) == {corpus["partner"].pk, corpus["budget"].pk}
    assert pks(search('coalition -"coalition partner"')) == {corpus["drone"].pk, corpus["budget"].pk}


def test_it_ranks_title_matches_first(corpus):
    add("Coalition talks", "Nothing else here about it.")
    results = search("coalition")
    assert Article.objects.get(pk=results.hits[0].pk).title == "Coalition talks"
    assert [hit.rank for hit in results.hits] == sorted((hit.rank for hit in results.hits), reverse=True)
    assert results.total == 4 and not results.more


def test_it_marks_the_terms_in_an_escaped_snippet(db):
    article = add("Markup", 'The <script>alert("x")</script> coalition partner & friends.')
    [hit] = search('"coalition partner"').hits
    assert hit.pk == article.pk
    assert "<script>" not in hit.snippet
    assert "&amp;" in hit.snippet
    assert "<mark>coalition" in hit.snippet


def test_it_pages_and_caps_the_count(db, monkeypatch):
    for i in range(7):
        add(f"Piece {i}", f"Coalition news number {i}.")
    first = search("coalition", limit=3)
    second = search("coalition", offset=3, limit=3)
    assert len(first.hits) == 3 and len(second.hits) == 3
    assert not pks(first) & pks(second)
    monkeypatch.setattr(fulltext, "MAX_COUNTED", 5)
    capped = search("coalition")
    assert (capped.total, capped.more) == (5, True)


def test_it_searches_within_a_queryset(corpus):
    within = Article.objects.filter(pk__in=[corpus["drone"].pk, corpus["budget"].pk])
    assert pks(search("coalition", within=within)) == {corpus["drone"].pk, corpus["budget"].pk}


def test_it_stays_in_step_with_edits_and_deletes(corpus):
    article = corpus["budget"]
    article.title = "Zanzibar ferry"
    article.save()
    assert pks(search("zanzibar")) == {article.pk}
    assert pks(search("budget")) == set()
    Article.objects.filter(pk=article.pk).delete()
    assert pks(search("zanzibar")) == set()


def test_it_searches_annotation_quotes_and_notes(corpus, annotator_user):
    article = corpus["partner"]
    label = Label.objects.get(name="factual")
    quote = "coalition partner"
    start = article.body.index(quote)
    annotation = create_annotation(
        article, annotator_user, label_id=label.pk, start_u16=start, end_u16=start + len(quote), quote=quote
    )
    assert pks(search('"coalition partner"', scope="annotations")) == {annotation.pk}
    Annotation.objects.filter(pk=annotation.pk).update(note="Check with the embassy")
    [hit] = search("embassy", scope="annotations").hits
    assert "<mark>embassy</mark>" in hit.snippet
    assert pks(search("embassy", scope="annotations", within=Annotation.objects.none())) == set()


def test_it_narrows_a_queryset_for_exports(corpus):
    found = fulltext.matches(Article.objects.all(), "coali* -drone")
    assert set(found.values_list("pk", flat=True)) == {corpus["partner"].pk, corpus["budget"].pk}
    assert fulltext.matches(Article.objects.all(), "  ").count() == 3


def test_it_refuses_an_unknown_scope(db):
    with pytest.raises(SearchQueryError):
        search("x", scope="users")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps FTS5 in step by triggers")
def test_it_repairs_triggers_a_table_rebuild_dropped(corpus):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_article_fts_insert")
    missed = add("Missed by the index", "Quokka sightings.")
    assert pks(search("quokka")) == set()
    assert ensure_sqlite_triggers(connection) == ["articles_article"]
    assert pks(search("quokka")) == {missed.pk}
    assert ensure_sqlite_triggers(connection) == []


def test_it_ranks_only_the_newest_matches_of_a_very_common_word(db, monkeypatch):
    best = add(
        "Coalition coalition coalition", "Coalition, coalition and coalition."
    )  # oldest, most relevant
    newer = [
        add(f"Piece {i}", f"A long text that mentions the coalition once, number {i}.") for i in range(4)
    ]
    assert search("coalition").hits[0].pk == best.pk
    monkeypatch.setattr(fulltext, "RANKED", 3)
    monkeypatch.setattr(fulltext, "MAX_COUNTED", 10)
    results = search("coalition")
    assert pks(results) == {article.pk for article in newer[-3:]}
    assert results.total == 5  # the count still covers every match
    within = Article.objects.exclude(pk=newer[-1].pk)
    assert pks(search("coalition", within=within)) == {article.pk for article in newer[-4:-1]}


def test_it_takes_the_newest_matches_in_the_order_each_database_walks_fastest(db, monkeypatch):
    # On PostgreSQL the list's own order (created_at, id), which each filter's index keeps:
    # by id, a common word in one outlet checked every newer article's vector (619 ms at
    # 300,000 articles, 38 ms now). SQLite's planner answers by rowid (21 ms against 119).
    from datetime import timedelta

    from django.utils import timezone

    early, late = add("Early", "The coalition met early."), add("Late", "The coalition met late.")
    Article.objects.filter(pk=early.pk).update(created_at=timezone.now() + timedelta(days=1))
    monkeypatch.setattr(fulltext, "RANKED", 1)
    newest = early if connection.vendor == "postgresql" else late
    assert pks(search("coalition")) == {newest.pk}


def test_it_narrows_to_the_newest_matches_when_asked(corpus):
    found = fulltext.matches(Article.objects.all(), "coalition", newest=2)
    assert set(found.values_list("pk", flat=True)) == {corpus["drone"].pk, corpus["budget"].pk}


def test_it_rebuilds_the_index_on_command(corpus):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Rebuilt" in out.getvalue()
    assert pks(search('"coalition partner"')) == {corpus["partner"].pk}


def test_it_finds_a_phrase_behind_newer_texts_that_only_have_its_words(db, monkeypatch):
    phrased = [add(f"Old {i}", f"The coalition partner spoke, number {i}.") for i in range(2)]
    for i in range(4):
        add(f"New {i}", f"A partner of the coalition spoke, number {i}.")
    monkeypatch.setattr(fulltext, "RANKED", 2)
    monkeypatch.setattr(fulltext, "MAX_COUNTED", 2)
    results = search('"coalition partner"')
    assert pks(results) == {article.pk for article in phrased}
    assert (results.total, results.more) == (2, False)
    within = Article.objects.exclude(pk=phrased[0].pk)
    assert pks(search('"coalition partner" -drone', within=within)) == {phrased[1].pk}


def test_it_asks_the_index_for_a_phrases_words_only_when_there_is_a_phrase():
    assert fulltext.index_tsquery(parse("coalition coali* -drone")) is None
    assert fulltext.index_tsquery(parse('"coalition partner" pak* -"united states"')) == (
        "'coalition' & 'partner' & 'pak':*"
    )


def test_it_narrows_to_the_newest_phrase_matches_behind_texts_with_only_its_words(db):
    phrased = [add(f"Old {i}", f"The coalition partner spoke, number {i}.") for i in range(3)]
    for i in range(4):
        add(f"New {i}", f"A partner of the coalition spoke, number {i}.")
    found = fulltext.matches(Article.objects.all(), '"coalition partner"', newest=2)
    assert set(found.values_list("pk", flat=True)) == {article.pk for article in phrased[-2:]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's FTS5 tables have no vectors")
def test_it_stores_articles_vectors_compressed_with_lz4(db):
    from io import StringIO

    from django.core.management import call_command

    def compression():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_column_compression(search_vector) FROM articles_article WHERE id = %s", [long.pk]
            )
            return cursor.fetchone()[0]

    # Long enough that its vector is stored compressed, out of line (a news story's ~4 KB).
    long = add("Long", " ".join(f"word{i} term{i * 7}" for i in range(1500)) + ".")
    assert compression() == "lz4"
    call_command("rebuild_search_index", stdout=StringIO())  # recreates the column
    assert compression() == "lz4"
    assert pks(search("word1499")) == {long.pk}
