"""The blind rule covers claim → source links: on a blind article not adjudicated yet, an
analyst learns nothing of another coder's links (or annotations) from the reading page's
figures, and the curator-only coding pages stay closed to analysts."""

import pytest
from django.utils import timezone

from articles.coding.models import BatchArticle
from articles.coding.tests.helpers import annotate, make_batch
from articles.models import Attribution
from articles.tests.admin_helpers import make_curator


@pytest.fixture
def linked(make_user, sample_article):
    alice, bob = make_user("alice"), make_user("bob")
    batch = make_batch([sample_article], [alice, bob], blind=True)
    claim = annotate(sample_article, bob, "My way or the high way")
    source = annotate(sample_article, bob, "the official", label="anonymous source")
    Attribution.objects.create(claim=claim, source=source, author=bob, cue="said")
    return batch, alice, bob


def summary(client, article):
    html = client.get(f"/articles/{article.pk}/figures/").content.decode()
    return (
        html.split('aria-label="This article in figures"')[1].split("</div>")[0]
        if "in figures" in html
        else ""
    )


def test_the_reading_page_figures_show_no_other_coders_links(client, linked, sample_article):
    batch, alice, bob = linked
    client.force_login(alice)
    # The strip always has every part; bob's link counts in none of them.
    assert "Claims: <strong>0</strong> attributed" in summary(client, sample_article)
    assert "Cited: none yet" in summary(client, sample_article)
    # Alice's own figures only: none of bob's annotations count.
    assert "Claim <strong>0</strong> · Source <strong>0</strong>" in summary(client, sample_article)
    client.force_login(bob)  # bob's own figures: his claim, source and link
    assert "Claim <strong>1</strong> · Source <strong>1</strong>" in summary(client, sample_article)


def test_the_figures_show_links_once_adjudicated_and_to_curators(client, linked, sample_article, make_user):
    batch, alice, bob = linked
    client.force_login(make_curator(make_user))
    assert "Cited: <strong>1</strong>" in summary(client, sample_article)
    BatchArticle.objects.filter(batch=batch).update(adjudicated_at=timezone.now())
    client.force_login(alice)
    assert "Cited: <strong>1</strong>" in summary(client, sample_article)


def test_the_coding_pages_that_show_links_are_curators_only(client, linked, sample_article):
    batch, alice, bob = linked
    client.force_login(alice)
    for url in (
        f"/coding/batches/{batch.pk}/agreement/",
        f"/coding/batches/{batch.pk}/agreement/?download=pairs",
        f"/coding/batches/{batch.pk}/adjudication/",
        f"/coding/batches/{batch.pk}/articles/{sample_article.pk}/adjudicate/",
    ):
        assert client.get(url).status_code == 403, url
    html = client.get("/coding/mine/").content.decode()
    assert "the official" not in html and "high way" not in html


def test_the_adjudication_details_list_links_only_among_the_annotations_given(linked, make_user):
    from articles.coding.adjudication import version_details
    from articles.models import Annotation
    from articles.permissions import visible_annotations

    batch, alice, bob = linked
    claim = Annotation.objects.get(author=bob, label__name="factual")
    assert version_details(Annotation.objects.filter(author=bob))[claim.pk]["links"] == ["the official"]
    assert version_details(Annotation.objects.filter(pk=claim.pk))[claim.pk]["links"] == []
    # Through the blind rule, alice is given none of bob's annotations, so none of his links.
    assert version_details(visible_annotations(alice, Annotation.objects.all())) == {}
    mine = annotate(claim.article, alice, "They're going solo")
    Attribution.objects.create(
        claim=mine, source=Annotation.objects.get(author=bob, label__name="anonymous source"), author=alice
    )
    assert version_details(visible_annotations(alice, Annotation.objects.all()))[mine.pk]["links"] == []
