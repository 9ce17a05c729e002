"""Edit (popover), update, delete and undo of an annotation."""

import pytest

from articles.models import Annotation
from articles.spans.annotating import create_annotation
from articles.tests.helpers import HTMX, label, selection

PHRASE = "our so-called coalition partner"


@pytest.fixture
def annotation(sample_article, annotator_user):
    data = selection(sample_article, PHRASE)
    return create_annotation(
        sample_article,
        annotator_user,
        label_id=label().pk,
        start_u16=data["start"],
        end_u16=data["end"],
        quote=PHRASE,
        note="first note",
    )


def base(annotation):
    return f"/articles/{annotation.article_id}/annotations/{annotation.pk}"


def test_it_shows_the_editor_to_the_author(client, annotator_user, annotation):
    client.force_login(annotator_user)
    response = client.get(base(annotation) + "/edit/", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="label"' in html and "first note" in html and "Delete" in html


def test_it_shows_others_a_read_only_view(client, make_user, annotation):
    client.force_login(make_user("bob", "Annotator"))
    html = client.get(base(annotation) + "/edit/").content.decode()
    assert "Only its author or a curator" in html
    assert 'name="label"' not in html


def test_it_changes_label_and_note(client, annotator_user, annotation):
    client.force_login(annotator_user)
    response = client.post(
        base(annotation) + "/", {"label": label("prediction").pk, "note": "revised"}, headers=HTMX
    )
    assert response.status_code == 200
    annotation.refresh_from_db()
    assert (annotation.label.name, annotation.note) == ("prediction", "revised")
    html = response.content.decode()
    assert "Annotation updated." in html
    assert (
        f'<li class="annotation-item c1" id="item-{annotation.pk}" data-id="{annotation.pk}" data-status="pending" '
        f'data-label="{label("prediction").pk}" data-category="1" data-author="{annotator_user.pk}" hx-swap-oob="true">'
        in html
    )
    assert "Claim: prediction" in html and "revised" in html
    assert f'class="run hl depth-1 c1 l{label("prediction").pk}"' in html  # the paragraph, recoloured


def test_it_refuses_a_retired_label_on_update(client, annotator_user, annotation):
    retired = label("neutral")
    retired.active = False
    retired.save()
    client.force_login(annotator_user)
    response = client.post(base(annotation) + "/", {"label": retired.pk, "note": "x"})
    assert response.status_code == 400
    annotation.refresh_from_db()
    assert (annotation.label.name, annotation.note) == ("factual", "first note")


def test_it_forbids_other_annotators(client, make_user, annotation):
    client.force_login(make_user("bob", "Annotator"))
    for suffix in ["/", "/delete/", "/restore/"]:
        response = client.post(base(annotation) + suffix, {"label": label("opinion").pk, "note": "hijack"})
        assert response.status_code == 403, suffix
        assert "Only the author or a curator" in response.content.decode()
    annotation.refresh_from_db()
    assert (annotation.label.name, annotation.note, annotation.deleted_at) == ("factual", "first note", None)


def test_it_lets_a_curator_change_anyones(client, make_user, annotation):
    client.force_login(make_user("cora", "Curator"))
    assert client.post(base(annotation) + "/", {"note": "curated"}).status_code == 200
    annotation.refresh_from_db()
    assert annotation.note == "curated"


def test_it_deletes_and_offers_undo(client, annotator_user, annotation):
    client.force_login(annotator_user)
    response = client.post(base(annotation) + "/delete/", headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Annotation.objects.exists()
    assert Annotation.all_objects.get().deleted_at is not None
    assert "Undo" in html and f"/annotations/{annotation.pk}/restore/" in html
    assert f'data-ids="{annotation.pk}"' not in html
    assert '<p class="para" id="p1" hx-swap-oob="true">' in html  # the paragraph, without it
    # The last one: its item goes, and the page's empty-list message shows (by CSS).
    assert f'<li id="item-{annotation.pk}" hx-swap-oob="delete"></li>' in html
    assert '<span class="count" id="annotation-count" hx-swap-oob="true">0</span>' in html
    assert "annotation-panel" not in html


def test_it_removes_one_item_when_others_remain(client, annotator_user, annotation, sample_article):
    other = selection(sample_article, "Exasperated")
    create_annotation(
        sample_article,
        annotator_user,
        label_id=label().pk,
        start_u16=other["start"],
        end_u16=other["end"],
        quote="Exasperated",
    )
    client.force_login(annotator_user)
    html = client.post(base(annotation) + "/delete/", headers=HTMX).content.decode()
    assert f'<li id="item-{annotation.pk}" hx-swap-oob="delete"></li>' in html
    assert '<span class="count" id="annotation-count" hx-swap-oob="true">1</span>' in html


def test_it_restores_on_undo(client, annotator_user, annotation):
    client.force_login(annotator_user)
    client.post(base(annotation) + "/delete/")
    response = client.post(base(annotation) + "/restore/", headers=HTMX)
    assert response.status_code == 200
    restored = Annotation.objects.get()
    assert (restored.pk, restored.quote, restored.note, restored.deleted_at) == (
        annotation.pk,
        PHRASE,
        "first note",
        None,
    )
    assert f'data-ids="{annotation.pk}"' in response.content.decode()
    assert "Undo" not in response.content.decode()


def test_it_refuses_to_restore_a_live_annotation(client, annotator_user, annotation):
    client.force_login(annotator_user)
    response = client.post(base(annotation) + "/restore/", headers=HTMX)
    assert response.status_code == 409
    assert "not deleted" in response.content.decode()


def test_it_is_404_for_another_articles_annotation(client, annotator_user, annotation):
    from articles.ingest.pipeline import ingest, store_article

    other, _ = store_article(ingest("Other\n\nText here."))
    client.force_login(annotator_user)
    for suffix, method in [("/edit/", "get"), ("/", "post"), ("/delete/", "post"), ("/restore/", "post")]:
        url = f"/articles/{other.pk}/annotations/{annotation.pk}{suffix}"
        assert getattr(client, method)(url).status_code == 404, suffix


def test_it_is_404_to_edit_a_deleted_annotation(client, annotator_user, annotation):
    client.force_login(annotator_user)
    client.post(base(annotation) + "/delete/")
    assert client.post(base(annotation) + "/", {"note": "x"}).status_code == 404


def test_it_rejects_wrong_methods(client, annotator_user, annotation):
    client.force_login(annotator_user)
    assert client.get(base(annotation) + "/").status_code == 405
    assert client.get(base(annotation) + "/delete/").status_code == 405
    assert client.get(base(annotation) + "/restore/").status_code == 405
    assert client.post(base(annotation) + "/edit/").status_code == 405
