"""The aggregation layer on hand-built coverage: every expected figure is counted by hand
from articles/analytics/tests/fixtures.py (see the comments there)."""

from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.analytics.aggregation import (
    ACCEPTED,
    FilterError,
    Filters,
    article_summary,
    category_counts,
    merge,
    over_time,
    parse_filters,
    sourcing,
    tone,
    tone_targets,
    voices,
)
from articles.analytics.tests.fixtures import link, make_article, tag
from articles.models import Label


def by_outlet(rows):
    return {row.outlet: row for row in rows}


def test_it_counts_sourcing_per_outlet(cov):
    rows = by_outlet(sourcing(Filters()))
    alpha, beta = rows["Alpha Post"], rows["Beta Times"]
    # A1 and A2; c1 c2 c3 c4 c7 c8 (c5 rejected, c6 deleted); c1→s1 c2→s2 c7→s4.
    assert (alpha.articles, alpha.claims, alpha.links, alpha.attributed) == (2, 6, 3, 3)
    assert alpha.own_voice == 2 and alpha.uncoded == 1  # c3, c8; c4
    assert alpha.claims_per_article == 3.0
    assert alpha.anonymity == Counter(named=2, anonymous=1)
    assert alpha.source_types == Counter(government=2, military=1)
    assert alpha.forms == Counter(direct=2, indirect=1)
    assert alpha.anonymous_officials == 1  # s2
    # B1 only (B2's one claim is rejected); c9→s5 (no entity) and c9→s6 (expert).
    assert (beta.articles, beta.claims, beta.links, beta.attributed, beta.own_voice) == (1, 1, 2, 1, 0)
    assert beta.anonymity == Counter(named=1, anonymous=1)
    assert beta.source_types == Counter({"expert": 1, "": 1})
    assert beta.forms == Counter(paraphrase=1, direct=1)
    assert beta.anonymous_officials == 0
    assert list(rows) == ["Alpha Post", "Beta Times"]


def test_it_counts_only_accepted_annotations_when_asked(cov):
    rows = by_outlet(sourcing(Filters(status=ACCEPTED)))
    alpha, beta = rows["Alpha Post"], rows["Beta Times"]
    # Accepted: t1 (A1), c7 s4 (A2); c9 s5 t6 (B1).
    assert (alpha.articles, alpha.claims, alpha.links, alpha.attributed, alpha.own_voice) == (2, 1, 1, 1, 0)
    assert alpha.anonymity == Counter(named=1) and alpha.forms == Counter(indirect=1)
    assert (beta.articles, beta.claims, beta.links) == (1, 1, 1)  # s6 is pending
    assert beta.anonymity == Counter(anonymous=1) and beta.forms == Counter(paraphrase=1)
    tones = by_outlet(tone(Filters(status=ACCEPTED)))
    assert (tones["Alpha Post"].tones, tones["Alpha Post"].score_sum) == (1, -3)
    assert (tones["Beta Times"].tones, tones["Beta Times"].score_sum) == (1, 1)


def test_it_never_counts_deleted_or_rejected_annotations(cov, annotator_user):
    before = by_outlet(sourcing(Filters()))["Alpha Post"]
    rejected = tag(cov.a1, "factual", annotator_user, status="rejected")
    deleted = tag(cov.a1, "factual", annotator_user, deleted=True)
    link(rejected, cov.s1)
    link(deleted, cov.s2)
    link(cov.c3, tag(cov.a1, "named person", annotator_user, anonymity="named", deleted=True))
    after = by_outlet(sourcing(Filters()))["Alpha Post"]
    assert after == before


def test_it_narrows_by_outlet_dates_labels_and_author(cov, make_user):
    march = Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    rows = by_outlet(sourcing(march))
    assert rows["Alpha Post"].articles == 1 and rows["Alpha Post"].claims == 4  # A1 only
    assert rows["Beta Times"].claims == 1
    # A2 has no published date: it falls back to the day it was added (10 April).
    april = by_outlet(sourcing(Filters(date_from=date(2026, 4, 10), date_to=date(2026, 4, 10))))
    assert list(april) == ["Alpha Post"] and april["Alpha Post"].claims == 2
    only_beta = sourcing(Filters(outlets=("Beta Times",)))
    assert [row.outlet for row in only_beta] == ["Beta Times"]
    factual = Label.objects.get(name="factual").pk
    rows = by_outlet(sourcing(Filters(label_ids=(factual,))))
    assert rows["Alpha Post"].claims == 4  # c1 c3 c4 c7
    assert rows["Alpha Post"].links == 2  # c1→s1, c7→s4: the label picks claims, not sources
    other = make_user("bob")
    tag(cov.a1, "factual", other)
    assert sourcing(Filters(author_ids=(other.pk,)))[0].claims == 1


