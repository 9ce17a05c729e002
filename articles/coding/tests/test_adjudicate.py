import pytest

from articles.coding.models import BatchArticle, GoldDecision
from articles.coding.tests.helpers import annotate, make_batch
from articles.models import Annotation
from articles.tests.admin_helpers import make_curator


@pytest.fixture
def setup(make_user, sample_article, client):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article], [alice, bob])
    spans = {
        "agreed": (annotate(sample_article, alice, "Pakistani"), annotate(sample_article, bob, "Pakistani")),
        "label": (
            annotate(sample_article, alice, "military official"),
            annotate(sample_article, bob, "military official", label="opinion"),
        ),
        "single": (annotate(sample_article, bob, "ABC News"),),
    }
    curator = make_curator(make_user)
    client.force_login(curator)
    url = f"/coding/batches/{batch.pk}/articles/{sample_article.pk}/adjudicate/"
    return batch, alice, bob, curator, spans, url


def key(*annotations):
    return "-".join(str(a.pk) for a in sorted(annotations, key=lambda a: a.pk))


def test_it_shows_the_coders_side_by_side_with_kinds(client, setup):
    batch, alice, bob, curator, spans, url = setup
    html = client.get(url).content.decode()
    assert "Agreed" in html and "Label disagreement" in html and "One coder only" in html
    assert "A = alice" in html and "B = bob" in html
    assert html.count('class="group ') == 3 and '<span id="undecided-count">3</span> of 3 passages' in html


def test_it_accepts_one_coders_version_into_gold_with_provenance(client, setup, sample_article):
    batch, alice, bob, curator, spans, url = setup
    a, b = spans["label"]
    response = client.post(url, {"action": "accept", "group": key(a, b), "coder": bob.pk, "position": "1"})
    assert response.status_code == 302 and response.url.endswith("?at=1")
    decision = GoldDecision.objects.get()
    gold = decision.gold
    assert (gold.start, gold.end, gold.label.name, gold.author, gold.reviewed_by) == (
        b.start,
        b.end,
        "opinion",
        curator,
        curator,
    )
    assert gold.status == Annotation.ACCEPTED and decision.coders == "bob"
    assert list(decision.sources.all()) == [b]


def test_it_accepts_all_agreed_in_one_action(client, setup):
    batch, alice, bob, curator, spans, url = setup
    client.post(url, {"action": "agreed"})
    decision = GoldDecision.objects.get()
    assert decision.coders == "alice;bob" and set(decision.sources.all()) == set(spans["agreed"])
    assert "Accept all 0 agreed" in client.get(url).content.decode()


def test_it_accepts_an_adjusted_span_and_rejects(client, setup, sample_article):
    batch, alice, bob, curator, spans, url = setup
    (single,) = spans["single"]
    a, b = spans["label"]
    from articles.tests.helpers import label

    response = client.post(
        url,
        {
            "action": "adjust",
            "group": key(a, b),
            "start": a.start,
            "end": a.end - 9,
            "label": label("negative").pk,
        },
    )
    assert response.status_code == 302
    gold = GoldDecision.objects.get().gold
    assert gold.quote == "military" and gold.label.name == "negative"
    client.post(url, {"action": "reject", "group": key(single)})
    rejected = GoldDecision.objects.get(gold=None)
    assert rejected.coders == "bob"


def test_it_refuses_bad_input_and_stale_groups(client, setup, sample_article):
    batch, alice, bob, curator, spans, url = setup
    a, b = spans["label"]
    group = key(a, b)
    assert (
        client.post(url, {"action": "adjust", "group": group, "start": "x", "end": 3, "label": 1}).status_code
        == 400
    )
    response = client.post(
        url, {"action": "adjust", "group": group, "start": 5, "end": 10**6, "label": a.label_id}
    )
    assert response.status_code == 400 and "within the text" in response.content.decode()
    assert client.post(url, {"action": "accept", "group": "1-2-3", "coder": alice.pk}).status_code == 409
    assert client.post(url, {"action": "explode"}).status_code == 400
    client.post(url, {"action": "reject", "group": group})
    assert client.post(url, {"action": "reject", "group": group}).status_code == 409
    assert GoldDecision.objects.count() == 1


def test_it_finishes_only_when_all_is_decided_then_reopens_with_history(client, setup):
    batch, alice, bob, curator, spans, url = setup
    assert client.post(url, {"action": "finish"}).status_code == 409
    client.post(url, {"action": "agreed"})
    client.post(url, {"action": "reject", "group": key(*spans["label"])})
    client.post(url, {"action": "accept", "group": key(*spans["single"]), "coder": bob.pk})
    assert client.post(url, {"action": "finish"}).status_code == 302
    state = BatchArticle.objects.get()
    assert state.adjudicated_by == curator
    # Finished: nothing more can be decided until it is reopened.
    assert client.post(url, {"action": "undo", "group": key(*spans["label"])}).status_code == 409
    client.post(url, {"action": "reopen"})
    state.refresh_from_db()
    assert state.adjudicated_at is None
    reasons = list(state.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["adjudicated", f"reopened by {curator.username}"]


def test_it_undoes_a_decision(client, setup):
    batch, alice, bob, curator, spans, url = setup
    a, b = spans["label"]
    client.post(url, {"action": "accept", "group": key(a, b), "coder": alice.pk})
    gold = GoldDecision.objects.get().gold
    client.post(url, {"action": "undo", "group": key(a, b)})
    assert not GoldDecision.objects.exists()
    assert Annotation.all_objects.get(pk=gold.pk).deleted_at is not None


def test_it_is_for_curators_only(client, setup, sample_article, other_article):
    batch, alice, bob, curator, spans, url = setup
    client.force_login(alice)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "agreed"}).status_code == 403
    client.force_login(curator)
    assert (
        client.get(f"/coding/batches/{batch.pk}/articles/{other_article.pk}/adjudicate/").status_code == 404
    )
    assert client.get(f"/coding/batches/{batch.pk}/adjudication/").status_code == 200


def test_it_keys_five_coders_without_clashing_with_adjust(client, make_user, sample_article):
    coders = [make_user(name) for name in ("ann", "ben", "cat", "dan", "eve")]
    batch = make_batch([sample_article], coders)
    for coder in coders:
        annotate(
            sample_article, coder, "Pakistani", label="opinion" if coder.username == "eve" else "factual"
        )
    client.force_login(make_curator(make_user))
    html = client.get(f"/coding/batches/{batch.pk}/articles/{sample_article.pk}/adjudicate/").content.decode()
    assert 'data-key="d" data-digit="4"' in html and 'data-digit="5"' in html
    assert 'data-key="e" data-digit' not in html and html.count('data-key="e"') == 1  # only "adjust"
    assert "Label disagreement" in html
