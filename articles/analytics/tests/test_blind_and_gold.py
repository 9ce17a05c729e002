"""Blind coding, batches and gold in the analytics: two analysts of a blind batch never
see each other's work on an article not yet adjudicated, through any analytics URL, the
reading page's summary or the command; curators see everything; the batch and gold-only
filters count what was computed here by hand."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.analytics import reports
from articles.analytics.aggregation import GOLD, Filters, parse_filters, sourcing, tone
from articles.analytics.tests.fixtures import entity, link, make_article, tag
from articles.coding.models import BatchArticle, GoldDecision
from articles.coding.tests.helpers import make_batch
from articles.models import Source
from articles.tests.admin_helpers import make_curator

BOB_ENTITY = "Bobs Secret Source"
BOB_TARGET = "bob-only-target"
ALICE_ENTITY = "Alices Quiet Source"


class World:
    pass


@pytest.fixture
def world(make_user):
    w = World()
    w.alice, w.bob = make_user("alice"), make_user("bob")
    w.curator = make_curator(make_user)
    # Blind Post: one article in a blind batch, coded by both, not adjudicated.
    w.blind = make_article("Blind Post", published=date(2026, 3, 3))
    w.batch = make_batch([w.blind], [w.alice, w.bob], blind=True, name="Blind batch")
    a_source = tag(w.blind, "named person", w.alice, source_entity=entity(ALICE_ENTITY, Source.EXPERT))
    a1 = tag(w.blind, "factual", w.alice)
    tag(w.blind, "opinion", w.alice)  # alice: 2 claims, 1 attributed
    link(a1, a_source)
    b_source = tag(
        w.blind, "anonymous source", w.bob, anonymity="anonymous",
        source_entity=entity(BOB_ENTITY, Source.MILITARY),
    )  # fmt: skip
    b_claims = [tag(w.blind, "factual", w.bob) for _ in range(3)]  # bob: 3 claims, 3 attributed
    for claim in b_claims:
        link(claim, b_source, "direct")
    tag(w.blind, "negative", w.bob, tone_intensity=3, tone_target_text=BOB_TARGET)
    # Open Post: an article in no batch, coded by bob: everybody sees it.
    w.open = make_article("Open Post", published=date(2026, 3, 4))
    tag(w.open, "factual", w.bob)
    tag(w.open, "prediction", w.bob)
    return w


def claims_of(rows, outlet):
    return next((row.claims for row in rows if row.outlet == outlet), 0)


def every_text(client, article):
    """Every analytics page and every table's CSV (each view's default measure, and the
    over-time claims series), and the reading page with its figures: all one user can get of the figures."""
    texts = []
    for view, url in [("overview", "/analytics/"), ("sourcing", "/analytics/sourcing/"),
                      ("voices", "/analytics/voices/"), ("tone", "/analytics/tone/"),
                      ("time", "/analytics/time/")]:  # fmt: skip
        for query in ({}, {"measure": "claims"}, {"status": "gold"}, {"outlet": "Blind Post"}):
            response = client.get(url, query)
            assert response.status_code == 200
            texts.append(response.content.decode())
            for table in reports.VIEWS[view][1](Filters(**_as_filters(query))):
                response = client.get(f"/analytics/{view}/{table.id}.csv", query)
                assert response.status_code == 200, (view, table.id)
                texts.append(response.content.decode())
    for url in (f"/articles/{article.pk}/", f"/articles/{article.pk}/figures/"):
        response = client.get(url)
        assert response.status_code == 200
        texts.append(response.content.decode())
    return "\n".join(texts)


def _as_filters(query):
    return {"measure": query["measure"]} if "measure" in query else {}


def outlet_cell(client, outlet, column, query=None):
    """`column` of `outlet`'s row in the overview's outlets CSV."""
    text = client.get("/analytics/overview/outlets.csv", query or {}).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next((r for r in rows if r["Outlet"] == outlet), None)
    return row[column] if row else None


def test_it_hides_the_other_analysts_work_on_a_blind_article_through_every_url(client, world):
    client.force_login(world.alice)
    alice_sees = every_text(client, world.blind)
    assert BOB_ENTITY not in alice_sees and BOB_TARGET not in alice_sees
    assert ALICE_ENTITY in alice_sees
    assert outlet_cell(client, "Blind Post", "Claims") == "2"
    assert outlet_cell(client, "Open Post", "Claims") == "2"  # bob's, on an article in no batch
    summary = (
        client.get(f"/articles/{world.blind.pk}/figures/")
        .content.decode()
        .split('class="article-summary"')[1]
    )
    assert "Claim <strong>2</strong>" in summary.split("</div>")[0]

    client.force_login(world.bob)
    bob_sees = every_text(client, world.blind)
    assert ALICE_ENTITY not in bob_sees
    assert BOB_ENTITY in bob_sees and BOB_TARGET in bob_sees
    assert outlet_cell(client, "Blind Post", "Claims") == "3"
    assert outlet_cell(client, "Blind Post", "Attributed %") == "100.0"
    assert outlet_cell(client, "Blind Post", "Anonymous sources %") == "100.0"


def test_it_counts_each_analysts_own_figures_in_the_domain_too(world):
    for user, claims, attributed in [(world.alice, 2, 1), (world.bob, 3, 3), (world.curator, 5, 4)]:
        rows = sourcing(Filters(viewer=user, outlets=("Blind Post",)))
        assert (rows[0].claims, rows[0].attributed) == (claims, attributed)
    assert [row.tones for row in tone(Filters(viewer=world.alice, outlets=("Blind Post",)))] == []


def test_it_shows_curators_and_the_command_everything(client, world):
    client.force_login(world.curator)
    seen = every_text(client, world.blind)
    assert BOB_ENTITY in seen and ALICE_ENTITY in seen and BOB_TARGET in seen
    assert outlet_cell(client, "Blind Post", "Claims") == "5"
    out = io.StringIO()
    call_command("analytics", "overview", "--outlet", "Blind Post", stdout=out)
    assert list(csv.DictReader(io.StringIO(out.getvalue())))[0]["Claims"] == "5"


def test_it_shows_everything_once_the_article_is_adjudicated(client, world):
    BatchArticle.objects.filter(article=world.blind).update(adjudicated_at=timezone.now())
    client.force_login(world.alice)
    assert outlet_cell(client, "Blind Post", "Claims") == "5"
    assert BOB_ENTITY in client.get("/analytics/voices/").content.decode()


def test_it_keeps_a_non_blind_batch_open(client, world, make_user):
    dave = make_user("dave")
    article = make_article("Shared Post")
    make_batch([article], [world.alice, dave], blind=False, name="Open batch")
    tag(article, "factual", dave)
    client.force_login(world.alice)
    assert outlet_cell(client, "Shared Post", "Claims") == "1"


def test_it_narrows_to_a_batch(client, world, make_user):
    other = make_article("Blind Post", published=date(2026, 3, 9))  # same outlet, no batch
    tag(other, "factual", world.curator)
    client.force_login(world.curator)
    assert outlet_cell(client, "Blind Post", "Claims") == "6"
    # Only the batch's article: 5 claims; Open Post is in no batch, so gone.
    assert outlet_cell(client, "Blind Post", "Claims", {"batch": world.batch.pk}) == "5"
    assert outlet_cell(client, "Open Post", "Claims", {"batch": world.batch.pk}) is None
    # By name too, and through the command.
    assert outlet_cell(client, "Blind Post", "Articles", {"batch": "Blind batch"}) == "1"
    out = io.StringIO()
    call_command("analytics", "overview", "--batch", "Blind batch", stdout=out)
    assert [r["Outlet"] for r in csv.DictReader(io.StringIO(out.getvalue()))] == ["Blind Post"]
    # An analyst sees the batch through the blind rule: alice's 2 claims only.
    client.force_login(world.alice)
    assert outlet_cell(client, "Blind Post", "Claims", {"batch": world.batch.pk}) == "2"
    assert client.get("/analytics/", {"batch": "nope"}).status_code == 400


def test_it_counts_gold_only(client, world):
    # The curator adjudicates: two gold claims (one later rejected), one gold tone, and a
    # rejection (no gold); the gold claims' link counts only between gold annotations.
    gold_claim = tag(world.blind, "factual", world.curator, status="accepted")
    gold_source = tag(
        world.blind, "anonymous source", world.curator, status="accepted", anonymity="anonymous"
    )
    rejected_gold = tag(world.blind, "opinion", world.curator, status="rejected")
    gold_tone = tag(world.blind, "positive", world.curator, status="accepted", tone_intensity=2)
    for number, gold in enumerate([gold_claim, gold_source, rejected_gold, gold_tone, None]):
        GoldDecision.objects.create(batch=world.batch, article=world.blind, group_key=f"g{number}", gold=gold)
    link(gold_claim, gold_source, "direct")
    plain = tag(world.blind, "factual", world.curator, status="accepted")  # accepted, not gold
    link(plain, gold_source)

    gold = Filters(status=GOLD)
    rows = sourcing(gold)
    assert [(r.outlet, r.articles, r.claims, r.attributed, r.links) for r in rows] == [
        ("Blind Post", 1, 1, 1, 1)
    ]
    assert [(r.tones, r.scored, r.score_sum) for r in tone(gold)] == [(1, 1, 2)]
    client.force_login(world.curator)
    assert outlet_cell(client, "Blind Post", "Claims", {"status": "gold"}) == "1"
    assert outlet_cell(client, "Open Post", "Claims", {"status": "gold"}) is None
    assert outlet_cell(client, "Blind Post", "Claims", {"status": "accepted"}) == "2"
    # The article is not adjudicated yet: alice sees no gold.
    assert sourcing(parse_filters({"status": "gold"}, viewer=world.alice)) == []
    BatchArticle.objects.filter(article=world.blind).update(adjudicated_at=timezone.now())
    assert sourcing(parse_filters({"status": "gold"}, viewer=world.alice))[0].claims == 1