def test_it_scores_tone_per_outlet(cov):
    rows = by_outlet(tone(Filters()))
    alpha, beta = rows["Alpha Post"], rows["Beta Times"]
    negative, neutral, positive = (Label.objects.get(name=n).pk for n in ("negative", "neutral", "positive"))
    assert alpha.tones == 4 and alpha.by_label == Counter({negative: 2, neutral: 1, positive: 1})
    assert (alpha.scored, alpha.score_sum) == (3, -2)  # −3 −1 +2; t4 has no intensity
    assert alpha.mean_score == pytest.approx(-2 / 3)
    assert (beta.tones, beta.scored, beta.mean_score) == (1, 1, 1.0)


def test_it_tabulates_tone_by_outlet_and_target(cov):
    targets, rows = tone_targets(Filters())
    # "the U.S." (t1, t2 in Alpha; t6 in Beta) outnumbers Obama (t3).
    assert [name for _, name in targets] == ["the U.S.", "Barack Obama"]
    cells = {(row.outlet, row.target): (row.tones, row.mean_score) for row in rows}
    assert cells == {
        ("Alpha Post", "the U.S."): (2, -2.0),
        ("Alpha Post", "Barack Obama"): (1, 2.0),
        ("Beta Times", "the U.S."): (1, 1.0),
    }


def test_it_ranks_the_most_cited_voices(cov):
    rows = voices(Filters())
    table = [(r.name, r.citations, r.claims, r.articles, r.outlets) for r in rows]
    assert table == [
        ("Barack Obama", 3, 2, 3, 2),  # s1 s4 s7 (s3 rejected); c1 c7 (c6 deleted)
        ("a senior military official", 1, 1, 1, 1),
        ("Bruce Riedel", 1, 1, 1, 1),
    ]
    assert [r.name for r in voices(Filters(source_types=("military",)))] == ["a senior military official"]
    assert [r.name for r in voices(Filters(affiliation="brook"))] == ["Bruce Riedel"]
    assert [r.name for r in voices(Filters(country="pakistan"))] == ["a senior military official"]


def test_it_follows_a_measure_over_months(cov):
    measure, periods, series = over_time(Filters(measure="claims"))
    assert periods == [date(2026, 3, 1), date(2026, 4, 1)]
    points = {s.outlet: [(p, v) for p, v, _ in s.points] for s in series}
    assert points == {
        "Alpha Post": [(date(2026, 3, 1), 4), (date(2026, 4, 1), 2)],
        "Beta Times": [(date(2026, 3, 1), 1), (date(2026, 4, 1), None)],
    }
    _, weeks, series = over_time(Filters(measure="mean_tone", period="week"))
    assert weeks[0] == date(2026, 3, 2) and len(weeks) == 3  # the weeks of 5 and 20 March
    alpha = next(s for s in series if s.outlet == "Alpha Post")
    assert alpha.points[0] == (date(2026, 3, 2), pytest.approx(-2 / 3), 3)


def test_it_summarises_one_article(cov):
    summary = article_summary(cov.a1)
    assert [(c.kind, n) for c, n in summary.categories] == [("claim", 4), ("source", 2), ("tone", 4)]
    assert (summary.sourcing.claims, summary.sourcing.attributed, summary.sourcing.own_voice) == (4, 2, 1)
    assert summary.tone.score_sum == -2
    assert category_counts(Filters(article_ids=(cov.b2.pk,)))[0][1] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "yesterday"}, "not a date"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "starts"),
        ({"status": "golden"}, "status"),
        ({"batch": "no such batch"}, "no coding batch"),
        ({"label": "no such label"}, "unknown label"),
        ({"author": "nobody"}, "unknown author"),
        ({"type": "wizard"}, "source type"),
        ({"period": "year"}, "period"),
        ({"measure": "vibes"}, "measure"),
    ],
)
def test_it_refuses_bad_filters(db, query, message):
    with pytest.raises(FilterError, match=message):
        parse_filters(query)


