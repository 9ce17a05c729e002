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


def test_it_sends_a_strip_that_listens_for_the_next_change(client, annotator_user, sample_article):
    annotate(sample_article, CLAIM, annotator_user)
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/figures/", headers=HTMX).content.decode()
    assert f'hx-trigger="{CHANGED} from:body"' in html
    assert f'hx-get="/articles/{sample_article.pk}/figures/"' in html
    assert "Claim <strong>1</strong>" in html


def test_it_sends_a_listening_strip_even_before_the_first_tag(client, annotator_user, sample_article):
    client.force_login(annotator_user)
    html = client.get(f"/articles/{sample_article.pk}/figures/", headers=HTMX).content.decode()
    assert 'id="article-figures"' in html and f"{CHANGED} from:body" in html
    assert "Claim <strong>0</strong>" in html
