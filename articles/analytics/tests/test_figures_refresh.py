"""Every change made on the reading page tells the page so (analytics/reader.py), and the
figures strip it sets counting again carries the same listener (issue 14: the strip must
not show figures the analyst has just made wrong)."""

import json

from articles.models import Annotation
from articles.tests.export_helpers import annotate
from articles.tests.helpers import HTMX, label, selection

CHANGED = "annotator:annotations-changed"
CLAIM = "The U.S. is saying, 'My way or the high way,'"


def announced(response):
    events = json.loads(response.headers.get("HX-Trigger-After-Settle", "{}"))
    return CHANGED in events


def test_it_announces_a_create_an_update_a_delete_and_an_undo(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    base = f"/articles/{sample_article.pk}/annotations/"
    created = client.post(base, {"label": label().pk, **selection(sample_article, CLAIM)}, headers=HTMX)
    assert created.status_code == 200 and announced(created)
    events = json.loads(created.headers["HX-Trigger-After-Settle"])
    assert "annotator:annotation-created" in events  # the reader's own event is kept beside it
    annotation = Annotation.objects.get()
    updated = client.post(f"{base}{annotation.pk}/", {"label": label("opinion").pk}, headers=HTMX)
    assert updated.status_code == 200 and announced(updated)
    deleted = client.post(f"{base}{annotation.pk}/delete/", headers=HTMX)
    assert deleted.status_code == 200 and announced(deleted)
    restored = client.post(f"{base}{annotation.pk}/restore/", headers=HTMX)
    assert restored.status_code == 200 and announced(restored)


def test_it_announces_nothing_when_it_refuses(client, annotator_user, make_user, sample_article):
    client.force_login(annotator_user)
    base = f"/articles/{sample_article.pk}/annotations/"
    bad = client.post(base, {"label": label().pk, "start": 0, "end": 5, "quote": "wrong"}, headers=HTMX)
    assert bad.status_code == 400 and not announced(bad)
    client.force_login(make_user("vera", "Viewer"))
    refused = client.post(base, {"label": label().pk, **selection(sample_article, CLAIM)}, headers=HTMX)
    assert refused.status_code == 403 and not announced(refused)


def test_it_announces_an_attribution_but_not_a_look_at_the_panel(client, annotator_user, sample_article):
    claim = annotate(sample_article, CLAIM, annotator_user)
    source = annotate(sample_article, "the official", annotator_user, label="anonymous source")
    client.force_login(annotator_user)
    looked = client.get(f"/articles/{sample_article.pk}/who/{claim.pk}/", headers=HTMX)
    assert looked.status_code == 200 and not announced(looked)
    linked = client.post(
        f"/articles/{sample_article.pk}/attributions/", {"claim": claim.pk, "source": source.pk}, headers=HTMX
    )
    assert linked.status_code == 200 and announced(linked)


def test_the_page_fetches_the_strip_again_after_every_change(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/").content.decode()
    box = html.split('<div id="article-figures"')[1].split(">")[0]
    # The box stays and its content is swapped: a change announced while a fetch is on its
    # way is queued on it, where a replaced box would have lost it.
    assert f'hx-trigger="load, {CHANGED} from:body"' in box and 'hx-swap="innerHTML"' in box
    assert f'hx-get="/articles/{sample_article.pk}/figures/"' in box
    assert 'aria-busy="true"' in html.split('<div id="article-figures"')[1].split("</div>")[0]


def test_it_sends_the_figures_to_fill_the_box(client, annotator_user, sample_article):
    annotate(sample_article, CLAIM, annotator_user)
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/figures/", headers=HTMX).content.decode()
    assert "Claim <strong>1</strong>" in html and "aria-busy" not in html
    assert 'id="article-figures"' not in html  # the content only: the box is the page's


def test_it_sends_zeros_before_the_first_tag(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/figures/", headers=HTMX).content.decode()
    assert "Claim <strong>0</strong>" in html and "Cited: none yet" in html