def test_it_parses_what_it_writes(cov, annotator_user):
    factual = Label.objects.get(name="factual").pk
    filters = Filters(
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
        outlets=("Alpha Post", "Beta Times"),
        label_ids=(factual,),
        status=ACCEPTED,
        author_ids=(annotator_user.pk,),
        source_types=("military",),
        affiliation="Pak",
        country="Pakistan",
        period="week",
        measure="mean_tone",
    )
    query = {}
    for key, value in filters.query_items():
        query.setdefault(key, []).append(value)
    assert parse_filters(query) == filters
    assert parse_filters({"label": "factual", "author": annotator_user.username}).label_ids == (factual,)


# Splitting by outlet and adding the parts gives the whole ------------------------------

OUTLETS = ["Alpha", "Beta", "Gamma"]
LABELS = ["factual", "opinion", "named person", "anonymous source", "negative", "neutral", "positive"]
annotation_strategy = st.fixed_dictionaries(
    {
        "article": st.integers(0, 5),
        "label": st.sampled_from(LABELS),
        "status": st.sampled_from(["pending", "accepted", "rejected"]),
        "deleted": st.booleans(),
        "own_voice": st.booleans(),
        "anonymity": st.sampled_from(["named", "anonymous", "unattributed", ""]),
        "intensity": st.sampled_from([None, 1, 2, 3]),
        "target": st.sampled_from(["", "the U.S.", "the ISI"]),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    article_outlets=st.lists(st.sampled_from(OUTLETS), min_size=6, max_size=6),
    annotations=st.lists(annotation_strategy, max_size=25),
    links=st.lists(
        st.tuples(st.integers(0, 24), st.integers(0, 24), st.sampled_from(["direct", "paraphrase"]))
    ),
    status=st.sampled_from(["all", "accepted"]),
)
def test_it_adds_the_outlets_up_to_the_whole(annotator_user, article_outlets, annotations, links, status):
    with transaction.atomic():
        articles = [make_article(outlet) for outlet in article_outlets]
        made = []
        for spec in annotations:
            is_tone = spec["label"] in ("negative", "neutral", "positive")
            made.append(
                tag(
                    articles[spec["article"]],
                    spec["label"],
                    annotator_user,
                    status=spec["status"],
                    deleted=spec["deleted"],
                    own_voice=spec["own_voice"] and spec["label"] in ("factual", "opinion"),
                    anonymity=spec["anonymity"],
                    tone_intensity=spec["intensity"] if is_tone else None,
                    tone_target_text=spec["target"] if is_tone else "",
                )
            )
        seen = set()
        for claim, source, form in links:
            if claim < len(made) and source < len(made) and claim != source and (claim, source) not in seen:
                seen.add((claim, source))
                link(made[claim], made[source], form)
        filters = Filters(status=status)

        whole = sourcing(filters, by_outlet=False)
        parts = [row for o in OUTLETS for row in sourcing(Filters(status=status, outlets=(o,)))]
        assert merge(parts, outlet=None) == (whole[0] if whole else None)
        assert merge(sourcing(filters), outlet=None) == (whole[0] if whole else None)

        whole_tone = tone(filters, by_outlet=False)
        tone_parts = [row for o in OUTLETS for row in tone(Filters(status=status, outlets=(o,)))]
        assert merge(tone_parts, outlet=None) == (whole_tone[0] if whole_tone else None)
        transaction.set_rollback(True)


def test_it_names_and_filters_articles_without_an_outlet(cov, annotator_user):
    tag(make_article(""), "factual", annotator_user)
    assert [row.outlet for row in sourcing(Filters())] == ["(none)", "Alpha Post", "Beta Times"]
    rows = sourcing(parse_filters({"outlet": "(none)"}))
    assert [(row.outlet, row.claims) for row in rows] == [("(none)", 1)]
