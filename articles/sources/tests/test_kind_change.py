"""A claim's links, and the links that cite a source, belong to those kinds: relabelling
such an annotation into another kind (a claim into a Source, say) is refused until the
links are removed, in the reader and in the admin. It used to be accepted, leaving links
from a source that the export kept and that no backup would import again."""

import pytest

from articles.models import Attribution
from articles.sources.attributing import attribute, set_own_voice
from articles.tests.admin_helpers import ANNOTATIONS_URL, make_curator, run_action
from articles.tests.export_helpers import annotate
from articles.tests.helpers import HTMX, label

CLAIM = "The U.S. is saying, 'My way or the high way,'"


@pytest.fixture
def linked(sample_article, annotator_user):
    claim = annotate(sample_article, CLAIM, annotator_user, label="factual")
    source = annotate(sample_article, "the official", annotator_user, label="anonymous source")
    attribute(claim, source, annotator_user)
    return claim, source


def post_label(client, annotation, name):
    url = f"/articles/{annotation.article_id}/annotations/{annotation.pk}/"
    return client.post(url, {"label": label(name).pk, "note": annotation.note}, headers=HTMX)


def test_the_reader_refuses_to_make_a_linked_claim_a_source(client, annotator_user, linked):
    claim, _ = linked
    client.force_login(annotator_user)
    response = post_label(client, claim, "named person")
    assert response.status_code == 400
    assert "attributed to 1 source" in response.content.decode()
    claim.refresh_from_db()
    assert claim.label == label("factual") and Attribution.objects.count() == 1


def test_the_reader_refuses_to_make_a_cited_source_a_tone(client, annotator_user, linked):
    _, source = linked
    client.force_login(annotator_user)
    response = post_label(client, source, "negative")
    assert response.status_code == 400
    assert "1 claim is attributed to it" in response.content.decode()


def test_the_reader_refuses_to_move_the_outlets_own_voice_out_of_claims(
    client, annotator_user, sample_article
):
    own = annotate(sample_article, "Exasperated", annotator_user, label="factual")
    set_own_voice(own, True)
    client.force_login(annotator_user)
    assert post_label(client, own, "negative").status_code == 400


def test_a_claim_keeps_its_links_within_claims(client, annotator_user, linked):
    claim, _ = linked
    client.force_login(annotator_user)
    assert post_label(client, claim, "opinion").status_code == 200
    claim.refresh_from_db()
    assert claim.label == label("opinion") and Attribution.objects.count() == 1


def test_the_admin_action_leaves_linked_annotations_and_says_so(client, make_user, linked, sample_article):
    claim, _ = linked
    plain = annotate(sample_article, "Exasperated", claim.author, label="factual")
    client.force_login(make_curator(make_user))
    response = run_action(
        client, ANNOTATIONS_URL, "change_label", [claim, plain], apply="yes", label=label("named person").pk
    )
    claim.refresh_from_db()
    plain.refresh_from_db()
    assert claim.label == label("factual") and plain.label == label("named person")
    html = client.get(ANNOTATIONS_URL).content.decode() if response.status_code == 302 else ""
    html += response.content.decode()
    assert "attributed to 1 source" in html


def test_the_admin_form_refuses_it_with_a_field_error(client, make_user, linked):
    claim, _ = linked
    client.force_login(make_curator(make_user))
    data = {"label": label("named person").pk, "note": "", "status": "pending"}
    response = client.post(f"{ANNOTATIONS_URL}{claim.pk}/change/", data)
    assert response.status_code == 200
    assert "attributed to 1 source" in str(response.context["adminform"].form.errors["label"])
