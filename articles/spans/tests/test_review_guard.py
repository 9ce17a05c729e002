"""A curator's review and deletion hold: an author's later change sends the annotation
back to pending, and only a curator restores what a curator deleted."""

import pytest

from articles.admin.history import what_happened
from articles.models import Annotation
from articles.spans.annotating import delete_annotation, review_annotations
from articles.tests.admin_helpers import ANNOTATIONS_URL, NO_LINKS, make_curator
from articles.tests.export_helpers import annotate
from articles.tests.helpers import HTMX, label


@pytest.fixture
def alice(annotator_user):
    return annotator_user


@pytest.fixture
def carol(make_user):
    return make_curator(make_user)


@pytest.fixture
def accepted(sample_article, alice, carol):
    annotation = annotate(sample_article, "coalition partner", alice, note="first")
    review_annotations([annotation], carol, Annotation.ACCEPTED)
    annotation.refresh_from_db()
    return annotation


def url(annotation, suffix=""):
    return f"/articles/{annotation.article_id}/annotations/{annotation.pk}/{suffix}"


@pytest.mark.parametrize("change", [{"note": "second thoughts"}, {"label": "prediction"}])
def test_it_returns_an_accepted_annotation_to_pending_when_its_author_changes_it(
    client, alice, accepted, change
):
    client.force_login(alice)
    data = {"note": accepted.note, "label": accepted.label_id}
    data.update({"label": label(change["label"]).pk} if "label" in change else change)
    response = client.post(url(accepted), data, headers=HTMX)
    assert response.status_code == 200
    accepted.refresh_from_db()
    assert (accepted.status, accepted.reviewed_by, accepted.reviewed_at) == ("pending", None, None)
    record = accepted.history.first()
    assert record.history_user == alice
    assert record.history_change_reason == "changed by its author after review"
    assert what_happened(record, {"status", "note"}) == "Changed after review"


def test_it_keeps_the_review_when_nothing_changes(client, alice, accepted):
    client.force_login(alice)
    client.post(url(accepted), {"note": accepted.note, "label": accepted.label_id}, headers=HTMX)
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_it_keeps_the_review_when_a_curator_corrects_it(client, carol, accepted):
    client.force_login(carol)
    client.post(url(accepted), {"note": "curated", "label": accepted.label_id}, headers=HTMX)
    accepted.refresh_from_db()
    assert (accepted.note, accepted.status) == ("curated", "accepted")


def test_it_returns_to_pending_when_a_staff_author_changes_it_in_the_admin(client, alice, accepted):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    data = {"label": accepted.label_id, "note": "edited in the admin", **NO_LINKS}
    response = client.post(f"{ANNOTATIONS_URL}{accepted.pk}/change/", data)
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert (accepted.note, accepted.status) == ("edited in the admin", "pending")


def test_it_records_who_deleted(client, alice, carol, accepted):
    client.force_login(carol)
    client.post(url(accepted, "delete/"), headers=HTMX)
    accepted.refresh_from_db()
    assert accepted.is_deleted and accepted.deleted_by == carol


def test_only_a_curator_restores_what_a_curator_deleted(client, alice, carol, accepted):
    delete_annotation(accepted, by=carol)
    client.force_login(alice)
    response = client.post(url(accepted, "restore/"), headers=HTMX)
    assert response.status_code == 403
    assert "A curator deleted this annotation" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.is_deleted

    client.force_login(carol)
    assert client.post(url(accepted, "restore/"), headers=HTMX).status_code == 200
    accepted.refresh_from_db()
    assert not accepted.is_deleted and accepted.deleted_by is None


def test_an_author_restores_their_own_deletion(client, alice, accepted):
    client.force_login(alice)
    client.post(url(accepted, "delete/"), headers=HTMX)
    assert client.post(url(accepted, "restore/"), headers=HTMX).status_code == 200
    accepted.refresh_from_db()
    assert not accepted.is_deleted and accepted.status == "accepted"


def test_the_admin_records_who_deleted(client, carol, accepted):
    client.force_login(carol)
    data = {"action": "soft_delete", "index": 0, "_selected_action": [accepted.pk]}
    client.post(ANNOTATIONS_URL, data)
    accepted.refresh_from_db()
    assert accepted.deleted_by == carol
