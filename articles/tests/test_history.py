"""History: every create, change, review, delete and restore is recorded with its user,
shown in the admin with values before and after, and can be reverted."""

import pytest

from articles.models import Annotation, Label
from articles.spans.annotating import delete_annotation

from .admin_helpers import ANNOTATIONS_URL, ARTICLES_URL, LABELS_URL, make_curator, run_action
from .export_helpers import annotate
from .helpers import HTMX, label, selection


@pytest.fixture
def curator(make_user):
    return make_curator(make_user)


@pytest.fixture
def reviewed_life(client, annotator_user, curator, sample_article):
    """One annotation through its whole life, each step made by a person over HTTP."""
    client.force_login(annotator_user)
    data = {**selection(sample_article, "so-called coalition partner"), "label": label("opinion").pk}
    client.post(f"/articles/{sample_article.pk}/annotations/", data, headers=HTMX)
    annotation = Annotation.objects.get()
    base = f"/articles/{sample_article.pk}/annotations/{annotation.pk}"
    client.post(f"{base}/", {"label": annotation.label_id, "note": "loaded words"}, headers=HTMX)
    client.force_login(curator)
    run_action(client, ANNOTATIONS_URL, "accept", [annotation])
    client.force_login(annotator_user)
    client.post(f"{base}/delete/", headers=HTMX)
    client.force_login(curator)
    run_action(client, f"{ANNOTATIONS_URL}?state=deleted", "restore", [annotation])
    annotation.refresh_from_db()
    return annotation


def test_it_records_create_change_review_delete_restore_with_the_right_user(
    reviewed_life, annotator_user, curator
):
    rows = list(reviewed_life.history.order_by("history_date", "history_id"))
    assert [(row.history_type, row.history_user) for row in rows] == [
        ("+", annotator_user),
        ("~", annotator_user),
        ("~", curator),
        ("~", annotator_user),
        ("~", curator),
    ]
    created, changed, reviewed, deleted, restored = rows
    assert (created.note, changed.note) == ("", "loaded words")
    assert (changed.status, reviewed.status, reviewed.reviewed_by) == ("pending", "accepted", curator)
    assert deleted.deleted_at is not None and restored.deleted_at is None
    delta = reviewed.diff_against(changed)
    assert {change.field: (change.old, change.new) for change in delta.changes}["status"] == (
        "pending",
        "accepted",
    )


def test_it_shows_the_history_page_with_before_and_after(client, reviewed_life, curator):
    client.force_login(curator)
    response = client.get(f"{ANNOTATIONS_URL}{reviewed_life.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    whats = [cell.split("<")[0] for cell in html.split('<td class="history-what">')[1:]]
    assert whats == ["Restored", "Deleted", "Reviewed", "Changed", "Created"]
    users = [cell.split("<")[0] for cell in html.split('<td class="history-user">')[1:]]
    assert users == ["carol", "alice", "carol", "alice", "alice"]
    assert "<strong>Status:</strong> <del>Pending</del> → <ins>Accepted</ins>" in html
    assert "<strong>Note:</strong> <del>—</del> → <ins>loaded words</ins>" in html
    assert "<strong>Deleted at:</strong> <del>—</del> → <ins>" in html
    assert "Updated at" not in html  # bookkeeping, not a change
    assert 'style="' not in html.split('id="change-history"')[1]


def test_it_shows_the_history_of_a_deleted_annotation(client, curator, annotator_user, sample_article):
    annotation = annotate(sample_article, "Pakistani", annotator_user)
    client.force_login(annotator_user)
    client.post(f"/articles/{sample_article.pk}/annotations/{annotation.pk}/delete/", headers=HTMX)
    client.force_login(curator)
    html = client.get(f"{ANNOTATIONS_URL}{annotation.pk}/history/").content.decode()
    assert '<td class="history-what">Deleted' in html and '<td class="history-user">alice' in html


def test_it_records_label_changes_by_the_curator_and_reverts_them(client, curator):
    client.force_login(curator)
    opinion = Label.objects.get(name="opinion")
    form = {
        "category": opinion.category_id,
        "name": "opinion",
        "colour": "#f2994a",
        "hotkey": "2",
        "order": 1,
    }
    client.post(
        f"{LABELS_URL}{opinion.pk}/change/", {**form, "active": "on"}
    )  # a first version to go back to
    client.post(f"{LABELS_URL}{opinion.pk}/change/", {**form, "colour": "#000000"})
    newest, first = opinion.history.all()[:2]
    assert (newest.history_user, newest.colour, newest.active) == (curator, "#000000", False)
    html = client.get(f"{LABELS_URL}{opinion.pk}/history/").content.decode()
    assert "<del>#f2994a</del> → <ins>#000000</ins>" in html
    assert '<td class="history-what">Retired' in html
    revert = client.post(f"{LABELS_URL}{opinion.pk}/history/{first.history_id}/", {**form, "active": "on"})
    assert revert.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.colour, opinion.active) == ("#f2994a", True)
    assert opinion.history.first().history_user == curator


def test_it_records_retiring_from_the_list_action(client, curator):
    client.force_login(curator)
    opinion = Label.objects.get(name="opinion")
    run_action(client, LABELS_URL, "retire", [opinion])
    row = opinion.history.first()
    assert (row.history_user, row.active) == (curator, False)


def test_it_records_article_changes(client, curator, sample_article):
    client.force_login(curator)
    data = {
        "title": "A new headline",
        "outlet": "ABC News",
        "body": sample_article.body,
        "annotations-TOTAL_FORMS": 0,
        "annotations-INITIAL_FORMS": 0,
    }
    assert client.post(f"{ARTICLES_URL}{sample_article.pk}/change/", data).status_code == 302
    row = sample_article.history.first()
    assert (row.history_type, row.history_user, row.title) == ("~", curator, "A new headline")
    html = client.get(f"{ARTICLES_URL}{sample_article.pk}/history/").content.decode()
    assert "<strong>Title:</strong>" in html and "<ins>A new headline</ins>" in html


def test_it_records_a_label_change_made_by_the_bulk_action(client, curator, annotator_user, sample_article):
    annotation = annotate(sample_article, "Pakistani", annotator_user)
    client.force_login(curator)
    run_action(client, ANNOTATIONS_URL, "change_label", [annotation], apply="yes", label=label("opinion").pk)
    row = annotation.history.first()
    assert (row.history_user, row.label_id) == (curator, label("opinion").pk)


def test_it_keeps_history_when_an_annotation_is_soft_deleted_outside_a_request(
    annotator_user, sample_article
):
    annotation = annotate(sample_article, "Pakistani", annotator_user)
    delete_annotation(annotation)
    assert annotation.history.count() == 2
    assert annotation.history.first().deleted_at is not None
